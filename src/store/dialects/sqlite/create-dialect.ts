/**
 * SQLite through better-sqlite3: a file under .opendpo/ by default, or :memory:.
 * WAL lets readers (the server) run while the CLI publishes; foreign keys are off by default in
 * SQLite and must be turned on per connection.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { SqliteDialect, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import type { StoreDialect } from '../store-dialect.js';

export function createDialect(location: { file: string }): StoreDialect {
  if (location.file !== ':memory:') mkdirSync(path.dirname(location.file), { recursive: true });
  const db = new SqliteDatabase(location.file);
  if (location.file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Another process (the CLI publishing while the server runs) may hold the write lock briefly.
  db.pragma('busy_timeout = 5000');
  return {
    kind: 'sqlite',
    dialect: new SqliteDialect({ database: withStatementCache(db) }),
    isConflict: (err) => {
      const code = (err as { code?: unknown })?.code;
      // BUSY_SNAPSHOT: in WAL mode, our read snapshot went stale because another process committed.
      return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_BUSY';
    },
  };
}

/** Statements kept at most: the store's queries are a few hundred distinct texts. */
const CACHED_STATEMENTS = 500;

/**
 * Kysely prepares every query anew; preparing is a quarter of the time of a small query here
 * (measured: docs/BENCHMARKS.md, the desk's status route). Statements are kept by their SQL text and
 * reused, except one still being iterated (busy), for which a fresh one is prepared.
 */
function withStatementCache(db: SqliteDatabase.Database): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = db.prepare(sql);
      if (!cached) {
        if (cache.size >= CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
    close: () => db.close(),
  };
}
