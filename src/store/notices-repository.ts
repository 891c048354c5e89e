/**
 * The Art. 19 notices of the desk's requests (migration 0008): written with the completion of the
 * request (DeskRepository.apply, through insertNotices), then claimed and delivered by the server's
 * notice sender (src/desk/notices), or decided by a person. Every change of a notice and its audit
 * entry are one transaction; a notice is claimed before it is delivered, so of several processes on
 * one database one delivers it.
 */
import type { Kysely, Selectable, Updateable } from 'kysely';
import { appendAuditEntry, type AuditEntryInput } from './audit-log.js';
import { retryOnConflict } from './retry-on-conflict.js';
import type { Database, DeskRecipientNoticesTable } from './database.js';

export type RecipientNoticeRow = Selectable<DeskRecipientNoticesTable>;
export type NewRecipientNoticeRow = Omit<RecipientNoticeRow, 'organisation_id' | 'request_id'>;

/** What a notice may become after a delivery or a person's decision. */
export type NoticeUpdate = Omit<Updateable<DeskRecipientNoticesTable>, 'organisation_id' | 'id' | 'request_id' | 'recipient_id' | 'action'>;

/** Inserts the notices of a request, in the caller's transaction (the one completing the request). */
export async function insertNotices(trx: Kysely<Database>, organisationId: string, requestId: string, rows: readonly NewRecipientNoticeRow[]): Promise<void> {
  for (const row of rows) {
    await trx
      .insertInto('desk_recipient_notices')
      .values({ ...row, organisation_id: organisationId, request_id: requestId })
      // A request completed twice (a by-hand record after a run) tells each recipient once.
      .onConflict((oc) => oc.columns(['organisation_id', 'request_id', 'recipient_id', 'action']).doNothing())
      .execute();
  }
}

export class NoticesRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly isConflict: (err: unknown) => boolean,
  ) {}

  async forRequest(organisationId: string, requestId: string): Promise<RecipientNoticeRow[]> {
    return this.db
      .selectFrom('desk_recipient_notices')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('request_id', '=', requestId)
      .orderBy('created_at')
      .orderBy('recipient_id')
      .orderBy('action')
      .execute();
  }

  async get(organisationId: string, id: string): Promise<RecipientNoticeRow | undefined> {
    return this.db.selectFrom('desk_recipient_notices').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
  }

  /** Notices waiting for a delivery whose time has come and that nobody holds, oldest first. */
  async due(organisationIds: readonly string[], now: string, limit: number): Promise<RecipientNoticeRow[]> {
    if (organisationIds.length === 0) return [];
    return this.db
      .selectFrom('desk_recipient_notices')
      .selectAll()
      .where('state', '=', 'pending')
      .where('organisation_id', 'in', [...organisationIds])
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
  }

  /** Takes a notice to deliver it; false when another sender holds it or it is no longer pending. */
  async claim(organisationId: string, id: string, owner: string, until: string, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('desk_recipient_notices')
      .set({ claimed_by: owner, claimed_until: until })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Writes the outcome of a delivery (its attempts, the answer, what comes next) with its audit
   * entry, if this sender still holds the notice; false when it lost it (its hold lapsed and another
   * sender took the notice: the other's record stands).
   */
  async recordDelivery(organisationId: string, id: string, owner: string, set: NoticeUpdate, audit: AuditEntryInput): Promise<boolean> {
    return this.inTransaction(organisationId, [audit], async (trx) => {
      const r = await trx
        .updateTable('desk_recipient_notices')
        .set({ ...set, claimed_by: null, claimed_until: null })
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .where('claimed_by', '=', owner)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    });
  }

  /** A person's decision on a notice in one of `from` states; false when it was in none of them (nothing written). */
  async decide(organisationId: string, id: string, from: readonly string[], set: NoticeUpdate, audit: AuditEntryInput): Promise<boolean> {
    return this.inTransaction(organisationId, [audit], async (trx) => {
      const r = await trx
        .updateTable('desk_recipient_notices')
        .set(set)
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .where('state', 'in', [...from])
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', String(set.updated_at))]))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new NotDecided();
      return true;
    }).catch((err: unknown) => {
      if (err instanceof NotDecided) return false;
      throw err;
    });
  }

  /** Notices of open concern by state, per organisation (the desk's gauges). */
  async countByState(organisationId: string): Promise<{ state: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('desk_recipient_notices')
      .select(['state', (eb) => eb.fn.countAll<number | string>().as('count')])
      .where('organisation_id', '=', organisationId)
      .groupBy('state')
      .execute();
    return rows.map((r) => ({ state: r.state, count: Number(r.count) }));
  }

  private async inTransaction<T>(organisationId: string, audit: AuditEntryInput[], work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return retryOnConflict(this.isConflict, () =>
      this.db.transaction().execute(async (trx) => {
        const result = await work(trx);
        // The audit entry only for a change that happened: a lost race writes nothing.
        if (result) for (const entry of audit) await appendAuditEntry(trx, organisationId, entry);
        return result;
      }),
    );
  }
}

/** Rolls a decision back when the notice was not in a state it may be decided from. */
class NotDecided extends Error {}
