/**
 * The product's example datasets folder (examples/acme-shop/datasets): it loads with no problem,
 * links to the acme-shop register, says what the docs say it says, and describes exactly the
 * database seed.sql creates, on SQLite, PostgreSQL and MariaDB.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDatasets, type LoadDatasetsResult } from '../../src/dataset/load-datasets.js';
import type { Collection, Dataset } from '../../src/dataset/model.js';
import { ROOT } from '../helpers/cli.js';
import { MARIADB_URL, POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { createThrowawayPostgres, type ThrowawayDatabase } from '../store/throwaway-postgres.js';

const DIR = path.join(ROOT, 'examples/acme-shop/datasets');
const SEED = await readFile(path.join(DIR, 'seed.sql'), 'utf8');

let loaded: LoadDatasetsResult;
let shop: Dataset;
beforeAll(async () => {
  loaded = await loadDatasets(DIR);
  shop = loaded.datasets[0]!;
});
const collection = (name: string): Collection => shop.collections.find((c) => c.name === name)!;

/** table -> sorted column names, as the dataset declares them. */
function declaredColumns(): Record<string, string[]> {
  return Object.fromEntries(shop.collections.map((c) => [c.name, c.fields.map((f) => f.name).sort()]));
}

describe('examples/acme-shop/datasets', () => {
  it('loads with no problem, served by its SQLite connection and linked to the register system "shop"', () => {
    expect(loaded.problems).toEqual([]);
    expect(loaded.registerDir).toBe(path.join(ROOT, 'examples/acme-shop'));
    expect(loaded.datasets.map((d) => [d.key, d.format, d.system])).toEqual([['shop', 'opendpo', 'shop']]);
    expect(loaded.connections?.connections).toEqual([
      { name: 'shop', type: 'sqlite', url: 'sqlite:.opendpo/acme-shop.db', datasets: ['shop'], at: { file: path.join(DIR, 'connections.yaml'), line: 8, column: 5 } },
    ]);
  });

  it('points each file at its JSON Schema, for editor autocompletion', async () => {
    for (const [file, kind] of [
      ['shop.yaml', 'dataset'],
      ['connections.yaml', 'dataset-connections'],
    ]) {
      const first = (await readFile(path.join(DIR, file!), 'utf8')).split('\n')[0]!;
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(match, file).not.toBeNull();
      expect(path.resolve(DIR, match![1]!)).toBe(path.join(ROOT, 'schema', `${kind}.schema.json`));
    }
  });

  it('declares the people it holds: customers by email and phone, employees by email, never reached through a reference', () => {
    expect(collection('customer').subject).toBe('customer');
    expect(collection('customer').fields.filter((f) => f.identity).map((f) => [f.name, f.identity])).toEqual([
      ['email', 'email'],
      ['phone_number', 'phone_number'],
    ]);
    expect(collection('staff').subject).toBe('employee');
    expect(collection('staff').fields.find((f) => f.name === 'email')!.identity).toBe('email');
    expect(collection('support_ticket').fields.find((f) => f.name === 'agent_id')!.references).toEqual([
      expect.objectContaining({ dataset: 'shop', collection: 'staff', field: 'id', direction: 'to', otherSubject: true }),
    ]);
    expect(collection('product').fields.every((f) => f.categories.every((c) => c.startsWith('system.')))).toBe(true);
  });

  it('keeps invoices and order totals under Art. 17(3)(b), and flags restricted newsletter subscriptions (Art. 18)', () => {
    expect(collection('invoice').legalHold).toEqual({ reason: expect.stringContaining('10 years'), article: 'Art. 17(3)(b)', period: 'P10Y' });
    expect(collection('orders').fields.find((f) => f.name === 'total_cents')!.legalHold).toMatchObject({ article: 'Art. 17(3)(b)', period: 'P10Y' });
    expect(collection('newsletter_subscription')).toMatchObject({ erasure: { strategy: 'delete' }, restrictionFlag: { field: 'processing_restricted', value: true } });
  });

  it('describes exactly the tables, columns, primary and foreign keys seed.sql creates in SQLite', () => {
    const db = new Database(':memory:');
    try {
      db.exec(SEED);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
      expect(tables).toEqual(Object.keys(declaredColumns()).sort());
      for (const c of shop.collections) {
        const info = db.prepare(`PRAGMA table_info("${c.name}")`).all() as { name: string; pk: number }[];
        expect(info.map((i) => i.name).sort(), c.name).toEqual(declaredColumns()[c.name]);
        expect(info.filter((i) => i.pk > 0).map((i) => i.name).sort(), `${c.name} primary key`).toEqual(c.fields.filter((f) => f.primaryKey).map((f) => f.name).sort());
        // Every foreign key of the database is a reference of the dataset (the erasure order depends on them).
        const fks = db.prepare(`PRAGMA foreign_key_list("${c.name}")`).all() as { table: string; from: string; to: string }[];
        for (const fk of fks) {
          const refs = c.fields.find((f) => f.name === fk.from)!.references;
          expect(refs, `${c.name}.${fk.from} -> ${fk.table}.${fk.to}`).toContainEqual(expect.objectContaining({ collection: fk.table, field: fk.to }));
        }
      }
      expect(db.prepare('SELECT COUNT(*) FROM customer').pluck().get()).toBe(3);
    } finally {
      db.close();
    }
  });
});

const columnsQuery = (schemaParam: string) =>
  `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = ${schemaParam} ORDER BY table_name, column_name`;
const byTable = (rows: { t: string; c: string }[]) => {
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.t] ??= []).push(r.c);
  for (const cols of Object.values(out)) cols.sort();
  return out;
};

describe.runIf(await serviceAvailable('PostgreSQL', POSTGRES_URL))('seed.sql on PostgreSQL', () => {
  let db: ThrowawayDatabase;
  beforeAll(async () => {
    db = await createThrowawayPostgres();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('runs twice and creates the tables and columns the dataset declares', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(SEED);
      await client.query(SEED);
      const { rows } = await client.query<{ t: string; c: string }>(columnsQuery("'public'"));
      expect(byTable(rows)).toEqual(declaredColumns());
      expect((await client.query('SELECT first_name FROM customer WHERE id = 3')).rows).toEqual([{ first_name: 'Chloé' }]);
    } finally {
      await client.end();
    }
  });
});

describe.runIf(await serviceAvailable('MariaDB', MARIADB_URL))('seed.sql on MariaDB', () => {
  const name = `opendpo_test_${randomBytes(6).toString('hex')}`;
  let conn: mysql.Connection;
  beforeAll(async () => {
    conn = await mysql.createConnection({ uri: MARIADB_URL, multipleStatements: true, charset: 'utf8mb4' });
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    await conn.query(`USE \`${name}\``);
  });
  afterAll(async () => {
    try {
      await conn?.query(`DROP DATABASE IF EXISTS \`${name}\``);
    } finally {
      await conn?.end();
    }
  });

  it('runs twice and creates the tables and columns the dataset declares', async () => {
    await conn.query(SEED);
    await conn.query(SEED);
    const [rows] = await conn.query(columnsQuery('?'), [name]);
    expect(byTable(rows as { t: string; c: string }[])).toEqual(declaredColumns());
    const [chloe] = await conn.query('SELECT first_name FROM customer WHERE id = 3');
    expect(chloe).toEqual([{ first_name: 'Chloé' }]);
  });
});
