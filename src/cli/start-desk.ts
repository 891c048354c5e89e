/**
 * The desk's moving parts for `opendpo serve`: the package vault (its key from OPENDPO_PACKAGE_KEY,
 * or one made once beside a local store), the desk, and the worker running approved requests on the
 * systems of OPENDPO_DATASETS, the daily reminder to staff (OPENDPO_REMINDER_HOUR), with the vault
 * swept of expired packages every hour.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import { loadDatasetsOrThrow } from '../dataset/load-datasets.js';
import { Desk } from '../desk/desk.js';
import { parsePackageKeyRing } from '../desk/package-vault/package-key.js';
import { PackageVault } from '../desk/package-vault/package-vault.js';
import { RequestWorker, type WorkerSource } from '../desk/worker/request-worker.js';
import { ReminderSender } from '../desk/reminders/send-reminders.js';
import { NoticeSender, routeProblems, type NoticeSource } from '../desk/notices/send-notices.js';
import { loadNotificationRoutes } from '../notify/load-routes.js';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { Mailer } from '../mail/mailer.js';
import { loadRegister } from '../register/load.js';
import type { Register } from '../register/schema.js';
import type { Store } from '../store/open-store.js';
import { faultFromEnvironment } from './commands/dsr/run.js';

export interface StartedDesk {
  desk: Desk;
  vault: PackageVault;
  /** What the worker runs each organisation's requests on: the HTTP API lists and checks them, and plans requests with them. */
  sources: readonly WorkerSource[];
  start(log: (fields: Record<string, unknown>, message: string) => void): void;
  stop(): Promise<void>;
}

export async function startDesk(config: Config, store: Store, mailer: Mailer | undefined): Promise<StartedDesk> {
  const vault = openVault(config);
  const sources: WorkerSource[] = [];
  const noticeSources: NoticeSource[] = [];
  for (const dir of config.datasets) {
    const { loaded, register } = await loadWorkerSource(dir);
    sources.push({ organisationId: register.organisation.id, loaded, register });
    // Art. 19: how each recipient is told, from notifications.yaml beside the register (none: by hand).
    const routes = loadNotificationRoutes(loaded.registerDir!, register);
    if (routes.problems.length > 0) {
      throw new OpendpoError('CONFIG_INVALID', routes.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n'));
    }
    const language = register.organisation.default_language === 'fr' ? 'fr' : 'en';
    noticeSources.push({ organisationId: register.organisation.id, routes: routes.routes, controllerName: register.organisation.name, language });
  }
  const problems = routeProblems(noticeSources, { mailer, natsUrl: config.natsUrl });
  if (problems.length > 0) throw new OpendpoError('CONFIG_INVALID', problems.join('\n'));
  const desk = new Desk({
    store,
    mailer,
    vault,
    timeZone: config.timeZone,
    publicUrl: config.publicUrl,
    noticeSources: new Map(sources.map((s, i) => [s.organisationId, { datasets: s.loaded.datasets, routes: noticeSources[i]!.routes }])),
  });
  const owner = `${hostname()}:${process.pid}`;
  const notices = noticeSources.length > 0 ? new NoticeSender({ store, sources: noticeSources, mailer, natsUrl: config.natsUrl, owner }) : undefined;
  const worker =
    sources.length > 0
      ? new RequestWorker({
          store,
          desk,
          sources,
          vault,
          publicUrl: config.publicUrl,
          leaseSeconds: config.dsrLeaseSeconds,
          targetTimeoutMs: config.targetTimeoutMs,
          owner,
          ...(process.env.OPENDPO_TEST_FAULT ? { fault: faultFromEnvironment(process.env.OPENDPO_TEST_FAULT)! } : {}),
        })
      : undefined;
  // Art. 12(3): each staff member is reminded once a day of their requests overdue or due soon.
  const reminders = new ReminderSender({ store, mailer, owner: `${hostname()}:${process.pid}`, timeZone: config.timeZone, hour: config.reminderHour });
  let sweeper: NodeJS.Timeout | undefined;
  return {
    desk,
    vault,
    sources,
    start(log) {
      if (worker) {
        worker.start(log);
        log({ organisations: sources.map((s) => s.organisationId) }, 'worker: running approved requests');
      } else log({}, 'worker: no datasets (OPENDPO_DATASETS): approved requests wait');
      if (notices) {
        notices.start(log);
        const routed = noticeSources.reduce((n, s) => n + Object.keys(s.routes?.routes ?? {}).length, 0);
        log({ routes: routed }, 'art19: telling recipients of rectifications, erasures and restrictions');
      }
      reminders.start(log);
      if (mailer) log({ hour: config.reminderHour }, 'reminders: daily to staff from this hour in each organisation\'s calendar');
      const sweep = () => void vault.sweep({ now: new Date() }).then((r) => r.deleted > 0 && log({ deleted: r.deleted }, 'vault: expired packages deleted')).catch(() => {});
      sweep();
      sweeper = setInterval(sweep, 3_600_000);
      sweeper.unref();
    },
    async stop() {
      if (sweeper) clearInterval(sweeper);
      await reminders.stop();
      await worker?.stop();
      await notices?.stop();
    },
  };
}

/**
 * One datasets folder as the worker runs requests on it: its datasets and connections (refused with
 * every problem when one is wrong), and the register its connections.yaml names, whose organisation
 * the requests are of.
 */
export async function loadWorkerSource(dir: string): Promise<WorkerSource & { register: Register }> {
  const loaded = await loadDatasetsOrThrow(dir);
  if (!loaded.connections || !loaded.registerDir) throw new OpendpoError('DATASET_INVALID', `${dir}: its connections.yaml must name the register of the organisation whose requests run on it (register: ...)`);
  const register = (await loadRegister(loaded.registerDir)).loaded?.register;
  if (!register) throw new OpendpoError('REGISTER_INVALID', `${loaded.registerDir}: the register named by ${dir}/connections.yaml cannot be read`);
  return { organisationId: register.organisation.id, loaded, register };
}

/** The package vault of this configuration: its folder, and its key ring (OPENDPO_PACKAGE_KEY, or a try-out's local key). */
export function openVault(config: Config): PackageVault {
  return new PackageVault({ folder: ensureFolder(config.packageDir), keys: parsePackageKeyRing(config.packageKey ?? localKey(config)) });
}

function ensureFolder(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** A try-out's key: made once, kept beside the local store (a production install sets OPENDPO_PACKAGE_KEY). */
function localKey(config: Config): string {
  const file = path.join(path.dirname(config.packageDir), 'package-key');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return readFileSync(file, 'utf8').trim();
}
