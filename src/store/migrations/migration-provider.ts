/**
 * Migrations live in code (not read from a folder at run time), so the built package and the
 * tests run exactly the same list. Names sort in the order they must run.
 */
import type { Migration, MigrationProvider } from 'kysely';
import { registerVersionsMigration } from './0001-register-versions.js';
import { dsrRequestsMigration } from './0002-dsr-requests.js';
import { manualTasksMigration } from './0003-manual-tasks.js';
import { dsrErasuresMigration } from './0005-dsr-erasures.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001-register-versions': registerVersionsMigration,
  '0002-dsr-requests': dsrRequestsMigration,
  '0003-manual-tasks': manualTasksMigration,
  '0005-dsr-erasures': dsrErasuresMigration,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
