/**
 * A desk request's dry run over HTTP (GET …/desk/requests/:id/plan), on real stores (SQLite,
 * PostgreSQL) and the example shop on a throwaway database of each kind, loaded as `serve
 * --datasets` loads it: an erasure's plan names the rows found, what it would mask or delete and
 * what it would keep under which legal hold, in counts, and writes nothing to the shop; an access
 * and a restriction plan too. It needs what reading a person's data needs, and each view is in the
 * audit log (counts, never the person's address). Refused clearly: a type the engine does not run,
 * a closed request, identities no dataset can look up, a server without datasets; datasets that do
 * not match their database answer their problems (422), a database that is down 503.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkerSource } from '../../src/cli/start-desk.js';
import type { WorkerSource } from '../../src/desk/worker/request-worker.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { EXAMPLE, TARGETS, type Target } from '../dsr/shop-targets.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, tokenFor } from '../helpers/staff.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';

const ORG = 'acme-boutique';
const BASE = `/api/v1/organisations/${ORG}`;
const ALICE = 'alice.martin@example.com';

/** A datasets folder like the example's, its connection given (an environment variable holds the URL). */
function datasetsFolder(env: string, type: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-plan-'));
  writeFileSync(path.join(dir, 'shop.yaml'), readFileSync(path.join(EXAMPLE, 'shop.yaml')));
  writeFileSync(path.join(dir, 'connections.yaml'), `register: ${path.join(ROOT, 'examples/acme-shop')}\nconnections:\n  - name: shop\n    type: ${type}\n    url: { env: ${env} }\n    datasets: [shop]\n`);
  return dir;
}

const cases = [
  { store: sqliteCase(), target: TARGETS.find((t) => t.name === 'SQLite')! },
  { store: postgresCase(), target: TARGETS.find((t) => t.name === 'PostgreSQL')! },
];

describe.each(cases)('a request\'s plan with a $store.name store', ({ store: dialect, target: targetCase }) => {
  let store: Store;
  let app: ZodApp;
  let shop: Target;
  let source: WorkerSource;
  const folders: string[] = [];
  const headers = new Map<string, Record<string, string>>();
  const env = `OPENDPO_TEST_PLAN_SHOP_${dialect.name.toUpperCase()}`;

  beforeAll(async () => {
    if (!dialect.available) return;
    store = await openStore(await dialect.setUp());
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    shop = await targetCase.create();
    process.env[env] = shop.url;
    folders.push(datasetsFolder(env, shop.type));
    source = await loadWorkerSource(folders[0]!);
    app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000, targetTimeoutMs: 5_000 }, store, defaultOrganisation: ORG, sources: [source] });
    for (const role of ['dpo', 'agent', 'engineer', 'auditor', 'admin'] as const) headers.set(role, bearer(await tokenFor(store, ORG, role)));
  });

  afterAll(async () => {
    delete process.env[env];
    await app?.close();
    await store?.close();
    await shop?.drop();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
    await dialect.tearDown();
  });

  const enter = async (details: Record<string, unknown>, identities: { type: string; value: string }[] = [{ type: 'email', value: ALICE }]) => {
    const res = await app.inject({
      method: 'POST',
      url: `${BASE}/desk/requests`,
      headers: headers.get('dpo')!,
      payload: { channel: 'email', received_at: '2026-03-02T10:00:00+01:00', identities, details },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const plan = (id: string, role = 'dpo') => app.inject({ url: `${BASE}/desk/requests/${id}/plan`, headers: headers.get(role)! });
  const shopTables = async () => {
    const tables = [];
    for (const t of ['customer', 'address', 'orders', 'order_item', 'invoice', 'newsletter_subscription', 'support_ticket']) tables.push(await shop.rows(t));
    return tables;
  };

  it.runIf(dialect.available)('plans an erasure: rows found, what is masked or deleted, what legal holds keep; counts only, nothing written', async () => {
    const id = await enter({ type: 'erasure' });
    const before = await shopTables();
    const res = await plan(id);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.request).toEqual({ id, reference: expect.stringMatching(/^R-/), type: 'erasure', state: expect.any(String) });
    expect(body.kind).toBe('erasure');
    expect(body.systems).toEqual([{ id: 'shop', connection: 'shop', kind: shop.type, how: 'searched' }]);
    expect(body.starts_from).toContainEqual({ collection: 'shop.customer', field: 'email', identity: 'email' });
    expect(body.found).toContainEqual({ collection: 'shop.customer', rows: 1, withheld: 0 });
    expect(body.found).toContainEqual({ collection: 'shop.address', rows: 2, withheld: 0 });
    expect(body.writes).toContainEqual({ collection: 'shop.address', operation: 'delete', fields: [], rows: 2 });
    const customer = body.writes.find((w: { collection: string }) => w.collection === 'shop.customer');
    expect(customer).toMatchObject({ operation: 'update', rows: 1 });
    expect(customer.fields).toEqual(expect.arrayContaining(['email', 'first_name', 'last_name']));
    expect(body.kept).toContainEqual({
      collection: 'shop.invoice',
      rows: 2,
      reason: 'legal-hold',
      hold: { article: 'Art. 17(3)(b)', reason: 'Invoices are kept 10 years under accounting law (Code de commerce, art. L123-22)', period: 'P10Y' },
      fields: null,
    });
    expect(body.changes).toBeNull();
    // Names and counts: nothing of Alice's rows, no SQL, no date read from them.
    for (const value of ['alice', 'Alice', 'Martin', '+33612345678', 'République', 'F2025-0001', '2025-05-17', 'select', 'SELECT']) expect(res.body).not.toContain(value);
    expect(await shopTables()).toEqual(before);

    const entries = [];
    for await (const e of store.audit.entries(ORG)) entries.push(e);
    const viewed = entries.filter((e) => e.action === 'request.planned');
    expect(viewed).toEqual([expect.objectContaining({ actor: expect.stringMatching(/^token:/), subject: { kind: 'request', id }, detail: { kind: 'erasure', collections: expect.any(Number), rows: expect.any(Number), kept: expect.any(Number) } })]);
    expect(viewed[0]!.detail.rows).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(entries)).not.toContain(ALICE);
  });

  it.runIf(dialect.available)('plans an access and a restriction, for the staff allowed a person\'s data only', async () => {
    const access = await enter({ type: 'access' });
    const res = await plan(access, 'agent');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'access', writes: [], kept: [], changes: null, not_searched: expect.any(Array) });
    expect(res.json().found).toContainEqual({ collection: 'shop.orders', rows: 2, withheld: 0 });
    expect(res.json().context).toContainEqual({ collection: 'shop.product', rows: expect.any(Number) });
    expect(res.json().flags.map((f: { kind: string }) => f.kind)).toContain('past-retention');

    const restriction = await enter({ type: 'restriction', grounds: 'accuracy_contested' });
    const restricted = (await plan(restriction)).json();
    expect(restricted.kind).toBe('restriction');
    expect(restricted.changes).toContainEqual(expect.objectContaining({ collection: 'shop.newsletter_subscription', fields: ['processing_restricted'], rows: 1 }));
    expect(restricted.writes).toContainEqual(expect.objectContaining({ collection: 'shop.newsletter_subscription', operation: 'update', fields: ['processing_restricted'], rows: 1 }));

    for (const role of ['engineer', 'auditor']) {
      const refused = await plan(access, role);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.message).toContain('requests.read_personal');
    }
  });

  it.runIf(dialect.available)('refuses clearly what the engine will not run', async () => {
    const objection = await enter({ type: 'objection', direct_marketing: true });
    const refused = await plan(objection);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toEqual({ code: 'REQUEST_REFUSED', message: 'the engine does not run objection requests: staff carry them out and record what was done (record-done); there is nothing for it to plan or run' });

    const unknownIdentity = await enter({ type: 'access' }, [{ type: 'customer_number', value: 'C-1042' }]);
    const cannot = await plan(unknownIdentity);
    expect(cannot.statusCode).toBe(409);
    expect(cannot.json().error.message).toMatch(/^the engine cannot run this request as it stands: no dataset has an identity field of type customer_number/);

    const withdrawn = await enter({ type: 'access' });
    expect((await app.inject({ method: 'POST', url: `${BASE}/desk/requests/${withdrawn}/withdraw`, headers: headers.get('dpo')!, payload: {} })).statusCode).toBe(200);
    const closed = await plan(withdrawn);
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.message).toContain('the request is withdrawn');

    expect((await plan('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await app.inject({ url: `${BASE}/desk/requests/not-an-id/plan`, headers: headers.get('dpo')! })).statusCode).toBe(400);

    const fresh = await enter({ type: 'access' });
    const bare = await buildApp({ config: { logLevel: 'silent' }, store });
    const none = await bare.inject({ url: `${BASE}/desk/requests/${fresh}/plan`, headers: headers.get('dpo')! });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.message).toContain('this server runs no request of the organisation');
    await bare.close();
  });

  it.runIf(dialect.available)('answers datasets that no longer match their database with their problems, and a database that is down with 503', async () => {
    const id = await enter({ type: 'erasure' });
    // The same datasets on an empty database: every table is missing.
    const emptyDir = mkdtempSync(path.join(tmpdir(), 'opendpo-plan-empty-'));
    folders.push(emptyDir);
    new SqliteDatabase(path.join(emptyDir, 'empty.db')).close();
    process.env.OPENDPO_TEST_PLAN_EMPTY = `sqlite:${path.join(emptyDir, 'empty.db')}`;
    const emptyFolder = datasetsFolder('OPENDPO_TEST_PLAN_EMPTY', 'sqlite');
    folders.push(emptyFolder);
    const mismatched = await buildApp({ config: { logLevel: 'silent' }, store, sources: [await loadWorkerSource(emptyFolder)] });
    const res = await mismatched.inject({ url: `${BASE}/desk/requests/${id}/plan`, headers: headers.get('dpo')! });
    expect(res.statusCode, res.body).toBe(422);
    const { error } = res.json();
    expect(error.code).toBe('DATASET_INVALID');
    expect(error.findings).toContainEqual({ rule: 'dataset/table-missing', severity: 'error', message: 'Table "customer" of dataset "shop" does not exist in its database.', file: 'shop.yaml', line: expect.any(Number), column: expect.any(Number) });
    expect(res.body).not.toContain(emptyFolder);
    await mismatched.close();

    // The database goes away: the file is removed.
    rmSync(path.join(emptyDir, 'empty.db'));
    const down = await buildApp({ config: { logLevel: 'silent' }, store, sources: [await loadWorkerSource(emptyFolder)] });
    const unavailable = await down.inject({ url: `${BASE}/desk/requests/${id}/plan`, headers: headers.get('dpo')! });
    expect(unavailable.statusCode, unavailable.body).toBe(503);
    expect(unavailable.json().error).toMatchObject({ code: 'TARGET_UNAVAILABLE', message: expect.stringContaining('cannot connect') });
    await down.close();
    delete process.env.OPENDPO_TEST_PLAN_EMPTY;
  });
});
