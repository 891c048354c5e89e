import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteConnector } from '../../src/connectors/sqlite/sqlite-connector.js';
import { connectorSuite } from './connector-suite.js';

connectorSuite(
  'SQLite',
  true,
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-sqlite-connector-'));
    const file = path.join(dir, 'shop.db');
    const raw = new Database(file);
    // A rollback journal, not WAL: an exclusive lock then keeps readers out too, as a database that went away would.
    raw.pragma('journal_mode = DELETE');
    raw.pragma('foreign_keys = ON');
    // A short wait for locks, so the locked-database case answers quickly.
    const connector = await openSqliteConnector({ file, label: 'shop (sqlite shop.db)', busyTimeoutMs: 100 });
    return {
      type: 'sqlite',
      connector,
      exec: async (sql) => void raw.exec(sql),
      query: async (sql) => raw.prepare(sql).all() as Array<Record<string, unknown>>,
      q: (id) => `"${id.replace(/"/g, '""')}"`,
      types: { key: 'text', text: 'text' },
      acceptsNul: true,
      disruptInsideTransaction: false,
      async disrupt() {
        // Another process takes the database for itself.
        const other = new Database(file);
        other.exec('begin exclusive');
        return async () => {
          other.exec('rollback');
          other.close();
        };
      },
      unreachable: { name: 'shop', type: 'sqlite', url: `sqlite:${path.join(dir, 'missing.db')}` },
      async teardown() {
        raw.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { crossSchema: false },
);
