import { openDatabaseConnector } from '../../src/connectors/open-database-connector.js';
import { MARIADB_URL, serviceAvailable } from '../helpers/services.js';
import { connectorSuite } from './connector-suite.js';
import { createThrowawayMariadb } from './throwaway-mariadb.js';

connectorSuite(
  'MariaDB',
  await serviceAvailable('MariaDB', MARIADB_URL),
  async () => {
    const db = await createThrowawayMariadb();
    const other = await createThrowawayMariadb();
    const connector = await openDatabaseConnector({ name: 'shop', type: 'mysql', url: db.url });
    const unreachable = new URL(MARIADB_URL);
    unreachable.port = '1';
    unreachable.username = 'app';
    unreachable.password = 'hunter2-secret';
    // A real user of the server, to be refused with a wrong password; dropped with the databases.
    const user = `opendpo_u_${db.name.slice(-8)}`;
    await db.exec(`create user '${user}'@'%' identified by 'the-right-one'`);
    const refusedUrl = (name: string, database: string) => {
      const u = new URL(db.url);
      u.username = name;
      u.password = 'hunter2-secret';
      u.pathname = `/${database}`;
      return u.toString();
    };
    return {
      type: 'mysql',
      connector,
      exec: async (sql) => void (await db.exec(sql)),
      query: async (sql) => (await db.exec(sql)) as Array<Record<string, unknown>>,
      q: (id) => `\`${id.replace(/`/g, '``')}\``,
      types: { key: 'varchar(191)', text: 'text' },
      acceptsNul: true,
      otherSchema: other.name,
      disruptInsideTransaction: true,
      async disrupt() {
        // What a server restart or a failover does to the connector's connections.
        const rows = (await db.exec('select id from information_schema.processlist where db = ? and id <> connection_id()', [db.name])) as Array<{ id: number }>;
        for (const { id } of rows) await db.exec(`kill ${Number(id)}`);
        return async () => {};
      },
      connection: { name: 'shop', type: 'mysql', url: db.url },
      unreachable: { name: 'shop', type: 'mysql', url: unreachable.toString().replace(/^mysql:/, 'mariadb:') },
      refused: {
        unknownUser: { user: `${user}_nobody`, connection: { name: 'shop', type: 'mysql', url: refusedUrl(`${user}_nobody`, db.name) } },
        wrongPassword: { user, connection: { name: 'shop', type: 'mysql', url: refusedUrl(user, db.name) } },
        unknownDatabase: { name: 'shop', type: 'mysql', url: new URL(`/${db.name}_missing`, db.url).toString() },
        database: `${db.name}_missing`,
      },
      async teardown() {
        await db.exec(`drop user if exists '${user}'@'%'`);
        await db.drop();
        await other.drop();
      },
    };
  },
  { crossSchema: true, users: true },
);
