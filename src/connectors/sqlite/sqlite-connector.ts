/**
 * SQLite through better-sqlite3: one connection to a database file that must already exist
 * (a typo in a path must not create an empty database and report that the person has no data).
 * better-sqlite3 is synchronous and has one connection, so a transaction holds a lock that
 * statements from outside it wait for: they never slip into someone else's transaction.
 * A TableRef's schema is an attached database name; "main" is the default.
 */
import SqliteDatabase from 'better-sqlite3';
import type { IndexShape, Row, TableShape, TextComparison, Value } from '../connector.js';
import { createIndexKeys, indexKey } from '../sql/index-key.js';
import { SqlConnector, type ResultTypes, type SqlEngine, type SqlTransactionConnection } from '../sql/sql-connector.js';
import { decimalScale, decimalText, integerValue } from '../sql/stored-values.js';
import type { SqlDialect } from '../sql/statement-sql.js';
import { errorCode, errorMessage, type ErrorClass } from '../sql/target-errors.js';

export const SQLITE_DIALECT: SqlDialect = {
  type: 'sqlite',
  // SQLITE_MAX_VARIABLE_NUMBER since SQLite 3.32.
  maxParameters: 32766,
  rowValueIn: 'values',
  // SQLite has no boolean or date type: booleans are 0/1 and dates ISO 8601 text, as applications store them.
  bind: (value: Value) => {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value instanceof Date) return value.toISOString();
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return value;
  },
};

export function classifySqliteError(err: unknown): ErrorClass | undefined {
  const code = errorCode(err);
  const message = errorMessage(err);
  if (code === undefined) {
    if (/database connection is not open/i.test(message)) return { kind: 'unavailable', reason: 'the database is closed' };
    return undefined;
  }
  if (!code.startsWith('SQLITE_')) return undefined;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return { kind: 'unavailable', reason: `another process holds a lock on the database file (${code})`, timeout: true };
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_FULL' || code === 'SQLITE_PROTOCOL') {
    return { kind: 'unavailable', reason: `the database file cannot be read or written (${code})` };
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    const what = code === 'SQLITE_CONSTRAINT_FOREIGNKEY' ? 'a foreign key' : code === 'SQLITE_CONSTRAINT_NOTNULL' ? 'a NOT NULL' : code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ? 'a unique' : 'a';
    return { kind: 'invalid', reason: `${what} constraint is violated (${code})` };
  }
  // SQLite's own messages for these name only identifiers ("no such table: order"), never a bound value.
  if (/^no such (table|column)/.test(message)) return { kind: 'invalid', reason: `${message.split('\n')[0]!.slice(0, 200)} (${code})` };
  if (code.startsWith('SQLITE_READONLY')) return { kind: 'invalid', reason: `the database is read-only (${code})` };
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return { kind: 'unavailable', reason: `the file is not a readable SQLite database (${code})` };
  return { kind: 'invalid', reason: `the statement failed (${code})` };
}

export interface SqliteOptions {
  /** A file path, or ":memory:". */
  file: string;
  label: string;
  /** How long a statement waits for another process's lock before TARGET_UNAVAILABLE (default 30 s). */
  busyTimeoutMs?: number;
}

/** A queue of one: the connection is either free or held by one transaction. */
class Lock {
  #tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

export async function openSqliteConnector(options: SqliteOptions): Promise<SqlConnector> {
  const memory = options.file === ':memory:';
  // The only way a SQLite file stops answering is another process's lock: wait that long for it.
  const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? 30_000));
  const db = new SqliteDatabase(options.file, { fileMustExist: !memory });
  try {
    // Fails here, not at the first request, when the file is not a SQLite database.
    db.prepare('select count(*) from sqlite_master').get();
    // Declared foreign keys hold while opendpo writes, as the application meant them to.
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // Art. 17: an erased value must not stay readable in the file. secure_delete overwrites with
    // zeros what a delete or an update frees (cells, free-list pages), on this connection only.
    db.pragma('secure_delete = ON');
    // Rollback journal modes are per connection: this one starts in DELETE, so its -journal file
    // (the original pages, old values included) is deleted at each commit, whatever mode
    // (PERSIST, TRUNCATE) the application's own connections use. WAL is the file's: see clearWal.
  } catch (err) {
    db.close();
    throw err;
  }
  const lock = new Lock();
  const cache = new Map<string, Prepared>();
  const prepare = (text: string): Prepared => {
    let prepared = cache.get(text);
    if (prepared === undefined) {
      const stmt = db.prepare(text);
      // Integers as bigints, so one beyond 2^53 keeps its digits; storedValues makes the safe ones numbers.
      if (stmt.reader) stmt.safeIntegers(true);
      prepared = { stmt, declared: stmt.reader ? stmt.columns().map((c) => [c.name, c.type] as const) : [] };
      if (cache.size >= 64) cache.delete(cache.keys().next().value!);
      cache.set(text, prepared);
    }
    return prepared;
  };
  const run = (query: { sql: string; parameters: readonly unknown[]; types?: ResultTypes }, reader: boolean) => {
    const { stmt, declared } = prepare(query.sql);
    if (reader) return { rows: storedValues(stmt.all(...query.parameters) as Row[], declared, query.types), affected: 0 };
    const affected = stmt.run(...query.parameters).changes;
    if (!db.inTransaction) clearWal(db);
    return { rows: [], affected };
  };
  const engine: SqlEngine = {
    dialect: SQLITE_DIALECT,
    label: options.label,
    defaultSchema: 'main',
    classify: classifySqliteError,
    timeoutMs: busyTimeoutMs,
    async execute(query, reader) {
      const release = await lock.acquire();
      try {
        return run(query, reader);
      } finally {
        release();
      }
    },
    async acquire(): Promise<SqlTransactionConnection> {
      const release = await lock.acquire();
      return {
        execute: async (query, reader) => run(query, reader),
        // IMMEDIATE: take the write lock now, so a busy database fails before anything is read.
        begin: async () => void db.exec('begin immediate'),
        commit: async () => {
          db.exec('commit');
          clearWal(db);
        },
        rollback: async () => {
          if (db.inTransaction) db.exec('rollback');
        },
        release: async () => release(),
      };
    },
    async catalogueVersion(schemas) {
      // SQLite counts every change of a schema in its header (PRAGMA schema_version).
      const release = await lock.acquire();
      try {
        return [...new Set(schemas.map((s) => s ?? 'main'))]
          .sort()
          .map((s) => `${s}:${String(db.pragma(`"${s.replace(/"/g, `""`)}".schema_version`, { simple: true }))}`)
          .join(',');
      } finally {
        release();
      }
    },
    async introspect(schemas) {
      const release = await lock.acquire();
      try {
        return introspectSqlite(db, schemas);
      } finally {
        release();
      }
    },
    async close() {
      const release = await lock.acquire();
      try {
        db.close();
      } finally {
        release();
      }
    },
  };
  return new SqlConnector(engine);
}

interface Prepared {
  stmt: SqliteDatabase.Statement;
  /** Each result column with its declared type (null for an expression, and in a compound select's later branches). */
  declared: ReadonlyArray<readonly [string, string | null]>;
}

/**
 * Values as stored, in the shape the other databases give them (ADR 0017): an integer is a number
 * while safe, a bigint beyond; a column declared DECIMAL or NUMERIC holds an exact decimal, which
 * SQLite keeps as a floating-point or an integer: it is given as text with the declared scale
 * (12.5 in a DECIMAL(10,2) is "12.50", as PostgreSQL and MariaDB give it). Text (dates included:
 * SQLite has no date type) is left as stored.
 */
function storedValues(rows: Row[], declared: Prepared['declared'], types: ResultTypes | undefined): Row[] {
  const decimals = new Map<string, number | undefined>();
  for (const [name, type] of declared) {
    const scale = decimalScale(types?.[name] ?? type ?? '');
    if (scale !== null) decimals.set(name, scale);
  }
  for (const row of rows) {
    for (const name in row) {
      const v = row[name];
      if (decimals.has(name)) row[name] = decimalText(v ?? null, decimals.get(name));
      else if (typeof v === 'bigint') row[name] = integerValue(v);
    }
  }
  return rows;
}

/**
 * In WAL mode the -wal file holds earlier versions of the pages a commit changed (the old values)
 * until a checkpoint copies the new ones into the database and the log starts over: after a
 * write, checkpoint and empty it (TRUNCATE waits up to busy_timeout for readers of older
 * snapshots). A rollback journal needs nothing: it is deleted or emptied at the commit.
 */
function clearWal(db: SqliteDatabase.Database): void {
  if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return;
  db.pragma('wal_checkpoint(TRUNCATE)');
}

function introspectSqlite(db: SqliteDatabase.Database, schemas: Array<string | undefined>): TableShape[] {
  const shapes: TableShape[] = [];
  // Any column may hold text in SQLite; lower() changes ASCII letters only unless built with ICU.
  const unicode = (db.prepare("select lower(char(201)) = char(233) as unicode").get() as { unicode: number }).unicode === 1;
  const text: TextComparison = { collation: 'BINARY', caseInsensitive: false, lowerAsciiOnly: !unicode };
  for (const schema of new Set(schemas.map((s) => s ?? 'main'))) {
    const quoted = `"${schema.replace(/"/g, '""')}"`;
    const tables = db.prepare(`select name from ${quoted}.sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`).all() as Array<{ name: string }>;
    for (const { name } of tables) {
      const info = db.prepare('select name, type, "notnull" as not_null, pk from pragma_table_info(?, ?) order by cid').all(name, schema) as Array<{
        name: string;
        type: string;
        not_null: number;
        pk: number;
      }>;
      const primaryKey = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      const fkRows = db.prepare('select id, seq, "table" as ref, "from" as col, "to" as refcol from pragma_foreign_key_list(?, ?) order by id, seq').all(name, schema) as Array<{
        id: number;
        seq: number;
        ref: string;
        col: string;
        refcol: string | null;
      }>;
      const byId = new Map<number, { columns: string[]; ref: string; refColumns: Array<string | null> }>();
      for (const r of fkRows) {
        let fk = byId.get(r.id);
        if (fk === undefined) byId.set(r.id, (fk = { columns: [], ref: r.ref, refColumns: [] }));
        fk.columns.push(r.col);
        fk.refColumns.push(r.refcol);
      }
      const foreignKeys = [...byId.values()].map((fk) => {
        // REFERENCES parent without columns means the parent's primary key.
        const refColumns = fk.refColumns.every((c) => c !== null)
          ? (fk.refColumns as string[])
          : (db.prepare('select name from pragma_table_info(?, ?) where pk > 0 order by pk').all(fk.ref, schema) as Array<{ name: string }>).map((c) => c.name);
        // SQLite foreign keys never leave their database file.
        return { columns: fk.columns, references: { ...(schema === 'main' ? {} : { schema }), name: fk.ref, columns: refColumns } };
      });
      const uniqueKeys = uniqueKeysSqlite(db, name, schema);
      const indexes = indexesSqlite(db, name, schema);
      shapes.push({
        ...(schema === 'main' ? {} : { schema }),
        name,
        // SQLite lets a non-integer primary key hold NULL (a legacy quirk); applications treat keys as required.
        columns: info.map((c) => ({ name: c.name, type: c.type.toLowerCase(), nullable: c.not_null === 0 && c.pk === 0, text })),
        primaryKey,
        foreignKeys,
        ...(uniqueKeys.length > 0 ? { uniqueKeys } : {}),
        ...(indexes.length > 0 ? { indexes } : {}),
      });
    }
  }
  return shapes;
}

/** Unique indexes other than the primary key (UNIQUE constraints included; partial and expression indexes left out). */
function uniqueKeysSqlite(db: SqliteDatabase.Database, table: string, schema: string): string[][] {
  const indexes = db.prepare('select name from pragma_index_list(?, ?) where "unique" = 1 and origin <> \'pk\' and partial = 0 order by seq').all(table, schema) as Array<{ name: string }>;
  const keys: string[][] = [];
  for (const { name } of indexes) {
    const columns = db.prepare('select name from pragma_index_info(?, ?) order by seqno').all(name, schema) as Array<{ name: string | null }>;
    if (columns.length > 0 && columns.every((c) => c.name !== null)) keys.push(columns.map((c) => c.name!));
  }
  return keys;
}

/**
 * Every index but partial ones, its keys read from the CREATE INDEX text SQLite keeps (an
 * expression such as lower(email) has no column name in the pragmas), or from the pragma for the
 * indexes of constraints, which have no text.
 */
function indexesSqlite(db: SqliteDatabase.Database, table: string, schema: string): IndexShape[] {
  const quoted = `"${schema.replace(/"/g, '""')}"`;
  const list = db.prepare('select name from pragma_index_list(?, ?) where partial = 0 order by seq').all(table, schema) as Array<{ name: string }>;
  const out: IndexShape[] = [];
  for (const { name } of list) {
    const text = (db.prepare(`select sql from ${quoted}.sqlite_master where type = 'index' and name = ?`).get(name) as { sql: string | null } | undefined)?.sql ?? null;
    const parsed = text === null ? undefined : createIndexKeys(text);
    if (parsed !== undefined) {
      out.push({ name, keys: parsed.map(indexKey) });
      continue;
    }
    const columns = db.prepare('select name from pragma_index_xinfo(?, ?) where key = 1 order by seqno').all(name, schema) as Array<{ name: string | null }>;
    out.push({ name, keys: columns.map((c) => (c.name === null ? { expression: '?' } : { column: c.name })) });
  }
  return out;
}
