import pg from 'pg';
import { openDatabaseConnector } from '../../src/connectors/open-database-connector.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { createThrowawayPostgres } from '../store/throwaway-postgres.js';
import { connectorSuite } from './connector-suite.js';

connectorSuite(
  'PostgreSQL',
  await serviceAvailable('PostgreSQL', POSTGRES_URL),
  async () => {
    const db = await createThrowawayPostgres();
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query('create schema billing');
    const connector = await openDatabaseConnector({ name: 'shop', type: 'postgres', url: db.url });
    const unreachable = new URL(POSTGRES_URL);
    unreachable.port = '1';
    unreachable.username = 'app';
    unreachable.password = 'hunter2-secret';
    const refusedUrl = (user: string, database: string) => {
      const u = new URL(db.url);
      u.username = user;
      u.password = 'hunter2-secret';
      u.pathname = `/${database}`;
      return u.toString();
    };
    const missingDatabase = `opendpo_missing_${Date.now().toString(36)}`;
    return {
      type: 'postgres',
      connector,
      exec: async (sql) => void (await admin.query(sql)),
      query: async (sql) => (await admin.query(sql)).rows as Array<Record<string, unknown>>,
      q: (id) => `"${id.replace(/"/g, '""')}"`,
      types: { key: 'text', text: 'text' },
      acceptsNul: false,
      otherSchema: 'billing',
      disruptInsideTransaction: true,
      async disrupt() {
        // What a server restart or a failover does to the connector's connections.
        await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
        return async () => {};
      },
      connection: { name: 'shop', type: 'postgres', url: db.url },
      unreachable: { name: 'shop', type: 'postgres', url: unreachable.toString() },
      refused: {
        unknownUser: { user: 'opendpo_no_such_role', connection: { name: 'shop', type: 'postgres', url: refusedUrl('opendpo_no_such_role', new URL(db.url).pathname.slice(1)) } },
        unknownDatabase: { name: 'shop', type: 'postgres', url: refusedUrl(new URL(db.url).username || 'postgres', missingDatabase) },
        database: missingDatabase,
      },
      async teardown() {
        await admin.end();
        await db.drop();
      },
    };
  },
  { crossSchema: true, users: true },
);
