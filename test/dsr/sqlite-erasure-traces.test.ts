/**
 * Art. 17 on a SQLite target: after an erasure, no erased value is left readable in the database
 * file or beside it (its -wal or -journal file), in each journal mode an application may use.
 * The oracle reads the bytes: every text value the tables held before and no longer hold anywhere
 * after (Alice's email, phone, address, notes...) must be absent from every file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { loadDatasetsOrThrow } from '../../src/dataset/load-datasets.js';
import type { Dataset } from '../../src/dataset/model.js';
import { runRequest } from '../../src/dsr/run-request.js';
import { openStore } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { openTestConnections } from './open-test-connections.js';

const EXAMPLE = path.join(ROOT, 'examples/acme-shop/datasets');
const SEED = readFileSync(path.join(EXAMPLE, 'seed.sql'), 'utf8');
const { datasets } = await loadDatasetsOrThrow(EXAMPLE);

/** Every text value of every table, each one as it is stored. */
function textValues(db: SqliteDatabase.Database): string[] {
  const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'").all() as Array<{ name: string }>;
  const values: string[] = [];
  for (const { name } of tables) {
    for (const row of db.prepare(`select * from "${name.replace(/"/g, '""')}"`).raw().all() as unknown[][]) {
      for (const v of row) if (typeof v === 'string') values.push(v);
    }
  }
  return values;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('an erasure on SQLite leaves no trace of the erased values in the files', () => {
  for (const mode of ['delete', 'wal', 'persist'] as const) {
    it(`journal_mode=${mode}, with the application's own connection open meanwhile`, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-secure-delete-'));
      dirs.push(dir);
      const file = path.join(dir, 'shop.db');
      // The application: it chose the journal mode, wrote the rows, and stays connected (in WAL
      // mode the last connection to close would checkpoint and remove the -wal file by itself).
      const app = new SqliteDatabase(file);
      app.pragma(`journal_mode = ${mode}`);
      app.exec(SEED);
      // The application updates Alice's row in place once, as applications do (old versions of her page in the journal or log).
      app.prepare("update customer set loyalty_tier = 'gold' where email = 'alice.martin@example.com'").run();
      const before = textValues(app);

      const store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
      try {
        const outcome = await runRequest({
          kind: 'erasure',
          identities: { email: 'alice.martin@example.com' },
          datasets: datasets as Dataset[],
          store,
          connect: () => openTestConnections([{ name: 'shop', type: 'sqlite', url: `sqlite:${file}`, datasets: ['shop'] }]),
        });
        expect(outcome.request.status).toBe('completed');
      } finally {
        await store.close();
      }

      const after = textValues(app).join('\u0000');
      const erased = [...new Set(before.filter((v) => v.length >= 6 && !after.includes(v)))];
      // What the erasure removed: Alice's email, phone, her addresses, her notes (the invoices stay, under legal hold).
      expect(erased).toEqual(expect.arrayContaining(['alice.martin@example.com', '+33612345678']));
      expect(erased.length).toBeGreaterThanOrEqual(6);

      const files = [file, `${file}-wal`, `${file}-journal`].filter((f) => existsSync(f));
      for (const f of files) {
        const bytes = readFileSync(f);
        const found = erased.filter((v) => bytes.includes(Buffer.from(v, 'utf8')));
        expect(found, `erased values still readable in ${path.basename(f)}`).toEqual([]);
      }
      app.close();
    });
  }
});
