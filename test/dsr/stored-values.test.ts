/**
 * Values exactly as stored, whatever the machine's time zone (ADR 0017), on SQLite, PostgreSQL and
 * MariaDB: the same member and payment, stored in each database's own types, read through an
 * access request and written as JSON, a zip of CSVs and HTML, under Europe/Paris (UTC+1 in March)
 * and America/Sao_Paulo (UTC-3). Every database gives the same values:
 * a date its calendar date, a timestamp without time zone as stored, one with a time zone its
 * instant in UTC, exact decimals as text with their scale, integers as numbers while safe and as
 * text beyond 2^53 (a MariaDB BIGINT UNSIGNED key included).
 *
 * The zones are set here (process.env.TZ, which Node applies at once) and CI also runs this file
 * with TZ set in the environment (.ci/run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseType } from '../../src/connectors/connector.js';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { integerValue, utcInstantText } from '../../src/connectors/sql/stored-values.js';
import { loadDatasetsOrThrow } from '../../src/dataset/load-datasets.js';
import { buildAccessPackage } from '../../src/dsr/package/build-access-package.js';
import { writeAccessPackageZip } from '../../src/dsr/package/write-csv-zip.js';
import { writeAccessPackageHtml } from '../../src/dsr/package/write-html.js';
import { writeAccessPackageJson } from '../../src/dsr/package/write-json.js';
import { runRequest } from '../../src/dsr/run-request.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { createThrowawayMariadb } from '../connectors/throwaway-mariadb.js';
import { datasetsFolder, nativeDataset } from '../dataset/temp-datasets.js';
import { MARIADB_URL, POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { createThrowawayPostgres } from '../store/throwaway-postgres.js';
import { parseCsv, unzip } from './package/fixtures.js';
import { openTestConnections } from './open-test-connections.js';

const EMAIL = 'ana.souza@example.com';

/** What every database must give, in JSON (CSV and HTML show the same text). */
const MEMBER = {
  id: 4000000000,
  email: EMAIL,
  birth_date: '1980-05-17',
  last_seen: '2024-03-05T23:30:00',
  confirmed_at: '2024-03-05T23:30:00.25Z',
  balance: '12.50',
  big_number: '9007199254740993',
  visits: 42,
};
const PAYMENT = { id: 7, member_id: 4000000000, amount: '1234.05', paid_on: '2024-12-31' };

interface Schema {
  id: string;
  date: string;
  timestamp: string;
  instant: string;
  decimal: string;
  bigint: string;
  small: string;
}
const TYPES: Record<DatabaseType, Schema> = {
  sqlite: { id: 'integer', date: 'date', timestamp: 'datetime', instant: 'text', decimal: 'decimal(10,2)', bigint: 'integer', small: 'integer' },
  postgres: { id: 'bigint', date: 'date', timestamp: 'timestamp(6)', instant: 'timestamptz(3)', decimal: 'numeric(10,2)', bigint: 'bigint', small: 'integer' },
  mysql: { id: 'bigint unsigned', date: 'date', timestamp: 'datetime(6)', instant: 'timestamp(3) null', decimal: 'decimal(10,2)', bigint: 'bigint', small: 'smallint unsigned' },
};

function schemaSql(type: DatabaseType): string[] {
  const t = TYPES[type];
  // SQLite has no date type: the application stores ISO 8601 text, and that is what is shown.
  const instant = type === 'sqlite' ? "'2024-03-05T23:30:00.25Z'" : type === 'postgres' ? "'2024-03-06 00:30:00.25+01'" : "'2024-03-05 23:30:00.25'";
  return [
    `create table member (id ${t.id} primary key, email varchar(100) not null, birth_date ${t.date}, last_seen ${t.timestamp}, confirmed_at ${t.instant}, balance ${t.decimal}, big_number ${t.bigint}, visits ${t.small})`,
    `create table payment (id ${t.small} primary key, member_id ${t.id} not null references member (id), amount ${t.decimal}, paid_on ${t.date})`,
    `insert into member values (4000000000, '${EMAIL}', '1980-05-17', '2024-03-05${type === 'sqlite' ? 'T' : ' '}23:30:00', ${instant}, 12.5, 9007199254740993, 42)`,
    `insert into member values (4000000001, 'someone.else@example.com', '1990-01-01', null, null, 1, 1, 1)`,
    `insert into payment values (7, 4000000000, 1234.05, '2024-12-31')`,
  ];
}

const DATASET = nativeDataset(
  'club',
  `    - name: member
      fields:
        - { name: id, primary_key: true, categories: [user.unique_id] }
        - { name: email, identity: email, categories: [user.contact.email] }
        - { name: birth_date, categories: [user.demographic.date_of_birth] }
        - { name: last_seen, categories: [user.behavior] }
        - { name: confirmed_at, categories: [user.behavior] }
        - { name: balance, categories: [user.financial] }
        - { name: big_number, categories: [user.unique_id] }
        - { name: visits, categories: [user.behavior] }
    - name: payment
      fields:
        - { name: id, primary_key: true, categories: [system.operations] }
        - { name: member_id, categories: [user.unique_id], references: [{ field: member.id, direction: from }] }
        - { name: amount, categories: [user.financial] }
        - { name: paid_on, categories: [user.financial] }
`,
);

interface Target {
  type: DatabaseType;
  url: string;
  drop(): Promise<void>;
}

const TARGETS: { name: string; available: () => Promise<boolean>; create: () => Promise<Target> }[] = [
  {
    name: 'SQLite',
    available: async () => true,
    create: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-values-'));
      const file = path.join(dir, 'club.db');
      const db = new SqliteDatabase(file);
      for (const s of schemaSql('sqlite')) db.exec(s);
      db.close();
      return { type: 'sqlite', url: `sqlite:${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    available: () => serviceAvailable('PostgreSQL', POSTGRES_URL),
    create: async () => {
      const db = await createThrowawayPostgres();
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      for (const s of schemaSql('postgres')) await client.query(s);
      // A server set to write dates the SQL way, day first (17/05/1980): the connector asks for ISO.
      await client.query(`alter database "${new URL(db.url).pathname.slice(1)}" set datestyle = 'SQL, DMY'`);
      await client.end();
      return { type: 'postgres', url: db.url, drop: () => db.drop() };
    },
  },
  {
    name: 'MariaDB',
    available: () => serviceAvailable('MariaDB', MARIADB_URL),
    create: async () => {
      const db = await createThrowawayMariadb();
      // The TIMESTAMP is written in UTC; the server stores it as an instant.
      await db.exec("set time_zone = '+00:00'");
      for (const s of schemaSql('mysql')) await db.exec(s);
      return { type: 'mysql', url: db.url, drop: () => db.drop() };
    },
  },
];

/** Zones where a value read as local midnight or local time shifts (March 2024: Paris UTC+1, Sao Paulo UTC-3). */
const ZONES = [
  { tz: 'Europe/Paris', offsetMinutes: -60 },
  { tz: 'America/Sao_Paulo', offsetMinutes: 180 },
];

const { datasets } = await loadDatasetsOrThrow(await datasetsFolder({ 'club.yaml': DATASET }));
const originalTz = process.env.TZ;

for (const t of TARGETS) {
  describe.runIf(await t.available())(`values as stored in ${t.name}, whatever the time zone`, () => {
    let target: Target;
    let store: Store;
    let dir: string;
    beforeAll(async () => {
      target = await t.create();
      dir = mkdtempSync(path.join(tmpdir(), 'opendpo-values-store-'));
      store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
    });
    afterAll(async () => {
      if (originalTz === undefined) delete process.env.TZ;
      else process.env.TZ = originalTz;
      await store?.close();
      await target?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const zone of ZONES) {
      it(`under TZ=${zone.tz}: JSON, CSV and HTML hold the dates, timestamps, decimals and integers as stored`, async () => {
        process.env.TZ = zone.tz;
        expect(new Date('2024-03-05T12:00:00Z').getTimezoneOffset(), 'the zone took effect').toBe(zone.offsetMinutes);
        const outcome = await runRequest({
          kind: 'access',
          identities: { email: EMAIL },
          datasets,
          store,
          connect: () => openTestConnections([{ name: 'db', type: target.type, url: target.url, datasets: ['club'] }]),
        });
        expect(outcome.request.status).toBe('completed');
        const pkg = buildAccessPackage(outcome.collected, { datasets, lang: 'en' });

        // JSON: the same values, of the same JSON types, on every database.
        const json = JSON.parse(writeAccessPackageJson(pkg)) as { data: Array<{ tables: Array<{ table: string; rows: unknown[] }> }> };
        const tables = Object.fromEntries(json.data.flatMap((s) => s.tables).map((x) => [x.table, x.rows]));
        expect(tables.member).toEqual([MEMBER]);
        expect(tables.payment).toEqual([PAYMENT]);

        // CSV: each cell is the JSON value's text.
        const files = unzip(writeAccessPackageZip(pkg));
        const csv = (table: string) => {
          const name = [...files.keys()].find((n) => n.endsWith(`/${table}.csv`))!;
          const [head, ...rows] = parseCsv(files.get(name)!);
          return rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i]])));
        };
        const asText = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)]));
        expect(csv('member').map((r) => Object.fromEntries(Object.keys(MEMBER).map((k) => [k, r[Object.keys(r).find((h) => h === k || h.endsWith(`(${k})`))!]])))).toEqual([asText(MEMBER)]);
        expect(csv('payment').map((r) => Object.fromEntries(Object.keys(PAYMENT).map((k) => [k, r[Object.keys(r).find((h) => h === k || h.endsWith(`(${k})`))!]])))).toEqual([asText(PAYMENT)]);

        // HTML: the stored text, never a shifted day or hour.
        const html = writeAccessPackageHtml(pkg);
        for (const v of ['1980-05-17', '2024-03-05T23:30:00', '2024-03-05T23:30:00.25Z', '12.50', '9007199254740993', '1234.05', '2024-12-31']) expect(html).toContain(v);
        for (const shifted of ['1980-05-16', '1980-05-17T', '2024-03-06T', '2024-03-05T22:30', '2024-03-05T20:30', '2024-12-30', '9007199254740992']) expect(html).not.toContain(shifted);
      });
    }
  });
}

describe('an integer as the driver gives it', () => {
  it('is a number while safe, whatever its length of text, and a bigint with every digit beyond', () => {
    expect(integerValue('123456789012345')).toBe(123456789012345);
    expect(integerValue('-12345678901234')).toBe(-12345678901234);
    expect(integerValue('0012')).toBe(12);
    expect(integerValue('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(integerValue('-9007199254740991')).toBe(Number.MIN_SAFE_INTEGER);
    expect(integerValue('9007199254740992')).toBe(9007199254740992n);
    expect(integerValue('-18446744073709551615')).toBe(-18446744073709551615n);
    expect(integerValue(12n)).toBe(12);
    expect(integerValue('12.5')).toBe('12.5');
    expect(integerValue('infinity')).toBe('infinity');
  });
});

describe('an instant as the database writes it', () => {
  it('is written in UTC with its fraction, the same whether it came in UTC or with an offset', () => {
    expect(utcInstantText('2024-03-05 14:30:00.120+00')).toBe('2024-03-05T14:30:00.12Z');
    expect(utcInstantText('2024-03-05 14:30:00+00')).toBe('2024-03-05T14:30:00Z');
    expect(utcInstantText('2024-03-05 15:30:00.5+01')).toBe('2024-03-05T14:30:00.5Z');
    expect(utcInstantText('2024-03-01 00:30:00-05:30')).toBe('2024-03-01T06:00:00Z');
    expect(utcInstantText('2024-02-29 23:30:00+00')).toBe('2024-02-29T23:30:00Z');
    expect(utcInstantText('2024-03-01 00:30:00+01')).toBe('2024-02-29T23:30:00Z');
    expect(utcInstantText('2024-03-05 14:30:00')).toBe('2024-03-05T14:30:00Z');
    expect(utcInstantText('infinity')).toBe('infinity');
    expect(utcInstantText('0099-01-01 00:00:00+00')).toBe('0099-01-01T00:00:00Z');
  });
});
