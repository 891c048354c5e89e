/**
 * A real opendpo server for the console's browser tests: buildApp on a SQLite store in a temporary
 * folder, the example register published, a real SMTP sink for letters and codes, listening on
 * 127.0.0.1 at a free port. The console it serves is the one `npm run build:web` built.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { loadWorkerSource } from '../../src/cli/start-desk.js';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { PackageKeyRing } from '../../src/desk/package-vault/package-key.js';
import { PackageVault } from '../../src/desk/package-vault/package-vault.js';
import { buildApp } from '../../src/http/app.js';
import { builtWebFolder } from '../../src/http/routes/console.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, staffAccount, tokenFor } from '../helpers/staff.js';
import { loopbackMail, type LoopbackMail } from '../support/loopback-mail.js';

export const ORG = 'acme-boutique';
const EXAMPLE = path.join(ROOT, 'examples', 'acme-shop');
export const API = `/api/v1/organisations/${ORG}`;
export const DPO = { login: 'dana.dpo', password: 'correct horse battery staple' };
export const AGENT = { login: 'alex.agent', password: 'another long password here' };
export const ADMIN = { login: 'ada.admin', password: 'an admin password, long enough' };

export interface ConsoleServer {
  url: string;
  app: ZodApp;
  store: Store;
  mail: LoopbackMail;
  dpoId: string;
  agentId: string;
  /** Headers of an API token (admin) to prepare data through the API. */
  admin: Record<string, string>;
  close(): Promise<void>;
}

export function consoleBuilt(): boolean {
  return existsSync(path.join(builtWebFolder('console'), 'index.html'));
}

export async function startConsoleServer(): Promise<ConsoleServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-console-'));
  const store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
  const mail = await loopbackMail();
  await publishRegister(store, await loadRegister(EXAMPLE), { author: 'test' });
  const vault = new PackageVault({ folder: path.join(dir, 'packages'), keys: PackageKeyRing.of([{ id: 'k1', key: randomBytes(32) }]) });
  // The example shop on its own SQLite file, and its dataset, as `npm start` runs it: the Systems page and a request's dry run.
  const datasets = path.join(dir, 'datasets');
  mkdirSync(datasets);
  const shop = new SqliteDatabase(path.join(dir, 'shop.db'));
  shop.exec(readFileSync(path.join(EXAMPLE, 'datasets', 'seed.sql'), 'utf8'));
  shop.close();
  copyFileSync(path.join(EXAMPLE, 'datasets', 'shop.yaml'), path.join(datasets, 'shop.yaml'));
  writeFileSync(path.join(datasets, 'connections.yaml'), `register: ${EXAMPLE}\nconnections:\n  - name: shop\n    type: sqlite\n    url: sqlite:${path.join(dir, 'shop.db')}\n    datasets: [shop]\n`);
  const source = await loadWorkerSource(datasets);
  const app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000 }, store, defaultOrganisation: ORG, mailer: mail.mailer, vault, sources: [source], registerFolders: [EXAMPLE] });
  const dpoId = await staffAccount(store, ORG, 'dpo', DPO.login, DPO.password);
  const agentId = await staffAccount(store, ORG, 'agent', AGENT.login, AGENT.password);
  await staffAccount(store, ORG, 'admin', ADMIN.login, ADMIN.password);
  const admin = bearer(await tokenFor(store, ORG, 'admin'));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    app,
    store,
    mail,
    dpoId,
    agentId,
    admin,
    async close() {
      await app.close();
      await mail.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A request entered through the API (as staff would by post), its identity confirmed or not. */
export async function enterRequest(
  server: ConsoleServer,
  options: { type?: string; receivedAt?: string; customer?: string; email?: string; confirm?: boolean; assignee?: string } = {},
): Promise<{ id: string; reference: string }> {
  const res = await server.app.inject({
    method: 'POST',
    url: `${API}/desk/requests`,
    headers: server.admin,
    payload: {
      channel: 'post',
      received_at: options.receivedAt ?? new Date().toISOString(),
      identities: options.email !== undefined ? [{ type: 'email', value: options.email }] : [{ type: 'customer_number', value: options.customer ?? `C-${Math.floor(Math.random() * 1e6)}` }],
      details: { type: options.type ?? 'access' },
    },
  });
  if (res.statusCode !== 201) throw new Error(`entering a request: ${res.statusCode} ${res.body}`);
  const request = res.json() as { id: string; reference: string; version: number };
  if (options.confirm) {
    const confirmed = await server.app.inject({
      method: 'POST',
      url: `${API}/desk/requests/${request.id}/confirm-identity`,
      headers: server.admin,
      payload: { identity: 1, method: 'match', note: 'matched the data we hold' },
    });
    if (confirmed.statusCode !== 200) throw new Error(`confirming: ${confirmed.statusCode} ${confirmed.body}`);
  }
  if (options.assignee !== undefined) {
    const assigned = await server.app.inject({ method: 'POST', url: `${API}/desk/requests/${request.id}/assign`, headers: server.admin, payload: { assignee: options.assignee } });
    if (assigned.statusCode !== 200) throw new Error(`assigning: ${assigned.statusCode} ${assigned.body}`);
  }
  return { id: request.id, reference: request.reference };
}
