import { MARIADB_URL, serviceAvailable } from '../helpers/services.js';
import { createThrowawayMariadb } from '../connectors/throwaway-mariadb.js';
import { generateSuite } from './generate-suite.js';

generateSuite('MariaDB', await serviceAvailable('MariaDB', MARIADB_URL), async () => {
  const db = await createThrowawayMariadb();
  const empty = await createThrowawayMariadb();
  return {
    url: db.url,
    defaultKey: db.name,
    exec: async (sql) => void (await db.exec(sql)),
    q: (id) => `\`${id.replace(/`/g, '``')}\``,
    types: { key: 'varchar(191)', text: 'text', date: 'date', timestamp: 'datetime' },
    emptyUrl: empty.url,
    async teardown() {
      await db.drop();
      await empty.drop();
    },
  };
});
