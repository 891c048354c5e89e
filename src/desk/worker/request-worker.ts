/**
 * The worker that runs approved requests with the engine (src/dsr), in the server's process: it
 * takes a request (a change on the request's version, so that of several processes on one database
 * one takes it), holds it while it runs (renewing its hold), hands the access package to the vault,
 * and records the end. A process killed mid-run leaves the request in progress with a hold that
 * expires; the next worker (this process restarted, or another) takes it over and runs it again: the
 * engine resumes from its own work log and evidence (decision 0016), so the answer and its evidence
 * are those of one request.
 *
 * Types the engine does not act on (objection, consent withdrawal, a human review, post-mortem
 * directives, rectification, which needs the fields named in a dataset) are done by staff.
 */
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { LoadDatasetsResult } from '../../dataset/load-datasets.js';
import { buildAccessPackage } from '../../dsr/package/build-access-package.js';
import { writeAccessPackageZip } from '../../dsr/package/write-csv-zip.js';
import { writePortabilityJson } from '../../dsr/package/write-json.js';
import { buildPortabilityExport } from '../../dsr/portability.js';
import { openConnections, resolveHmacKeys } from '../../dsr/open-connections.js';
import type { OpenConnections } from '../../dsr/run-request.js';
import { leaseTiming } from '../../dsr/request-lifecycle.js';
import { runRequest, type RunRequestInput } from '../../dsr/run-request.js';
import type { Register } from '../../register/schema.js';
import type { DsrKind } from '../../store/dsr-repository.js';
import type { Store } from '../../store/open-store.js';
import { calendarDay, countryTimeZone } from '../deadline.js';
import { downloadLink } from '../follow-link.js';
import { datasetsForRequest } from '../controller-scope.js';
import type { ChangedCollections, Desk } from '../desk.js';
import type { StoredDeskRequest } from '../../store/desk-repository.js';
import { collectionId, type Dataset } from '../../dataset/model.js';
import type { EvidenceSummary } from '../../dsr/request-lifecycle.js';
import { issueDownloadToken } from '../package-vault/download-token.js';
import type { PackageVault } from '../package-vault/package-vault.js';
import type { RequestType } from '../request-types.js';
import { recipientsLine } from '../notices/plan-notices.js';
import { transmitExport, type TransmitExportOptions } from '../transmit/transmit-export.js';

/** The request types the engine carries out, and as what. */
export const ENGINE_KINDS: Partial<Record<RequestType, DsrKind>> = { access: 'access', portability: 'portability', erasure: 'erasure', restriction: 'restriction' };

/** What a worker runs requests against: one organisation's datasets, and its register for the processing information. */
export interface WorkerSource {
  organisationId: string;
  loaded: LoadDatasetsResult;
  register?: Register | undefined;
}

/** The source an organisation's requests run on: the first configured for it (a server reads OPENDPO_DATASETS in order). */
export function sourceOf(sources: readonly WorkerSource[], organisationId: string): WorkerSource | undefined {
  return sources.find((s) => s.organisationId === organisationId);
}

/** What the engine runs a request type as; refused for a type staff carry out themselves (and record with record-done). */
export function engineKindOf(type: string): DsrKind {
  const kind = ENGINE_KINDS[type as RequestType];
  if (kind === undefined) {
    throw new OpendpoError('REQUEST_REFUSED', `the engine does not run ${type.replace(/_/g, ' ')} requests: staff carry them out and record what was done (record-done); there is nothing for it to plan or run`);
  }
  return kind;
}

/** What the engine is given for a desk request: its kind, the identities it names, and the datasets it may touch. */
export interface EngineInput {
  kind: DsrKind;
  identities: Record<string, string>;
  datasets: readonly Dataset[];
}

/**
 * The engine's input for a request, as the worker runs it and the staff's dry run plans it
 * (src/desk/plan-request.ts). Refused for a type the engine does not carry out (staff do, and
 * record it), and — Art. 28(3)(a) — a request a controller forwarded runs only on the systems
 * processed for it.
 */
export function engineInputOf(stored: StoredDeskRequest, source: WorkerSource): EngineInput {
  return {
    kind: engineKindOf(stored.request.type),
    identities: Object.fromEntries(stored.identities.map((i) => [i.type, i.value])),
    datasets: datasetsForRequest(source.loaded.datasets, source.register, stored.request.controller_id),
  };
}

export interface RequestWorkerOptions {
  store: Store;
  desk: Desk;
  sources: readonly WorkerSource[];
  vault?: PackageVault | undefined;
  /** Where people reach this server: the download link in the completion letter starts with it. */
  publicUrl: string;
  /** How long the worker holds a request without renewing (the engine's lease too). */
  leaseSeconds: number;
  targetTimeoutMs: number;
  /** This worker's name in the record (default: host and pid). */
  owner: string;
  pollMs?: number;
  log?: (fields: Record<string, unknown>, message: string) => void;
  now?: () => Date;
  /** Tests only (never from configuration): lets a portability transmission reach a loopback HTTPS server with its own certificate. */
  transmitForTests?: Pick<TransmitExportOptions, 'allowLoopback' | 'ca' | 'retryDelaysMs' | 'lookup'>;
  /** Test hook: stop the process at a point of the writes (as the CLI's OPENDPO_TEST_FAULT). */
  fault?: RunRequestInput['fault'];
}

export class RequestWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly now: () => Date;
  /**
   * Each source's connections, opened at its first request and kept: a request reuses the pools and
   * the databases' introspections (re-read when a catalogue changes). Dropped after a failed run, so
   * a database that went away is connected to afresh.
   */
  private readonly connections = new Map<string, Promise<OpenConnections>>();

  constructor(private options: RequestWorkerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Polls for requests to run until stopped; `log` receives ids and counts only. */
  start(log?: RequestWorkerOptions['log']): void {
    if (log) this.options = { ...this.options, log };
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runAvailable()
        .catch((err: unknown) => this.options.log?.({ code: (err as OpendpoError).code ?? 'INTERNAL' }, 'worker: poll failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs ?? 2000);
        });
    };
    tick();
  }

  /** Stops taking requests, waits for the one running to end, and closes the connections. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    for (const organisationId of [...this.connections.keys()]) await this.dropConnections(organisationId);
  }

  /** The source's kept connections; runRequest's close() of them is a no-op (they outlive the request). */
  private async sharedConnections(source: WorkerSource): Promise<OpenConnections> {
    let opening = this.connections.get(source.organisationId);
    if (!opening) {
      opening = openConnections(source.loaded.connections!, this.options.store, { timeoutMs: this.options.targetTimeoutMs, keepCatalogues: true });
      this.connections.set(source.organisationId, opening);
      opening.catch(() => this.connections.delete(source.organisationId));
    }
    const open = await opening;
    return { ...open, close: async () => {} };
  }

  private async dropConnections(organisationId: string): Promise<void> {
    const opening = this.connections.get(organisationId);
    this.connections.delete(organisationId);
    await opening?.then((c) => c.close()).catch(() => {});
  }

  /** Takes and runs the requests waiting, one at a time; returns how many ran. */
  async runAvailable(): Promise<number> {
    const organisations = this.options.sources.map((s) => s.organisationId);
    let ran = 0;
    for (;;) {
      if (this.stopped && ran > 0) return ran;
      const candidates = await this.options.store.desk.runnable(organisations, Object.keys(ENGINE_KINDS), this.now().toISOString(), 5);
      let took = false;
      for (const candidate of candidates) {
        try {
          await this.options.desk.take(candidate.organisation_id, candidate.id, this.options.owner, this.options.leaseSeconds * 1000);
        } catch (err) {
          if (err instanceof OpendpoError && err.code === 'REQUEST_CHANGED') continue; // another worker took it
          throw err;
        }
        took = true;
        await this.run(candidate.organisation_id, candidate.id);
        ran++;
        break;
      }
      if (!took) return ran;
    }
  }

  /** Sends a portability export to the controller the person named (Art. 20(2)); the outcome is evidence, never an exception. */
  private async transmit(to: { controller: string; url: string }, content: Uint8Array, organisationId: string, requestId: string): Promise<Transmitted> {
    const host = new URL(to.url).host;
    const result = await transmitExport({ url: to.url, body: content, contentType: 'application/json', requestId, organisationId, ...(this.options.transmitForTests ?? {}) });
    const last = result.attempts.at(-1);
    this.options.log?.({ requestId, outcome: result.outcome, attempts: result.attempts.length }, 'worker: portability transmission');
    return {
      controller: to.controller,
      host,
      outcome: result.outcome,
      evidence: {
        controller: to.controller,
        host,
        outcome: result.outcome,
        attempts: result.attempts.length,
        ...(last?.status === undefined ? {} : { status: last.status }),
        ...(result.outcome === 'refused' ? { reason: result.reason } : { addresses: result.addresses }),
      },
    };
  }

  private async run(organisationId: string, requestId: string): Promise<void> {
    const { store, desk, owner, leaseSeconds, log } = this.options;
    const source = sourceOf(this.options.sources, organisationId)!;
    const stored = await desk.get(organisationId, requestId);
    const lang = stored.request.language === 'fr' ? 'fr' : 'en';
    const renew = setInterval(
      () => void store.desk.renewWorkerLease(organisationId, requestId, owner, new Date(this.now().getTime() + leaseSeconds * 1000).toISOString()).catch(() => {}),
      Math.max(50, Math.floor((leaseSeconds * 1000) / 4)),
    );
    log?.({ requestId, type: stored.request.type }, 'worker: run started');
    let sealed: { id: string; expiresAt: string; sizeBytes: number } | undefined;
    let transmitted: Transmitted | undefined;
    try {
      // Art. 28(3)(a): a request a controller forwarded runs only on the systems processed for it.
      const { kind, identities, datasets } = engineInputOf(stored, source);
      const register = source.register;
      const outcome = await runRequest({
        kind,
        identities,
        datasets,
        store,
        connect: () => this.sharedConnections(source),
        secretFor: await resolveHmacKeys(kind === 'erasure' ? datasets : []),
        lease: leaseTiming(leaseSeconds),
        ...(register ? { register } : {}),
        ...(this.options.fault ? { fault: this.options.fault } : {}),
        ...(kind === 'access' || kind === 'portability'
          ? {
              deliver: async (collected) => {
                const vault = this.options.vault;
                if (!vault) throw new OpendpoError('CONFIG_INVALID', 'no package vault is configured (OPENDPO_PACKAGE_KEY): an access package cannot be kept for download');
                const content =
                  kind === 'access'
                    ? writeAccessPackageZip(buildAccessPackage(collected, { datasets, ...(register ? { register } : {}), lang }))
                    : Buffer.from(writePortabilityJson(buildPortabilityExport(collected, { datasets, ...(register ? { register } : {}), lang })));
                const filename = `${kind === 'access' ? 'access' : 'portability'}-${stored.request.reference}.${kind === 'access' ? 'zip' : 'json'}`;
                const contentType = kind === 'access' ? 'application/zip' : 'application/json';
                const p = await vault.seal(content, { organisationId, requestId, filename, contentType }, { now: this.now() });
                sealed = { id: p.packageId, expiresAt: p.expiresAt, sizeBytes: p.sizeBytes };
                // Art. 20(2): the same export sent directly to the controller the person named, where
                // technically feasible; whatever the outcome, it also waits in the vault for the person.
                const to = (JSON.parse(stored.request.details_json) as { transmit_to?: { controller: string; url: string } }).transmit_to;
                if (kind === 'portability' && to) transmitted = await this.transmit(to, content, organisationId, requestId);
                return `${kind === 'access' ? 'zip' : 'json'} package of ${p.sizeBytes} bytes sealed in the vault (sha256 ${p.sha256})`;
              },
            }
          : {}),
      });
      const summary = { ...foundRows(kind, outcome), kept: outcome.kept.length, warnings: outcome.warnings.length };
      const download = sealed ? issueDownloadToken() : undefined;
      const done = await desk.finishRun(organisationId, requestId, owner, {
        outcome: 'completed',
        runId: outcome.request.id,
        summary: { ...summary, ...(transmitted ? { transmitted: transmitted.evidence } : {}) },
        ...(sealed && download ? { package: { id: sealed.id, expiresAt: sealed.expiresAt, downloadHash: download.hash } } : {}),
        changed: changedCollections(kind, outcome, datasets),
      });
      log?.({ requestId, run: outcome.request.id, ...summary }, 'worker: run completed');
      const zone = countryTimeZone(done.request.country);
      await desk.sendLetter(organisationId, requestId, 'completion', {
        actions: [...completionActions(kind, lang, summary), ...(transmitted ? [transmissionLine(lang, transmitted)] : []), ...recipientsLine(lang, (await store.notices.forRequest(organisationId, requestId)).length)],
        ...(sealed && download
          ? { download: { url: downloadLink(this.options.publicUrl, organisationId, requestId, download.token), expiresOn: calendarDay(new Date(sealed.expiresAt), zone) } }
          : {}),
      }, `worker:${owner}`);
    } catch (err) {
      const code = err instanceof OpendpoError ? err.code : 'INTERNAL';
      if (code === 'REQUEST_IN_PROGRESS') {
        // The engine's run is still held by a process that may be alive: leave it, and look again once the hold lapses.
        log?.({ requestId, code }, 'worker: the engine run is held elsewhere; will look again');
        return;
      }
      log?.({ requestId, code }, 'worker: run failed');
      await this.dropConnections(organisationId);
      await desk.finishRun(organisationId, requestId, owner, { outcome: 'failed', runId: null, errorCode: code }).catch(() => {});
    } finally {
      clearInterval(renew);
    }
  }
}

interface Transmitted {
  controller: string;
  host: string;
  outcome: 'delivered' | 'failed' | 'refused';
  /** What the request's history keeps: no URL path (it may carry the person's account number), no personal data. */
  evidence: { controller: string; host: string; outcome: string; attempts: number; status?: number; addresses?: string[]; reason?: string };
}

/** What the completion letter says of the transmission (Art. 20(2)), in the request's language. */
function transmissionLine(lang: 'en' | 'fr', t: Transmitted): string {
  if (t.outcome === 'delivered') {
    return lang === 'fr'
      ? `Comme vous l’avez demandé, nous avons transmis ces données directement à ${t.controller} (${t.host}).`
      : `As you asked, we transmitted this data directly to ${t.controller} (${t.host}).`;
  }
  return lang === 'fr'
    ? `Nous n’avons pas pu transmettre ces données directement à ${t.controller} (${t.host}) : téléchargez-les avec le lien ci-dessous pour les lui remettre vous-même.`
    : `We could not transmit this data directly to ${t.controller} (${t.host}): download it with the link below to hand it over yourself.`;
}

/**
 * The rows found, as the request's history records them: for an access or a portability request,
 * those handed over; for an erasure or a restriction, those its evidence says the search found (a run
 * resumed after its server died finds the work done and searches nothing again: its own rows would
 * say 0, which is not what happened).
 */
function foundRows(kind: DsrKind, outcome: Awaited<ReturnType<typeof runRequest>>): { rows: number; collections: number } {
  const evidence = (outcome.request.summary as EvidenceSummary | null)?.collections;
  if ((kind === 'erasure' || kind === 'restriction') && evidence) {
    return { rows: evidence.reduce((n, c) => n + c.rows, 0), collections: evidence.filter((c) => c.rows > 0).length };
  }
  return { rows: outcome.collected.collections.reduce((n, c) => n + c.rows.length, 0), collections: outcome.collected.collections.filter((c) => c.rows.length > 0).length };
}

/**
 * Where the person's data were changed, for Art. 19, from the run's evidence (over all its attempts:
 * a run resumed after its server died finds the work done, not the rows again): for an erasure, the
 * collections its writes changed (rows kept whole under a legal hold were not erased, and their
 * recipients are not told of an erasure); for a restriction, every collection where the person's rows
 * were found (a restriction covers all their data, flagged or not). The categories are the
 * collection's, as its dataset declares them.
 */
function changedCollections(kind: DsrKind, outcome: Awaited<ReturnType<typeof runRequest>>, datasets: readonly Dataset[]): ChangedCollections {
  const summary = outcome.request.summary as EvidenceSummary | null;
  const ids = new Set(
    kind === 'erasure'
      ? (summary?.written ?? []).filter((w) => w.rows > 0).map((w) => w.collection)
      : [...(summary?.collections ?? []).filter((c) => c.rows > 0).map((c) => c.collection), ...outcome.collected.collections.filter((c) => c.rows.length > 0).map((c) => collectionId(c.dataset, c.collection))],
  );
  const changed: { dataset: string; collection: string; categories: string[] }[] = [];
  for (const d of datasets) {
    for (const c of d.collections) {
      if (ids.has(collectionId(d.key, c.name))) changed.push({ dataset: d.key, collection: c.name, categories: [...new Set(c.fields.flatMap((f) => f.categories))] });
    }
  }
  return changed;
}

/** What the completion letter says was done, in the request's language (counts only). */
function completionActions(kind: DsrKind, lang: 'en' | 'fr', s: { rows: number; collections: number; kept: number }): string[] {
  const fr = lang === 'fr';
  switch (kind) {
    case 'access':
      return [fr ? `Nous avons recherché vos données dans nos systèmes et trouvé ${s.rows} enregistrement(s).` : `We searched our systems for your data and found ${s.rows} record(s).`];
    case 'portability':
      return [fr ? `Nous avons exporté les données que vous nous avez fournies (${s.rows} enregistrement(s)).` : `We exported the data you provided to us (${s.rows} record(s)).`];
    case 'erasure':
      return [
        fr ? `Nous avons effacé vos données de nos systèmes.` : 'We erased your data from our systems.',
        ...(s.kept > 0 ? [fr ? `${s.kept} ensemble(s) de données sont conservés le temps d’une obligation légale, puis effacés.` : `${s.kept} set(s) of data are kept while a legal obligation requires it, then erased.`] : []),
      ];
    default:
      return [fr ? 'Le traitement de vos données est limité comme vous l’avez demandé.' : 'The processing of your data is restricted as you asked.'];
  }
}
