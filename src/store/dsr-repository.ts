/**
 * The only code that reads and writes data subject requests in the store: the request, its
 * evidence steps (counts and timings, never values), the durable work log of an erasure,
 * restrictions (Art. 18), and erasures a later access must speak of (Art. 15 after Art. 17).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, DsrRequestsTable } from './database.js';

export type DsrKind = 'access' | 'portability' | 'rectification' | 'restriction' | 'erasure';
export type DsrStatus = 'running' | 'waiting' | 'failed' | 'completed';

export interface DsrRequest {
  id: string;
  kind: DsrKind;
  status: DsrStatus;
  identityTypes: string[];
  datasetsHash: string;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  summary: unknown;
}

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
  status: 'done' | 'failed';
  note: string | null;
}

export type NewDsrStep = Omit<DsrStep, 'seq' | 'attempt'>;

export interface DsrWork {
  connection: string;
  status: 'pending' | 'done';
  operationsJson: string;
}

const now = () => new Date().toISOString();

export class DsrRepository {
  private secret: string | undefined;
  constructor(private readonly db: Kysely<Database>) {}

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

  /** A keyed fingerprint of a set of identities (order-independent). */
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
      .where('status', '!=', 'completed')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return row ? toRequest(row) : undefined;
  }

  async create(input: { kind: DsrKind; fingerprint: string; identityTypes: string[]; datasetsHash: string; id?: string }): Promise<DsrRequest> {
    const at = now();
    const id = input.id ?? randomUUID();
    await this.db
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
      })
      .execute();
    return (await this.get(id))!;
  }

  async get(id: string): Promise<DsrRequest | undefined> {
    const row = await this.db.selectFrom('dsr_requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRequest(row) : undefined;
  }

  async list(limit = 100): Promise<DsrRequest[]> {
    const rows = await this.db.selectFrom('dsr_requests').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map(toRequest);
  }

  /** A new attempt at an unfinished request. */
  async resume(id: string): Promise<DsrRequest> {
    await this.db
      .updateTable('dsr_requests')
      .set((eb) => ({ status: 'running', updated_at: now(), attempts: eb('attempts', '+', 1), error_code: null, error_message: null }))
      .where('id', '=', id)
      .execute();
    return (await this.get(id))!;
  }

  async setStatus(id: string, status: DsrStatus, extra: { errorCode?: string; errorMessage?: string; summary?: unknown } = {}): Promise<void> {
    const at = now();
    await this.db
      .updateTable('dsr_requests')
      .set({
        status,
        updated_at: at,
        completed_at: status === 'completed' ? at : null,
        error_code: extra.errorCode ?? null,
        error_message: extra.errorMessage ?? null,
        ...(extra.summary === undefined ? {} : { summary_json: JSON.stringify(extra.summary) }),
      })
      .where('id', '=', id)
      .execute();
  }

  async addSteps(requestId: string, attempt: number, steps: readonly NewDsrStep[]): Promise<void> {
    if (steps.length === 0) return;
    const last = await this.db
      .selectFrom('dsr_steps')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    let seq = Number(last?.seq ?? 0);
    await this.db
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
        })),
      )
      .execute();
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
      status: r.status as 'done' | 'failed',
      note: r.note,
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

  async restrict(fingerprint: string, identityType: string, requestId: string): Promise<void> {
    const at = now();
    await this.db
      .insertInto('dsr_restrictions')
      .values({ identity_fingerprint: fingerprint, identity_type: identityType, request_id: requestId, restricted_at: at, lifted_at: null })
      .onConflict((oc) => oc.column('identity_fingerprint').doUpdateSet({ request_id: requestId, restricted_at: at, lifted_at: null }))
      .execute();
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
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
    attempts: r.attempts,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    summary: r.summary_json === null ? null : JSON.parse(r.summary_json),
  };
}
