/**
 * Faults during a request, on real databases:
 * - PostgreSQL going away in the middle of an erasure (a TCP proxy on loopback that is cut while
 *   the transaction runs): the request stops in a retryable state with its step log and its
 *   failure, the database that had committed is not touched again, and the next run completes it;
 *   (crashes of the process itself: evidence.test.ts and crash.test.ts)
 * - references that form cycles: a search terminates; deletes that real foreign keys chain in a
 *   cycle are refused before any write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import type { Collection, Dataset, DatasetField, Reference } from '../../src/dataset/model.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';
import { runRequest } from '../../src/dsr/run-request.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { createThrowawayPostgres, type ThrowawayDatabase } from '../store/throwaway-postgres.js';
import { openTestConnections } from './open-test-connections.js';

const at = { file: 'test.yaml', line: 1, column: 1 };
const field = (name: string, extra: Partial<DatasetField> = {}): DatasetField => ({ name, categories: ['system.operations'], primaryKey: false, references: [], readOnly: false, at, ...extra });
const ref = (dataset: string, collection: string, direction: Reference['direction']): Reference => ({ dataset, collection, field: 'id', direction, otherSubject: false, at });
const collection = (name: string, fields: DatasetField[], extra: Partial<Collection> = {}): Collection => ({ name, fields, erasure: { strategy: 'mask' }, skip: false, after: [], eraseAfter: [], at, ...extra });

/** A TCP proxy on loopback in front of PostgreSQL that a test can cut and restore. */
async function startProxy(targetPort: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const listen = (port: number) =>
    new Promise<number>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(targetPort, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => resolve((server!.address() as net.AddressInfo).port));
    });
  const port = await listen(0);
  return {
    port,
    cut: () => {
      server?.close();
      for (const s of sockets) s.destroy();
    },
    restore: () => listen(port),
    close: () => {
      server?.close();
      for (const s of sockets) s.destroy();
    },
  };
}

const postgres = await serviceAvailable('PostgreSQL', POSTGRES_URL);

describe.runIf(postgres)('PostgreSQL going away in the middle of an erasure', () => {
  let db: ThrowawayDatabase;
  let dir: string;
  let store: Store;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  const datasets: Dataset[] = [
    {
      key: 'crm',
      format: 'opendpo',
      at,
      collections: [
        collection('contact', [
          field('id', { primaryKey: true }),
          field('email', { categories: ['user.contact.email'], identity: 'email' }),
          field('name', { categories: ['user.name'] }),
        ]),
      ],
    },
    {
      key: 'billing',
      format: 'opendpo',
      at,
      collections: [
        collection('account', [field('id', { primaryKey: true }), field('contact_id', { references: [ref('crm', 'contact', 'from')] }), field('holder', { categories: ['user.name'] })]),
        collection('payment', [field('id', { primaryKey: true }), field('account_id', { references: [ref('billing', 'account', 'from')] }), field('card', { categories: ['user.financial'] })], {
          erasure: { strategy: 'delete' },
        }),
      ],
    },
  ];

  beforeAll(async () => {
    db = await createThrowawayPostgres();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`
      CREATE TABLE account (id INT PRIMARY KEY, contact_id INT, holder TEXT);
      CREATE TABLE payment (id INT PRIMARY KEY, account_id INT NOT NULL REFERENCES account (id), card TEXT);
      INSERT INTO account VALUES (10, 1, 'Paula Person'), (20, 2, 'Quentin Other');
      INSERT INTO payment VALUES (100, 10, '4111 1111'), (101, 10, '4222 2222'), (200, 20, '4333 3333');`);
    await client.end();
    dir = mkdtempSync(path.join(tmpdir(), 'opendpo-faults-'));
    const crm = new SqliteDatabase(path.join(dir, 'crm.db'));
    crm.exec(`CREATE TABLE contact (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
      INSERT INTO contact VALUES (1, 'p@example.com', 'Paula Person'), (2, 'q@example.com', 'Quentin Other');`);
    crm.close();
    store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
    proxy = await startProxy(Number(new URL(POSTGRES_URL).port));
  });
  afterAll(async () => {
    proxy?.close();
    await store?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stops retryable with its step log, and the next run completes it without touching the database that had committed', async () => {
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    const input = (fault?: Parameters<typeof runRequest>[0]['fault']) => ({
      kind: 'erasure' as const,
      identities: { email: 'p@example.com' },
      datasets,
      store,
      connect: () =>
        openTestConnections([
          { name: 'a-crm', type: 'sqlite', url: `sqlite:${path.join(dir, 'crm.db')}`, datasets: ['crm'] },
          { name: 'b-billing', type: 'postgres', url: viaProxy.toString(), datasets: ['billing'] },
        ]),
      ...(fault ? { fault } : {}),
    });

    // The CRM commits first; PostgreSQL goes away after the first statement of its transaction.
    let error: unknown;
    try {
      await runRequest(
        input((point) => {
          if (point.at === 'after-statement' && point.connection === 'b-billing' && point.index === 0) proxy.cut();
        }),
      );
    } catch (err) {
      error = err;
    }
    expect(isOpendpoError(error) && error.code).toBe('TARGET_UNAVAILABLE');
    expect((error as Error).message).toContain('run the same command again to resume it');
    const [request] = await store.requests.list();
    expect(request).toMatchObject({ status: 'failed', errorCode: 'TARGET_UNAVAILABLE' });
    expect((await store.requests.work(request!.id)).map((w) => [w.connection, w.status])).toEqual([
      ['a-crm', 'done'],
      ['b-billing', 'pending'],
    ]);

    // Nothing half-done in PostgreSQL: its transaction was rolled back.
    const direct = new pg.Client({ connectionString: db.url });
    await direct.connect();
    try {
      expect((await direct.query('SELECT id, holder FROM account ORDER BY id')).rows).toEqual([
        { id: 10, holder: 'Paula Person' },
        { id: 20, holder: 'Quentin Other' },
      ]);
      expect((await direct.query('SELECT count(*)::int AS n FROM payment')).rows[0].n).toBe(3);

      // The CRM had committed; change its row behind opendpo's back to prove the re-run does not write it again.
      const crm = new SqliteDatabase(path.join(dir, 'crm.db'));
      expect(crm.prepare('SELECT email, name FROM contact WHERE id = 1').get()).toEqual({ email: null, name: null });
      crm.prepare("UPDATE contact SET name = 'marker' WHERE id = 1").run();
      crm.close();

      await proxy.restore();
      const outcome = await runRequest(input());
      expect(outcome.request).toMatchObject({ id: request!.id, status: 'completed', attempts: 2 });
      expect((await direct.query('SELECT id, holder FROM account ORDER BY id')).rows).toEqual([
        { id: 10, holder: null },
        { id: 20, holder: 'Quentin Other' },
      ]);
      expect((await direct.query('SELECT id FROM payment ORDER BY id')).rows).toEqual([{ id: 200 }]);
      const crmAfter = new SqliteDatabase(path.join(dir, 'crm.db'), { readonly: true });
      expect(crmAfter.prepare('SELECT name FROM contact WHERE id = 1').get()).toEqual({ name: 'marker' });
      expect(crmAfter.prepare('SELECT email, name FROM contact WHERE id = 2').get()).toEqual({ email: 'q@example.com', name: 'Quentin Other' });
      crmAfter.close();
    } finally {
      await direct.end();
    }
    const steps = await store.requests.steps(request!.id);
    // Attempt 1's failure stays in the evidence; its PostgreSQL writes never reached the
    // evidence (the connection died before they could be recorded as attempted).
    expect(steps.filter((s) => s.attempt === 1 && s.kind === 'error').map((s) => s.note)).toEqual([expect.stringMatching(/^TARGET_UNAVAILABLE: /)]);
    expect(steps.filter((s) => s.attempt === 2 && s.kind !== 'start').map((s) => [s.connection, s.kind, s.status, s.rowsChanged])).toEqual([
      ['b-billing', 'update', 'attempted', 1],
      ['b-billing', 'delete', 'attempted', 2],
      ['b-billing', 'commit', 'committed', 0],
    ]);
  });
});

describe('references in cycles', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'opendpo-cycles-'));
    store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
    const db = new SqliteDatabase(path.join(dir, 'cycle.db'));
    db.exec(`PRAGMA foreign_keys = ON;
      CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT, partner_id INTEGER REFERENCES card (id));
      CREATE TABLE card (id INTEGER PRIMARY KEY, person_id INTEGER REFERENCES person (id), label TEXT);
      INSERT INTO person VALUES (1, 'p@example.com', NULL);
      INSERT INTO card VALUES (5, 1, 'gold');
      UPDATE person SET partner_id = 5 WHERE id = 1;`);
    db.close();
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const datasets = (erasure: 'mask' | 'delete'): Dataset[] => [
    {
      key: 'd',
      format: 'opendpo',
      at,
      collections: [
        collection('person', [field('id', { primaryKey: true }), field('email', { categories: ['user.contact.email'], identity: 'email' }), field('partner_id', { references: [ref('d', 'card', 'both')] })], {
          erasure: { strategy: erasure },
        }),
        collection('card', [field('id', { primaryKey: true }), field('person_id', { references: [ref('d', 'person', 'both')] }), field('label', { categories: ['user.financial'] })], {
          erasure: { strategy: erasure },
        }),
      ],
    },
  ];
  const run = (kind: 'access' | 'erasure', erasure: 'mask' | 'delete') =>
    runRequest({
      kind,
      identities: { email: 'p@example.com' },
      datasets: datasets(erasure),
      store,
      connect: () => openTestConnections([{ name: 'c', type: 'sqlite', url: `sqlite:${path.join(dir, 'cycle.db')}`, datasets: ['d'] }]),
    });

  it('a search over references that loop ends, with every row once', async () => {
    const outcome = await run('access', 'mask');
    expect(outcome.collected.collections.map((c) => [c.collection, c.rows.length])).toEqual([
      ['person', 1],
      ['card', 1],
    ]);
  });

  it('deletes chained by real foreign keys in a cycle are refused before any write', async () => {
    let error: unknown;
    try {
      await run('erasure', 'delete');
    } catch (err) {
      error = err;
    }
    expect(isOpendpoError(error) && error.code).toBe('DATASET_INVALID');
    expect((error as Error).message).toMatch(/cycle among d\.person \(test\.yaml:1\), d\.card \(test\.yaml:1\)/);
    const db = new SqliteDatabase(path.join(dir, 'cycle.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM person').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT label FROM card').get()).toEqual({ label: 'gold' });
    db.close();
  });
});
