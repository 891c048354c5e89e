import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { generateSuite } from './generate-suite.js';

generateSuite('SQLite', true, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-generate-sqlite-'));
  const file = path.join(dir, 'Web Shop.db');
  const raw = new Database(file);
  const empty = path.join(dir, 'empty.db');
  new Database(empty).close();
  return {
    url: `sqlite:${file}`,
    defaultKey: 'web_shop',
    exec: async (sql) => void raw.exec(sql),
    q: (id) => `"${id.replace(/"/g, '""')}"`,
    types: { key: 'text', text: 'text', date: 'date', timestamp: 'timestamp' },
    emptyUrl: `sqlite:${empty}`,
    async teardown() {
      raw.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
