/**
 * The seam between the store and a database engine: one folder per engine implements it
 * (as Kysely does with its dialects), and the store's test suite runs against each.
 */
import type { Dialect } from 'kysely';

export interface StoreDialect {
  readonly kind: 'sqlite' | 'postgres';
  readonly dialect: Dialect;
  /**
   * True when a write lost a race with another publisher (primary-key violation, or a snapshot
   * that another writer made stale): retrying against the new latest version will succeed.
   */
  isConflict(err: unknown): boolean;
}
