/**
 * MySQL 8 and MariaDB 10.3+ through a mysql2 pool (ADR 0011). Statements run as server-side
 * prepared statements (`execute`), so values travel apart from the SQL text. A TableRef's
 * schema is a database on the same server; without one, the database of the URL.
 */
import mysql from 'mysql2/promise';
import type { IndexShape, Row, TableRef, TableShape, Value } from '../connector.js';
import { SqlConnector, type ResultTypes, type SqlEngine, type SqlTransactionConnection } from '../sql/sql-connector.js';
import type { SqlDialect } from '../sql/statement-sql.js';
import { integerValue, localTimestampText, utcInstantText } from '../sql/stored-values.js';
import { classifyNetworkError, errorCode, errorMessage, type ErrorClass } from '../sql/target-errors.js';

export const MYSQL_DIALECT: SqlDialect = {
  type: 'mysql',
  maxParameters: 65535,
  rowValueIn: 'list',
  bind: (value: Value) => {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return value;
  },
};

/** Server error codes (dev.mysql.com/doc/mysql-errors, mariadb.com/kb/en/mariadb-error-codes) and what they mean to a request. */
const INVALID: Record<string, string> = {
  ER_NO_SUCH_TABLE: 'the table does not exist',
  ER_BAD_FIELD_ERROR: 'a column does not exist',
  ER_BAD_DB_ERROR: 'the database (schema) does not exist',
  ER_DUP_ENTRY: 'a unique constraint is violated',
  ER_ROW_IS_REFERENCED: 'a foreign key constraint is violated (the row is referenced)',
  ER_ROW_IS_REFERENCED_2: 'a foreign key constraint is violated (the row is referenced)',
  ER_NO_REFERENCED_ROW: 'a foreign key constraint is violated (no referenced row)',
  ER_NO_REFERENCED_ROW_2: 'a foreign key constraint is violated (no referenced row)',
  ER_BAD_NULL_ERROR: 'a NOT NULL constraint is violated',
  ER_DATA_TOO_LONG: 'a value is too long for its column',
  ER_TRUNCATED_WRONG_VALUE: 'a value does not match the column type',
  ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: 'a value does not match the column type',
  ER_WARN_DATA_OUT_OF_RANGE: 'a number is out of range for its column',
  ER_CHECK_CONSTRAINT_VIOLATED: 'a check constraint is violated',
  ER_CONSTRAINT_FAILED: 'a check constraint is violated',
  ER_TABLEACCESS_DENIED_ERROR: 'permission denied on the table',
  ER_COLUMNACCESS_DENIED_ERROR: 'permission denied on a column',
  ER_DBACCESS_DENIED_ERROR: 'permission denied on the database',
  ER_OPTION_PREVENTS_STATEMENT: 'the server is read-only',
};
const UNAVAILABLE: Record<string, string> = {
  PROTOCOL_CONNECTION_LOST: 'the connection was lost',
  PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR: 'the connection was lost',
  PROTOCOL_ENQUEUE_AFTER_QUIT: 'the connection is closed',
  ER_CON_COUNT_ERROR: 'too many connections',
  ER_TOO_MANY_USER_CONNECTIONS: 'too many connections',
  ER_LOCK_DEADLOCK: 'a deadlock',
  ER_SERVER_SHUTDOWN: 'the server is shutting down',
  ER_CONNECTION_KILLED: 'the server ended the connection',
  ER_QUERY_INTERRUPTED: 'the statement was interrupted',
  ER_CLIENT_INTERACTION_TIMEOUT: 'the server closed an idle connection',
};

/** The server refused the user: 1045 (wrong password, unknown user), 1698 (no password given, or none accepted), 1130 (host). */
const DENIED: Record<string, string> = {
  ER_ACCESS_DENIED_ERROR: 'unknown user, or wrong password',
  ER_ACCESS_DENIED_NO_PASSWORD_ERROR: 'unknown user, or wrong or missing password',
  ER_HOST_NOT_PRIVILEGED: 'this host may not connect',
};

/** The server, or the client for a server that sent nothing back, gave up waiting: the database is not answering. */
const TIMEOUT: Record<string, string> = {
  ER_LOCK_WAIT_TIMEOUT: 'a lock another session holds was not released in time (ER_LOCK_WAIT_TIMEOUT)',
  ER_QUERY_TIMEOUT: 'the statement ran past max_execution_time (ER_QUERY_TIMEOUT)',
  PROTOCOL_SEQUENCE_TIMEOUT: 'the server sent nothing back (PROTOCOL_SEQUENCE_TIMEOUT)',
};

export function classifyMysqlError(err: unknown): ErrorClass | undefined {
  const network = classifyNetworkError(err);
  if (network?.reason.includes('ETIMEDOUT')) return { ...network, reason: 'the server did not complete the connection (ETIMEDOUT)', timeout: true };
  if (network) return network;
  const code = errorCode(err);
  if (code !== undefined && TIMEOUT[code]) return { kind: 'unavailable', reason: TIMEOUT[code], timeout: true };
  // MariaDB's max_statement_time (1969), which mysql2 has no name for.
  if ((err as { errno?: unknown })?.errno === 1969) return { kind: 'unavailable', reason: 'the statement ran past max_statement_time (1969)', timeout: true };
  if (code !== undefined && DENIED[code]) return { kind: 'unavailable', reason: `${DENIED[code]} (${code})`, denied: true };
  if (code !== undefined && INVALID[code]) return { kind: 'invalid', reason: `${INVALID[code]} (${code})` };
  if (code !== undefined && UNAVAILABLE[code]) return { kind: 'unavailable', reason: `${UNAVAILABLE[code]} (${code})` };
  if ((err as { fatal?: unknown })?.fatal === true) return { kind: 'unavailable', reason: `the connection failed (${code ?? 'fatal'})` };
  if (/closed state|connection is closed|Pool is closed/i.test(errorMessage(err))) return { kind: 'unavailable', reason: 'the connection is closed' };
  const sqlState = (err as { sqlState?: unknown })?.sqlState;
  if (typeof sqlState === 'string' && code !== undefined) {
    if (sqlState.startsWith('08')) return { kind: 'unavailable', reason: `the connection failed (${code})` };
    if (sqlState !== '00000') return { kind: 'invalid', reason: `the statement failed (${code})` };
  }
  return undefined;
}

export interface MysqlOptions {
  host: string;
  port: number;
  user?: string;
  password?: string;
  database?: string;
  ssl?: boolean;
  label: string;
  /** Statement, lock wait and connection timeout (default 30 s). */
  timeoutMs?: number;
  /** Connections of the pool at most (default 2). */
  maxConnections?: number;
}

/** A server that sends nothing back at all (a frozen process) is given this much more than its own timeouts. */
const CLIENT_MARGIN_MS = 5_000;

type Executor = Pick<mysql.Pool, 'execute'>;

async function runQuery(db: Executor, query: { sql: string; parameters: readonly unknown[]; types?: ResultTypes }, reader: boolean, timeoutMs: number) {
  const [result, fields] = await db.execute({ sql: query.sql, timeout: timeoutMs + CLIENT_MARGIN_MS }, query.parameters as mysql.ExecuteValues[]);
  if (reader) return { rows: storedValues(result as Row[], fields, query.types), affected: 0 };
  return { rows: [], affected: (result as mysql.ResultSetHeader).affectedRows };
}

type Convert = (value: string | number) => Value;

/** By the catalogue's data_type (information_schema.columns), for a search's results. */
const BY_DATA_TYPE: Record<string, Convert> = {
  timestamp: (v) => utcInstantText(String(v)),
  datetime: (v) => localTimestampText(String(v)),
  tinyint: integerValue,
  smallint: integerValue,
  mediumint: integerValue,
  int: integerValue,
  integer: integerValue,
  bigint: integerValue,
};
/** By the protocol's column type (the result's own metadata): 7 TIMESTAMP, 12 DATETIME, 8 BIGINT. */
const BY_COLUMN_TYPE: Record<number, Convert> = { 7: BY_DATA_TYPE.timestamp!, 12: BY_DATA_TYPE.datetime!, 8: integerValue };

/**
 * Values as stored (ADR 0017). With dateStrings, mysql2 gives dates and times as the server wrote
 * them, in the session's time zone, UTC (set on each connection): a DATE stays its calendar date,
 * a DATETIME is shown as stored, a TIMESTAMP (an instant) gets its Z. Decimals are already text;
 * a BIGINT is a number while safe, a bigint beyond.
 */
function storedValues(rows: Row[], fields: readonly mysql.FieldPacket[] | undefined, types: ResultTypes | undefined): Row[] {
  if (fields === undefined) return rows;
  const converts: Array<[string, Convert]> = [];
  for (const field of fields) {
    const declared = types?.[field.name];
    const convert = declared !== undefined ? BY_DATA_TYPE[declared] : field.columnType === undefined ? undefined : BY_COLUMN_TYPE[field.columnType];
    if (convert !== undefined) converts.push([field.name, convert]);
  }
  if (converts.length === 0) return rows;
  for (const row of rows) {
    for (const [name, convert] of converts) {
      const v = row[name];
      if (typeof v === 'string' || typeof v === 'number') row[name] = convert(v);
    }
  }
  return rows;
}

export async function openMysqlConnector(options: MysqlOptions): Promise<SqlConnector> {
  const timeoutMs = Math.max(1, Math.round(options.timeoutMs ?? 30_000));
  const pool = mysql.createPool({
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database: options.database,
    ...(options.ssl ? { ssl: { rejectUnauthorized: true } } : {}),
    connectionLimit: options.maxConnections ?? 2,
    connectTimeout: timeoutMs,
    enableKeepAlive: true,
    // Large integers and decimals as strings rather than rounded numbers; dates in UTC.
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: false,
    // Dates and times as text, read in a UTC session (below), and a JavaScript Date bound as UTC.
    dateStrings: true,
    timezone: 'Z',
    // Each distinct chunk size is its own prepared statement: keep the per-connection cache
    // well under the server's max_prepared_stmt_count.
    maxPreparedStatements: 64,
    multipleStatements: false,
  });
  // An idle connection the server drops must not crash the process: the next query reports it.
  // A TIMESTAMP is an instant: read and compared in UTC, whatever the server's time zone. Sent
  // first on each new connection (mysql2 runs a connection's commands in order).
  // A frozen database (a lock held by another session, FLUSH TABLES WITH READ LOCK, a statement
  // that never ends) stops the request, resumable, instead of hanging it: row locks
  // (innodb_lock_wait_timeout), table and global locks (lock_wait_timeout) in whole seconds, and
  // statements: MariaDB's max_statement_time, MySQL's max_execution_time (each server refuses the
  // other's, ignored).
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  pool.pool.on('connection', (conn) => {
    conn.on('error', () => {});
    conn.query(`set time_zone = '+00:00', innodb_lock_wait_timeout = ${seconds}, lock_wait_timeout = ${seconds}`, () => {});
    conn.query(`set max_statement_time = ${timeoutMs / 1000}`, () => {});
    conn.query(`set max_execution_time = ${timeoutMs}`, () => {});
  });
  let defaultSchema: string | undefined;
  try {
    const [rows] = await pool.query('select database() as db');
    defaultSchema = (rows as Array<{ db: string | null }>)[0]?.db ?? undefined;
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  const engine: SqlEngine = {
    dialect: MYSQL_DIALECT,
    label: options.label,
    defaultSchema,
    classify: classifyMysqlError,
    timeoutMs,
    execute: (query, reader) => runQuery(pool, query, reader, timeoutMs),
    async acquire(): Promise<SqlTransactionConnection> {
      const conn = await pool.getConnection();
      return {
        execute: (query, reader) => runQuery(conn, query, reader, timeoutMs),
        begin: () => conn.beginTransaction(),
        commit: () => conn.commit(),
        rollback: () => conn.rollback(),
        async release(broken) {
          if (broken) conn.destroy();
          else conn.release();
        },
      };
    },
    introspect: (schemas) => introspectMysql(pool, defaultSchema, schemas),
    catalogueVersion: (schemas) => catalogueVersionMysql(pool, defaultSchema, schemas),
    close: () => pool.end(),
  };
  return new SqlConnector(engine);
}

/**
 * MySQL and MariaDB keep no counter of schema changes: the version is a digest of what introspection
 * reads (every column's table, name, position, type, nullability and key; every foreign key), summed
 * as 60-bit numbers so that no GROUP_CONCAT length limit cuts it.
 */
async function catalogueVersionMysql(pool: mysql.Pool, defaultSchema: string | undefined, schemas: Array<string | undefined>): Promise<string> {
  const names = [...new Set(schemas.map((s) => s ?? defaultSchema).filter((s): s is string => s !== undefined))];
  if (names.length === 0) return '';
  const marks = names.map(() => '?').join(', ');
  const digest = (columns: string) => `coalesce(sum(conv(substring(md5(concat_ws('|', ${columns})), 1, 15), 16, 10)), 0)`;
  const [rows] = await pool.query(
    `select
       (select concat(count(*), ':', ${digest('table_schema, table_name, column_name, ordinal_position, column_type, is_nullable, column_key, extra')})
          from information_schema.columns where table_schema in (${marks})) as c,
       (select concat(count(*), ':', ${digest('constraint_schema, constraint_name, table_name, column_name, ordinal_position, referenced_table_schema, referenced_table_name, referenced_column_name')})
          from information_schema.key_column_usage where table_schema in (${marks})) as k`,
    [...names, ...names],
  );
  const row = (rows as { c: string; k: string }[])[0]!;
  return `${row.c}/${row.k}`;
}

async function introspectMysql(pool: mysql.Pool, defaultSchema: string | undefined, schemas: Array<string | undefined>): Promise<TableShape[]> {
  const names = [...new Set(schemas.map((s) => s ?? defaultSchema).filter((s): s is string => s !== undefined))];
  if (names.length === 0) return [];
  const marks = names.map(() => '?').join(', ');
  const norm = (schema: string) => (schema === defaultSchema ? undefined : schema);
  const [tables] = await pool.query(
    `select table_schema as s, table_name as t from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema in (${marks}) order by table_schema, table_name`,
    names,
  );
  const [columns] = await pool.query(
    `select table_schema as s, table_name as t, column_name as c, data_type as type, is_nullable as nullable, collation_name as coll
       from information_schema.columns where table_schema in (${marks}) order by table_schema, table_name, ordinal_position`,
    names,
  );
  const [keys] = await pool.query(
    `select table_schema as s, table_name as t, constraint_name as k, column_name as c,
            referenced_table_schema as rs, referenced_table_name as rt, referenced_column_name as rc
       from information_schema.key_column_usage
      where table_schema in (${marks}) and (constraint_name = 'PRIMARY' or referenced_table_name is not null)
      order by table_schema, table_name, constraint_name, ordinal_position`,
    names,
  );
  const shapes = new Map<string, TableShape>();
  const id = (s: string, t: string) => `${s}\u0000${t}`;
  for (const row of tables as Array<{ s: string; t: string }>) {
    const schema = norm(row.s);
    shapes.set(id(row.s, row.t), { ...(schema === undefined ? {} : { schema }), name: row.t, columns: [], primaryKey: [], foreignKeys: [] });
  }
  for (const row of columns as Array<{ s: string; t: string; c: string; type: string; nullable: string; coll: string | null }>) {
    // A collation names text columns; *_ci ones (the default, utf8mb4_general_ci) ignore case and accents.
    const text = row.coll === null ? undefined : { collation: row.coll, caseInsensitive: /_ci$/i.test(row.coll), lowerAsciiOnly: false };
    shapes.get(id(row.s, row.t))?.columns.push({ name: row.c, type: row.type.toLowerCase(), nullable: row.nullable === 'YES', ...(text ? { text } : {}) });
  }
  const foreign = new Map<string, { shape: TableShape; columns: string[]; references: TableRef & { columns: string[] } }>();
  for (const row of keys as Array<{ s: string; t: string; k: string; c: string; rs: string | null; rt: string | null; rc: string | null }>) {
    const shape = shapes.get(id(row.s, row.t));
    if (shape === undefined) continue;
    if (row.k === 'PRIMARY' && row.rt === null) {
      shape.primaryKey.push(row.c);
      continue;
    }
    if (row.rt === null || row.rc === null) continue;
    const fkId = `${id(row.s, row.t)}\u0000${row.k}`;
    let fk = foreign.get(fkId);
    if (fk === undefined) {
      const refSchema = norm(row.rs ?? row.s);
      fk = { shape, columns: [], references: { ...(refSchema === undefined ? {} : { schema: refSchema }), name: row.rt, columns: [] } };
      foreign.set(fkId, fk);
    }
    fk.columns.push(row.c);
    fk.references.columns.push(row.rc);
  }
  for (const fk of foreign.values()) fk.shape.foreignKeys.push({ columns: fk.columns, references: fk.references });
  await addUniqueKeysMysql(pool, names, shapes, id);
  await addIndexesMysql(pool, names, shapes, id);
  return [...shapes.values()];
}

/** Every index, its parts in order (a part without a column is an expression, MySQL 8's functional indexes). */
async function addIndexesMysql(pool: mysql.Pool, schemas: string[], shapes: Map<string, TableShape>, id: (s: string, t: string) => string): Promise<void> {
  const [rows] = await pool.query(
    `select table_schema as s, table_name as t, index_name as k, column_name as c
       from information_schema.statistics
      where table_schema in (${schemas.map(() => '?').join(', ')})
      order by table_schema, table_name, index_name, seq_in_index`,
    schemas,
  );
  const indexes = new Map<string, { shape: TableShape; index: IndexShape }>();
  for (const row of rows as Array<{ s: string; t: string; k: string; c: string | null }>) {
    const shape = shapes.get(id(row.s, row.t));
    if (shape === undefined) continue;
    const key = `${id(row.s, row.t)}\u0000${row.k}`;
    if (!indexes.has(key)) indexes.set(key, { shape, index: { name: row.k, keys: [] } });
    indexes.get(key)!.index.keys.push(row.c === null ? { expression: '?' } : { column: row.c });
  }
  for (const { shape, index } of indexes.values()) (shape.indexes ??= []).push(index);
}

/** Unique indexes other than the primary key (an index with an expression part left out). */
async function addUniqueKeysMysql(pool: mysql.Pool, schemas: string[], shapes: Map<string, TableShape>, id: (s: string, t: string) => string): Promise<void> {
  const [rows] = await pool.query(
    `select table_schema as s, table_name as t, index_name as k, column_name as c
       from information_schema.statistics
      where table_schema in (${schemas.map(() => '?').join(', ')}) and non_unique = 0 and index_name <> 'PRIMARY'
      order by table_schema, table_name, index_name, seq_in_index`,
    schemas,
  );
  const indexes = new Map<string, { shape: TableShape; columns: Array<string | null> }>();
  for (const row of rows as Array<{ s: string; t: string; k: string; c: string | null }>) {
    const shape = shapes.get(id(row.s, row.t));
    if (shape === undefined) continue;
    const key = `${id(row.s, row.t)}\u0000${row.k}`;
    if (!indexes.has(key)) indexes.set(key, { shape, columns: [] });
    indexes.get(key)!.columns.push(row.c);
  }
  for (const { shape, columns } of indexes.values()) {
    if (columns.every((c): c is string => c !== null)) (shape.uniqueKeys ??= []).push(columns);
  }
}
