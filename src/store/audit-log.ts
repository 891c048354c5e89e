/**
 * The audit log: append-only, hash-chained, one chain per organisation (Art. 5(2), 24: the
 * controller demonstrates what it did). Each entry carries the hash of the previous one, and its own
 * hash covers its place in the chain, so that `verifyChain` finds an entry edited, deleted or moved.
 * Entries name things by id and count: never a person's identity or data.
 *
 * A chain cannot show that its newest entries were cut off: `opendpo audit verify` prints the head
 * (sequence number and hash) to be kept elsewhere, and checks a head given back (`--expect-head`).
 */
import { createHash } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { canonicalJson } from './canonical-json.js';
import { retryOnConflict } from './retry-on-conflict.js';
import type { AuditLogTable, Database } from './database.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  /** Who acted: "staff:<id>", "token:<id>", "system", "cli:<user>". */
  actor: string;
  /** What was done, as a dotted name: "register.published", "request.approved". */
  action: string;
  subject: { kind: string; id: string };
  /** Ids and counts only. */
  detail?: Record<string, unknown>;
  /** For tests and imports; default now. */
  at?: Date;
}

export interface AuditEntry {
  organisationId: string;
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: { kind: string; id: string };
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The hash of an entry: its canonical JSON, every field but the hash itself. */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256')
    .update(canonicalJson({ organisation: e.organisationId, seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail, prev: e.prevHash }))
    .digest('hex');
}

/**
 * Appends an entry to the organisation's chain inside `trx` (the transaction of the change it
 * records, so that both are written or neither). A concurrent writer that took the same place makes
 * the insert fail with a primary-key conflict: the caller retries its whole transaction.
 */
export async function appendAuditEntry(trx: Transaction<Database> | Kysely<Database>, organisationId: string, input: AuditEntryInput): Promise<AuditEntry> {
  const tail = await trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .where('organisation_id', '=', organisationId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const unhashed = {
    organisationId,
    seq: (tail?.seq ?? 0) + 1,
    at: (input.at ?? new Date()).toISOString(),
    actor: input.actor,
    action: input.action,
    subject: { kind: input.subject.kind, id: input.subject.id },
    detail: JSON.parse(canonicalJson(input.detail ?? {})) as Record<string, unknown>,
    prevHash: tail?.hash ?? GENESIS_HASH,
  };
  const entry: AuditEntry = { ...unhashed, hash: entryHash(unhashed) };
  await trx
    .insertInto('audit_log')
    .values({
      organisation_id: entry.organisationId,
      seq: entry.seq,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      subject_kind: entry.subject.kind,
      subject_id: entry.subject.id,
      detail_json: canonicalJson(entry.detail),
      prev_hash: entry.prevHash,
      hash: entry.hash,
    })
    .execute();
  return entry;
}

export interface ChainProblem {
  seq: number;
  problem: string;
}

export interface ChainVerification {
  organisationId: string;
  entries: number;
  /** The newest entry, to keep elsewhere and give back to a later verification. */
  head: { seq: number; hash: string } | null;
  problems: ChainProblem[];
}

/**
 * Checks a chain read in sequence order, an entry at a time (a long chain is never held whole):
 * numbers without gaps from 1, each entry pointing at the previous one's hash, each hash what its
 * content gives; and, when a head kept earlier is given, that the entry is still there with that hash
 * (the chain was not cut short).
 */
export class ChainVerifier {
  private readonly problems: ChainProblem[] = [];
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private head: { seq: number; hash: string } | null = null;
  private expectedHeadSeen = false;

  constructor(
    private readonly organisationId: string,
    private readonly expectHead?: { seq: number; hash: string },
  ) {}

  add(e: AuditEntry): void {
    this.count++;
    if (e.seq !== this.expectedSeq) {
      const gap = e.seq - 1 > this.expectedSeq ? `entries ${this.expectedSeq}-${e.seq - 1}` : `entry ${this.expectedSeq}`;
      this.problems.push({ seq: e.seq, problem: e.seq > this.expectedSeq ? `${gap} missing (deleted)` : `out of order (expected ${this.expectedSeq})` });
    }
    if (e.prevHash !== this.prevHash) this.problems.push({ seq: e.seq, problem: 'does not follow the previous entry (an entry before it was edited, deleted or moved)' });
    const { hash, ...rest } = e;
    if (entryHash(rest) !== hash) this.problems.push({ seq: e.seq, problem: 'its content does not match its hash (edited)' });
    if (this.expectHead && e.seq === this.expectHead.seq) {
      this.expectedHeadSeen = true;
      if (hash !== this.expectHead.hash) this.problems.push({ seq: e.seq, problem: `is not the head kept earlier (hash ${hash.slice(0, 12)}…, expected ${this.expectHead.hash.slice(0, 12)}…)` });
    }
    this.expectedSeq = e.seq + 1;
    this.prevHash = hash;
    this.head = { seq: e.seq, hash };
  }

  result(): ChainVerification {
    const problems = [...this.problems];
    if (this.expectHead && !this.expectedHeadSeen) {
      problems.push({ seq: this.expectHead.seq, problem: `the head kept earlier is gone: the chain ends at ${this.head?.seq ?? 0} (entries were cut off)` });
    }
    return { organisationId: this.organisationId, entries: this.count, head: this.head, problems };
  }
}

export function verifyChain(organisationId: string, entries: Iterable<AuditEntry>, expectHead?: { seq: number; hash: string }): ChainVerification {
  const verifier = new ChainVerifier(organisationId, expectHead);
  for (const e of entries) verifier.add(e);
  return verifier.result();
}

const PAGE = 1000;

export interface AuditPageFilter {
  /** The last seq of the previous page (0 or absent: from the start of the chain). */
  after?: number;
  limit: number;
  action?: string;
  subjectKind?: string;
  subjectId?: string;
}

export class AuditLogRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly isConflict: (err: unknown) => boolean,
  ) {}

  /** Appends an entry on its own (the change it records is already stored); retried on a concurrent append. */
  async append(organisationId: string, input: AuditEntryInput): Promise<AuditEntry> {
    return retryOnConflict(this.isConflict, () => this.db.transaction().execute((trx) => appendAuditEntry(trx, organisationId, input)));
  }

  /** The organisation's entries in order, a page at a time. */
  async *entries(organisationId: string): AsyncGenerator<AuditEntry> {
    let after = 0;
    for (;;) {
      const rows = await this.db.selectFrom('audit_log').selectAll().where('organisation_id', '=', organisationId).where('seq', '>', after).orderBy('seq').limit(PAGE).execute();
      for (const row of rows) yield toEntry(row);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  /**
   * A page of the organisation's chain, oldest first, after a seq (keyset on the primary key: a
   * reader keeping the last seq it read gets every later entry once, in order), optionally only
   * entries of an action or a subject.
   */
  async page(organisationId: string, filter: AuditPageFilter): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll().where('organisation_id', '=', organisationId);
    if (filter.after !== undefined && filter.after > 0) q = q.where('seq', '>', filter.after);
    if (filter.action !== undefined) q = q.where('action', '=', filter.action);
    if (filter.subjectKind !== undefined) q = q.where('subject_kind', '=', filter.subjectKind);
    if (filter.subjectId !== undefined) q = q.where('subject_id', '=', filter.subjectId);
    const rows = await q.orderBy('seq').limit(filter.limit).execute();
    return rows.map(toEntry);
  }

  /** The organisations that have a chain. */
  async organisations(): Promise<string[]> {
    const rows = await this.db.selectFrom('audit_log').select('organisation_id').distinct().orderBy('organisation_id').execute();
    return rows.map((r) => r.organisation_id);
  }

  async verify(organisationId: string, expectHead?: { seq: number; hash: string }): Promise<ChainVerification> {
    const verifier = new ChainVerifier(organisationId, expectHead);
    for await (const e of this.entries(organisationId)) verifier.add(e);
    return verifier.result();
  }
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    organisationId: row.organisation_id,
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: { kind: row.subject_kind, id: row.subject_id },
    detail: parseDetail(row.detail_json),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** An entry's detail; one that is not a JSON object was written past the log (its hash no longer matches): said so, never thrown, never repeated. */
function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through
  }
  return { unreadable: 'the stored detail is not a JSON object' };
}
