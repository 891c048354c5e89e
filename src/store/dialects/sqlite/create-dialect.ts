/**
 * SQLite through better-sqlite3: a file under .opendpo/ by default, or :memory:.
 * WAL lets readers (the server) run while the CLI publishes; foreign keys are off by default in
 * SQLite and must be turned on per connection.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
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
    dialect: new SqliteDialect({ database: db }),
    isConflict: (err) => {
      const code = (err as { code?: unknown })?.code;
      // BUSY_SNAPSHOT: in WAL mode, our read snapshot went stale because another process committed.
      return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_BUSY';
    },
  };
}
