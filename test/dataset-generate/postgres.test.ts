import pg from 'pg';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { createThrowawayPostgres } from '../store/throwaway-postgres.js';
import { generateSuite } from './generate-suite.js';

generateSuite('PostgreSQL', await serviceAvailable('PostgreSQL', POSTGRES_URL), async () => {
  const db = await createThrowawayPostgres();
  const empty = await createThrowawayPostgres();
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query('create schema billing');
  return {
    url: db.url,
    defaultKey: new URL(db.url).pathname.slice(1),
    exec: async (sql) => void (await admin.query(sql)),
    q: (id) => `"${id.replace(/"/g, '""')}"`,
    types: { key: 'text', text: 'text', date: 'date', timestamp: 'timestamp' },
    otherSchema: 'billing',
    emptyUrl: empty.url,
    async teardown() {
      await admin.end();
      await db.drop();
      await empty.drop();
    },
  };
});
