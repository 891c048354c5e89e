/** Opens real database connections for request tests (no stand-ins: the same connectors as the product). */
import { openDatabaseConnector } from '../../src/connectors/open-database-connector.js';
import type { DatabaseConnector, DatabaseType } from '../../src/connectors/connector.js';
import type { OpenConnections } from '../../src/dsr/run-request.js';

export interface TestConnection {
  name: string;
  type: DatabaseType;
  url: string;
  datasets: string[];
}

export async function openTestConnections(list: readonly TestConnection[]): Promise<OpenConnections> {
  const open = new Map<string, DatabaseConnector>();
  for (const c of list) open.set(c.name, await openDatabaseConnector({ name: c.name, type: c.type, url: c.url }));
  return {
    specs: list.map((c) => ({ name: c.name, type: c.type, datasets: c.datasets })),
    database: (name) => {
      const connector = open.get(name);
      if (!connector) throw new Error(`no connection ${name}`);
      return connector;
    },
    system: () => {
      throw new Error('no system connections in this test');
    },
    close: async () => {
      for (const c of open.values()) await c.close();
    },
  };
}
