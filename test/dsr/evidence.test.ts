/**
 * Evidence that cannot lie, and one run of a request at a time, on real stores (SQLite and
 * PostgreSQL) and real target databases (a SQLite CRM, a PostgreSQL billing database):
 * - a crash between a database's commit and its evidence, or just before the commit, then a
 *   resume: the evidence counts exactly what the database changed (the resume verifies the
 *   database instead of running again or counting 0);
 * - a request is bound to what it was asked with: other --set values, or a dataset that changed
 *   (a legal hold added), refuse the resume and write nothing; --new-request supersedes;
 * - a second run of a request being run is refused, naming the process that holds it;
 * - the failure of every attempt is kept, and a resumed erasure keeps what its first attempt kept.
 * (test/dsr/crash.test.ts does the same with `kill -9` of real CLI processes.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreLocation } from '../../src/config/config.js';
import type { Collection, Dataset, DatasetField, Reference } from '../../src/dataset/model.js';
import { createManualConnector } from '../../src/connectors/manual/manual-connector.js';
import type { FaultPoint } from '../../src/dsr/erasure/execute-erasure.js';
import type { EvidenceSummary } from '../../src/dsr/request-lifecycle.js';
import { runRequest, type OpenConnections, type RunRequestInput } from '../../src/dsr/run-request.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';
import { createThrowawayPostgres, type ThrowawayDatabase } from '../store/throwaway-postgres.js';
import { openTestConnections } from './open-test-connections.js';

const at = { file: 'test.yaml', line: 1, column: 1 };
const field = (name: string, extra: Partial<DatasetField> = {}): DatasetField => ({ name, categories: ['system.operations'], primaryKey: false, references: [], readOnly: false, at, ...extra });
const ref = (dataset: string, collection: string): Reference => ({ dataset, collection, field: 'id', direction: 'from', otherSubject: false, at });
const collection = (name: string, fields: DatasetField[], extra: Partial<Collection> = {}): Collection => ({ name, fields, erasure: { strategy: 'mask' }, skip: false, after: [], eraseAfter: [], at, ...extra });
const INVOICE_HOLD = { reason: 'Invoices are kept 10 years under accounting law', article: 'Art. 17(3)(b)' };

/** The datasets; `paymentsHeld` puts the payments under a legal hold (a change made between two attempts). */
function datasets(paymentsHeld = false): Dataset[] {
  return [
    {
      key: 'crm',
      format: 'opendpo',
      at,
      collections: [
        collection('contact', [field('id', { primaryKey: true }), field('email', { categories: ['user.contact.email'], identity: 'email' }), field('name', { categories: ['user.name'] })]),
      ],
    },
    {
      key: 'billing',
      format: 'opendpo',
      at,
      collections: [
        collection('account', [field('id', { primaryKey: true }), field('contact_id', { references: [ref('crm', 'contact')] }), field('holder', { categories: ['user.name'] })]),
        collection('payment', [field('id', { primaryKey: true }), field('account_id', { references: [ref('billing', 'account')] }), field('card', { categories: ['user.financial'] })], {
          erasure: { strategy: 'delete' },
          ...(paymentsHeld ? { legalHold: { reason: 'Payments kept for a fraud inquiry', article: 'Art. 17(3)(e)' } } : {}),
        }),
        collection('invoice', [field('id', { primaryKey: true }), field('account_id', { references: [ref('billing', 'account')] }), field('billed_to', { categories: ['user.name'] })], {
          legalHold: INVOICE_HOLD,
        }),
      ],
    },
  ];
}

/** The person's payments: enough rows that a count of 0 or a doubled count cannot pass for right. */
const PAYMENTS = 1500;

describe.each([sqliteCase(), postgresCase()])('evidence and leases, with the store on $name', (storeCase) => {
  let billing: ThrowawayDatabase;
  let dir: string;
  let store: Store;
  let location: StoreLocation;

  beforeEach(async () => {
    if (!storeCase.available) return;
    billing = await createThrowawayPostgres();
    const client = new pg.Client({ connectionString: billing.url });
    await client.connect();
    await client.query(`
      CREATE TABLE account (id INT PRIMARY KEY, contact_id INT, holder TEXT);
      CREATE TABLE payment (id INT PRIMARY KEY, account_id INT NOT NULL REFERENCES account (id), card TEXT);
      CREATE TABLE invoice (id INT PRIMARY KEY, account_id INT NOT NULL REFERENCES account (id), billed_to TEXT);
      INSERT INTO account VALUES (10, 1, 'Paula Person'), (20, 2, 'Quentin Other');
      INSERT INTO payment SELECT g, 10, 'card ' || g FROM generate_series(1, ${PAYMENTS}) g;
      INSERT INTO payment VALUES (${PAYMENTS + 1}, 20, 'card q');
      INSERT INTO invoice VALUES (1, 10, 'Paula Person'), (2, 20, 'Quentin Other');`);
    await client.end();
    dir = mkdtempSync(path.join(tmpdir(), 'opendpo-evidence-'));
    const crm = new SqliteDatabase(path.join(dir, 'crm.db'));
    crm.exec(`CREATE TABLE contact (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
      INSERT INTO contact VALUES (1, 'p@example.com', 'Paula Person'), (2, 'q@example.com', 'Quentin Other');`);
    crm.close();
    location = await storeCase.setUp();
    store = await openStore(location);
  });
  afterEach(async () => {
    if (!storeCase.available) return;
    await store?.close();
    await storeCase.tearDown();
    await billing?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const input = (extra: Partial<RunRequestInput> = {}): RunRequestInput => ({
    kind: 'erasure',
    identities: { email: 'p@example.com' },
    datasets: datasets(),
    store,
    connect: () =>
      openTestConnections([
        { name: 'billing', type: 'postgres', url: billing.url, datasets: ['billing'] },
        { name: 'crm', type: 'sqlite', url: `sqlite:${path.join(dir, 'crm.db')}`, datasets: ['crm'] },
      ]),
    ...extra,
  });
  const crashAt = (at: FaultPoint['at'], connection: string) => (point: FaultPoint) => {
    if (point.at === at && point.connection === connection) throw new Error(`simulated crash at ${at}`);
  };
  async function failing(run: Promise<unknown>): Promise<Error> {
    try {
      await run;
    } catch (err) {
      return err as Error;
    }
    throw new Error('expected the run to fail');
  }
  async function billingRows() {
    const client = new pg.Client({ connectionString: billing.url });
    await client.connect();
    try {
      const count = async (q: string) => Number((await client.query(q)).rows[0].n);
      return {
        payments: await count('SELECT count(*) AS n FROM payment WHERE account_id = 10'),
        others: await count('SELECT count(*) AS n FROM payment WHERE account_id = 20'),
        heldCards: await count(`SELECT count(*) AS n FROM payment WHERE card LIKE 'card %'`),
        holder: (await client.query('SELECT holder FROM account WHERE id = 10')).rows[0].holder as string | null,
        invoice: (await client.query('SELECT billed_to FROM invoice WHERE id = 1')).rows[0].billed_to as string | null,
      };
    } finally {
      await client.end();
    }
  }
  const contact = () => {
    const crm = new SqliteDatabase(path.join(dir, 'crm.db'), { readonly: true });
    try {
      return crm.prepare('SELECT email, name FROM contact WHERE id = 1').get();
    } finally {
      crm.close();
    }
  };
  const written = (summary: unknown) =>
    Object.fromEntries((summary as EvidenceSummary).written.map((w) => [`${w.collection} ${w.kind}`, w.rows]));

  it.runIf(storeCase.available)('a crash between a database commit and its evidence: the resume verifies the database, and the evidence counts what it changed', async () => {
    const before = await billingRows();
    const first = await failing(runRequest(input({ fault: crashAt('after-commit', 'billing') })));
    expect(first.message).toContain('simulated crash at after-commit');
    const after = await billingRows();
    // PostgreSQL had committed: the payments are gone, the CRM (second) not yet touched.
    expect(after).toMatchObject({ payments: 0, others: 1, holder: null, invoice: 'Paula Person' });
    expect(contact()).toEqual({ email: 'p@example.com', name: 'Paula Person' });

    const outcome = await runRequest(input());
    expect(outcome.request).toMatchObject({ status: 'completed', attempts: 2 });
    expect(contact()).toEqual({ email: null, name: null });
    const steps = await store.requests.steps(outcome.request.id);
    // Attempt 1 recorded its writes before the commit; attempt 2 confirmed them from the database
    // and did not run them again.
    expect(steps.filter((s) => s.connection === 'billing' && s.kind !== 'select' && s.kind !== 'kept').map((s) => [s.attempt, s.kind, s.status, s.rowsChanged, s.note])).toEqual([
      [1, 'update', 'attempted', 1, 'fields: holder'],
      [1, 'delete', 'attempted', PAYMENTS, null],
      [2, 'commit', 'committed', 0, "attempt 1's writes committed (verified at attempt 2)"],
    ]);
    // Every attempt is kept, its failure with it.
    expect(steps.filter((s) => s.kind === 'error').map((s) => [s.attempt, s.note])).toEqual([[1, 'INTERNAL: unexpected error']]);
    expect(steps.filter((s) => s.kind === 'start').map((s) => [s.attempt, s.note])).toEqual([
      [1, 'new request'],
      [2, 'resumed (attempt 2)'],
    ]);
    // The summary counts what the databases changed, over both attempts.
    expect(written(outcome.request.summary)).toEqual({
      'billing.payment delete': before.payments - after.payments,
      'billing.account update': 1,
      'crm.contact update': 1,
    });
    expect(outcome.request.summary).toMatchObject({ attempts: 2, unconfirmed: 0 });
    // What the first attempt kept, and why, is still the request's.
    expect(outcome.kept).toEqual([expect.objectContaining({ node: 'billing.invoice', reason: 'legal-hold', rows: 1, hold: INVOICE_HOLD })]);
    expect(outcome.request.summary).toMatchObject({ kept: [{ collection: 'billing.invoice', reason: 'legal-hold', rows: 1, article: 'Art. 17(3)(b)' }] });
    expect(JSON.stringify(steps)).not.toMatch(/p@example|Paula|card \d/);
  });

  it.runIf(storeCase.available)('a crash after the writes are recorded but before the commit: the resume finds them rolled back and runs them once', async () => {
    await failing(runRequest(input({ fault: crashAt('before-commit', 'billing') })));
    expect(await billingRows()).toMatchObject({ payments: PAYMENTS, holder: 'Paula Person' });
    const outcome = await runRequest(input());
    expect(await billingRows()).toMatchObject({ payments: 0, others: 1, holder: null });
    const steps = await store.requests.steps(outcome.request.id);
    expect(steps.filter((s) => s.connection === 'billing' && (s.kind === 'delete' || s.kind === 'commit')).map((s) => [s.attempt, s.kind, s.status, s.rowsChanged])).toEqual([
      [1, 'delete', 'attempted', PAYMENTS],
      [2, 'commit', 'rolled-back', 0],
      [2, 'delete', 'attempted', PAYMENTS],
      [2, 'commit', 'committed', 0],
    ]);
    // Counted once: attempt 1's writes were rolled back.
    expect(written(outcome.request.summary)['billing.payment delete']).toBe(PAYMENTS);
  });

  it.runIf(storeCase.available)('a second run of a request being run is refused, naming the process that holds it, and the counts are not doubled', async () => {
    let release!: () => void;
    let reached!: () => void;
    const holding = new Promise<void>((r) => (reached = r));
    const first = runRequest(
      input({
        fault: async (point) => {
          if (point.at === 'before-transaction' && point.connection === 'billing') {
            reached();
            await new Promise<void>((r) => (release = r));
          }
        },
      }),
    );
    await holding;
    const second = await failing(runRequest(input()));
    expect(isOpendpoError(second) && second.code).toBe('REQUEST_IN_PROGRESS');
    expect(second.message).toMatch(new RegExp(`is being run by process ${process.pid} on ${hostname()} since \\d{4}-\\d\\d-\\d\\dT`));
    const [request] = await store.requests.list();
    expect(request).toMatchObject({ status: 'running', attempts: 1 });
    release();
    const outcome = await first;
    expect(outcome.request).toMatchObject({ id: request!.id, status: 'completed', attempts: 1 });
    expect(written(outcome.request.summary)['billing.payment delete']).toBe(PAYMENTS);
    // The refused run wrote nothing: one start, no second search.
    const steps = await store.requests.steps(outcome.request.id);
    expect(steps.filter((s) => s.kind === 'start')).toHaveLength(1);
    expect(steps.filter((s) => s.kind === 'select' && s.collection === 'billing.payment')).toHaveLength(1);
  });

  it.runIf(storeCase.available)('two runs starting the same new request at the same instant make one request; the other is refused', async () => {
    // PostgreSQL: two stores (two pools), a real race; SQLite: one handle serialises them.
    const other = location.kind === 'postgres' ? await openStore(location) : store;
    try {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let writers = 0;
      let bothWrite!: () => void;
      const both = new Promise<number>((r) => (bothWrite = () => r(-1)));
      // The run admitted waits before its first write until the other has been answered.
      const hold = async (point: FaultPoint) => {
        if (point.at !== 'before-transaction' || point.connection !== 'billing') return;
        if (++writers === 2) bothWrite();
        await released;
      };
      const runs = [runRequest(input({ fault: hold })), runRequest(input({ store: other, fault: hold }))];
      const first = await Promise.race([...runs.map((run, i) => run.then(() => i, () => i)), both]);
      if (first === -1) release();
      expect(first, 'both runs went on to write').not.toBe(-1);
      const refused = await failing(runs[first]!);
      expect(isOpendpoError(refused) && refused.code).toBe('REQUEST_IN_PROGRESS');
      release();
      const outcome = await runs[1 - first]!;
      expect(outcome.request.status).toBe('completed');
      expect((await store.requests.list()).map((r) => r.id)).toEqual([outcome.request.id]);
      expect(written(outcome.request.summary)['billing.payment delete']).toBe(PAYMENTS);
    } finally {
      if (other !== store) await other.close();
    }
  });

  it.runIf(storeCase.available)('a run that stalls past its lease loses the request: its transaction rolls back, and the run that took over counts the rows once', async () => {
    let release!: () => void;
    let reached!: () => void;
    const stalled = new Promise<void>((r) => (reached = r));
    // A short lease the stalled run does not renew (its heartbeat would come after a minute).
    const first = runRequest(
      input({
        lease: { ttlMs: 300, heartbeatMs: 60_000 },
        fault: async (point) => {
          if (point.at === 'after-statement' && point.connection === 'billing' && point.index === 1) {
            reached();
            await new Promise<void>((r) => (release = r));
          }
        },
      }),
    );
    // The first run has deleted the payments in its open transaction, then stalls.
    await stalled;
    await new Promise((r) => setTimeout(r, 400));
    const second = runRequest(input());
    // The second run takes the request over (attempt 2), then waits for the rows the first one locks.
    for (let i = 0; (await store.requests.list())[0]?.attempts !== 2; i++) {
      if (i > 200) throw new Error('the second run did not take the request over');
      await new Promise((r) => setTimeout(r, 50));
    }
    release();
    const lost = await failing(first);
    expect(isOpendpoError(lost) && lost.code).toBe('REQUEST_IN_PROGRESS');
    expect(lost.message).toContain('this run lost the lease');
    const outcome = await second;
    expect(outcome.request).toMatchObject({ status: 'completed', attempts: 2 });
    expect(await billingRows()).toMatchObject({ payments: 0, others: 1, holder: null });
    const steps = await store.requests.steps(outcome.request.id);
    // The first run recorded no write (its lease was gone before its commit), nor its failure.
    expect(steps.filter((s) => s.attempt === 1).map((s) => s.kind)).not.toContain('delete');
    expect(steps.filter((s) => s.kind === 'delete').map((s) => [s.attempt, s.rowsChanged])).toEqual([[2, PAYMENTS]]);
    expect(written(outcome.request.summary)['billing.payment delete']).toBe(PAYMENTS);
  });

  it.runIf(storeCase.available)('an erasure resumed after a legal hold was added to its dataset is refused, naming the dataset, and nothing held is written', async () => {
    const first = await failing(runRequest(input({ fault: crashAt('before-transaction', 'billing') })));
    expect(first.message).toContain('simulated crash');
    const [request] = await store.requests.list();

    const refused = await failing(runRequest(input({ datasets: datasets(true) })));
    expect(isOpendpoError(refused) && refused.code).toBe('REQUEST_CHANGED');
    expect(refused.message).toContain(`request ${request!.id} (erasure`);
    expect(refused.message).toContain('dataset billing (test.yaml) changed since attempt 1');
    expect(refused.message).not.toContain('dataset crm');
    expect(refused.message).toContain('add --new-request to start a new request');
    expect(await billingRows()).toMatchObject({ payments: PAYMENTS, heldCards: PAYMENTS + 1, holder: 'Paula Person' });
    expect(await store.requests.get(request!.id)).toMatchObject({ status: 'failed', attempts: 1 });

    // A new request decides again with the datasets as they are: the payments are kept.
    const outcome = await runRequest(input({ datasets: datasets(true), newRequest: true }));
    expect(outcome.request.id).not.toBe(request!.id);
    expect(outcome.request.status).toBe('completed');
    expect(await billingRows()).toMatchObject({ payments: PAYMENTS, heldCards: PAYMENTS + 1, holder: null });
    expect(outcome.kept).toContainEqual(expect.objectContaining({ node: 'billing.payment', reason: 'legal-hold', rows: PAYMENTS }));
    expect(await store.requests.get(request!.id)).toMatchObject({ status: 'superseded' });
    expect((await store.requests.steps(request!.id)).map((s) => s.kind)).toEqual(expect.arrayContaining(['error', 'superseded']));
  });

  it.runIf(storeCase.available)('a request that stopped before deciding anything runs afresh with the datasets as they are now, superseding the unfinished one', async () => {
    // A column the database does not have: refused at the check, before any plan or write.
    const broken = datasets();
    broken[0]!.collections[0]!.fields.push(field('nickname', { categories: ['user.name'] }));
    const refused = await failing(runRequest(input({ datasets: broken })));
    expect(isOpendpoError(refused) && refused.code).toBe('DATASET_INVALID');
    const [first] = await store.requests.list();
    expect(first).toMatchObject({ status: 'failed' });

    // The user fixes the dataset and runs the same command: no --new-request needed.
    const outcome = await runRequest(input());
    expect(outcome.request.id).not.toBe(first!.id);
    expect(outcome.request.status).toBe('completed');
    expect(await billingRows()).toMatchObject({ payments: 0, holder: null });
    expect(await store.requests.get(first!.id)).toMatchObject({ status: 'superseded' });
    const start = (await store.requests.steps(outcome.request.id)).find((s) => s.kind === 'start');
    expect(start?.note).toContain(`superseding request ${first!.id}, made with other input before anything was decided (dataset crm (test.yaml) changed since attempt 1)`);
    // The first request's evidence is kept: its start and its failure.
    expect((await store.requests.steps(first!.id)).map((s) => s.kind)).toEqual(expect.arrayContaining(['start', 'error', 'superseded']));
  });

  it.runIf(storeCase.available)('superseding a request that waits for a person declines its open task, saying by which request', async () => {
    const archive: Dataset = {
      key: 'archive',
      format: 'opendpo',
      at: { ...at, file: 'archive.yaml' },
      collections: [collection('paper_forms', [field('reference'), field('signed_form', { categories: ['user.content'] })])],
    };
    const connect = async (): Promise<OpenConnections> => {
      const databases = await input().connect();
      const manual = createManualConnector({ name: 'archive', instructions: 'Scan the signed paper forms.', tasks: store.manualTasks });
      return { ...databases, specs: [...databases.specs, { name: 'archive', type: 'manual', datasets: ['archive'] }], system: () => manual };
    };
    const first = await runRequest(input({ kind: 'access', datasets: [...datasets(), archive], connect }));
    expect(first.request.status).toBe('waiting');
    const [task] = await store.manualTasks.list({ requestId: first.request.id });
    expect(task).toMatchObject({ status: 'open', connection: 'archive' });

    const changed = [...datasets(), { ...archive, system: 'paper-archive' }];
    const refused = await failing(runRequest(input({ kind: 'access', datasets: changed, connect })));
    expect(refused.message).toContain('dataset archive (archive.yaml) changed since attempt 1');
    expect((await store.manualTasks.get(task!.id))?.status).toBe('open');

    const second = await runRequest(input({ kind: 'access', datasets: changed, connect, newRequest: true }));
    expect(second.request.status).toBe('waiting');
    expect(await store.manualTasks.get(task!.id)).toMatchObject({
      status: 'declined',
      decidedBy: 'opendpo',
      reason: `request ${first.request.id} was superseded by request ${second.request.id}`,
    });
    expect((await store.manualTasks.list({ requestId: second.request.id })).map((t) => t.status)).toEqual(['open']);
  });

  it.runIf(storeCase.available)('a failed rectification resumed with other --set values is refused, its failure kept; --new-request starts afresh', async () => {
    const rectify = (value: string, extra: Partial<RunRequestInput> = {}) => input({ kind: 'rectification', changes: { 'contact.name': value }, ...extra });
    await failing(runRequest(rectify('Paula Fixed', { fault: crashAt('before-commit', 'crm') })));
    const [request] = await store.requests.list();
    expect(contact()).toEqual({ email: 'p@example.com', name: 'Paula Person' });

    const refused = await failing(runRequest(rectify('Paula Other')));
    expect(isOpendpoError(refused) && refused.code).toBe('REQUEST_CHANGED');
    expect(refused.message).toContain('the --set values differ from those the request was made with');
    expect(refused.message).not.toContain('Paula');
    expect(contact()).toEqual({ email: 'p@example.com', name: 'Paula Person' });
    // Still failed, with its failure as a step of attempt 1: nothing reads completed.
    expect(await store.requests.get(request!.id)).toMatchObject({ status: 'failed', errorCode: 'INTERNAL' });
    expect((await store.requests.steps(request!.id)).filter((s) => s.kind === 'error').map((s) => s.attempt)).toEqual([1]);

    const outcome = await runRequest(rectify('Paula Other', { newRequest: true }));
    expect(outcome.request).toMatchObject({ status: 'completed', attempts: 1 });
    expect(contact()).toEqual({ email: 'p@example.com', name: 'Paula Other' });
    expect(written(outcome.request.summary)).toEqual({ 'crm.contact update': 1 });
    const old = await store.requests.steps(request!.id);
    expect(old.at(-1)).toMatchObject({ kind: 'superseded', note: `superseded by request ${outcome.request.id}` });
    // The values are never in the store.
    expect(JSON.stringify([old, await store.requests.steps(outcome.request.id), await store.requests.list()])).not.toMatch(/Paula|p@example/);
  });
});
