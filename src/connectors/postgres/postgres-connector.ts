/**
 * PostgreSQL through a pg Pool. Statements outside a transaction take any pooled connection;
 * a transaction holds one. Tables may live in any schema: a TableRef without a schema means
 * the connection's current_schema() (usually public), and foreign keys are read from
 * pg_catalog so that they are found across schemas too.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Row, TableRef, TableShape, TextComparison, Value } from '../connector.js';
import { arrayLiteral } from './array-literal.js';
import { indexKey } from '../sql/index-key.js';
import { SqlConnector, type SqlEngine, type SqlTransactionConnection } from '../sql/sql-connector.js';
import type { SqlDialect } from '../sql/statement-sql.js';
import { integerValue, localTimestampText, utcInstantText } from '../sql/stored-values.js';
import { classifyNetworkError, errorCode, errorMessage, type ErrorClass } from '../sql/target-errors.js';

export const POSTGRES_DIALECT: SqlDialect = {
  type: 'postgres',
  maxParameters: 65535,
  rowValueIn: 'list',
  bind: (value: Value) => value,
  bindList: (values) => arrayLiteral(values) ?? values,
  rowLocation: 'ctid',
};

/** SQLSTATE codes (postgresql.org/docs/current/errcodes-appendix.html) and what they mean to a request. */
const INVALID: Record<string, string> = {
  '42P01': 'the table does not exist',
  '42703': 'a column does not exist',
  '3F000': 'the schema does not exist',
  '42501': 'permission denied',
  '23502': 'a NOT NULL constraint is violated',
  '23503': 'a foreign key constraint is violated',
  '23505': 'a unique constraint is violated',
  '23514': 'a check constraint is violated',
  '22021': 'a value is not valid text for the database encoding (e.g. a NUL byte)',
  '22001': 'a value is too long for its column',
  '22P02': 'a value does not match the column type',
  '22003': 'a number is out of range for its column',
  '22007': 'a date or time value is malformed',
  '22008': 'a date or time value is out of range',
  '42804': 'a value does not match the column type',
  '42883': 'a value does not match the column type (no such operator)',
  '25006': 'the database is read-only',
};
const UNAVAILABLE: Record<string, string> = {
  '57P01': 'the server ended the connection',
  '57P02': 'the server crashed',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'too many connections',
  '40001': 'a serialization failure',
  '40P01': 'a deadlock',
  '3D000': 'the database does not exist',
};

/** The server refused the user (class 28, invalid authorization specification). */
const DENIED: Record<string, string> = {
  '28P01': 'wrong password',
  '28000': 'the role does not exist, or may not connect to this database from this host',
};

export function classifyPostgresError(err: unknown): ErrorClass | undefined {
  const network = classifyNetworkError(err);
  if (network) return network;
  const code = errorCode(err);
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    const constraint = (err as { constraint?: unknown }).constraint;
    const named = typeof constraint === 'string' && code.startsWith('23') ? ` ("${constraint}")` : '';
    // 57014 is also a statement cancelled by an administrator; its message says which (our words shown, not it).
    if (code === '57014') {
      return /statement timeout/i.test(errorMessage(err))
        ? { kind: 'unavailable', reason: 'the statement ran, or waited for a lock another session holds, past statement_timeout (57014)', timeout: true }
        : { kind: 'unavailable', reason: 'the statement was cancelled (57014)' };
    }
    if (code === '55P03') return { kind: 'unavailable', reason: 'a lock another session holds was not released in time (55P03)', timeout: true };
    if (DENIED[code]) return { kind: 'unavailable', reason: `${DENIED[code]} (${code})`, denied: true };
    if (INVALID[code]) return { kind: 'invalid', reason: `${INVALID[code]}${named} (${code})` };
    if (UNAVAILABLE[code]) return { kind: 'unavailable', reason: `${UNAVAILABLE[code]} (${code})` };
    // Connection exceptions, resources, operator intervention: come back later.
    if (/^(08|53|57|58)/.test(code)) return { kind: 'unavailable', reason: `the server is not available (${code})` };
    return { kind: 'invalid', reason: `the statement failed (${code})` };
  }
  // pg's own errors carry no code: a socket that closed, a pool that waited too long.
  const message = errorMessage(err);
  if (/Query read timeout/i.test(message)) return { kind: 'unavailable', reason: 'the server sent nothing back (query_timeout)', timeout: true };
  if (/connection timeout|timeout expired|timeout exceeded when trying to connect/i.test(message)) {
    return { kind: 'unavailable', reason: 'the server did not complete the connection', timeout: true };
  }
  if (/Connection terminated|connection error|not queryable|timeout|Client was closed|Connection ended/i.test(message)) {
    return { kind: 'unavailable', reason: 'the connection was lost or timed out' };
  }
  if (/Cannot use a pool after calling end/i.test(message)) return { kind: 'unavailable', reason: 'the connection is closed' };
  return undefined;
}

const noop = () => {};

export interface PostgresOptions {
  /** postgres:// or postgresql:// connection string; may hold a password, never shown. */
  url: string;
  label: string;
  /** Statement (lock waits included) and connection timeout (default 30 s). */
  timeoutMs?: number;
  /** Connections of the pool at most (default 2). */
  maxConnections?: number;
}

/** A server that sends nothing back at all (a frozen process) is given this much more than its own statement_timeout. */
const CLIENT_MARGIN_MS = 5_000;

const names = new Map<string, string>();
/** A stable name for a statement text (its hash), computed once per text. */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `opendpo_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    if (names.size < 256) names.set(text, name);
  }
  return name;
}

async function runQuery(client: pg.PoolClient, query: { sql: string; parameters: readonly unknown[]; prepare?: boolean; arrays?: boolean }) {
  // A statement that runs again and again (a request's whole search, one text per datasets folder)
  // is named, so each connection parses and plans it once: the plan is most of its cost.
  const name = query.prepare ? statementName(query.sql) : undefined;
  const config = { text: query.sql, values: query.parameters as unknown[], ...(name ? { name } : {}) };
  if (query.arrays) {
    const result = await client.query<Value[]>({ ...config, rowMode: 'array' });
    return { rows: [], arrays: result.rows, affected: result.rowCount ?? 0 };
  }
  const result = await client.query(config);
  return { rows: result.rows as Row[], affected: result.rowCount ?? 0 };
}

/**
 * One statement on a connection of the pool, given back at once. Cheaper than pool.query (a whole
 * search measured 0.29-0.32 against 0.35-0.36 ms, hot, on the bench's database); like pool.query, a
 * connection whose statement failed is dropped, and one the server ends meanwhile reports through the
 * statement rather than as an unhandled error.
 */
async function onPoolClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  client.on('error', noop);
  let failed: Error | undefined;
  try {
    return await fn(client);
  } catch (err) {
    failed = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    client.removeListener('error', noop);
    client.release(failed);
  }
}

/**
 * Values as stored (ADR 0017), for this pool only (pg's global parsers, which our own store may
 * use, are left alone). pg would make a date and a timestamp without time zone JavaScript Dates
 * at local midnight or local time — 1980-05-17 became 1980-05-16T22:00:00.000Z under
 * TZ=Europe/Paris — and a timestamptz a Date rounded to milliseconds.
 */
// 1009: text[] (pg-types names no array types); its parser splits any array literal into texts.
const textArray = (pg.types.getTypeParser as (oid: number) => (text: string) => Array<string | null>)(1009);
const arrayOf = (parse: (text: string) => unknown) => (text: string) => textArray(text).map((v) => (v === null ? null : parse(v)));
const PARSERS: Record<number, (text: string) => unknown> = {
  1082: (text) => text, // date: the calendar date
  1114: localTimestampText, // timestamp: as stored
  1184: utcInstantText, // timestamptz: its instant, in UTC
  20: integerValue, // int8: a number while safe, else a bigint
  1182: arrayOf((text) => text),
  1115: arrayOf(localTimestampText),
  1185: arrayOf(utcInstantText),
  1016: arrayOf(integerValue),
};
const STORED_VALUE_TYPES = {
  getTypeParser: (oid: number, format?: string) => (format === undefined || format === 'text' ? PARSERS[oid] : undefined) ?? (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format),
} as pg.CustomTypesConfig;

export async function openPostgresConnector(options: PostgresOptions): Promise<SqlConnector> {
  const timeoutMs = Math.max(1, Math.round(options.timeoutMs ?? 30_000));
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 2,
    connectionTimeoutMillis: timeoutMs,
    keepAlive: true,
    types: STORED_VALUE_TYPES,
    // Backstop for a server that does not answer at all; statement_timeout below answers first.
    query_timeout: timeoutMs + CLIENT_MARGIN_MS,
    // A frozen database (a lock held by another session, a statement that never ends) stops the
    // request, resumable, instead of hanging it. Set on each connection of this pool before its
    // first query (a SET rather than a startup parameter, which PgBouncer refuses); it covers lock
    // waits too. It bounds every statement of ours, the commit included.
    // Dates are also asked the ISO way, whatever the server's DateStyle, for the parsers above.
    onConnect: async (client) => void (await client.query(`set statement_timeout = ${timeoutMs}; set datestyle = 'ISO, YMD'`)),
  });
  // An idle connection the server drops must not crash the process: the next query reports it.
  pool.on('error', noop);
  let defaultSchema: string;
  try {
    const { rows } = await pool.query<{ schema: string | null }>('select current_schema() as schema');
    defaultSchema = rows[0]?.schema ?? 'public';
  } catch (err) {
    await pool.end().catch(noop);
    throw err;
  }
  const engine: SqlEngine = {
    dialect: POSTGRES_DIALECT,
    label: options.label,
    defaultSchema,
    classify: classifyPostgresError,
    timeoutMs,
    execute: (query) => onPoolClient(pool, (client) => runQuery(client, query)),
    async acquire(): Promise<SqlTransactionConnection> {
      const client = await pool.connect();
      // While we hold it, a connection the server ends reports through the next query.
      client.on('error', noop);
      return {
        execute: (query) => runQuery(client, query),
        begin: async () => void (await client.query('begin')),
        commit: async () => void (await client.query('commit')),
        rollback: async () => void (await client.query('rollback')),
        async release(broken) {
          client.removeListener('error', noop);
          client.release(broken ? new Error('connection lost') : undefined);
        },
      };
    },
    introspect: (schemas) => introspectPostgres(pool, defaultSchema, schemas),
    catalogueVersion: (schemas) => catalogueVersionPostgres(pool, defaultSchema, schemas),
    close: () => pool.end(),
  };
  return new SqlConnector(engine);
}

/**
 * PostgreSQL keeps no counter of schema changes, but every change of a table, a column, a key or an
 * index writes a new version of its catalogue row, with a new xmin: the digest of the (oid, xmin) of
 * the schemas' rows in pg_class, pg_attribute and pg_constraint changes with any of them.
 */
async function catalogueVersionPostgres(pool: pg.Pool, defaultSchema: string, schemas: Array<string | undefined>): Promise<string> {
  const names = schemas.map((s) => s ?? defaultSchema);
  const r = await pool.query<{ v: string }>(
    `select md5(coalesce(string_agg(x, ',' order by x), '')) as v from (
       select 'c' || c.oid::text || ':' || c.xmin::text as x
         from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = any($1)
       union all
       select 'a' || a.attrelid::text || '.' || a.attnum::text || ':' || a.xmin::text
         from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1) and a.attnum > 0
       union all
       select 'k' || k.oid::text || ':' || k.xmin::text
         from pg_constraint k join pg_namespace n on n.oid = k.connamespace where n.nspname = any($1)
     ) v`,
    [names],
  );
  return r.rows[0]!.v;
}

interface TableRow {
  oid: string;
  schema: string;
  name: string;
}

async function introspectPostgres(pool: pg.Pool, defaultSchema: string, schemas: Array<string | undefined>): Promise<TableShape[]> {
  const names = schemas.map((s) => s ?? defaultSchema);
  const norm = (schema: string) => (schema === defaultSchema ? undefined : schema);
  // Ordinary and partitioned tables; partitions are reached through their parent.
  const tables = await pool.query<TableRow>(
    `select c.oid::text as oid, n.nspname as schema, c.relname as name
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and not c.relispartition and n.nspname = any($1::text[])
      order by n.nspname, c.relname`,
    [names],
  );
  if (tables.rows.length === 0) return [];
  const oids = tables.rows.map((t) => t.oid);
  const columns = await pool.query<{ oid: string; name: string; type: string; nullable: boolean; collation: string | null; coll_schema: string | null }>(
    `select a.attrelid::text as oid, a.attname as name, pg_catalog.format_type(a.atttypid, null) as type, not a.attnotnull as nullable,
            co.collname as collation, cn.nspname as coll_schema
       from pg_catalog.pg_attribute a
       left join pg_catalog.pg_collation co on co.oid = a.attcollation
       left join pg_catalog.pg_namespace cn on cn.oid = co.collnamespace
      where a.attrelid = any($1::oid[]) and a.attnum > 0 and not a.attisdropped
      order by a.attrelid, a.attnum`,
    [oids],
  );
  const unicodeLower = await lowersUnicode(pool, columns.rows);
  const constraints = await pool.query<{ oid: string; kind: 'p' | 'f'; columns: string[]; ref_schema: string | null; ref_table: string | null; ref_columns: string[] | null }>(
    `select con.conrelid::text as oid, con.contype as kind,
            array(select a.attname from unnest(con.conkey) with ordinality k(attnum, i)
                    join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.i)::text[] as columns,
            fn.nspname as ref_schema, fc.relname as ref_table,
            array(select a.attname from unnest(con.confkey) with ordinality k(attnum, i)
                    join pg_catalog.pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.i)::text[] as ref_columns
       from pg_catalog.pg_constraint con
       left join pg_catalog.pg_class fc on fc.oid = con.confrelid
       left join pg_catalog.pg_namespace fn on fn.oid = fc.relnamespace
      where con.conrelid = any($1::oid[]) and con.contype in ('p', 'f')
      order by con.conrelid, con.conname`,
    [oids],
  );
  const shapes = new Map<string, TableShape>();
  for (const t of tables.rows) {
    const schema = norm(t.schema);
    shapes.set(t.oid, { ...(schema === undefined ? {} : { schema }), name: t.name, columns: [], primaryKey: [], foreignKeys: [] });
  }
  for (const c of columns.rows) {
    const type = c.type.toLowerCase();
    // A collatable type holds text (text, varchar, char, citext, a domain over them).
    const text: TextComparison | undefined =
      c.collation === null || c.coll_schema === null
        ? undefined
        : (() => {
            const unicode = unicodeLower.get(collationKey(c.coll_schema, c.collation)) ?? false;
            // citext compares lower() of both sides, with the column's collation.
            return { collation: c.collation, caseInsensitive: unicode && /(^|\.)citext$/.test(type), lowerAsciiOnly: !unicode };
          })();
    shapes.get(c.oid)?.columns.push({ name: c.name, type, nullable: c.nullable, ...(text ? { text } : {}) });
  }
  for (const k of constraints.rows) {
    const shape = shapes.get(k.oid);
    if (shape === undefined) continue;
    if (k.kind === 'p') shape.primaryKey = k.columns;
    else if (k.ref_table !== null && k.ref_schema !== null) {
      const refSchema = norm(k.ref_schema);
      const references: TableRef & { columns: string[] } = { ...(refSchema === undefined ? {} : { schema: refSchema }), name: k.ref_table, columns: k.ref_columns ?? [] };
      shape.foreignKeys.push({ columns: k.columns, references });
    }
  }
  for (const [oid, parent] of await inheritanceParents(pool, oids)) {
    const shape = shapes.get(oid);
    const schema = norm(parent.schema);
    if (shape !== undefined) shape.inherits = { ...(schema === undefined ? {} : { schema }), name: parent.name };
  }
  await addUniqueKeysPostgres(pool, shapes);
  await addIndexesPostgres(pool, shapes);
  return [...shapes.values()];
}

/** Every valid, non-partial index, its keys as pg_get_indexdef writes them (a column, or an expression). */
async function addIndexesPostgres(pool: pg.Pool, shapes: Map<string, TableShape>): Promise<void> {
  const indexes = await pool.query<{ oid: string; name: string; keys: string[] }>(
    `select i.indrelid::text as oid, c.relname as name,
            array(select pg_catalog.pg_get_indexdef(i.indexrelid, k, true) from generate_series(1, i.indnkeyatts::int) k order by k)::text[] as keys
       from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indexrelid
      where i.indrelid = any($1::oid[]) and i.indisvalid and i.indpred is null
      order by i.indrelid, c.relname`,
    [[...shapes.keys()]],
  );
  for (const index of indexes.rows) {
    const shape = shapes.get(index.oid);
    if (shape !== undefined) (shape.indexes ??= []).push({ name: index.name, keys: index.keys.map(indexKey) });
  }
}

const collationKey = (schema: string, name: string) => `${schema}\u0000${name}`;

/**
 * Per collation the columns use, whether lower() changes letters beyond ASCII under it: asked of
 * the server (lower('É') under the collation), as it depends on the provider, the locale and the
 * version (the C and POSIX collations change ASCII letters only). The names come from the
 * catalogue and are quoted by the server's own quote_ident.
 */
async function lowersUnicode(pool: pg.Pool, columns: ReadonlyArray<{ collation: string | null; coll_schema: string | null }>): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  for (const c of columns) {
    if (c.collation === null || c.coll_schema === null || out.has(collationKey(c.coll_schema, c.collation))) continue;
    const quoted = await pool.query<{ name: string }>('select quote_ident($1) || \'.\' || quote_ident($2) as name', [c.coll_schema, c.collation]);
    const answer = await pool.query<{ unicode: boolean }>(`select lower(U&'\\00C9' collate ${quoted.rows[0]!.name}) = U&'\\00E9' as unicode`);
    out.set(collationKey(c.coll_schema, c.collation), answer.rows[0]?.unicode === true);
  }
  return out;
}

/**
 * Old-style partitions and other inheritance children (pg_inherits, not declarative partitions,
 * which are not listed at all): child oid -> its first parent. A select, update or delete on the
 * parent covers the children's rows, so a dataset describes the parent alone.
 */
async function inheritanceParents(pool: pg.Pool, oids: string[]): Promise<Map<string, { schema: string; name: string }>> {
  const rows = await pool.query<{ oid: string; schema: string; name: string }>(
    `select distinct on (i.inhrelid) i.inhrelid::text as oid, n.nspname as schema, p.relname as name
       from pg_catalog.pg_inherits i
       join pg_catalog.pg_class p on p.oid = i.inhparent
       join pg_catalog.pg_namespace n on n.oid = p.relnamespace
      where i.inhrelid = any($1::oid[])
      order by i.inhrelid, i.inhseqno`,
    [oids],
  );
  return new Map(rows.rows.map((r) => [r.oid, { schema: r.schema, name: r.name }]));
}

/** Unique indexes other than the primary key (constraints included; partial, expression and invalid indexes left out). */
async function addUniqueKeysPostgres(pool: pg.Pool, shapes: Map<string, TableShape>): Promise<void> {
  const unique = await pool.query<{ oid: string; columns: string[] }>(
    `select i.indrelid::text as oid,
            array(select a.attname from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
                    join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.n)::text[] as columns
       from pg_catalog.pg_index i
      where i.indrelid = any($1::oid[]) and i.indisunique and not i.indisprimary and i.indisvalid
        and i.indpred is null and i.indexprs is null
      order by i.indrelid, i.indexrelid`,
    [[...shapes.keys()]],
  );
  for (const u of unique.rows) {
    const shape = shapes.get(u.oid);
    if (shape !== undefined) (shape.uniqueKeys ??= []).push(u.columns);
  }
}
