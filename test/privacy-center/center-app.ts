/**
 * The privacy center as the tests drive it: the app on a real store (SQLite) with the acme-shop
 * register published, its datasets given to the desk (the identity types the form offers), a package
 * vault, and the product's SMTP mailer talking to an SMTP sink on loopback.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDatasetsOrThrow } from '../../src/dataset/load-datasets.js';
import { Desk } from '../../src/desk/desk.js';
import { parsePackageKeyRing } from '../../src/desk/package-vault/package-key.js';
import { PackageVault } from '../../src/desk/package-vault/package-vault.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { loopbackMail, type LoopbackMail } from '../support/loopback-mail.js';

export const ORG = 'acme-boutique';

export interface CenterApp {
  app: ZodApp;
  store: Store;
  desk: Desk;
  vault: PackageVault;
  mail: LoopbackMail;
  /** The clock the desk reads. */
  clock: { now: number };
  close(): Promise<void>;
}

export async function centerApp(options: { publicRateLimit?: number; trustProxy?: number; logStream?: NodeJS.WritableStream } = {}): Promise<CenterApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-center-'));
  const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'store.db'), display: 'test store' });
  await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
  const loaded = await loadDatasetsOrThrow(`${ROOT}/examples/acme-shop/datasets`);
  const mail = await loopbackMail();
  const clock = { now: Date.now() };
  const now = () => new Date(clock.now);
  const vault = new PackageVault({ folder: path.join(dir, 'vault'), keys: parsePackageKeyRing(randomBytes(32).toString('base64')) });
  const desk = new Desk({ store, mailer: mail.mailer, vault, now, noticeSources: new Map([[ORG, { datasets: loaded.datasets }]]) });
  const app = await buildApp({ config: { logLevel: options.logStream ? 'info' : 'silent', publicRateLimit: options.publicRateLimit ?? 10_000, ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}) }, ...(options.logStream ? { logStream: options.logStream } : {}), store, defaultOrganisation: ORG, mailer: mail.mailer, vault, desk, now });
  return {
    app,
    store,
    desk,
    vault,
    mail,
    clock,
    async close() {
      await app.close();
      await mail.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
