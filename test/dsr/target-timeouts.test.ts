/**
 * A frozen target database stops a request with "the database is not answering", naming the
 * connection, within its timeout — never a hang — and the request stays resumable: once the
 * database answers again, the same request completes. Frozen for real: another session holds a
 * lock on the row or the table the request needs (PostgreSQL, MariaDB), another process holds the
 * SQLite file; and a server that accepts the connection and never answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseType } from '../../src/connectors/connector.js';
import { openDatabaseConnector } from '../../src/connectors/open-database-connector.js';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { loadDatasetsOrThrow } from '../../src/dataset/load-datasets.js';
import { runRequest } from '../../src/dsr/run-request.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { createThrowawayMariadb } from '../connectors/throwaway-mariadb.js';
import { datasetsFolder, nativeDataset } from '../dataset/temp-datasets.js';
import { MARIADB_URL, POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { createThrowawayPostgres } from '../store/throwaway-postgres.js';
import { runCli } from '../helpers/cli.js';

const TIMEOUT_MS = 1500;
const EMAIL = 'frozen@example.com';

const DATASET = nativeDataset(
  'club',
  `    - name: member
      fields:
        - { name: id, primary_key: true, categories: [system.operations] }
        - { name: email, identity: email, categories: [user.contact.email], masking: { strategy: fixed, value: erased@example.invalid } }
        - { name: name, categories: [user.name], masking: { strategy: fixed, value: erased } }
`,
);
const SCHEMA = [
  'create table member (id int primary key, email varchar(100) not null, name varchar(100))',
  `insert into member values (1, '${EMAIL}', 'Frida'), (2, 'other@example.com', 'Otto')`,
];

/** Another session of the database, holding what freezes it for the request. */
interface Locker {
  /** Holds a lock on the person's row: writes to it wait. */
  lockRow(): Promise<void>;
  /** Holds a lock on the whole table: reads wait too. */
  lockTable(): Promise<void>;
  release(): Promise<void>;
  name(): Promise<string | null>;
  close(): Promise<void>;
}

interface Target {
  type: DatabaseType;
  url: string;
  locker(): Promise<Locker>;
  drop(): Promise<void>;
}

const TARGETS: { name: string; available: () => Promise<boolean>; create: () => Promise<Target>; tableLock: boolean }[] = [
  {
    name: 'PostgreSQL',
    tableLock: true,
    available: () => serviceAvailable('PostgreSQL', POSTGRES_URL),
    create: async () => {
      const db = await createThrowawayPostgres();
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      for (const s of SCHEMA) await admin.query(s);
      await admin.end();
      return {
        type: 'postgres',
        url: db.url,
        async locker() {
          const c = new pg.Client({ connectionString: db.url });
          await c.connect();
          return {
            lockRow: async () => void (await c.query('begin').then(() => c.query('select * from member where id = 1 for update'))),
            lockTable: async () => void (await c.query('begin').then(() => c.query('lock table member in access exclusive mode'))),
            release: async () => void (await c.query('rollback')),
            name: async () => (await c.query<{ name: string | null }>('select name from member where id = 1')).rows[0]!.name,
            close: () => c.end(),
          };
        },
        drop: () => db.drop(),
      };
    },
  },
  {
    name: 'MariaDB',
    tableLock: true,
    available: () => serviceAvailable('MariaDB', MARIADB_URL),
    create: async () => {
      const db = await createThrowawayMariadb();
      for (const s of SCHEMA) await db.exec(s);
      return {
        type: 'mysql',
        url: db.url,
        async locker() {
          const c = await mysql.createConnection({ uri: db.url });
          return {
            lockRow: async () => void (await c.query('start transaction').then(() => c.query('select * from member where id = 1 for update'))),
            // A table lock on this throwaway database only (FLUSH TABLES WITH READ LOCK would freeze every test's database).
            lockTable: async () => void (await c.query('lock tables member write')),
            release: async () => void (await c.query('rollback').then(() => c.query('unlock tables'))),
            name: async () => ((await c.query('select name from member where id = 1'))[0] as Array<{ name: string | null }>)[0]!.name,
            close: () => c.end(),
          };
        },
        drop: () => db.drop(),
      };
    },
  },
  {
    name: 'SQLite',
    tableLock: false,
    available: async () => true,
    create: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-timeouts-'));
      const file = path.join(dir, 'club.db');
      const db = new SqliteDatabase(file);
      for (const s of SCHEMA) db.exec(s);
      db.close();
      return {
        type: 'sqlite',
        url: `sqlite:${file}`,
        async locker() {
          const c = new SqliteDatabase(file);
          // Another process writing: the file is locked until it commits or rolls back.
          return {
            lockRow: async () => void c.exec('begin exclusive'),
            lockTable: async () => void c.exec('begin exclusive'),
            release: async () => void (c.inTransaction ? c.exec('rollback') : undefined),
            name: async () => (c.prepare('select name from member where id = 1').get() as { name: string | null }).name,
            close: async () => void c.close(),
          };
        },
        drop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
];

const { datasets } = await loadDatasetsOrThrow(await datasetsFolder({ 'club.yaml': DATASET }));

async function failure(promise: Promise<unknown>): Promise<Error & { code: string }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isOpendpoError(err), `expected TARGET_UNAVAILABLE, got ${String(err)}`).toBe(true);
  expect((err as { code: string }).code).toBe('TARGET_UNAVAILABLE');
  return err as Error & { code: string };
}

for (const t of TARGETS) {
  describe.runIf(await t.available())(`a frozen ${t.name} target`, () => {
    let target: Target;
    let locker: Locker;
    let store: Store;
    let dir: string;
    const run = (kind: 'access' | 'erasure') =>
      runRequest({
        kind,
        identities: { email: EMAIL },
        datasets,
        store,
        connect: async () => {
          const connector = await openDatabaseConnector({ name: 'club-db', type: target.type, url: target.url, timeoutMs: TIMEOUT_MS });
          return {
            specs: [{ name: 'club-db', type: target.type, datasets: ['club'] }],
            database: () => connector,
            system: () => {
              throw new Error('no systems here');
            },
            close: () => connector.close(),
          };
        },
      });

    beforeAll(async () => {
      target = await t.create();
      locker = await target.locker();
      dir = mkdtempSync(path.join(tmpdir(), 'opendpo-timeouts-store-'));
      store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
    });
    afterAll(async () => {
      await locker?.release().catch(() => {});
      await locker?.close();
      await store?.close();
      await target?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('an erasure waiting for a lock another session holds stops within the timeout, "not answering", and completes when run again', async () => {
      await locker.lockRow();
      const started = Date.now();
      const err = await failure(run('erasure'));
      const waited = Date.now() - started;
      expect(err.message).toMatch(new RegExp(`^club-db \\(${t.name === 'PostgreSQL' ? 'postgres' : t.name === 'MariaDB' ? 'mysql' : 'sqlite'} [^)]+\\): the database is not answering \\([a-z]+( on table member)?\\): no answer within 1\\.5 s: `));
      expect(err.message).toContain('run the same command again to resume it');
      expect(err.message).not.toContain(EMAIL);
      // Within the timeout (MariaDB counts lock waits in whole seconds: 2 s), never a hang.
      expect(waited).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(waited).toBeLessThan(TIMEOUT_MS + 5000);
      const [failed] = await store.requests.list();
      expect(failed).toMatchObject({ kind: 'erasure', status: 'failed', errorCode: 'TARGET_UNAVAILABLE' });

      await locker.release();
      const outcome = await run('erasure');
      expect(outcome.request.id).toBe(failed!.id);
      expect(outcome.request.status).toBe('completed');
      expect(await locker.name()).toBe('erased');
    });

    if (t.tableLock) {
      it('an access request waiting for a table another session locked stops within the timeout, "not answering"', async () => {
        await locker.lockTable();
        try {
          const started = Date.now();
          const err = await failure(run('access'));
          expect(err.message).toMatch(/: the database is not answering \(.+\): no answer within 1\.5 s: /);
          expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 5000);
        } finally {
          await locker.release();
        }
      });
    }
  });
}

describe('a server that accepts the connection and never answers', () => {
  let server: net.Server;
  let port: number;
  const sockets: net.Socket[] = [];
  beforeAll(async () => {
    server = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  for (const [type, scheme] of [
    ['postgres', 'postgres'],
    ['mysql', 'mysql'],
  ] as const) {
    it(`${type}: opening it stops within the timeout, "not answering (connecting)", naming the connection`, async () => {
      const started = Date.now();
      const err = await failure(openDatabaseConnector({ name: 'frozen', type, url: `${scheme}://app:hunter2-secret@127.0.0.1:${port}/shop`, timeoutMs: 800 }));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(err.message).toMatch(new RegExp(`^frozen \\(${type} 127\\.0\\.0\\.1:${port}/shop\\): the database is not answering \\(connecting\\): no answer within 0\\.8 s: `));
      expect(err.message).not.toContain('hunter2-secret');
    });
  }
});

describe('opendpo dsr erase on a frozen SQLite file', () => {
  it('stops with exit status 3 after OPENDPO_TARGET_TIMEOUT_SECONDS, or the connection\'s timeout_ms, saying the database is not answering', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-timeouts-cli-'));
    try {
      const file = path.join(dir, 'club.db');
      const db = new SqliteDatabase(file);
      for (const s of SCHEMA) db.exec(s);
      const connections = (extra: string) => `connections:\n  - name: club-db\n    type: sqlite\n    url: sqlite:${file}\n${extra}    datasets: [club]\n`;
      const env = { DATABASE_URL: `sqlite:${path.join(dir, 'store.db')}`, OPENDPO_TARGET_TIMEOUT_SECONDS: '1' };
      const args = (folder: string) => ['dsr', 'erase', '--identity', `email=${EMAIL}`, '--datasets', folder, '--no-progress'];
      // Another process holds the file for the whole run.
      db.exec('begin exclusive');
      const fromEnvironment = await runCli(args(await datasetsFolder({ 'club.yaml': DATASET, 'connections.yaml': connections('') })), { env, timeoutMs: 60_000 });
      expect(fromEnvironment.code, fromEnvironment.stderr).toBe(3);
      expect(fromEnvironment.stderr).toMatch(/club-db \(sqlite [^)]+\): the database is not answering \(.+\): no answer within 1 s: another process holds a lock on the database file \(SQLITE_BUSY\)/);
      const fromConnection = await runCli(args(await datasetsFolder({ 'club.yaml': DATASET, 'connections.yaml': connections('    timeout_ms: 700\n') })), { env, timeoutMs: 60_000 });
      expect(fromConnection.code, fromConnection.stderr).toBe(3);
      expect(fromConnection.stderr).toContain('no answer within 0.7 s');
      expect(fromConnection.stderr).not.toMatch(/\n\s+at /);
      db.exec('rollback');
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Two spawns of the CLI: on a loaded 2-core machine each takes 10-20 s.
  }, 120_000);
});
