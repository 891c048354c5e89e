/**
 * One suite for every DatabaseConnector, run against real SQLite, PostgreSQL and MariaDB
 * (sqlite/postgres/mariadb .test.ts each give it a harness). What it holds every connector to:
 * statements by single and composite keys, long key lists split into chunks, hostile values
 * bound and hostile names quoted, transactions that leave nothing behind, the catalogue read
 * back, and the two kinds of errors a request can meet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseType, Statement, Value } from '../../src/connectors/connector.js';
import type { DatabaseConnection } from '../../src/connectors/open-database-connector.js';
import { openDatabaseConnector } from '../../src/connectors/open-database-connector.js';
import type { SqlConnector } from '../../src/connectors/sql/sql-connector.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';

export interface Harness {
  type: DatabaseType;
  connector: SqlConnector;
  /** Runs one SQL statement outside the connector (fixtures, checks). */
  exec(sql: string): Promise<void>;
  /** Rows of a query run outside the connector, to check what was really written. */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Quotes an identifier for the fixtures' DDL. */
  q(id: string): string;
  types: { key: string; text: string };
  /** Whether a text column can hold a NUL byte (PostgreSQL's cannot). */
  acceptsNul: boolean;
  /** A second schema (PostgreSQL) or database (MariaDB) for cross-schema foreign keys. */
  otherSchema?: string;
  /**
   * Takes the database away from the connector. PostgreSQL and MariaDB end its server
   * connections (so a transaction in progress loses its connection); SQLite is locked by another
   * process. Returns what brings it back.
   */
  disrupt(): Promise<() => Promise<void>>;
  /** True when disrupt() can be called inside a transaction the connector holds. */
  disruptInsideTransaction: boolean;
  /** The connection the harness's connector was opened with (servers): to open others with other settings. */
  connection?: DatabaseConnection;
  /** A connection that cannot be opened, whose URL holds the password "hunter2-secret". */
  unreachable: DatabaseConnection;
  /**
   * Servers with users: connections the server refuses, each URL holding the password
   * "hunter2-secret" — a user that does not exist, an existing user with a wrong password (where
   * the server checks passwords; the test PostgreSQL trusts loopback), a database that does not exist.
   */
  refused?: { unknownUser: RefusedUser; wrongPassword?: RefusedUser; unknownDatabase: DatabaseConnection; database: string };
  teardown(): Promise<void>;
}

export interface RefusedUser {
  connection: DatabaseConnection;
  user: string;
}

export const HOSTILE_TABLE = `we"ird 'name' \`x\``;
export const HOSTILE_COLUMN = `col"1 \`q\``;

/** What render() must print for each database, exactly. */
// PostgreSQL binds a single-column key list as one array parameter (one text for any number of keys),
// written as an array literal (src/connectors/postgres/array-literal.ts).
const RENDERED: Record<DatabaseType, { select: string; update: string; delete: string; empty: string; arrays?: true }> = {
  postgres: {
    select: 'select "id", "email" from "customer" where "id" = any($1)',
    update: `update "s"."we""ird" set "note" = $1, "a\`b" = $2 where ("a", "b") in (($3, $4), ($5, $6))`,
    delete: 'delete from "order" where "id" = any($1)',
    empty: 'select "id" from "customer" where 1 = 0',
    arrays: true,
  },
  mysql: {
    select: 'select `id`, `email` from `customer` where `id` in (?, ?)',
    update: 'update `s`.`we"ird` set `note` = ?, `a``b` = ? where (`a`, `b`) in ((?, ?), (?, ?))',
    delete: 'delete from `order` where `id` in (?)',
    empty: 'select `id` from `customer` where 1 = 0',
  },
  sqlite: {
    select: 'select "id", "email" from "customer" where "id" in (?, ?)',
    update: `update "s"."we""ird" set "note" = ?, "a\`b" = ? where ("a", "b") in (values (?, ?), (?, ?))`,
    delete: 'delete from "order" where "id" in (?)',
    empty: 'select "id" from "customer" where 1 = 0',
  },
};

const BULK = 2500;

async function fixtures(h: Harness): Promise<void> {
  const { q } = h;
  const { key, text } = h.types;
  const statements = [
    `create table customer (id int primary key, email ${key} not null unique, name ${text}, note ${text})`,
    `create table ${q('order')} (id int primary key, customer_id int not null, total int, foreign key (customer_id) references customer (id))`,
    `create table order_line (order_id int not null, line_no int not null, sku ${key}, qty int, primary key (order_id, line_no), foreign key (order_id) references ${q('order')} (id))`,
    `create table shipment (id int primary key, order_id int not null, line_no int not null, foreign key (order_id, line_no) references order_line (order_id, line_no))`,
    `create table ${q(HOSTILE_TABLE)} (${q(HOSTILE_COLUMN)} int primary key, ${q('select')} ${text})`,
    `create table bulk (id int primary key, v ${key})`,
    `create table bulk_pair (a int not null, b int not null, v ${key}, primary key (a, b))`,
    `insert into customer (id, email, name, note) values (1, 'ada@example.com', 'Ada', 'n1'), (2, 'bob@example.com', 'Bob', 'n2'), (3, 'cy@example.com', 'Cy', null)`,
    `insert into ${q('order')} (id, customer_id, total) values (10, 1, 100), (11, 1, 50), (20, 2, 70)`,
    `insert into order_line (order_id, line_no, sku, qty) values (10, 1, 'A', 1), (10, 2, 'B', 2), (11, 1, 'A', 1), (20, 1, 'C', 3)`,
    `insert into shipment (id, order_id, line_no) values (100, 10, 1)`,
    `insert into ${q(HOSTILE_TABLE)} (${q(HOSTILE_COLUMN)}, ${q('select')}) values (1, 'x'), (2, 'y')`,
    `insert into bulk (id, v) values ${Array.from({ length: BULK }, (_, i) => `(${i + 1}, 'v${i + 1}')`).join(', ')}`,
    `insert into bulk_pair (a, b, v) values ${Array.from({ length: BULK }, (_, i) => `(${i + 1}, ${i % 7}, 'p${i + 1}')`).join(', ')}`,
  ];
  if (h.otherSchema !== undefined) {
    const other = q(h.otherSchema);
    const home = h.connector.defaultSchema!;
    statements.push(
      `create table ${other}.invoice (id int primary key, customer_id int not null, amount int, foreign key (customer_id) references ${q(home)}.customer (id))`,
      `create table invoice_note (id int primary key, invoice_id int not null, foreign key (invoice_id) references ${other}.invoice (id))`,
      `insert into ${other}.invoice (id, customer_id, amount) values (500, 1, 9), (501, 2, 8)`,
    );
  }
  for (const s of statements) await h.exec(s);
}

const select = (table: string, columns: string[], keyColumns: string[], values: Value[][], schema?: string): Statement => ({
  kind: 'select',
  table: schema === undefined ? { name: table } : { schema, name: table },
  columns,
  where: { columns: keyColumns, values },
});

const sortBy = <T extends Record<string, unknown>>(rows: T[], ...keys: string[]) =>
  [...rows].sort((a, b) => {
    for (const k of keys) {
      const x = Number(a[k]);
      const y = Number(b[k]);
      if (x !== y) return x - y;
    }
    return 0;
  });

async function expectCode(promise: Promise<unknown>, code: string): Promise<Error & { code: string }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isOpendpoError(err), `expected an OpendpoError ${code}, got ${String(err)}`).toBe(true);
  expect((err as { code: string }).code).toBe(code);
  return err as Error & { code: string };
}

export interface SuiteFeatures {
  /** The harness has a second schema or database (`otherSchema`) for cross-schema foreign keys. */
  crossSchema: boolean;
  /** The server has users and databases to refuse (`refused`). */
  users?: boolean;
}

export function connectorSuite(name: string, available: boolean, makeHarness: () => Promise<Harness>, features: SuiteFeatures): void {
  describe.runIf(available)(`${name} connector`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness();
      await fixtures(h);
    });
    afterAll(async () => {
      await h?.connector.close();
      await h?.teardown();
    });

    it('renders the exact SQL, identifiers quoted and values as placeholders', () => {
      const expected = RENDERED[h.type];
      const s = h.connector.render(select('customer', ['id', 'email'], ['id'], [[1], [2]]));
      expect(s).toEqual({ sql: expected.select, parameters: expected.arrays ? ['{1,2}'] : [1, 2] });
      const u = h.connector.render({
        kind: 'update',
        table: { schema: 's', name: 'we"ird' },
        set: { note: 'x', 'a`b': null },
        where: { columns: ['a', 'b'], values: [[1, 'k'], [2, 'l']] },
      });
      expect(u).toEqual({ sql: expected.update, parameters: ['x', null, 1, 'k', 2, 'l'] });
      expect(h.connector.render({ kind: 'delete', table: { name: 'order' }, where: { columns: ['id'], values: [[10]] } })).toEqual({
        sql: expected.delete,
        parameters: expected.arrays ? ['{10}'] : [10],
      });
      expect(h.connector.render(select('customer', ['id'], ['id'], [])).sql).toBe(expected.empty);
    });

    it('selects by a single key: the rows of the keys that exist, only the columns asked', async () => {
      const { rows, affected } = await h.connector.run(select('customer', ['id', 'email'], ['id'], [[1], [3], [99], [1]]));
      expect(affected).toBe(0);
      expect(sortBy(rows, 'id')).toEqual([
        { id: 1, email: 'ada@example.com' },
        { id: 3, email: 'cy@example.com' },
      ]);
      expect(await h.connector.run(select('customer', ['id'], ['id'], []))).toEqual({ rows: [], affected: 0 });
    });

    it('selects by a composite key (row values)', async () => {
      const { rows } = await h.connector.run(select('order_line', ['order_id', 'line_no', 'sku'], ['order_id', 'line_no'], [[10, 2], [20, 1], [99, 9], [10, 9]]));
      expect(sortBy(rows, 'order_id', 'line_no')).toEqual([
        { order_id: 10, line_no: 2, sku: 'B' },
        { order_id: 20, line_no: 1, sku: 'C' },
      ]);
    });

    it('updates and deletes by single and composite keys, counting the rows changed and touching no other row', async () => {
      const updated = await h.connector.run({ kind: 'update', table: { name: 'customer' }, set: { note: 'changed', name: null }, where: { columns: ['id'], values: [[2], [42]] } });
      expect(updated).toEqual({ rows: [], affected: 1 });
      expect(sortBy(await h.query('select id, name, note from customer'), 'id')).toEqual([
        { id: 1, name: 'Ada', note: 'n1' },
        { id: 2, name: null, note: 'changed' },
        { id: 3, name: 'Cy', note: null },
      ]);
      const lines = await h.connector.run({ kind: 'update', table: { name: 'order_line' }, set: { qty: 0 }, where: { columns: ['order_id', 'line_no'], values: [[10, 1], [11, 1], [10, 7]] } });
      expect(lines.affected).toBe(2);
      expect(sortBy(await h.query('select order_id, line_no, qty from order_line'), 'order_id', 'line_no').map((r) => Number(r.qty))).toEqual([0, 2, 0, 3]);
      const deleted = await h.connector.run({ kind: 'delete', table: { name: 'order_line' }, where: { columns: ['order_id', 'line_no'], values: [[20, 1]] } });
      expect(deleted.affected).toBe(1);
      expect((await h.query('select order_id, line_no from order_line')).length).toBe(3);
      await h.exec(`insert into order_line (order_id, line_no, sku, qty) values (20, 1, 'C', 3)`);
    });

    it('updates only the rows still holding the values onlyIf gives (NULL compared as IS NULL), counting those', async () => {
      const before = await h.query('select id, note from customer');
      await h.exec(`update customer set note = 'n1' where id = 1`);
      await h.exec(`update customer set note = 'other' where id = 2`);
      await h.exec(`update customer set note = null where id = 3`);
      const kept = await h.connector.run({ kind: 'update', table: { name: 'customer' }, set: { note: 'lifted' }, where: { columns: ['id'], values: [[1], [2], [3]] }, onlyIf: { note: 'n1' } });
      expect(kept.affected).toBe(1);
      const nulls = await h.connector.run({ kind: 'update', table: { name: 'customer' }, set: { note: 'was null' }, where: { columns: ['id'], values: [[1], [2], [3]] }, onlyIf: { note: null } });
      expect(nulls.affected).toBe(1);
      expect(sortBy(await h.query('select id, note from customer'), 'id').map((r) => r.note)).toEqual(['lifted', 'other', 'was null']);
      for (const row of before) {
        await h.connector.run({ kind: 'update', table: { name: 'customer' }, set: { note: row.note as string | null }, where: { columns: ['id'], values: [[row.id as number]] } });
      }
    });

    it('writes rows where a located select found them (PostgreSQL ctid), rows that moved since by their key, and never the row now at an address', async () => {
      const before = await h.query('select id, note from customer');
      const read = await h.connector.run({ kind: 'select', table: { name: 'customer' }, columns: ['id', 'note'], where: { columns: ['id'], values: [[1], [2], [3]] }, locate: true });
      // The address is the database's, outside the row.
      expect(read.rows.map((r) => Object.keys(r).sort())).toEqual([['id', 'note'], ['id', 'note'], ['id', 'note']]);
      if (h.type === 'postgres') {
        expect(read.locations).toHaveLength(3);
        for (const l of read.locations!) expect(l).toMatch(/^\(\d+,\d+\)$/);
      } else {
        expect(read.locations).toBeUndefined();
      }
      const at = new Map(read.rows.map((r, i) => [Number(r.id), read.locations?.[i] ?? '(0,1)']));
      // PostgreSQL joins each (address, key) pair to the row at that address holding that key; elsewhere the write is by key.
      const rendered = h.connector.render({ kind: 'delete', table: { name: 'customer' }, where: { columns: ['id'], values: [[1]] }, locations: ['(0,1)'] });
      expect(rendered.sql).toBe(
        h.type === 'postgres'
          ? 'delete from "customer" using unnest($1::tid[], $2::text[]) as "__opendpo_at"("__opendpo_tid", "__opendpo_k0") where "customer".ctid = "__opendpo_at"."__opendpo_tid" and "customer"."id"::text = "__opendpo_at"."__opendpo_k0"'
          : RENDERED[h.type].delete.replace('order', 'customer'),
      );
      // Row 2 moves after it was read (an update gives a PostgreSQL row a new address).
      await h.exec(`update customer set note = 'moved' where id = 2`);
      // Key 1 given row 3's address, key 2 its old one: rows 1 and 2 are written, row 3 is not.
      const written = await h.connector.run({ kind: 'update', table: { name: 'customer' }, set: { note: 'located' }, where: { columns: ['id'], values: [[1], [2]] }, locations: [at.get(3)!, at.get(2)!] });
      expect(written.affected).toBe(2);
      expect(sortBy(await h.query('select id, note from customer'), 'id').map((r) => r.note)).toEqual(['located', 'located', before.find((r) => Number(r.id) === 3)!.note]);
      for (const row of before) {
        await h.connector.run({ kind: 'update', table: { name: 'customer' }, set: { note: row.note as string | null }, where: { columns: ['id'], values: [[row.id as number]] } });
      }
      // A composite key: (9001, 1) given the address of (9001, 2), which stays.
      await h.exec(`insert into bulk_pair (a, b, v) values (9001, 1, 'x'), (9001, 2, 'y')`);
      const pair = await h.connector.run({ kind: 'select', table: { name: 'bulk_pair' }, columns: ['a', 'b'], where: { columns: ['a', 'b'], values: [[9001, 1], [9001, 2]] }, locate: true });
      const second = pair.locations?.[pair.rows.findIndex((r) => Number(r.b) === 2)] ?? '(0,1)';
      const deleted = await h.connector.run({ kind: 'delete', table: { name: 'bulk_pair' }, where: { columns: ['a', 'b'], values: [[9001, 1]] }, locations: [second] });
      expect(deleted.affected).toBe(1);
      expect((await h.query('select a, b from bulk_pair where a = 9001')).map((r) => Number(r.b))).toEqual([2]);
      await h.exec('delete from bulk_pair where a = 9001');
      // One address per key, or the statement is a bug of the caller's.
      await expect(h.connector.run({ kind: 'delete', table: { name: 'bulk_pair' }, where: { columns: ['a', 'b'], values: [[9001, 1]] }, locations: [] })).rejects.toThrow(/0 row locations for 1 key tuples/);
    });

    it(`splits ${BULK} keys into chunks: a select returns every chunk's rows, writes add up`, async () => {
      const keys = Array.from({ length: BULK + 100 }, (_, i) => [i + 1]);
      const chunks = h.connector.renderChunks(select('bulk', ['id', 'v'], ['id'], keys));
      expect(chunks.length).toBe(3);
      const keysIn = (c: { parameters: readonly unknown[] }) => (RENDERED[h.type].arrays ? String(c.parameters[0]).split(',').length : c.parameters.length);
      expect(chunks.map(keysIn)).toEqual([1000, 1000, 600]);
      const { rows } = await h.connector.run(select('bulk', ['id', 'v'], ['id'], keys));
      expect(rows.length).toBe(BULK);
      expect(new Set(rows.map((r) => Number(r.id))).size).toBe(BULK);
      expect(rows.every((r) => r.v === `v${String(r.id)}`)).toBe(true);

      const pairs = Array.from({ length: BULK }, (_, i) => [i + 1, i % 7]);
      const composite = await h.connector.run(select('bulk_pair', ['a', 'b', 'v'], ['a', 'b'], pairs));
      expect(composite.rows.length).toBe(BULK);
      const updated = await h.connector.run({ kind: 'update', table: { name: 'bulk_pair' }, set: { v: 'masked' }, where: { columns: ['a', 'b'], values: pairs } });
      expect(updated.affected).toBe(BULK);
      expect(await h.query(`select count(*) as n from bulk_pair where v = 'masked'`)).toEqual([{ n: expect.anything() }]);
      expect(Number((await h.query(`select count(*) as n from bulk_pair where v = 'masked'`))[0]!.n)).toBe(BULK);

      const deleted = await h.connector.run({ kind: 'delete', table: { name: 'bulk' }, where: { columns: ['id'], values: keys } });
      expect(deleted.affected).toBe(BULK);
      expect(Number((await h.query('select count(*) as n from bulk'))[0]!.n)).toBe(0);
    });

    it('binds hostile values as values: quotes, SQL, unicode, 10,000 characters (and NUL where the database takes it)', async () => {
      const values = [
        `O'Brien "the" \`x\` \\ back\\slash`,
        `'; DROP TABLE customer; --`,
        `1' OR '1'='1`,
        'Zoë Ångström — 中文 — 👩‍💻 — \u202eevil',
        'x'.repeat(10_000),
      ];
      for (const value of values) {
        const updated = await h.connector.run({ kind: 'update', table: { name: 'customer' }, set: { note: value }, where: { columns: ['id'], values: [[3]] } });
        expect(updated.affected).toBe(1);
        const { rows } = await h.connector.run(select('customer', ['note'], ['id'], [[3]]));
        expect(rows).toEqual([{ note: value }]);
        // The same value as a key matches nothing and breaks nothing.
        expect((await h.connector.run(select('customer', ['id'], ['email'], [[value]]))).rows).toEqual([]);
      }
      expect(Number((await h.query('select count(*) as n from customer'))[0]!.n)).toBe(3);

      const nul = 'before\u0000after';
      const attempt = h.connector.run({ kind: 'update', table: { name: 'customer' }, set: { note: nul }, where: { columns: ['id'], values: [[3]] } });
      if (h.acceptsNul) {
        expect((await attempt).affected).toBe(1);
        expect((await h.connector.run(select('customer', ['note'], ['id'], [[3]]))).rows).toEqual([{ note: nul }]);
      } else {
        const err = await expectCode(attempt, 'TARGET_INVALID');
        expect(err.message).toContain(h.connector.label);
        expect(err.message).toContain('customer');
        expect(err.message).not.toContain('before');
      }
      await h.exec('update customer set note = null where id = 3');
    });

    it('quotes hostile identifiers: a table named order, a table and columns with quotes in their names', async () => {
      const orders = await h.connector.run(select('order', ['id', 'total'], ['customer_id'], [[1]]));
      expect(sortBy(orders.rows, 'id')).toEqual([
        { id: 10, total: 100 },
        { id: 11, total: 50 },
      ]);
      const updated = await h.connector.run({ kind: 'update', table: { name: HOSTILE_TABLE }, set: { select: 'masked' }, where: { columns: [HOSTILE_COLUMN], values: [[2]] } });
      expect(updated.affected).toBe(1);
      expect((await h.connector.run(select(HOSTILE_TABLE, [HOSTILE_COLUMN, 'select'], [HOSTILE_COLUMN], [[1], [2]]))).rows.sort((a, b) => Number(a[HOSTILE_COLUMN]) - Number(b[HOSTILE_COLUMN]))).toEqual([
        { [HOSTILE_COLUMN]: 1, select: 'x' },
        { [HOSTILE_COLUMN]: 2, select: 'masked' },
      ]);
      const deleted = await h.connector.run({ kind: 'delete', table: { name: HOSTILE_TABLE }, where: { columns: [HOSTILE_COLUMN], values: [[1]] } });
      expect(deleted.affected).toBe(1);
      const [shape] = await h.connector.introspect({ tables: [{ name: HOSTILE_TABLE }] });
      expect(shape?.columns.map((c) => c.name)).toEqual([HOSTILE_COLUMN, 'select']);
      expect(shape?.primaryKey).toEqual([HOSTILE_COLUMN]);
    });

    it('commits a transaction: every statement on one connection, the result of fn returned', async () => {
      const result = await h.connector.transaction(async (tx) => {
        await tx.run({ kind: 'update', table: { name: 'customer' }, set: { note: 'in-tx' }, where: { columns: ['id'], values: [[1]] } });
        // The transaction sees its own write before the commit.
        const { rows } = await tx.run(select('customer', ['note'], ['id'], [[1]]));
        return rows[0]?.note;
      });
      expect(result).toBe('in-tx');
      expect(await h.query('select note from customer where id = 1')).toEqual([{ note: 'in-tx' }]);
    });

    it('rolls back a transaction when fn throws: nothing written', async () => {
      const before = sortBy(await h.query('select order_id, line_no, qty from order_line'), 'order_id', 'line_no');
      await expect(
        h.connector.transaction(async (tx) => {
          await tx.run({ kind: 'update', table: { name: 'customer' }, set: { note: 'lost' }, where: { columns: ['id'], values: [[1], [2]] } });
          await tx.run({ kind: 'delete', table: { name: 'order_line' }, where: { columns: ['order_id', 'line_no'], values: [[10, 2]] } });
          throw new Error('step failed');
        }),
      ).rejects.toThrow('step failed');
      expect(sortBy(await h.query('select id, note from customer'), 'id').map((r) => r.note)).toEqual(['in-tx', 'changed', null]);
      expect(sortBy(await h.query('select order_id, line_no, qty from order_line'), 'order_id', 'line_no')).toEqual(before);
    });

    it('rolls back when a statement is refused (a foreign key): TARGET_INVALID naming the connection and table, never the values', async () => {
      const err = await expectCode(
        h.connector.transaction(async (tx) => {
          await tx.run({ kind: 'update', table: { name: 'customer' }, set: { name: 'Ada Lovelace' }, where: { columns: ['id'], values: [[1]] } });
          await tx.run({ kind: 'delete', table: { name: 'customer' }, where: { columns: ['email'], values: [['ada@example.com']] } });
        }),
        'TARGET_INVALID',
      );
      expect(err.message).toContain(h.connector.label);
      expect(err.message).toContain('delete on table customer');
      expect(err.message).toMatch(/foreign key/);
      expect(err.message).not.toContain('ada@example.com');
      expect(await h.query('select name from customer where id = 1')).toEqual([{ name: 'Ada' }]);
    });

    it('reports a missing table or column as TARGET_INVALID naming the connection and table', async () => {
      const table = await expectCode(h.connector.run(select('no_such_table', ['id'], ['id'], [['secret-value']])), 'TARGET_INVALID');
      expect(table.message).toContain(h.connector.label);
      expect(table.message).toContain('select on table no_such_table');
      expect(table.message).not.toContain('secret-value');
      const column = await expectCode(h.connector.run(select('customer', ['no_such_column'], ['id'], [[1]])), 'TARGET_INVALID');
      expect(column.message).toContain('select on table customer');
    });

    it('introspects tables, columns, composite primary keys and foreign keys', async () => {
      const shapes = await h.connector.introspect();
      const byName = new Map(shapes.map((s) => [s.name, s]));
      expect([...byName.keys()].sort()).toEqual(
        ['bulk', 'bulk_pair', 'customer', 'order', 'order_line', 'shipment', HOSTILE_TABLE, ...(h.otherSchema ? ['invoice_note'] : [])].sort(),
      );
      const customer = byName.get('customer')!;
      expect(customer.schema).toBeUndefined();
      expect(customer.primaryKey).toEqual(['id']);
      expect(customer.columns.map((c) => [c.name, c.nullable])).toEqual([
        ['id', false],
        ['email', false],
        ['name', true],
        ['note', true],
      ]);
      expect(customer.columns.every((c) => c.type !== '' && c.type === c.type.toLowerCase())).toBe(true);
      expect(byName.get('order_line')!.primaryKey).toEqual(['order_id', 'line_no']);
      expect(byName.get('order_line')!.foreignKeys).toEqual([{ columns: ['order_id'], references: { name: 'order', columns: ['id'] } }]);
      expect(byName.get('order')!.foreignKeys).toEqual([{ columns: ['customer_id'], references: { name: 'customer', columns: ['id'] } }]);
      expect(byName.get('shipment')!.foreignKeys).toEqual([{ columns: ['order_id', 'line_no'], references: { name: 'order_line', columns: ['order_id', 'line_no'] } }]);

      const some = await h.connector.introspect({ tables: [{ name: 'customer' }, { name: 'missing' }] });
      expect(some.map((s) => s.name)).toEqual(['customer']);
      if (h.connector.defaultSchema !== undefined) {
        // Asked with the default schema written out, answered in that form.
        const explicit = await h.connector.introspect({ tables: [{ schema: h.connector.defaultSchema, name: 'customer' }] });
        expect(explicit.map((s) => [s.schema, s.name])).toEqual([[h.connector.defaultSchema, 'customer']]);
      }
    });

    // SQLite foreign keys never leave their file: the test exists where a second schema does.
    if (features.crossSchema) it('follows foreign keys across schemas', async () => {
      const other = h.otherSchema!;
      const shapes = await h.connector.introspect({ schemas: [other] });
      const invoice = shapes.find((s) => s.name === 'invoice')!;
      expect(invoice.schema).toBe(other);
      expect(invoice.foreignKeys).toEqual([{ columns: ['customer_id'], references: { name: 'customer', columns: ['id'] } }]);
      const note = shapes.find((s) => s.name === 'invoice_note')!;
      expect(note.schema).toBeUndefined();
      expect(note.foreignKeys).toEqual([{ columns: ['invoice_id'], references: { schema: other, name: 'invoice', columns: ['id'] } }]);
      const { rows } = await h.connector.run(select('invoice', ['id', 'amount'], ['customer_id'], [[1]], other));
      expect(rows).toEqual([{ id: 500, amount: 9 }]);
      const updated = await h.connector.run({ kind: 'update', table: { schema: other, name: 'invoice' }, set: { amount: 0 }, where: { columns: ['id'], values: [[501]] } });
      expect(updated.affected).toBe(1);
    });

    it('reports the database going away as TARGET_UNAVAILABLE, rolls back, and works again when it is back', async () => {
      const probe = select('customer', ['id'], ['id'], [[1]]);
      await h.connector.run(probe);
      let restore: (() => Promise<void>) | undefined;
      let inner: unknown;
      try {
        if (h.disruptInsideTransaction) {
          const outcome = h.connector.transaction(async (tx) => {
            await tx.run({ kind: 'update', table: { name: 'customer' }, set: { note: 'lost-with-connection' }, where: { columns: ['id'], values: [[2]] } });
            restore = await h.disrupt();
            try {
              await tx.run(probe);
            } catch (e) {
              inner = e;
              throw e;
            }
          });
          const err = await expectCode(outcome, 'TARGET_UNAVAILABLE');
          expect(err).toBe(inner);
          expect(err.message).toContain(h.connector.label);
          expect(err.message).toContain('select on table customer');
        } else {
          restore = await h.disrupt();
          const err = await expectCode(h.connector.run(probe), 'TARGET_UNAVAILABLE');
          expect(err.message).toContain(h.connector.label);
          await expectCode(
            h.connector.transaction(async (tx) => {
              await tx.run({ kind: 'update', table: { name: 'customer' }, set: { note: 'lost-with-connection' }, where: { columns: ['id'], values: [[2]] } });
            }),
            'TARGET_UNAVAILABLE',
          );
        }
      } finally {
        await restore?.();
      }
      expect((await h.connector.run(probe)).rows).toEqual([{ id: 1 }]);
      expect(await h.query('select note from customer where id = 2')).toEqual([{ note: 'changed' }]);
    });

    it('opens no more connections than max_connections: a statement waits for a held transaction when one is allowed, not when two are', async () => {
      if (h.connection === undefined) return; // SQLite: one connection, always
      for (const maxConnections of [1, 2]) {
        const connector = await openDatabaseConnector({ ...h.connection, maxConnections });
        try {
          let release!: () => void;
          const held = new Promise<void>((resolve) => (release = resolve));
          let inside!: () => void;
          const entered = new Promise<void>((resolve) => (inside = resolve));
          const transaction = connector.transaction(async (tx) => {
            await tx.run({ kind: 'select', table: { name: 'customer' }, columns: ['id'], where: { columns: ['id'], values: [['1']] } });
            inside();
            await held;
          });
          await entered;
          let answered = false;
          const select = connector.run({ kind: 'select', table: { name: 'customer' }, columns: ['id'], where: { columns: ['id'], values: [['1']] } }).then(() => (answered = true));
          await new Promise((resolve) => setTimeout(resolve, 300));
          expect(answered, `max_connections ${maxConnections}`).toBe(maxConnections > 1);
          release();
          await transaction;
          await select;
          expect(answered).toBe(true);
        } finally {
          await connector.close();
        }
      }
    });

    it('refuses to open an unreachable database with TARGET_UNAVAILABLE naming the connection, never the password', async () => {
      const err = await expectCode(openDatabaseConnector(h.unreachable), 'TARGET_UNAVAILABLE');
      expect(err.message).toContain(`${h.unreachable.name} (`);
      expect(err.message).not.toContain('hunter2-secret');
      const bad = await expectCode(openDatabaseConnector({ ...h.unreachable, url: 'not a url with hunter2-secret' }), 'TARGET_UNAVAILABLE');
      expect(bad.message).toContain(`connection "${h.unreachable.name}"`);
      expect(bad.message).not.toContain('hunter2-secret');
    });

    if (features.users) it('says "access denied for user ..." for a user the server refuses (unknown, or a wrong password), and names a missing database, never the password', async () => {
      const { unknownUser, wrongPassword, unknownDatabase, database } = h.refused!;
      for (const { connection, user } of [unknownUser, ...(wrongPassword === undefined ? [] : [wrongPassword])]) {
        const err = await expectCode(openDatabaseConnector(connection), 'TARGET_UNAVAILABLE');
        expect(err.message).toMatch(new RegExp(`^${connection.name} \\(${h.type} [^)]+\\): cannot connect: access denied for user "${user}": `));
        expect(err.message).toContain("check the connection's user and password");
        expect(err.message).not.toContain('the statement failed');
        expect(err.message).not.toContain('hunter2-secret');
      }
      const missing = await expectCode(openDatabaseConnector(unknownDatabase), 'TARGET_UNAVAILABLE');
      expect(missing.message).toContain(`/${database}): cannot connect: the database`);
      expect(missing.message).toContain('does not exist');
      expect(missing.message).not.toContain('hunter2-secret');
    });
  });
}

