/**
 * Opens the connections of a datasets folder (connections.yaml) for one request: SQL databases
 * through their connectors, systems that act for themselves through the HTTP or manual
 * connector. Secrets are read here, at the last moment, and never leave the connectors.
 * All are opened before the request starts (one that cannot be reached stops it before anything is
 * read: TARGET_UNAVAILABLE, retryable), and all closed together.
 */
import type { DatabaseConnector, SystemConnector } from '../connectors/connector.js';
import { openDatabaseConnector } from '../connectors/open-database-connector.js';
import { isDatabaseConnection, type ConnectionsFile } from '../dataset/connections.js';
import type { Dataset, MaskingStrategy } from '../dataset/model.js';
import { resolveSecret, resolveValue } from '../dataset/secrets.js';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { Store } from '../store/open-store.js';
import type { OpenConnections } from './run-request.js';

export interface OpenConnectionsOptions {
  /** Every database's timeout unless its connection gives one (OPENDPO_TARGET_TIMEOUT_SECONDS). */
  timeoutMs?: number;
  /** The connections are kept between requests (the server's worker): each database keeps its introspection while its catalogue is unchanged. */
  keepCatalogues?: boolean;
}

export async function openConnections(file: ConnectionsFile, store: Store, options: OpenConnectionsOptions = {}): Promise<OpenConnections> {
  const databases = new Map<string, DatabaseConnector>();
  const systems = new Map<string, SystemConnector>();
  try {
    for (const c of file.connections) {
      const purpose = `connection "${c.name}" (${c.at.file}:${c.at.line})`;
      if (isDatabaseConnection(c)) {
        const url = await resolveValue(c.url, { purpose: `the url of ${purpose}` });
        const timeoutMs = c.timeoutMs ?? options.timeoutMs;
        const connector = await openDatabaseConnector({
            name: c.name,
            type: c.type,
            url,
            ...(timeoutMs === undefined ? {} : { timeoutMs }),
            ...(c.maxConnections === undefined ? {} : { maxConnections: c.maxConnections }),
          });
        if (options.keepCatalogues) connector.keepCatalogues();
        databases.set(c.name, connector);
      } else if (c.type === 'http') {
        const { createHttpConnector } = await import('../connectors/http/http-connector.js');
        systems.set(c.name, await createHttpConnector({ name: c.name, url: c.url, secret: c.secret, ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}) }));
      } else {
        const { createManualConnector } = await import('../connectors/manual/manual-connector.js');
        systems.set(c.name, createManualConnector({ name: c.name, instructions: c.instructions, assignee: c.assignee, tasks: store.manualTasks }));
      }
    }
  } catch (err) {
    for (const d of databases.values()) await d.close().catch(() => {});
    for (const s of systems.values()) await s.close().catch(() => {});
    throw err;
  }
  return {
    specs: file.connections.map((c) => ({ name: c.name, type: c.type, datasets: c.datasets })),
    database(name) {
      const d = databases.get(name);
      if (d === undefined) throw new OpendpoError('INTERNAL', `connection ${name} is not a database`);
      return d;
    },
    system(name) {
      const s = systems.get(name);
      if (s === undefined) throw new OpendpoError('INTERNAL', `connection ${name} is not a system`);
      return s;
    },
    async close() {
      for (const d of databases.values()) await d.close().catch(() => {});
      for (const s of systems.values()) await s.close().catch(() => {});
    },
  };
}

/**
 * Reads the keys of every hmac masking strategy the datasets use, before the request starts (a
 * missing key stops it before anything is written), and answers them synchronously afterwards.
 */
export async function resolveHmacKeys(datasets: readonly Dataset[]): Promise<(strategy: MaskingStrategy & { strategy: 'hmac' }) => string> {
  const keys = new Map<string, string>();
  for (const d of datasets) {
    for (const c of d.collections) {
      for (const f of c.fields) {
        if (f.masking?.strategy !== 'hmac') continue;
        const id = JSON.stringify(f.masking.key);
        if (!keys.has(id)) keys.set(id, await resolveSecret(f.masking.key, { purpose: `the hmac masking key of ${d.key}.${c.name}.${f.name} (${f.at.file}:${f.at.line})` }));
      }
    }
  }
  return (strategy) => {
    const key = keys.get(JSON.stringify(strategy.key));
    if (key === undefined) throw new OpendpoError('CONFIG_INVALID', 'an hmac masking key was not read before the request');
    return key;
  };
}
