/**
 * A desk request's dry run, for staff: what the engine will do when the request runs — the
 * systems it searches or asks, the tables it reaches, the rows it finds (counted), what an erasure
 * would mask or delete and what it would keep under which legal hold (Art. 17(3)), what a
 * restriction would flag (Art. 18) — built on `opendpo dsr plan` (src/dsr/dry-run.ts), which reads
 * as the request would and cannot write. The engine's input is the worker's own
 * (engineInputOf: the same kind, identities and datasets, a forwarded request's scope included).
 *
 * It reads the person's rows to count them: a view of a person's data by staff, allowed to those
 * who may read it (`requests.read_personal`) and written to the audit log like the personal-data
 * view (Art. 5(2), 32), with counts only.
 */
import path from 'node:path';
import { dryRun, type DryRunReport } from '../dsr/dry-run.js';
import { openConnections, resolveHmacKeys } from '../dsr/open-connections.js';
import { connectionServing, isDatabaseConnection } from '../dataset/connections.js';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { StoredDeskRequest } from '../store/desk-repository.js';
import type { DsrKind } from '../store/dsr-repository.js';
import type { Store } from '../store/open-store.js';
import type { Desk } from './desk.js';
import type { RequestState } from './request-states.js';
import type { ConnectionKind } from './systems/describe-systems.js';
import { engineInputOf, engineKindOf, sourceOf, type WorkerSource } from './worker/request-worker.js';

export interface PlannedSystem {
  /** The dataset's key (the system's id on the Systems page). */
  id: string;
  connection: string | undefined;
  kind: ConnectionKind | undefined;
  /** searched: a database the engine reads and writes itself; asked: a system sent the whole request (HTTP, or a person). */
  how: 'searched' | 'asked';
}

export interface DeskRequestPlan {
  stored: StoredDeskRequest;
  kind: DsrKind;
  systems: PlannedSystem[];
  report: DryRunReport;
}

/** Closed: nothing will run (a completed request's evidence says what its run did). */
const CLOSED: readonly RequestState[] = ['completed', 'refused', 'withdrawn'];

export async function planDeskRequest(input: {
  store: Store;
  desk: Desk;
  sources: readonly WorkerSource[];
  organisationId: string;
  requestId: string;
  actor: string;
  timeoutMs?: number | undefined;
}): Promise<DeskRequestPlan> {
  const { store, desk, organisationId, requestId } = input;
  const stored = await desk.get(organisationId, requestId);
  engineKindOf(stored.request.type);
  const state = stored.request.state as RequestState;
  if (CLOSED.includes(state)) throw new OpendpoError('REQUEST_REFUSED', `the request is ${state}: the engine will not run it (a completed request's history says what its run did)`);
  const source = sourceOf(input.sources, organisationId);
  if (!source?.loaded.connections) {
    throw new OpendpoError(
      'REQUEST_REFUSED',
      'this server runs no request of the organisation: no datasets folder it was started with (OPENDPO_DATASETS, serve --datasets) names its register; approved requests wait, and are answered with the CLI',
    );
  }
  const { kind, identities, datasets } = engineInputOf(stored, source);
  const connections = await openConnections(source.loaded.connections, store, input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs });
  let report: DryRunReport;
  try {
    const secretFor = await resolveHmacKeys(kind === 'erasure' ? datasets : []);
    report = await dryRun({ kind, identities, datasets, connections, secretFor, ...(source.register ? { register: source.register } : {}) });
  } catch (err) {
    // The input is the stored request, not the caller's: identities no dataset can look up are the
    // request's state (it cannot run as it stands), not a bad HTTP request.
    if (err instanceof OpendpoError && err.code === 'INVALID_INPUT') throw new OpendpoError('REQUEST_REFUSED', `the engine cannot run this request as it stands: ${err.message}`);
    throw err;
  } finally {
    await connections.close();
  }
  const rows = report.reached.reduce((n, r) => n + r.rows, 0);
  await store.audit.append(organisationId, {
    actor: input.actor,
    action: 'request.planned',
    subject: { kind: 'request', id: requestId },
    detail: { kind, collections: report.reached.filter((r) => r.rows > 0).length, rows, kept: report.kept.length },
  });
  const systems = datasets.map((d): PlannedSystem => {
    const c = connectionServing(source.loaded.connections, d.key);
    return { id: d.key, connection: c?.name, kind: c?.type, how: c !== undefined && isDatabaseConnection(c) ? 'searched' : 'asked' };
  });
  return { stored, kind, systems, report: { ...report, warnings: report.warnings.map((w) => withoutFolders(w, datasets.map((d) => d.at.file))) } };
}

/** The server's own folders are not staff's business: a dataset file is named as in its folder. */
function withoutFolders(text: string, files: readonly string[]): string {
  let out = text;
  for (const dir of new Set(files.map((f) => `${path.dirname(f)}${path.sep}`))) out = out.split(dir).join('');
  return out;
}
