/**
 * The two store dialects a store test runs on: SQLite in a temporary folder, and a throwaway
 * PostgreSQL database (skipped with a visible message when PostgreSQL is not reachable, an error
 * when OPENDPO_REQUIRE_SERVICES=1). Use with `describe.each([sqliteCase(), postgresCase()])` and
 * `describe.runIf(dialect.available)`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDatabaseUrl, type StoreLocation } from '../../src/config/config.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { createThrowawayPostgres, type ThrowawayDatabase } from './throwaway-postgres.js';

export const postgresAvailable = await serviceAvailable('PostgreSQL', POSTGRES_URL);

export interface DialectCase {
  name: 'sqlite' | 'postgres';
  available: boolean;
  /** A location for a fresh, empty store; each call of the same case returns the same database. */
  setUp(): Promise<StoreLocation>;
  tearDown(): Promise<void>;
}

export function sqliteCase(): DialectCase {
  let dir: string | undefined;
  return {
    name: 'sqlite',
    available: true,
    async setUp() {
      dir = mkdtempSync(path.join(tmpdir(), 'opendpo-store-'));
      return parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir);
    },
    async tearDown() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresCase(): DialectCase {
  let db: ThrowawayDatabase | undefined;
  return {
    name: 'postgres',
    available: postgresAvailable,
    async setUp() {
      db = await createThrowawayPostgres();
      return parseDatabaseUrl(db.url, process.cwd());
    },
    async tearDown() {
      await db?.drop();
    },
  };
}
