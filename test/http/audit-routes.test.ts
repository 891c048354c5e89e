/**
 * The audit log over HTTP on real SQLite and PostgreSQL stores: pages in chain order (keyset on
 * seq) that a reader follows to the end and checks link by link, filters by action and subject, the
 * chain's verification — and an entry edited, or the newest cut off, behind the server's back (raw
 * SQL, as an attacker with the database would) found through the route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreLocation } from '../../src/config/config.js';
import { allows, ROLES, type Role } from '../../src/desk/staff/roles.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { GENESIS_HASH } from '../../src/store/audit-log.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, tokenFor } from '../helpers/staff.js';
import { raw } from '../store/raw-sql.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';
import { loopbackMail, type LoopbackMail } from '../support/loopback-mail.js';

const ORG = 'acme-boutique';
const BASE = `/api/v1/organisations/${ORG}`;

interface EntryView {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: { kind: string; id: string };
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

describe.each([sqliteCase(), postgresCase()])('the audit routes on $name', (dialect) => {
  let store: Store;
  let mail: LoopbackMail;
  let location: StoreLocation;
  let app: ZodApp;
  const tokens = new Map<Role, Record<string, string>>();
  const requestIds: string[] = [];

  beforeAll(async () => {
    if (!dialect.available) return;
    mail = await loopbackMail();
    location = await dialect.setUp();
    store = await openStore(location);
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000 }, store, defaultOrganisation: ORG, mailer: mail.mailer });
    for (const role of ROLES) tokens.set(role, bearer(await tokenFor(store, ORG, role, role === 'controller' ? { controllerId: 'x' } : {})));
    // Requests made through the API: each writes its entries (received, code sent, …).
    for (const email of ['audit.one@example.org', 'audit.two@example.org', 'audit.three@example.org']) {
      const res = await app.inject({ method: 'POST', url: `${BASE}/requests`, payload: { identities: [{ type: 'email', value: email }], details: { type: 'erasure' } } });
      expect(res.statusCode, res.body).toBe(201);
      requestIds.push(res.json().request.id);
    }
    const viewed = await app.inject({ url: `${BASE}/desk/requests/${requestIds[0]}/personal-data`, headers: tokens.get('dpo')! });
    expect(viewed.statusCode).toBe(200);
  });

  afterAll(async () => {
    await mail?.close();
    await app?.close();
    await store?.close();
    await dialect.tearDown();
  });

  const get = (url: string, role: Role = 'auditor') => app.inject({ url: `${BASE}${url}`, headers: tokens.get(role)! });
  const all = async (query = '', limit = 4) => {
    const entries: EntryView[] = [];
    let after: number | null = 0;
    let pages = 0;
    while (after !== null) {
      const res = await get(`/audit?limit=${limit}&after=${after}${query}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { entries: EntryView[]; next_after: number | null };
      entries.push(...page.entries);
      after = page.next_after;
      pages++;
    }
    return { entries, pages };
  };

  it.runIf(dialect.available)('pages through the chain oldest first; each entry links to the one before', async () => {
    const { entries, pages } = await all();
    expect(entries.length).toBeGreaterThan(12);
    expect(pages).toBe(Math.floor(entries.length / 4) + 1);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prev_hash).toBe(entries[i - 1]!.hash);
    const stored = [];
    for await (const e of store.audit.entries(ORG)) stored.push(e);
    expect(entries.map((e) => [e.seq, e.action, e.hash])).toEqual(stored.map((e) => [e.seq, e.action, e.hash]));
    // The audit log carries ids and counts: what the people wrote, their addresses, are not in it.
    expect(JSON.stringify(entries)).not.toContain('@example.org');
    // Past the end: an empty page.
    expect((await get(`/audit?after=${entries.length}`)).json()).toEqual({ entries: [], next_after: null });
    // A page of exactly the rest says there may be more, then the next one is empty.
    const last = await get(`/audit?after=${entries.length - 2}&limit=2`);
    expect(last.json().next_after).toBe(entries.length);
  });

  it.runIf(dialect.available)('filters by action and by subject, still in chain order', async () => {
    const received = await all('&action=request.received', 2);
    expect(received.entries.map((e) => e.subject.id)).toEqual(requestIds);
    const one = await all(`&subject_kind=request&subject_id=${requestIds[0]}`);
    expect(one.entries.map((e) => e.action)).toEqual(['request.received', 'request.code_sent', 'request.request_identity', 'request.viewed']);
    expect(one.entries.find((e) => e.action === 'request.viewed')!.actor).toMatch(/^token:/);
    expect((await get('/audit?action=nothing.like_this')).json()).toEqual({ entries: [], next_after: null });
  });

  it.runIf(dialect.available)('refuses malformed parameters with a 400 naming them, and roles without audit.read', async () => {
    for (const [query, message] of [
      ['after=-1', 'query parameter "after" must be the seq of the last entry read'],
      ['after=1e3', 'query parameter "after"'],
      ['limit=0', 'query parameter "limit"'],
      ['limit=501', 'query parameter "limit"'],
      ["action=request.received' OR 1=1 --", 'query parameter "action" must be an action'],
      ['subject_kind=Request', 'query parameter "subject_kind"'],
      ['seq=1', 'seq'],
    ]) {
      const res = await get(`/audit?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.message).toContain(message);
    }
    for (const [query, message] of [
      ['expect_head=12', 'must be SEQ:HASH'],
      [`expect_head=1:${'A'.repeat(64)}`, 'must be SEQ:HASH'],
    ]) {
      const res = await get(`/audit/verification?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.message).toContain(message);
    }
    for (const role of ROLES) {
      for (const url of ['/audit', '/audit/verification']) {
        const res = await get(url, role);
        expect(res.statusCode, `${role} ${url}`).toBe(allows(role, 'audit.read') ? 200 : 403);
      }
    }
    expect((await app.inject({ url: `${BASE}/audit` })).statusCode).toBe(401);
    const other = bearer(await tokenFor(store, 'other-org', 'auditor'));
    expect((await app.inject({ url: `${BASE}/audit/verification`, headers: other })).statusCode).toBe(403);
  });

  it.runIf(dialect.available)('verifies the chain, and finds an entry edited or the newest cut off', async () => {
    const intact = await get('/audit/verification', 'dpo');
    expect(intact.statusCode).toBe(200);
    const v = intact.json() as { organisation: string; entries: number; intact: boolean; head: { seq: number; hash: string }; problems: unknown[] };
    expect(v).toMatchObject({ organisation: ORG, intact: true, problems: [] });
    const { entries } = await all();
    expect(v.head).toEqual({ seq: entries.length, hash: entries.at(-1)!.hash });
    expect(v.entries).toBe(entries.length);
    const kept = `${v.head.seq}:${v.head.hash}`;
    expect((await get(`/audit/verification?expect_head=${kept}`)).json()).toMatchObject({ intact: true, problems: [] });

    // Someone with the database changes what entry 3 says.
    const target = entries[2]!;
    await raw(location, `update audit_log set detail_json = '{"edited":true}' where organisation_id = '${ORG}' and seq = 3`);
    const edited = (await get('/audit/verification')).json();
    expect(edited).toMatchObject({ intact: false, problems: [{ seq: 3, problem: 'its content does not match its hash (edited)' }] });
    expect(edited.problems).toHaveLength(1);
    // The page shows what is there now, with the hash it was written with: a reader finds it too.
    expect((await get('/audit?after=2&limit=1')).json().entries[0]).toMatchObject({ seq: 3, detail: { edited: true }, hash: target.hash });

    // Or writes what is not JSON at all: still found, still answered.
    await raw(location, `update audit_log set detail_json = 'not json' where organisation_id = '${ORG}' and seq = 4`);
    const garbled = await get('/audit/verification');
    expect(garbled.statusCode).toBe(200);
    expect(garbled.json().problems).toEqual([
      { seq: 3, problem: 'its content does not match its hash (edited)' },
      { seq: 4, problem: 'its content does not match its hash (edited)' },
    ]);
    expect((await get('/audit?after=3&limit=1')).json().entries[0].detail).toEqual({ unreadable: 'the stored detail is not a JSON object' });

    // Then cuts the newest entry off: only the head kept earlier shows it.
    await raw(location, `delete from audit_log where organisation_id = '${ORG}' and seq = ${v.head.seq}`);
    expect((await get('/audit/verification')).json().problems).toHaveLength(2);
    const cut = (await get(`/audit/verification?expect_head=${kept}`)).json();
    expect(cut.intact).toBe(false);
    expect(cut.problems).toContainEqual({ seq: v.head.seq, problem: `the head kept earlier is gone: the chain ends at ${v.head.seq - 1} (entries were cut off)` });
  });
});
