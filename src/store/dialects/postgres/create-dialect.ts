/** PostgreSQL through a pg Pool, when DATABASE_URL is postgres://... */
import pg from 'pg';
import { PostgresDialect } from 'kysely';
import type { StoreDialect } from '../store-dialect.js';

export function createDialect(location: { url: string }): StoreDialect {
  const pool = new pg.Pool({ connectionString: location.url, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection must not crash the server: the next query reports it.
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    dialect: new PostgresDialect({ pool }),
    // 23505 unique_violation; 40001 serialization_failure.
    isConflict: (err) => {
      const code = (err as { code?: unknown })?.code;
      return code === '23505' || code === '40001';
    },
  };
}
