/**
 * The set-up the request suites share: before a suite's tests, a throwaway target database and an
 * opendpo store (SQLite, in a folder of its own); after them, both removed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { openStore, type Store } from '../../src/store/open-store.js';

/** Registers the suite's beforeAll/afterAll; `use` receives the target and the store once made. */
export function withTargetAndStore<T extends { drop(): Promise<void> }>(create: () => Promise<T>, use: (made: { target: T; store: Store }) => void): void {
  let target: T | undefined;
  let store: Store | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    target = await create();
    dir = mkdtempSync(path.join(tmpdir(), 'opendpo-store-'));
    store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
    use({ target, store });
  });
  afterAll(async () => {
    await store?.close();
    await target?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
}
