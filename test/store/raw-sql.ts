/**
 * Runs SQL on a store's database with the driver itself, past the repositories: how a store test
 * tampers with what the product wrote (an edited audit entry, an evidence row changed by hand).
 */
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { StoreLocation } from '../../src/config/config.js';

export async function raw(location: StoreLocation, text: string): Promise<void> {
  if (location.kind === 'sqlite') {
    const db = new SqliteDatabase(location.file);
    try {
      db.exec(text);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
