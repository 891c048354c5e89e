/**
 * The life of a request, as plain functions over plain data (the store and the databases are in
 * evidence-journal.ts and run-request.ts):
 * - what a request is bound to (the datasets, one fingerprint each, and the rectification values),
 *   and the differences that refuse a resume, named;
 * - the lease: live or expired, and how a request presents itself (`interrupted` when its run
 *   died without releasing it);
 * - reading the evidence: which writes are confirmed committed, which wait for verification, and
 *   the summary of a request over all its attempts.
 *
 * The evidence is append-only (Art. 5(2): the controller shows what it did): a write is recorded
 * as `attempted` before its database commits, then settled by a `commit` marker, `committed` or
 * `rolled-back`, written after the commit or, after a crash, by verifying the database.
 */
import type { Dataset } from '../dataset/model.js';
import { contentHash } from '../store/canonical-json.js';
import type { DatasetFingerprint, DsrKind, DsrRequest, DsrStatus, DsrStep, Lease } from '../store/dsr-repository.js';
import type { KeptRecord } from './erasure/plan-erasure.js';

/** What a request is asked with, beyond its kind and identities (those find it). */
export interface RequestBinding {
  /** The hash of all datasets, as recorded since the first version (a request recorded before 0004 has only this). */
  datasetsHash: string;
  datasets: DatasetFingerprint[];
  /** Rectification: a keyed fingerprint of the new values; null for the other kinds. */
  changesFingerprint: string | null;
}

/**
 * One fingerprint per dataset, of what it says (not where it says it: a comment or a moved line
 * is no change), with the file it came from, to name a dataset that changed.
 */
export function datasetFingerprints(datasets: readonly Dataset[]): DatasetFingerprint[] {
  return datasets
    .map((d) => ({ key: d.key, file: d.at.file, hash: datasetHash(d) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Hashes worked out once per loaded dataset (and list of datasets): a dataset is never changed once
 * loaded (a changed file is a new load, so new objects), and a server's worker runs every request on
 * the same ones, where hashing them again was a tenth of an access request's time.
 */
const datasetHashes = new WeakMap<Dataset, string>();
const listHashes = new WeakMap<readonly Dataset[], string>();

function datasetHash(d: Dataset): string {
  let hash = datasetHashes.get(d);
  if (hash === undefined) datasetHashes.set(d, (hash = contentHash(withoutPlaces(d))));
  return hash;
}

/** The hash of all datasets kept in `datasets_hash` since the first version (positions below the top level included). */
export function datasetsHash(datasets: readonly Dataset[]): string {
  let hash = listHashes.get(datasets);
  if (hash === undefined) listHashes.set(datasets, (hash = contentHash(datasets.map((d) => ({ ...d, at: undefined })))));
  return hash;
}

function withoutPlaces(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPlaces);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'at').map(([k, v]) => [k, withoutPlaces(v)]));
}

/** Why `request` cannot be resumed with `binding`: each difference named; empty when it can. */
export function bindingDifferences(request: Pick<DsrRequest, 'datasets' | 'datasetsHash' | 'changesFingerprint'>, binding: RequestBinding): string[] {
  const out: string[] = [];
  if (request.changesFingerprint !== binding.changesFingerprint) {
    out.push(
      request.changesFingerprint === null
        ? 'the request was recorded before its --set values were kept, so they cannot be compared'
        : 'the --set values differ from those the request was made with',
    );
  }
  if (request.datasets === null) {
    if (request.datasetsHash !== binding.datasetsHash) out.push('the datasets changed since attempt 1');
    return out;
  }
  const made = new Map(request.datasets.map((d) => [d.key, d]));
  const now = new Map(binding.datasets.map((d) => [d.key, d]));
  for (const key of [...new Set([...made.keys(), ...now.keys()])].sort()) {
    const a = made.get(key);
    const b = now.get(key);
    if (b === undefined) out.push(`dataset ${key} (${a!.file}) was removed since attempt 1`);
    else if (a === undefined) out.push(`dataset ${key} (${b.file}) was added since attempt 1`);
    else if (a.hash !== b.hash) out.push(`dataset ${key} (${b.file}) changed since attempt 1`);
  }
  return out;
}

/** The refusal of a resume with other input: the differences, and how to start a new request instead. */
export function bindingRefusal(request: Pick<DsrRequest, 'id' | 'kind' | 'createdAt'>, differences: readonly string[]): string {
  const erasure =
    request.kind === 'erasure'
      ? ' A new erasure searches again from the identities: it cannot find rows this request already erased, nor rows reached only through them.'
      : '';
  return (
    `request ${request.id} (${request.kind}, made ${request.createdAt}) is unfinished and was made with other input: ${differences.join('; ')}. ` +
    `It is not resumed: run the command as the request was made to resume it, or add --new-request to start a new request ` +
    `(request ${request.id} is then marked superseded, and its evidence kept).${erasure}`
  );
}

export interface LeaseTiming {
  /** How long a lease lasts without renewal: a run killed without releasing it blocks others this long. */
  ttlMs: number;
  /** How often a running process renews it (well under the TTL). */
  heartbeatMs: number;
}

export const DEFAULT_LEASE: LeaseTiming = { ttlMs: 60_000, heartbeatMs: 15_000 };

/** A lease of `seconds`, renewed four times per period. */
export function leaseTiming(seconds: number): LeaseTiming {
  return { ttlMs: seconds * 1000, heartbeatMs: Math.max(50, Math.floor((seconds * 1000) / 4)) };
}

export const leaseIsLive = (lease: Lease | null, now: Date): boolean => lease !== null && lease.expiresAt >= now.toISOString();

/** A request as a person reads it: a run that died holding the lease is `interrupted`, not running. */
export type PresentedStatus = DsrStatus | 'interrupted';

export function presentStatus(request: Pick<DsrRequest, 'status' | 'lease'>, now: Date): PresentedStatus {
  return request.status === 'running' && !leaseIsLive(request.lease, now) ? 'interrupted' : request.status;
}

/** Whether running the same command again takes the request up. */
export const isResumable = (status: PresentedStatus): boolean => status === 'interrupted' || status === 'failed' || status === 'waiting';

export function inProgressMessage(request: Pick<DsrRequest, 'id' | 'kind'>, lease: Lease | null): string {
  const holder = lease ? `by process ${lease.pid} on ${lease.host} since ${lease.since}` : 'by another process';
  const until = lease ? `; if that process is gone, its lease expires at ${lease.expiresAt} and the same command then resumes the request` : '';
  return `request ${request.id} (${request.kind}) is being run ${holder}: one run of a request at a time${until}`;
}

// ---------------------------------------------------------------------------
// Reading the evidence
// ---------------------------------------------------------------------------

export const WRITE_KINDS: ReadonlySet<string> = new Set(['update', 'delete']);
const isWrite = (s: DsrStep) => WRITE_KINDS.has(s.kind) && s.status === 'attempted';
const settledAttempt = (s: DsrStep): number | undefined => (s.kind === 'commit' && typeof s.detail?.attempt === 'number' ? s.detail.attempt : undefined);

export type WritesState = { attempt: number; outcome: 'committed' | 'rolled-back' | 'unknown' };

/**
 * Where the latest writes to a connection stand: committed or rolled back (a marker says so), or
 * unknown (recorded as attempted, then the run stopped before its marker: the database decides).
 * Undefined when no write to it was ever attempted.
 */
export function writesState(steps: readonly DsrStep[], connection: string): WritesState | undefined {
  const attempts = steps.filter((s) => s.connection === connection && isWrite(s)).map((s) => s.attempt);
  if (attempts.length === 0) return undefined;
  const attempt = Math.max(...attempts);
  const marker = steps.filter((s) => s.connection === connection && settledAttempt(s) === attempt).at(-1);
  return { attempt, outcome: marker === undefined ? 'unknown' : marker.status === 'committed' ? 'committed' : 'rolled-back' };
}

/** What became of a write step: its transaction committed, rolled back, or not known yet. Undefined for other steps. */
export function writeOutcomes(steps: readonly DsrStep[]): (step: DsrStep) => WritesState['outcome'] | undefined {
  const settled = new Map<string, 'committed' | 'rolled-back'>();
  for (const s of steps) if (s.kind === 'commit') settled.set(`${s.connection}\u0000${String(settledAttempt(s))}`, s.status === 'committed' ? 'committed' : 'rolled-back');
  return (step) => (isWrite(step) ? (settled.get(`${step.connection}\u0000${step.attempt}`) ?? 'unknown') : undefined);
}

/** The write steps whose transaction is confirmed committed, from every attempt: what the databases changed. */
export function committedWrites(steps: readonly DsrStep[]): DsrStep[] {
  const outcome = writeOutcomes(steps);
  return steps.filter((s) => outcome(s) === 'committed');
}

/**
 * The attempt whose search the request's writes were decided from: the latest that searched (a
 * resume that finds the work log runs the stored writes without searching again).
 */
const searchedAt = (steps: readonly DsrStep[]): number => Math.max(0, ...steps.filter((s) => s.kind === 'select').map((s) => s.attempt));

/** What an erasure kept and why, as recorded when its writes were decided (kept steps carry the record). */
export function keptFromSteps(steps: readonly DsrStep[]): KeptRecord[] {
  const searched = searchedAt(steps);
  return steps
    .filter((s) => s.kind === 'kept' && s.attempt === searched)
    .map((s) => ({ ...(s.detail as Omit<KeptRecord, 'node' | 'rows'>), node: s.collection ?? '', rows: s.rowsFound }));
}

export interface EvidenceSummary {
  attempts: number;
  /** Rows found per collection, by the latest attempt that searched (systems by connection). */
  collections: { collection: string; rows: number }[];
  /** Rows each write changed, summed over the committed transactions of every attempt. */
  written: { connection: string; collection: string; kind: string; rows: number }[];
  kept: { collection: string; reason: string; rows: number; fields?: string[]; article?: string }[];
  /** Write steps whose commit is not known yet (a run stopped between recording and confirming them). */
  unconfirmed: number;
  warnings: number;
}

/** The summary of a request over all its attempts, from its evidence alone. */
export function summariseEvidence(steps: readonly DsrStep[], warnings: number): EvidenceSummary {
  const searched = searchedAt(steps);
  const collections = steps.filter((s) => s.kind === 'select' && s.attempt === searched).map((s) => ({ collection: s.collection ?? s.connection, rows: s.rowsFound }));
  const systems = new Map<string, number>();
  for (const s of steps) if (s.kind === 'system') systems.set(s.connection, s.rowsFound);
  const written = new Map<string, EvidenceSummary['written'][number]>();
  const committed = committedWrites(steps);
  for (const s of committed) {
    const key = `${s.connection}\u0000${s.collection ?? ''}\u0000${s.kind}`;
    const entry = written.get(key) ?? { connection: s.connection, collection: s.collection ?? '', kind: s.kind, rows: 0 };
    entry.rows += s.rowsChanged;
    written.set(key, entry);
  }
  const outcome = writeOutcomes(steps);
  return {
    attempts: Math.max(0, ...steps.map((s) => s.attempt)),
    collections: [...collections, ...[...systems].map(([connection, rows]) => ({ collection: connection, rows }))],
    written: [...written.values()],
    kept: keptFromSteps(steps).map((k) => ({
      collection: k.node,
      reason: k.reason,
      rows: k.rows,
      ...(k.fields ? { fields: k.fields } : {}),
      ...(k.hold ? { article: k.hold.article } : {}),
    })),
    unconfirmed: steps.filter((s) => outcome(s) === 'unknown').length,
    warnings,
  };
}

/** The kinds whose request writes to the databases, through the work log. */
export const WRITING_KINDS: ReadonlySet<DsrKind> = new Set(['erasure', 'rectification', 'restriction']);
