/**
 * A throwaway target database made from one SQL script, on each of SQLite, PostgreSQL and MariaDB
 * (MariaDB with ANSI quotes, so one script with "quoted" PascalCase names serves the three), and
 * the whole content of a table, to compare before and after a request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseType } from '../../../src/connectors/connector.js';
import { createThrowawayMariadb } from '../../connectors/throwaway-mariadb.js';
import { MARIADB_URL, POSTGRES_URL, serviceAvailable } from '../../helpers/services.js';
import { createThrowawayPostgres } from '../../store/throwaway-postgres.js';

export type TableRows = Record<string, unknown>[];

export interface Target {
  type: DatabaseType;
  url: string;
  /** Every row of a table, ordered by its first two columns, values as the driver gives them. */
  rows(table: string): Promise<TableRows>;
  /** Runs SQL on the target outside opendpo (another writer, in a test). */
  exec(sql: string): Promise<void>;
  drop(): Promise<void>;
}

const select = (table: string) => `SELECT * FROM "${table.replace(/"/g, '""')}" ORDER BY 1, 2`;

async function sqliteTarget(sql: string): Promise<Target> {
  const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-target-'));
  const file = path.join(dir, 'target.db');
  const db = new SqliteDatabase(file);
  db.exec(sql);
  db.close();
  return {
    type: 'sqlite',
    url: `sqlite:${file}`,
    rows: (table) => {
      const reader = new SqliteDatabase(file, { readonly: true });
      try {
        return Promise.resolve(reader.prepare(select(table)).all() as TableRows);
      } finally {
        reader.close();
      }
    },
    exec: (statement) => {
      const writer = new SqliteDatabase(file);
      try {
        writer.exec(statement);
        return Promise.resolve();
      } finally {
        writer.close();
      }
    },
    drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
}

async function postgresTarget(sql: string): Promise<Target> {
  const db = await createThrowawayPostgres();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(sql);
  return {
    type: 'postgres',
    url: db.url,
    rows: async (table) => (await client.query(select(table))).rows as TableRows,
    exec: async (statement) => void (await client.query(statement)),
    drop: async () => {
      await client.end();
      await db.drop();
    },
  };
}

async function mariadbTarget(sql: string): Promise<Target> {
  const db = await createThrowawayMariadb();
  await db.exec(`SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES'); ${sql}`);
  return {
    type: 'mysql',
    url: db.url,
    rows: async (table) => (await db.exec(select(table))) as TableRows,
    exec: async (statement) => void (await db.exec(`SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES'); ${statement}`)),
    drop: () => db.drop(),
  };
}

export const TARGETS: { name: string; available: () => Promise<boolean>; create: (sql: string) => Promise<Target> }[] = [
  { name: 'SQLite', available: () => Promise.resolve(true), create: sqliteTarget },
  { name: 'PostgreSQL', available: () => serviceAvailable('PostgreSQL', POSTGRES_URL), create: postgresTarget },
  { name: 'MariaDB', available: () => serviceAvailable('MariaDB', MARIADB_URL), create: mariadbTarget },
];

/** The whole content of the tables, by name. */
export async function snapshot(target: Target, tables: readonly string[]): Promise<Record<string, TableRows>> {
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await target.rows(t)] as const)));
}
