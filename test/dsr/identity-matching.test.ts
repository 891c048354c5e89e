/**
 * One meaning for an identity, on every database and for every kind of request (src/dsr/identity-match.ts,
 * identity-lookup.ts): an email matches whatever its letter case, nothing is accent-folded or matched
 * through a collation (MariaDB's default utf8mb4_general_ci finds "zoé@" for "zoe@", and "pad@ " for
 * "pad@"), a value stored in NFD is found by its NFC identity, other types match exactly. The same
 * table and rows on SQLite, PostgreSQL (an email column under the C collation, whose lower() changes
 * ASCII letters only) and MariaDB (its default case- and accent-insensitive collation).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { DatabaseType } from '../../src/connectors/connector.js';
import { loadDatasetsOrThrow } from '../../src/dataset/load-datasets.js';
import type { Dataset } from '../../src/dataset/model.js';
import { datasetGenerate } from '../../src/cli/commands/dataset-generate.js';
import { dryRun } from '../../src/dsr/dry-run.js';
import { runRequest } from '../../src/dsr/run-request.js';
import type { DsrKind } from '../../src/store/dsr-repository.js';
import type { Store } from '../../src/store/open-store.js';
import { MARIADB_URL, POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { createThrowawayMariadb } from '../connectors/throwaway-mariadb.js';
import { createThrowawayPostgres } from '../store/throwaway-postgres.js';
import { openTestConnections } from './open-test-connections.js';
import { withTargetAndStore } from './target-and-store.js';

const TABLES = ['customer', 'orders', 'newsletter'] as const;
type Table = (typeof TABLES)[number];

/** Per database: the DDL's text type for an email column, and a table's options. */
function schema(type: DatabaseType): string {
  const table = type === 'mysql' ? ' default charset utf8mb4 collate utf8mb4_general_ci' : '';
  // PostgreSQL: the newsletter's email under the C collation (lower() changes ASCII letters only there).
  const cEmail = type === 'postgres' ? 'varchar(200) collate "C"' : 'varchar(200)';
  return `
    create table customer (id integer primary key, email varchar(200), customer_number varchar(40), note varchar(200), restricted integer not null default 0)${table};
    create table orders (id integer primary key, customer_id integer references customer (id), note varchar(200), restricted integer not null default 0)${table};
    create table newsletter (id integer primary key, customer_id integer references customer (id), email ${cEmail}, note varchar(200), restricted integer not null default 0)${table};
    insert into customer (id, email, customer_number, note) values
      (1, 'zoe@example.com', 'AB-12', 'n'), (2, 'zo\u00e9@example.com', 'CD-34', 'n'), (3, 'chloe@example.com', 'EF-56', 'n'),
      (4, 'chloe\u0301@example.com', 'GH-78', 'n'), (5, '\u00c9LODIE@example.com', 'IJ-90', 'n'), (6, 'pad@example.com ', 'KL-12', 'n');
    insert into orders (id, customer_id, note) values (10, 1, 'n'), (20, 2, 'n'), (30, 3, 'n'), (40, 4, 'n'), (50, 5, 'n'), (60, 6, 'n');
    insert into newsletter (id, customer_id, email, note) values
      (100, 1, 'zoe@example.com', 'n'), (200, 2, 'zo\u00e9@example.com', 'n'), (400, 4, 'chloe\u0301@example.com', 'n'), (500, 5, '\u00c9LODIE@EXAMPLE.COM', 'n');
  `;
}

const DATASET = `
dataset:
  key: shop
  collections:
    - name: customer
      subject: customer
      restriction_flag: { field: restricted, value: 1 }
      fields:
        - { name: id, primary_key: true, categories: [user.unique_id] }
        - { name: email, categories: [user.contact.email], identity: email }
        - { name: customer_number, categories: [user.unique_id], identity: customer_number }
        - { name: note, categories: [user.content] }
        - { name: restricted, categories: [system.operations] }
    - name: orders
      restriction_flag: { field: restricted, value: 1 }
      fields:
        - { name: id, primary_key: true, categories: [system.operations] }
        - { name: customer_id, categories: [user.unique_id], references: [{ field: customer.id, direction: from }] }
        - { name: note, categories: [user.content] }
        - { name: restricted, categories: [system.operations] }
    - name: newsletter
      restriction_flag: { field: restricted, value: 1 }
      fields:
        - { name: id, primary_key: true, categories: [system.operations] }
        - { name: customer_id, categories: [user.unique_id], references: [{ field: customer.id, direction: from }] }
        - { name: email, categories: [user.contact.email], identity: email }
        - { name: note, categories: [user.content] }
        - { name: restricted, categories: [system.operations] }
`;

interface Target {
  type: DatabaseType;
  url: string;
  /** Every row of a table by id, values as strings/numbers. */
  rows(table: Table): Promise<Map<number, Record<string, unknown>>>;
  exec(statement: string): Promise<void>;
  drop(): Promise<void>;
}

const byId = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [Number(r.id), Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))]));

async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-identity-'));
  const file = path.join(dir, 'shop.db');
  const db = new SqliteDatabase(file);
  db.exec(schema('sqlite'));
  db.close();
  return {
    type: 'sqlite',
    url: `sqlite:${file}`,
    rows: (table) => {
      const reader = new SqliteDatabase(file, { readonly: true });
      try {
        return Promise.resolve(byId(reader.prepare(`select * from ${table}`).all() as Record<string, unknown>[]));
      } finally {
        reader.close();
      }
    },
    exec: (statement) => {
      const writer = new SqliteDatabase(file);
      try {
        writer.exec(statement);
      } finally {
        writer.close();
      }
      return Promise.resolve();
    },
    drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
}

async function postgresTarget(): Promise<Target> {
  const db = await createThrowawayPostgres();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(schema('postgres'));
  return {
    type: 'postgres',
    url: db.url,
    rows: async (table) => byId((await client.query(`select * from ${table}`)).rows),
    exec: async (statement) => void (await client.query(statement)),
    drop: async () => {
      await client.end();
      await db.drop();
    },
  };
}

async function mariadbTarget(): Promise<Target> {
  const db = await createThrowawayMariadb();
  await db.exec(schema('mysql'));
  return {
    type: 'mysql',
    url: db.url,
    rows: async (table) => byId((await db.exec(`select * from ${table}`)) as Record<string, unknown>[]),
    exec: async (statement) => void (await db.exec(statement)),
    drop: () => db.drop(),
  };
}

const TARGETS: { name: string; available: () => Promise<boolean>; create: () => Promise<Target> }[] = [
  { name: 'SQLite', available: () => Promise.resolve(true), create: sqliteTarget },
  { name: 'PostgreSQL', available: () => serviceAvailable('PostgreSQL', POSTGRES_URL), create: postgresTarget },
  { name: 'MariaDB', available: () => serviceAvailable('MariaDB', MARIADB_URL), create: mariadbTarget },
];

/** The rows of each table an identity is expected to select: the person's own, under the rule. */
type Selection = Record<Table, number[]>;
const NONE: Selection = { customer: [], orders: [], newsletter: [] };

const datasetsDir = mkdtempSync(path.join(tmpdir(), 'opendpo-identity-datasets-'));
writeFileSync(path.join(datasetsDir, 'shop.yaml'), DATASET);
writeFileSync(path.join(datasetsDir, 'connections.yaml'), 'connections:\n  - { name: shop, type: sqlite, url: "sqlite::memory:", datasets: [shop] }\n');
const { datasets } = await loadDatasetsOrThrow(datasetsDir);
rmSync(datasetsDir, { recursive: true, force: true });

for (const t of TARGETS) {
  describe.runIf(await t.available())(`identity matching on ${t.name}`, () => {
    let target: Target;
    let store: Store;
    const connect = () => openTestConnections([{ name: 'shop', type: target.type, url: target.url, datasets: ['shop'] }]);
    const run = (kind: DsrKind, identities: Record<string, string>, extra: object = {}) =>
      runRequest({ kind, identities, datasets: datasets as Dataset[], store, connect, ...extra });
    /** The person's own rows an access copies, by table; nothing else is found (no row withheld as another person's). */
    const accessed = async (identities: Record<string, string>): Promise<Selection> => {
      const outcome = await run('access', identities);
      expect(outcome.collected.collections.flatMap((c) => c.withheld)).toEqual([]);
      const ids = (table: Table) => (outcome.collected.collections.find((c) => c.collection === table)?.rows ?? []).map((r) => Number(r.id)).sort((a, b) => a - b);
      return { customer: ids('customer'), orders: ids('orders'), newsletter: ids('newsletter') };
    };
    const snapshot = async () => Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await target.rows(table)] as const))) as Record<Table, Map<number, Record<string, unknown>>>;
    /** The rows a write changed or deleted, by table. */
    const changed = (before: Awaited<ReturnType<typeof snapshot>>, after: Awaited<ReturnType<typeof snapshot>>): Selection => {
      const ids = (table: Table) =>
        [...before[table]].filter(([id, row]) => JSON.stringify(after[table].get(id)) !== JSON.stringify(row)).map(([id]) => id).sort((a, b) => a - b);
      return { customer: ids('customer'), orders: ids('orders'), newsletter: ids('newsletter') };
    };

    withTargetAndStore(t.create, (made) => ({ target, store } = made));

    it('an email matches whatever its letter case, also beyond ASCII', async () => {
      expect(await accessed({ email: 'ZOE@EXAMPLE.COM' })).toEqual({ customer: [1], orders: [10], newsletter: [100] });
      // "ÉLODIE@" stored, "élodie@" asked: on SQLite and PostgreSQL's C collation, lower() leaves É as it is.
      expect(await accessed({ email: '\u00e9lodie@example.com' })).toEqual({ customer: [5], orders: [50], newsletter: [500] });
    });

    it('never through accents or a collation: an accented variant finds nobody, and an address finds only its owner', async () => {
      expect(await accessed({ email: 'z\u00f6e@example.com' })).toEqual(NONE);
      expect(await accessed({ email: 'zoe@example.com' })).toEqual({ customer: [1], orders: [10], newsletter: [100] });
      expect(await accessed({ email: 'zo\u00e9@example.com' })).toEqual({ customer: [2], orders: [20], newsletter: [200] });
      // Stored whitespace is part of the value (MariaDB's PAD SPACE would find "pad@example.com ").
      expect(await accessed({ email: 'pad@example.com' })).toEqual(NONE);
    });

    it('a value stored in NFD is found by its NFC identity, and its plain look-alike is another person', async () => {
      expect(await accessed({ email: 'chlo\u00e9@example.com' })).toEqual({ customer: [4], orders: [40], newsletter: [400] });
      expect(await accessed({ email: 'chloe@example.com' })).toEqual({ customer: [3], orders: [30], newsletter: [] });
    });

    it('other identity types match exactly unless the dataset says otherwise', async () => {
      expect(await accessed({ customer_number: 'ab-12' })).toEqual(NONE);
      expect(await accessed({ customer_number: 'AB-12' })).toEqual({ customer: [1], orders: [10], newsletter: [100] });
      const lenient = structuredClone(datasets as Dataset[]);
      lenient[0]!.collections[0]!.fields.find((f) => f.name === 'customer_number')!.identityMatch = 'case_insensitive';
      const outcome = await runRequest({ kind: 'access', identities: { customer_number: 'ab-12' }, datasets: lenient, store, connect });
      expect(outcome.collected.collections.find((c) => c.collection === 'customer')!.rows.map((r) => Number(r.id))).toEqual([1]);
    });

    it('access, portability, a dry run, restriction, rectification and erasure select the same rows for the same identities', async () => {
      const cases: [Record<string, string>, Selection][] = [
        [{ email: 'ZOE@EXAMPLE.COM' }, { customer: [1], orders: [10], newsletter: [100] }],
        [{ email: 'chlo\u00e9@example.com' }, { customer: [4], orders: [40], newsletter: [400] }],
        [{ email: '\u00e9lodie@example.com' }, { customer: [5], orders: [50], newsletter: [500] }],
        [{ email: 'z\u00f6e@example.com' }, NONE],
      ];
      for (const [identities, expected] of cases) {
        expect(await accessed(identities)).toEqual(expected);
        const portability = await run('portability', identities);
        for (const table of TABLES) {
          expect((portability.collected.collections.find((c) => c.collection === table)?.rows ?? []).map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual(expected[table]);
        }
        const changes = { 'customer.note': 'r', 'orders.note': 'r', 'newsletter.note': 'r' };
        for (const kind of ['access', 'portability', 'restriction', 'rectification', 'erasure'] as const) {
          const connections = await connect();
          try {
            const plan = await dryRun({ kind, identities, datasets: datasets as Dataset[], connections, ...(kind === 'rectification' ? { changes } : {}) });
            const rows = Object.fromEntries(plan.reached.map((r) => [r.collection, r.rows]));
            for (const table of TABLES) expect([kind, table, rows[`shop.${table}`] ?? 0]).toEqual([kind, table, expected[table].length]);
            expect(plan.reached.every((r) => r.withheld === 0)).toBe(true);
          } finally {
            await connections.close();
          }
        }
        let before = await snapshot();
        await run('restriction', identities);
        expect(changed(before, await snapshot())).toEqual(expected);
        before = await snapshot();
        const rectified = await run('rectification', identities, { changes });
        expect(rectified.request.status).toBe('completed');
        expect(changed(before, await snapshot())).toEqual(expected);
        before = await snapshot();
        const erased = await run('erasure', identities);
        expect(erased.request.status).toBe('completed');
        // The person's own rows are erased, not kept as "other people's records lead to them".
        expect(erased.kept).toEqual([]);
        expect(changed(before, await snapshot())).toEqual(expected);
      }
    });

    it('dsr plan and dataset generate name the identity columns no index can find without letter case, with the index to create', async () => {
      const plan = async () => {
        const connections = await connect();
        try {
          return (await dryRun({ kind: 'access', identities: { email: 'zoe@example.com' }, datasets: datasets as Dataset[], connections })).indexes;
        } finally {
          await connections.close();
        }
      };
      const generated = async () => (await datasetGenerate({ url: target.url })).indexes.map((a) => a.column);
      const advice = await plan();
      if (t.name === 'MariaDB') {
        // utf8mb4_general_ci ignores case: the column's own index serves the lookup.
        expect(advice).toEqual([]);
        expect(await generated()).toEqual([]);
        return;
      }
      expect(advice.map((a) => a.column).sort()).toEqual(['customer.email', 'newsletter.email']);
      expect(await generated()).toContain('customer.email');
      const statements = advice.map((a) => a.statement!);
      expect(statements).toContain('create index "customer_email_lower_idx" on "customer" (lower("email"))');
      for (const statement of statements) await target.exec(statement);
      expect(await plan()).toEqual([]);
      expect(await generated()).toEqual([]);
      // The lookup still finds the person once the index is there.
      expect(await accessed({ email: 'ZO\u00c9@EXAMPLE.COM' })).toEqual({ customer: [2], orders: [20], newsletter: [200] });
    });

    it('the store keys an identity as it is compared: a restriction and an erasure in upper case are found by the lower-case identity', async () => {
      // Customer 3 ("chloe@example.com") is untouched by the other tests.
      await run('restriction', { email: 'CHLOE@Example.COM' });
      expect(await store.requests.isRestricted('email', 'chloe@example.com')).toBe(true);
      const erasure = await run('erasure', { email: '  CHLOE@EXAMPLE.COM ' });
      expect(erasure.request.status).toBe('completed');
      const later = await run('access', { email: 'chloe@example.com' });
      expect(later.collected.erasures.map((e) => e.requestId)).toEqual([erasure.request.id]);
    });
  });
}
