/**
 * Statements to SQL text and bound parameters, through Kysely's query compilers: every
 * identifier goes through the dialect's own quoting (`sql.id`), every value through a
 * placeholder (`sql.val`), so neither a hostile table name nor a hostile identity value can
 * change what the statement does.
 *
 * Nothing here touches a database: a Kysely instance over a DummyDriver only compiles.
 */
import {
  DummyDriver,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type RawBuilder,
} from 'kysely';
import type { DatabaseType, KeyFilter, RenderedStatement, Statement, TableRef, Value } from '../connector.js';
import { valueKey } from '../value-key.js';

/** What differs between the three databases when writing a statement. */
export interface SqlDialect {
  readonly type: DatabaseType;
  /** The most placeholders one statement may carry. */
  readonly maxParameters: number;
  /**
   * How a composite key is matched. PostgreSQL, MySQL 8 and MariaDB 10.3+ take a list of row
   * values, `(a, b) in ((?, ?), ...)`; SQLite (3.15+) takes row values only against a subquery,
   * so the list becomes `in (values (?, ?), ...)`.
   */
  readonly rowValueIn: 'list' | 'values';
  /** A value as the driver binds it (e.g. SQLite has no boolean or date type). */
  bind(value: Value): unknown;
  /** A list bound as one parameter (PostgreSQL: an array), when the driver's own conversion is not the one wanted. */
  bindList?(values: readonly Value[]): unknown;
  /**
   * Row addresses (Statement `locate` and `locations`): PostgreSQL's ctid, read as text and bound
   * as tid[]. Absent: the database has none a write could use (MySQL), or looking a row up by its
   * key costs no more (SQLite's rowid tables are their primary key).
   */
  readonly rowLocation?: 'ctid';
}

/** A list of values as one parameter (PostgreSQL's `= any($1)`): the dialect's own conversion, else an array of bound values. */
export function boundList(dialect: SqlDialect, values: readonly Value[]): unknown {
  return dialect.bindList?.(values) ?? values.map((v) => dialect.bind(v));
}

/** The output column a located select carries each row's address in (taken out of the row by the connector). */
export const LOCATION_COLUMN = '__opendpo_row_location';

/** The names a write by address gives its list of addresses and keys (see renderStatement). */
const AT = '__opendpo_at';
const AT_TID = '__opendpo_tid';
const atKey = (i: number) => `__opendpo_k${i}`;

/** A key value as the text the database writes it (`col::text`), where that text is plain; undefined otherwise. */
const keyText = (value: Value): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' ? String(value) : undefined;

/** Whether this statement reads or writes by row address on this dialect. */
export function locates(dialect: SqlDialect, statement: Statement): boolean {
  if (dialect.rowLocation === undefined) return false;
  if (statement.kind === 'select') return statement.locate === true && !statement.columns.includes(LOCATION_COLUMN) && statement.columns.length > 0;
  if (statement.locations === undefined || statement.locations.length !== statement.where.values.length || statement.where.values.length === 0) return false;
  // Keys compared as text (below) must have a plain text; the names of the address list must not be the table's.
  const named = [...statement.where.columns, ...(statement.kind === 'update' ? [...Object.keys(statement.set), ...Object.keys(statement.onlyIf ?? {})] : [])];
  return !named.some((c) => c.startsWith('__opendpo_')) && statement.where.values.every((t) => t.every((v) => keyText(v) !== undefined));
}

/** Tuples per statement: long IN lists are split so no statement nears the parameter limit. */
export const CHUNK_TUPLES = 1000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the compiler never sees a typed schema
type AnyKysely = Kysely<any>;

const compilers = new Map<DatabaseType, AnyKysely>();

/** A Kysely instance that compiles for the dialect and cannot run anything. */
export function compilerFor(type: DatabaseType): AnyKysely {
  let db = compilers.get(type);
  if (db === undefined) {
    db = new Kysely({
      dialect: {
        createDriver: () => new DummyDriver(),
        createAdapter: () => (type === 'postgres' ? new PostgresAdapter() : type === 'mysql' ? new MysqlAdapter() : new SqliteAdapter()),
        createIntrospector: (k) => (type === 'postgres' ? new PostgresIntrospector(k) : type === 'mysql' ? new MysqlIntrospector(k) : new SqliteIntrospector(k)),
        createQueryCompiler: () => (type === 'postgres' ? new PostgresQueryCompiler() : type === 'mysql' ? new MysqlQueryCompiler() : new SqliteQueryCompiler()),
      },
    });
    compilers.set(type, db);
  }
  return db;
}

export const tableSql = (table: TableRef): RawBuilder<unknown> => (table.schema === undefined ? sql.id(table.name) : sql.id(table.schema, table.name));

/** A schema-qualified name for messages: identifiers only, never values. */
export const tableLabel = (table: TableRef): string => (table.schema === undefined ? table.name : `${table.schema}.${table.name}`);

function whereSql(dialect: SqlDialect, where: KeyFilter): RawBuilder<unknown> {
  if (where.values.length === 0) return sql`1 = 0`;
  const bound = (v: Value) => sql.val(dialect.bind(v));
  if (where.columns.length === 1) {
    // An identity compared without letter case reads lower(column) (src/dsr/identity-lookup.ts).
    const column = where.lowerCase ? sql`lower(${sql.id(where.columns[0]!)})` : sql.id(where.columns[0]!);
    // PostgreSQL takes the whole list as one array parameter, typed from the column: one text per
    // table and column whatever the number of keys, so the statement is prepared once and its plan
    // kept, where a list of a thousand placeholders is parsed and planned again every time.
    if (dialect.type === 'postgres') return sql`${column} = any(${sql.val(boundList(dialect, where.values.map((t) => t[0]!)))})`;
    return sql`${column} in (${sql.join(where.values.map((t) => bound(t[0]!)))})`;
  }
  const columns = sql`(${sql.join(where.columns.map((c) => sql.id(c)))})`;
  const tuples = sql.join(where.values.map((t) => sql`(${sql.join(t.map(bound))})`));
  return dialect.rowValueIn === 'list' ? sql`${columns} in (${tuples})` : sql`${columns} in (values ${tuples})`;
}

/** Refuses statements that are bugs of the caller, before any SQL is written. */
export function checkStatement(statement: Statement): void {
  const { where } = statement;
  if (where.columns.length === 0) throw new Error(`a ${statement.kind} statement on ${tableLabel(statement.table)} has no key columns`);
  if (where.lowerCase && (statement.kind !== 'select' || where.columns.length !== 1)) {
    throw new Error(`a ${statement.kind} statement on ${tableLabel(statement.table)} compares lower() of ${where.columns.length} columns: only a select by one column can`);
  }
  for (const tuple of where.values) {
    if (tuple.length !== where.columns.length) {
      throw new Error(`a ${statement.kind} statement on ${tableLabel(statement.table)} has a key tuple of ${tuple.length} values for ${where.columns.length} columns`);
    }
  }
  if (statement.kind !== 'select' && statement.locations !== undefined && statement.locations.length !== where.values.length) {
    throw new Error(`a ${statement.kind} statement on ${tableLabel(statement.table)} has ${statement.locations.length} row locations for ${where.values.length} key tuples`);
  }
  if (statement.kind === 'update' && Object.keys(statement.set).length === 0) {
    throw new Error(`an update statement on ${tableLabel(statement.table)} sets no column`);
  }
}

/** The SQL and parameters of one statement, with all its key tuples. */
export function renderStatement(dialect: SqlDialect, statement: Statement): RenderedStatement {
  checkStatement(statement);
  const table = tableSql(statement.table);
  const located = locates(dialect, statement);
  let where = whereSql(dialect, statement.where);
  // A write by address: each (address, key) pair of the list, joined to the row at that address
  // when that row still holds that key (the address of a row that moved may hold another row
  // since). One row looked up per pair, by address (a nested loop over a TID scan), and one key
  // compared per row: `ctid = any($1) and id = any($2)` compared every row with the whole key list
  // in a prepared plan (44 ms for 3,000 rows, against 8). Keys are compared as the database writes
  // them as text: a key whose text differs from ours (a value of an unusual type) is simply not
  // found at its address, and is written by key. An update reports its rows back by key so the
  // caller can write the others by key alone; a deleted row cannot be deleted twice, so a delete
  // needs no such report.
  let at: RawBuilder<unknown> | undefined;
  const qualified = (column: string) => sql`${table}.${sql.id(column)}`;
  if (located && statement.kind !== 'select') {
    const { columns, values } = statement.where;
    const lists = [
      sql`${sql.val(boundList(dialect, statement.locations!))}::tid[]`,
      ...columns.map((_, i) => sql`${sql.val(boundList(dialect, values.map((t) => keyText(t[i]!)!)))}::text[]`),
    ];
    at = sql`unnest(${sql.join(lists)}) as ${sql.id(AT)}(${sql.join([sql.id(AT_TID), ...columns.map((_, i) => sql.id(atKey(i)))])})`;
    where = sql.join([sql`${table}.ctid = ${sql.id(AT, AT_TID)}`, ...columns.map((c, i) => sql`${qualified(c)}::text = ${sql.id(AT, atKey(i))}`)], sql` and `);
  }
  const returning = at !== undefined && statement.kind === 'update' ? sql` returning ${sql.join(statement.where.columns.map(qualified))}` : sql``;
  let query: RawBuilder<unknown>;
  switch (statement.kind) {
    case 'select': {
      const columns = statement.columns.length === 0 ? sql`*` : sql.join(statement.columns.map((c) => sql.id(c)));
      const location = located ? sql`, ctid::text as ${sql.id(LOCATION_COLUMN)}` : sql``;
      query = sql`select ${columns}${location} from ${table} where ${where}`;
      break;
    }
    case 'update': {
      const set = sql.join(Object.entries(statement.set).map(([column, value]) => sql`${sql.id(column)} = ${sql.val(dialect.bind(value))}`));
      const only = Object.entries(statement.onlyIf ?? {}).map(([column, value]) =>
        value === null ? sql` and ${sql.id(column)} is null` : sql` and ${sql.id(column)} = ${sql.val(dialect.bind(value))}`,
      );
      const from = at === undefined ? sql`` : sql` from ${at}`;
      query = sql`update ${table} set ${set}${from} where ${where}${sql.join(only, sql``)}${returning}`;
      break;
    }
    case 'delete':
      query = at === undefined ? sql`delete from ${table} where ${where}` : sql`delete from ${table} using ${at} where ${where}`;
      break;
  }
  const compiled = query.compile(compilerFor(dialect.type));
  return { sql: compiled.sql, parameters: compiled.parameters };
}

/**
 * The statement as it runs: repeated tuples dropped (a row is never read twice, an update never
 * counted twice), then split into statements of at most CHUNK_TUPLES tuples and well under the
 * dialect's parameter limit. A statement without tuples gives no statement at all.
 */
export function chunkStatement(dialect: SqlDialect, statement: Statement): Statement[] {
  checkStatement(statement);
  const seen = new Set<string>();
  const values: Value[][] = [];
  // Addresses travel with their keys (a repeated key keeps its first).
  const given = statement.kind === 'select' ? undefined : statement.locations;
  const locations: string[] | undefined = given === undefined ? undefined : [];
  const single = statement.where.columns.length === 1;
  for (const [i, tuple] of statement.where.values.entries()) {
    const k = single ? valueKey(tuple[0] ?? null) : JSON.stringify(tuple.map(valueKey));
    if (seen.has(k)) continue;
    seen.add(k);
    values.push(tuple);
    locations?.push(given![i]!);
  }
  const setCount = statement.kind === 'update' ? Object.keys(statement.set).length + Object.keys(statement.onlyIf ?? {}).length : 0;
  // An address list is one parameter more (one array).
  const perTuple = statement.where.columns.length;
  const size = Math.max(1, Math.min(CHUNK_TUPLES, Math.floor((dialect.maxParameters - setCount - 1) / perTuple)));
  const chunks: Statement[] = [];
  for (let i = 0; i < values.length; i += size) {
    const where = { ...statement.where, values: values.slice(i, i + size) };
    if (statement.kind === 'select') chunks.push({ ...statement, where });
    else {
      const { locations: _all, ...rest } = statement;
      chunks.push(locations === undefined ? { ...rest, where } : { ...rest, where, locations: locations.slice(i, i + size) });
    }
  }
  return chunks;
}

/**
 * The statement that creates an index on lower(column), for a person to run (an identity compared
 * without letter case is looked up through lower(column): src/dsr/identity-lookup.ts).
 */
export function renderCreateLowerIndex(type: DatabaseType, table: TableRef, column: string): string {
  const name = `${table.name}_${column}_lower_idx`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 63);
  const target = type === 'sqlite' && table.schema !== undefined ? sql`${sql.id(table.schema, name)} on ${sql.id(table.name)}` : sql`${sql.id(name)} on ${tableSql(table)}`;
  return sql`create index ${target} (lower(${sql.id(column)}))`.compile(compilerFor(type)).sql;
}
