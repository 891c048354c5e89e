/**
 * The only code that reads and writes data subject requests in the store: the request (what it
 * was asked with, its status, the lease of the run holding it), its evidence steps (append-only;
 * counts and timings, never values), the durable work log of its writes, restrictions (Art. 18),
 * and erasures a later access must speak of (Art. 15 after Art. 17).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, DsrRequestsTable } from './database.js';

export type DsrKind = 'access' | 'portability' | 'rectification' | 'restriction' | 'erasure';
/** `superseded`: an unfinished request a new one replaced (`--new-request`); kept as evidence, never resumed. */
export type DsrStatus = 'running' | 'waiting' | 'failed' | 'completed' | 'superseded';

/** The statuses of a request that a run may still take up (at most one per kind and identities). */
export const UNFINISHED: readonly DsrStatus[] = ['running', 'waiting', 'failed'];

/** One dataset a request was made with: its key, the file it came from, and a hash of its content. */
export interface DatasetFingerprint {
  key: string;
  file: string;
  hash: string;
}

/** Who runs a request now: a process on a host, since when, and until when unless it renews. */
export interface Lease {
  host: string;
  pid: number;
  since: string;
  expiresAt: string;
}

/** A run's claim on a request's lease: its own random token, and the times it compares with. */
export interface LeaseClaim {
  owner: string;
  host: string;
  pid: number;
  /** ISO 8601: a lease expiring before this is free. */
  now: string;
  expiresAt: string;
}

export interface DsrRequest {
  id: string;
  kind: DsrKind;
  status: DsrStatus;
  identityTypes: string[];
  datasetsHash: string;
  /** Per dataset; null for a request recorded before per-dataset fingerprints were kept. */
  datasets: DatasetFingerprint[] | null;
  /** Rectification: a keyed fingerprint of the new values, never the values. */
  changesFingerprint: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  summary: unknown;
  /** The run holding the request, live or expired; null when none holds it. */
  lease: Lease | null;
}

export interface NewDsrRequest {
  kind: DsrKind;
  fingerprint: string;
  identityTypes: string[];
  datasetsHash: string;
  datasets?: DatasetFingerprint[];
  changesFingerprint?: string | null;
  id?: string;
}

export type DsrStepStatus = 'done' | 'failed' | 'attempted' | 'committed' | 'rolled-back';

export interface DsrStep {
  seq: number;
  attempt: number;
  connection: string;
  collection: string | null;
  kind: string;
  rowsFound: number;
  rowsChanged: number;
  startedAt: string;
  durationMs: number;
  status: DsrStepStatus;
  note: string | null;
  /** Structured detail (no personal data): a kept record's reason, a commit marker's settled attempt. */
  detail: Record<string, unknown> | null;
}

export type NewDsrStep = Omit<DsrStep, 'seq' | 'attempt' | 'detail'> & { detail?: Record<string, unknown> };

export interface DsrWork {
  connection: string;
  status: 'pending' | 'done';
  operationsJson: string;
}

const now = () => new Date().toISOString();

export class DsrRepository {
  private secret: string | undefined;
  constructor(
    private readonly db: Kysely<Database>,
    /** True when a write lost a race with another process (a unique index, a stale snapshot). */
    private readonly isConflict: (err: unknown) => boolean,
  ) {}

  /** The store's own key for identity fingerprints, made on first use. */
  private async fingerprintKey(): Promise<string> {
    if (this.secret !== undefined) return this.secret;
    const existing = await this.db.selectFrom('store_secrets').select('value').where('name', '=', 'identity-fingerprint').executeTakeFirst();
    if (existing) return (this.secret = existing.value);
    const value = randomBytes(32).toString('hex');
    await this.db
      .insertInto('store_secrets')
      .values({ name: 'identity-fingerprint', value })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const stored = await this.db.selectFrom('store_secrets').select('value').where('name', '=', 'identity-fingerprint').executeTakeFirstOrThrow();
    return (this.secret = stored.value);
  }

  /** A keyed fingerprint of a set of identities (order-independent); also of rectification values. */
  async fingerprint(identities: Readonly<Record<string, string>>): Promise<string> {
    const key = await this.fingerprintKey();
    const canonical = Object.keys(identities)
      .sort()
      .map((t) => `${t}\u0000${identities[t]}`)
      .join('\u0001');
    return createHmac('sha256', key).update(canonical, 'utf8').digest('hex');
  }

  /** The unfinished request of this kind for these identities, if any (so a re-run resumes it). */
  async findUnfinished(kind: DsrKind, fingerprint: string): Promise<DsrRequest | undefined> {
    const row = await this.db
      .selectFrom('dsr_requests')
      .selectAll()
      .where('identity_fingerprint', '=', fingerprint)
      .where('kind', '=', kind)
      .where('status', 'in', UNFINISHED)
      .executeTakeFirst();
    return row ? toRequest(row) : undefined;
  }

  /**
   * Records a new request, held by `lease` when given. Undefined when an unfinished request of the
   * same kind and identities exists (another process made it at the same instant): look it up again.
   */
  async create(input: NewDsrRequest, lease?: LeaseClaim): Promise<DsrRequest | undefined> {
    const id = input.id ?? randomUUID();
    try {
      await this.insertRequest(this.db, id, input, lease);
    } catch (err) {
      if (this.isConflict(err)) return undefined;
      throw err;
    }
    return (await this.get(id))!;
  }

  private async insertRequest(db: Kysely<Database>, id: string, input: NewDsrRequest, lease: LeaseClaim | undefined): Promise<void> {
    const at = now();
    await db
      .insertInto('dsr_requests')
      .values({
        id,
        kind: input.kind,
        status: 'running',
        identity_fingerprint: input.fingerprint,
        identity_types: [...input.identityTypes].sort().join(','),
        datasets_hash: input.datasetsHash,
        created_at: at,
        updated_at: at,
        completed_at: null,
        attempts: 1,
        error_code: null,
        error_message: null,
        summary_json: null,
        changes_fingerprint: input.changesFingerprint ?? null,
        datasets_json: input.datasets ? JSON.stringify(input.datasets) : null,
        ...leaseColumns(lease),
      })
      .execute();
  }

  async get(id: string): Promise<DsrRequest | undefined> {
    const row = await this.db.selectFrom('dsr_requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRequest(row) : undefined;
  }

  async list(limit = 100): Promise<DsrRequest[]> {
    const rows = await this.db.selectFrom('dsr_requests').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map(toRequest);
  }

  /**
   * A new attempt at an unfinished request, taking its lease in the same statement: undefined
   * when another run holds a lease that has not expired (or the request is no longer unfinished).
   */
  async resume(id: string, lease: LeaseClaim): Promise<DsrRequest | undefined> {
    const result = await this.db
      .updateTable('dsr_requests')
      .set((eb) => ({ status: 'running', updated_at: now(), attempts: eb('attempts', '+', 1), error_code: null, error_message: null, ...leaseColumns(lease) }))
      .where('id', '=', id)
      .where('status', 'in', UNFINISHED)
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_expires_at', '<', lease.now)]))
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) return undefined;
    return (await this.get(id))!;
  }

  /**
   * Starts `replacement` in place of the unfinished request `id`, in one transaction: `id` is marked
   * superseded (with a step saying by which request) and its work log emptied, unless another run
   * holds its lease (undefined then).
   */
  async supersede(id: string, lease: LeaseClaim, replacement: NewDsrRequest): Promise<DsrRequest | undefined> {
    const newId = replacement.id ?? randomUUID();
    const done = await this.db.transaction().execute(async (tx) => {
      const old = await tx
        .updateTable('dsr_requests')
        .set({ status: 'superseded', updated_at: now(), ...leaseColumns(undefined) })
        .where('id', '=', id)
        .where('status', 'in', UNFINISHED)
        .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_expires_at', '<', lease.now)]))
        .executeTakeFirst();
      if (old.numUpdatedRows !== 1n) return false;
      const { attempts } = await tx.selectFrom('dsr_requests').select('attempts').where('id', '=', id).executeTakeFirstOrThrow();
      await insertSteps(tx, id, attempts, [
        { connection: 'opendpo', collection: null, kind: 'superseded', rowsFound: 0, rowsChanged: 0, startedAt: now(), durationMs: 0, status: 'done', note: `superseded by request ${newId}`, detail: { by: newId } },
      ]);
      // Row keys and values to write: never run now, so gone.
      await tx.updateTable('dsr_work').set({ operations_json: '[]' }).where('request_id', '=', id).execute();
      await this.insertRequest(tx, newId, replacement, lease);
      return true;
    });
    return done ? (await this.get(newId))! : undefined;
  }

  /** Extends the lease of the run `owner`; false when that run no longer holds it. */
  async renewLease(id: string, owner: string, expiresAt: string): Promise<boolean> {
    const result = await this.db.updateTable('dsr_requests').set({ lease_expires_at: expiresAt }).where('id', '=', id).where('lease_owner', '=', owner).executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * Ends the run `owner`: the request takes `status` and the lease is released. False (and nothing
   * written) when that run no longer holds the lease: another run owns the request now.
   */
  async endRun(id: string, owner: string, status: DsrStatus, extra: { errorCode?: string; errorMessage?: string; summary?: unknown } = {}): Promise<boolean> {
    const at = now();
    const result = await this.db
      .updateTable('dsr_requests')
      .set({
        status,
        updated_at: at,
        completed_at: status === 'completed' ? at : null,
        error_code: extra.errorCode ?? null,
        error_message: extra.errorMessage ?? null,
        ...(extra.summary === undefined ? {} : { summary_json: JSON.stringify(extra.summary) }),
        ...leaseColumns(undefined),
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * Appends steps to the evidence of the run `owner`, renewing its lease in the same transaction
   * (the lease is checked first, so a run that lost it writes nothing). Steps are never updated
   * nor deleted: the store refuses it.
   */
  async addSteps(requestId: string, lease: { owner: string; expiresAt: string }, attempt: number, steps: readonly NewDsrStep[]): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const held = await tx
        .updateTable('dsr_requests')
        .set({ lease_expires_at: lease.expiresAt })
        .where('id', '=', requestId)
        .where('lease_owner', '=', lease.owner)
        .executeTakeFirst();
      if (held.numUpdatedRows !== 1n) return false;
      await insertSteps(tx, requestId, attempt, steps);
      return true;
    });
  }

  async steps(requestId: string): Promise<DsrStep[]> {
    const rows = await this.db.selectFrom('dsr_steps').selectAll().where('request_id', '=', requestId).orderBy('seq').execute();
    return rows.map((r) => ({
      seq: r.seq,
      attempt: r.attempt,
      connection: r.connection,
      collection: r.collection,
      kind: r.kind,
      rowsFound: r.rows_found,
      rowsChanged: r.rows_changed,
      startedAt: r.started_at,
      durationMs: r.duration_ms,
      status: r.status as DsrStepStatus,
      note: r.note,
      detail: r.detail_json === null ? null : (JSON.parse(r.detail_json) as Record<string, unknown>),
    }));
  }

  /** Records the whole erasure before its first write: one transaction, all connections. */
  async saveWork(requestId: string, work: readonly { connection: string; operationsJson: string }[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('dsr_work').where('request_id', '=', requestId).execute();
      if (work.length === 0) return;
      await tx
        .insertInto('dsr_work')
        .values(work.map((w) => ({ request_id: requestId, connection: w.connection, status: 'pending', operations_json: w.operationsJson, done_at: null })))
        .execute();
    });
  }

  /** Adds work items (systems submitted to) without touching the existing ones. */
  async addWork(requestId: string, work: readonly { connection: string; operationsJson: string }[]): Promise<void> {
    if (work.length === 0) return;
    await this.db
      .insertInto('dsr_work')
      .values(work.map((w) => ({ request_id: requestId, connection: w.connection, status: 'pending', operations_json: w.operationsJson, done_at: null })))
      .execute();
  }

  async work(requestId: string): Promise<DsrWork[]> {
    const rows = await this.db.selectFrom('dsr_work').selectAll().where('request_id', '=', requestId).orderBy('connection').execute();
    return rows.map((r) => ({ connection: r.connection, status: r.status as 'pending' | 'done', operationsJson: r.operations_json }));
  }

  async hasWork(requestId: string): Promise<boolean> {
    const row = await this.db.selectFrom('dsr_work').select('connection').where('request_id', '=', requestId).executeTakeFirst();
    return row !== undefined;
  }

  async markWorkDone(requestId: string, connection: string): Promise<void> {
    await this.db.updateTable('dsr_work').set({ status: 'done', done_at: now() }).where('request_id', '=', requestId).where('connection', '=', connection).execute();
  }

  /** The work log holds row keys and masked values: gone once the request is complete. */
  async purgeWork(requestId: string): Promise<void> {
    await this.db.updateTable('dsr_work').set({ operations_json: '[]' }).where('request_id', '=', requestId).execute();
  }

  /**
   * Records the identity as restricted by `requestId`. An identity an earlier restriction held is
   * taken over; an earlier restriction left without any identity can no longer be lifted by its
   * request, so the keys of the rows it flagged, kept for that lifting, are gone too (Art. 5(1)(c)).
   */
  async restrict(fingerprint: string, identityType: string, requestId: string): Promise<void> {
    const at = now();
    await this.db.transaction().execute(async (tx) => {
      const previous = await tx.selectFrom('dsr_restrictions').select('request_id').where('identity_fingerprint', '=', fingerprint).executeTakeFirst();
      await tx
        .insertInto('dsr_restrictions')
        .values({ identity_fingerprint: fingerprint, identity_type: identityType, request_id: requestId, restricted_at: at, lifted_at: null })
        .onConflict((oc) => oc.column('identity_fingerprint').doUpdateSet({ request_id: requestId, restricted_at: at, lifted_at: null }))
        .execute();
      if (previous === undefined || previous.request_id === requestId) return;
      const left = await tx.selectFrom('dsr_restrictions').select('request_id').where('request_id', '=', previous.request_id).executeTakeFirst();
      if (left === undefined) await tx.updateTable('dsr_work').set({ operations_json: '[]' }).where('request_id', '=', previous.request_id).execute();
    });
  }

  /**
   * The restrictions recorded, one per request (the identity types it restricted, never the
   * identities), newest first; only those in force unless `includeLifted`.
   */
  async restrictions(options: { includeLifted?: boolean } = {}): Promise<RestrictionRecord[]> {
    let query = this.db.selectFrom('dsr_restrictions').select(['request_id', 'identity_type', 'restricted_at', 'lifted_at']);
    if (!options.includeLifted) query = query.where('lifted_at', 'is', null);
    const rows = await query.orderBy('restricted_at', 'desc').orderBy('request_id').orderBy('identity_type').execute();
    const byRequest = new Map<string, RestrictionRecord>();
    for (const r of rows) {
      const record = byRequest.get(r.request_id) ?? { requestId: r.request_id, identityTypes: [], restrictedAt: r.restricted_at, liftedAt: r.lifted_at };
      if (!record.identityTypes.includes(r.identity_type)) record.identityTypes.push(r.identity_type);
      if (r.restricted_at > record.restrictedAt) record.restrictedAt = r.restricted_at;
      // Lifted when every identity of the request is (a later restriction may have taken one over).
      if (r.lifted_at === null) record.liftedAt = null;
      byRequest.set(r.request_id, record);
    }
    return [...byRequest.values()];
  }

  /**
   * Appends steps to the evidence of the request `requestId` while its restriction is in force (the
   * flags cleared in one database while the restriction is being lifted). False, and nothing
   * written, when it is not.
   */
  async addRestrictionSteps(requestId: string, steps: readonly NewDsrStep[]): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const inForce = await tx.selectFrom('dsr_restrictions').select('request_id').where('request_id', '=', requestId).where('lifted_at', 'is', null).executeTakeFirst();
      if (inForce === undefined) return false;
      const request = await tx.selectFrom('dsr_requests').select('attempts').where('id', '=', requestId).executeTakeFirst();
      await insertSteps(tx, requestId, request?.attempts ?? 1, steps);
      return true;
    });
  }

  /**
   * Lifts the restriction `requestId` recorded (Art. 18(3)), appends `step` (who lifted it, when
   * and how the person was told) to that request's evidence, and empties its work log (the keys
   * of the rows it flagged were kept for this lifting only), in one transaction. False, and
   * nothing written, when no restriction of that request is in force.
   */
  async liftRestriction(requestId: string, step: NewDsrStep): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const lifted = await tx.updateTable('dsr_restrictions').set({ lifted_at: now() }).where('request_id', '=', requestId).where('lifted_at', 'is', null).executeTakeFirst();
      if (lifted.numUpdatedRows === 0n) return false;
      const request = await tx.selectFrom('dsr_requests').select('attempts').where('id', '=', requestId).executeTakeFirst();
      await insertSteps(tx, requestId, request?.attempts ?? 1, [{ ...step, rowsChanged: Number(lifted.numUpdatedRows) }]);
      await tx.updateTable('dsr_work').set({ operations_json: '[]' }).where('request_id', '=', requestId).execute();
      return true;
    });
  }

  /** Whether processing of this identity is restricted (for the capabilities that enforce Art. 18). */
  async isRestricted(identityType: string, value: string): Promise<boolean> {
    const fingerprint = await this.fingerprint({ [identityType]: value });
    const row = await this.db
      .selectFrom('dsr_restrictions')
      .select('lifted_at')
      .where('identity_fingerprint', '=', fingerprint)
      .executeTakeFirst();
    return row !== undefined && row.lifted_at === null;
  }

  /**
   * Records, for each identity fingerprint, that this erasure concerns it and what it keeps; a new
   * plan of the same request replaces the old one. Counts once the request completes.
   */
  async recordErasure(requestId: string, fingerprints: readonly string[], keptJson: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('dsr_erasures').where('request_id', '=', requestId).execute();
      const unique = [...new Set(fingerprints)];
      if (unique.length === 0) return;
      await tx
        .insertInto('dsr_erasures')
        .values(unique.map((f) => ({ identity_fingerprint: f, request_id: requestId, kept_json: keptJson })))
        .execute();
    });
  }

  /** The completed erasures of any of these identity fingerprints, oldest first, each once. */
  async completedErasures(fingerprints: readonly string[]): Promise<ErasureRecord[]> {
    if (fingerprints.length === 0) return [];
    const rows = await this.db
      .selectFrom('dsr_erasures')
      .innerJoin('dsr_requests', 'dsr_requests.id', 'dsr_erasures.request_id')
      .select(['dsr_erasures.request_id', 'dsr_requests.completed_at', 'dsr_erasures.kept_json'])
      .where('dsr_erasures.identity_fingerprint', 'in', [...fingerprints])
      .where('dsr_requests.kind', '=', 'erasure')
      .where('dsr_requests.status', '=', 'completed')
      .orderBy('dsr_requests.completed_at')
      .orderBy('dsr_erasures.request_id')
      .execute();
    const seen = new Set<string>();
    const out: ErasureRecord[] = [];
    for (const r of rows) {
      if (seen.has(r.request_id) || r.completed_at === null) continue;
      seen.add(r.request_id);
      out.push({ requestId: r.request_id, completedAt: r.completed_at, keptJson: r.kept_json });
    }
    return out;
  }
}

/** A restriction in the store: the request that made it, what it restricted (identity types, never values), since when. */
export interface RestrictionRecord {
  requestId: string;
  identityTypes: string[];
  restrictedAt: string;
  /** When it was lifted; null while in force. */
  liftedAt: string | null;
}

/** An erasure recorded for an identity: its request, completion and what it kept (JSON, no values). */
export interface ErasureRecord {
  requestId: string;
  completedAt: string;
  keptJson: string;
}

function toRequest(r: Selectable<DsrRequestsTable>): DsrRequest {
  return {
    id: r.id,
    kind: r.kind as DsrKind,
    status: r.status as DsrStatus,
    identityTypes: r.identity_types.split(',').filter(Boolean),
    datasetsHash: r.datasets_hash,
    datasets: r.datasets_json === null ? null : (JSON.parse(r.datasets_json) as DatasetFingerprint[]),
    changesFingerprint: r.changes_fingerprint,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
    attempts: r.attempts,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    summary: r.summary_json === null ? null : JSON.parse(r.summary_json),
    lease:
      r.lease_owner === null
        ? null
        : { host: r.lease_host ?? '', pid: r.lease_pid ?? 0, since: r.lease_since ?? '', expiresAt: r.lease_expires_at ?? '' },
  };
}

function leaseColumns(lease: LeaseClaim | undefined) {
  return {
    lease_owner: lease?.owner ?? null,
    lease_host: lease?.host ?? null,
    lease_pid: lease?.pid ?? null,
    lease_since: lease?.now ?? null,
    lease_expires_at: lease?.expiresAt ?? null,
  };
}

/** Steps numbered after the request's last one (one run at a time writes them: the lease). */
async function insertSteps(db: Kysely<Database>, requestId: string, attempt: number, steps: readonly NewDsrStep[]): Promise<void> {
  if (steps.length === 0) return;
  const last = await db
    .selectFrom('dsr_steps')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  let seq = Number(last?.seq ?? 0);
  await db
    .insertInto('dsr_steps')
    .values(
      steps.map((s) => ({
        request_id: requestId,
        seq: ++seq,
        attempt,
        connection: s.connection,
        collection: s.collection,
        kind: s.kind,
        rows_found: s.rowsFound,
        rows_changed: s.rowsChanged,
        started_at: s.startedAt,
        duration_ms: Math.round(s.durationMs),
        status: s.status,
        note: s.note,
        detail_json: s.detail === undefined ? null : JSON.stringify(s.detail),
      })),
    )
    .execute();
}
