/**
 * The Systems page's routes on a datasets folder loaded as `serve --datasets` loads it (the example
 * shop's dataset on a throwaway SQLite or PostgreSQL shop, a Fides dataset on its own SQLite file
 * whose table lacks a column and has one the dataset does not declare, a database that is down, a
 * system done by hand and one behind HTTP whose key is not set): the list names each connection's
 * kind and where it points, never a password or a URL kept as a secret, with the tables, fields and
 * categories, and the fields left uncategorised; the check connects and holds the dataset against
 * the database as a request would, answering ok or the problems (a database down is one, not a
 * 5xx), with the time it took. A server without datasets lists none; agents and controllers are
 * refused.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { loadWorkerSource } from '../../src/cli/start-desk.js';
import { ROLES, type Role } from '../../src/desk/staff/roles.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { EXAMPLE, TARGETS, type Target } from '../dsr/shop-targets.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, tokenFor } from '../helpers/staff.js';

const ORG = 'acme-boutique';
const BASE = `/api/v1/organisations/${ORG}`;

const CRM = `dataset:
  - fides_key: crm
    collections:
      - name: contact
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta:
              primary_key: true
          - name: email
            data_categories: [user.contact.email]
            fides_meta:
              identity: email
          - name: notes
          - name: phone
            data_categories: [user.contact.phone_number]
`;

const LEGACY = `dataset:
  key: legacy
  collections:
    - name: member
      fields:
        - name: id
          primary_key: true
          categories: [system.operations]
        - name: email
          categories: [user.contact.email]
          identity: email
`;

const TICKETS = `dataset:
  key: tickets
  collections:
    - name: ticket
      fields:
        - name: email
          categories: [user.contact.email]
          identity: email
`;

const REMOTE = TICKETS.replace('key: tickets', 'key: remote');

for (const targetCase of TARGETS.filter((t) => t.name !== 'MariaDB')) {
  const available = await targetCase.available();
  describe.runIf(available)(`the systems routes with the shop on ${targetCase.name}`, () => {
    let store: Store;
    let app: ZodApp;
    let shop: Target;
    let dir: string;
    const tokens = new Map<Role, Record<string, string>>();

    beforeAll(async () => {
      shop = await targetCase.create();
      dir = mkdtempSync(path.join(tmpdir(), 'opendpo-systems-'));
      const crm = new SqliteDatabase(path.join(dir, 'crm.db'));
      crm.exec('CREATE TABLE contact (id INTEGER PRIMARY KEY, email TEXT NOT NULL, notes TEXT, loyalty_points INTEGER)');
      crm.close();
      writeFileSync(path.join(dir, 'shop.yaml'), readFileSync(path.join(EXAMPLE, 'shop.yaml')));
      writeFileSync(path.join(dir, 'crm.yml'), CRM);
      writeFileSync(path.join(dir, 'legacy.yaml'), LEGACY);
      writeFileSync(path.join(dir, 'tickets.yaml'), TICKETS);
      writeFileSync(path.join(dir, 'remote.yaml'), REMOTE);
      process.env.OPENDPO_TEST_SHOP_URL = shop.url;
      writeFileSync(
        path.join(dir, 'connections.yaml'),
        `register: ${path.join(ROOT, 'examples/acme-shop')}
connections:
  - name: shop
    type: ${shop.type}
    url: { env: OPENDPO_TEST_SHOP_URL }
    datasets: [shop]
  - name: crm
    type: sqlite
    url: sqlite:${path.join(dir, 'crm.db')}
    datasets: [crm]
  - name: legacy
    type: postgres
    url: postgres://legacy@127.0.0.1:1/legacy
    datasets: [legacy]
  - name: helpdesk
    type: manual
    instructions: Search the helpdesk for the person's tickets.
    datasets: [tickets]
  - name: remote
    type: http
    url: https://remote.example/dsr
    secret: { env: OPENDPO_TEST_UNSET_SECRET }
    datasets: [remote]
`,
      );
      store = await openStore(parseDatabaseUrl(':memory:', ROOT));
      await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
      const source = await loadWorkerSource(dir);
      app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000, targetTimeoutMs: 3_000 }, store, defaultOrganisation: ORG, sources: [source] });
      for (const role of ROLES) tokens.set(role, bearer(await tokenFor(store, ORG, role, role === 'controller' ? { controllerId: 'x' } : {})));
    });

    afterAll(async () => {
      delete process.env.OPENDPO_TEST_SHOP_URL;
      await app?.close();
      await store?.close();
      await shop?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const check = (system: string, role: Role = 'engineer') => app.inject({ method: 'POST', url: `${BASE}/systems/${system}/check`, headers: tokens.get(role)! });

    it('lists each system with its connection kind, tables, fields and categories, and the fields left uncategorised; never a secret', async () => {
      const res = await app.inject({ url: `${BASE}/systems`, headers: tokens.get('auditor')! });
      expect(res.statusCode, res.body).toBe(200);
      const { systems } = res.json() as { systems: { id: string; connection: Record<string, unknown>; collections: { name: string; fields: { name: string; categories: string[]; personal: boolean }[] }[]; uncategorised: string[] }[] };
      expect(systems.map((s) => [s.id, s.connection.kind, s.connection.url_from])).toEqual([
        ['crm', 'sqlite', 'connections.yaml'],
        ['legacy', 'postgres', 'connections.yaml'],
        ['remote', 'http', 'connections.yaml'],
        ['shop', shop.type, 'environment'],
        ['tickets', 'manual', null],
      ]);
      const byId = new Map(systems.map((s) => [s.id, s]));
      expect(byId.get('shop')!.connection.target).toBeNull();
      expect(byId.get('legacy')!.connection.target).toBe('legacy (postgres 127.0.0.1:1/legacy)');
      expect(byId.get('remote')!.connection.target).toBe('remote.example');
      expect(byId.get('shop')).toMatchObject({ name: 'Online shop database', format: 'opendpo', register_system: 'shop', uncategorised: [] });
      const customer = byId.get('shop')!.collections.find((c) => c.name === 'customer')!;
      expect(customer.fields.find((f) => f.name === 'email')).toEqual({
        name: 'email',
        categories: ['user.contact.email'],
        identity: 'email',
        primary_key: false,
        personal: true,
        legal_hold: null,
        excluded_from_copy: false,
        references: [],
      });
      const invoice = byId.get('shop')!.collections.find((c) => c.name === 'invoice') as unknown as { legal_hold: { article: string } | null; system: string };
      expect(invoice.legal_hold?.article).toBe('Art. 17(3)(b)');
      expect(byId.get('crm')).toMatchObject({ format: 'fides', uncategorised: ['contact.notes'] });
      // The shop's URL, kept in the environment, is not read to be listed.
      expect(res.body).not.toContain(shop.url);
      expect(res.body).not.toContain('OPENDPO_TEST_UNSET_SECRET');
    });

    it('checks a system that matches its database: ok, connected, the time it took, and the index its email lookup lacks', async () => {
      const res = await check('shop');
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ system: 'shop', connection: { name: 'shop', kind: shop.type }, ok: true, connected: true, problems: [], note: null });
      expect(body.duration_ms).toBeGreaterThanOrEqual(0);
      expect(body.duration_ms).toBeLessThan(30_000);
      // The example shop has no index on lower(email): each request would read its whole customer table.
      expect(body.indexes).toContainEqual({ column: 'customer.email', reason: expect.stringContaining('no index serves'), statement: 'create index "customer_email_lower_idx" on "customer" (lower("email"))' });
      await shop.exec(body.indexes.find((a: { column: string }) => a.column === 'customer.email').statement);
      const again = (await check('shop')).json();
      expect(again.indexes.map((a: { column: string }) => a.column)).not.toContain('customer.email');
      expect(again.ok).toBe(true);
      expect(res.body).not.toContain(shop.url);
    });

    it('finds what a request would stop on: a column missing (every request), a NOT NULL column an erasure would null (erasures), and an undeclared column to review', async () => {
      const body = (await check('crm', 'auditor')).json();
      expect(body).toMatchObject({ system: 'crm', ok: false, connected: true });
      expect(body.problems).toEqual([
        { rule: 'dataset/column-missing', severity: 'error', message: 'Column "phone" does not exist in table "contact".', file: 'crm.yml', line: 15, column: 13, stops: ['access', 'portability', 'erasure', 'restriction'] },
        // Only an erasure writes: only an erasure stops on it.
        {
          rule: 'dataset/masking-not-null',
          severity: 'error',
          message: 'Column "email" of "contact" is NOT NULL: give it a masking strategy other than null, or a legal hold.',
          file: 'crm.yml',
          line: 10,
          column: 13,
          stops: ['erasure'],
        },
      ]);
      expect(body.undeclared_columns).toEqual([{ collection: 'contact', columns: ['loyalty_points'] }]);
    });

    it('answers a database that is down with a clear problem, not an error', async () => {
      const res = await check('legacy');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ system: 'legacy', ok: false, connected: false, problems: [{ rule: 'connection/unavailable', severity: 'error', file: null, stops: ['access', 'portability', 'erasure', 'restriction'] }] });
      expect(res.json().problems[0].message).toMatch(/^legacy \(postgres 127\.0\.0\.1:1\/legacy\): cannot connect/);
    });

    it('says what it can of systems that act for themselves: nothing to connect to by hand, a key not set over HTTP', async () => {
      expect((await check('tickets')).json()).toMatchObject({ ok: true, connected: false, problems: [], note: expect.stringContaining('a person does') });
      const remote = (await check('remote')).json();
      expect(remote).toMatchObject({ ok: false, connected: false, problems: [{ rule: 'connection/unreadable', message: expect.stringContaining('OPENDPO_TEST_UNSET_SECRET is not set') }] });
    });

    it('refuses an unknown system, agents and controllers, and another organisation', async () => {
      const unknown = await check('nothing-here');
      expect(unknown.statusCode).toBe(404);
      expect((await check('no%20such%20id')).statusCode).toBe(400);
      for (const role of ['agent', 'controller'] as const) {
        expect((await app.inject({ url: `${BASE}/systems`, headers: tokens.get(role)! })).statusCode).toBe(403);
        expect((await check('shop', role)).statusCode).toBe(403);
      }
      const other = bearer(await tokenFor(store, 'softathome', 'engineer'));
      expect((await app.inject({ url: '/api/v1/organisations/softathome/systems', headers: other })).json()).toEqual({ systems: [] });
      expect((await app.inject({ method: 'POST', url: '/api/v1/organisations/softathome/systems/shop/check', headers: other })).statusCode).toBe(404);
    });
  });
}

describe('the systems routes of a server without datasets', () => {
  it('lists none', async () => {
    const store = await openStore(parseDatabaseUrl(':memory:', ROOT));
    try {
      await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
      const app = await buildApp({ config: { logLevel: 'silent' }, store });
      const token = bearer(await tokenFor(store, ORG, 'dpo'));
      expect((await app.inject({ url: `${BASE}/systems`, headers: token })).json()).toEqual({ systems: [] });
      expect((await app.inject({ method: 'POST', url: `${BASE}/systems/shop/check`, headers: token })).statusCode).toBe(404);
      await app.close();
    } finally {
      await store.close();
    }
  });
});
