/**
 * The example shop (examples/acme-shop/datasets/seed.sql) in a throwaway database of each kind —
 * SQLite, PostgreSQL, MariaDB — for suites that run the same requests on all three.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseType } from '../../src/connectors/connector.js';
import { ROOT } from '../helpers/cli.js';
import { MARIADB_URL, POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { createThrowawayMariadb } from '../connectors/throwaway-mariadb.js';
import { createThrowawayPostgres } from '../store/throwaway-postgres.js';

export const EXAMPLE = path.join(ROOT, 'examples/acme-shop/datasets');
const SEED = readFileSync(path.join(EXAMPLE, 'seed.sql'), 'utf8');

export interface Target {
  type: DatabaseType;
  url: string;
  /** Every row of a table, ordered by its key, with values as plain strings/numbers. */
  rows(table: string): Promise<Record<string, unknown>[]>;
  /** Runs a statement as an application sharing the database would (a change made meanwhile). */
  exec(statement: string): Promise<void>;
  drop(): Promise<void>;
}

const ORDER: Record<string, string> = { order_item: 'order_id, line_no' };
const normalise = (rows: Record<string, unknown>[]) =>
  rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : v])),
  );

async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-shop-'));
  const file = path.join(dir, 'shop.db');
  const db = new SqliteDatabase(file);
  db.exec(SEED);
  db.close();
  return {
    type: 'sqlite',
    url: `sqlite:${file}`,
    rows: (table) => {
      const db = new SqliteDatabase(file, { readonly: true });
      try {
        return Promise.resolve(normalise(db.prepare(`SELECT * FROM ${table} ORDER BY ${ORDER[table] ?? 'id'}`).all() as Record<string, unknown>[]));
      } finally {
        db.close();
      }
    },
    exec: (statement) => {
      const db = new SqliteDatabase(file);
      try {
        return Promise.resolve(void db.exec(statement));
      } finally {
        db.close();
      }
    },
    drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
}

async function postgresTarget(): Promise<Target> {
  const db = await createThrowawayPostgres();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(SEED);
  return {
    type: 'postgres',
    url: db.url,
    rows: async (table) => normalise((await client.query(`SELECT * FROM ${table} ORDER BY ${ORDER[table] ?? 'id'}`)).rows),
    exec: async (statement) => void (await client.query(statement)),
    drop: async () => {
      await client.end();
      await db.drop();
    },
  };
}

async function mariadbTarget(): Promise<Target> {
  const db = await createThrowawayMariadb();
  await db.exec(SEED);
  return {
    type: 'mysql',
    url: db.url,
    rows: async (table) => normalise((await db.exec(`SELECT * FROM ${table} ORDER BY ${ORDER[table] ?? 'id'}`)) as Record<string, unknown>[]),
    exec: async (statement) => void (await db.exec(statement)),
    drop: () => db.drop(),
  };
}

export const TARGETS: { name: string; available: () => Promise<boolean>; create: () => Promise<Target> }[] = [
  { name: 'SQLite', available: () => Promise.resolve(true), create: sqliteTarget },
  { name: 'PostgreSQL', available: () => serviceAvailable('PostgreSQL', POSTGRES_URL), create: postgresTarget },
  { name: 'MariaDB', available: () => serviceAvailable('MariaDB', MARIADB_URL), create: mariadbTarget },
];

