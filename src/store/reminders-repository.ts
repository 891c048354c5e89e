/**
 * The daily reminder's runs and digests (src/desk/reminders, migration 0010), and the one read it
 * needs of the desk's requests. Once per organisation and calendar day, whatever the number of
 * processes: a run is claimed by inserting its (organisation, day) key — a second process inserting
 * the same day loses — and held by a lease its process renews; a process that died mid-run stops
 * renewing, and another takes the run over once the lease lapsed. Each digest is recorded
 * (organisation, day, staff account) before its mail goes: no account is written to twice in a day.
 * Every outcome is written with its audit entry, in one transaction.
 */
import type { Kysely, Selectable } from 'kysely';
import { appendAuditEntry, type AuditEntryInput } from './audit-log.js';
import type { Database, DeskReminderDigestsTable, DeskReminderRunsTable } from './database.js';
import { retryOnConflict } from './retry-on-conflict.js';

export type ReminderRunRow = Selectable<DeskReminderRunsTable>;
export type ReminderDigestRow = Selectable<DeskReminderDigestsTable>;

/** What claiming a day's run gave: this process sends it (claimed, or taken over from a dead one), or not. */
export type RunClaim = 'claimed' | 'taken_over' | 'done' | 'held';

/** An open request as the reminder reads it: no identity, no content. */
export interface DueRequestRow {
  id: string;
  reference: string;
  type: string;
  state: string;
  due_on: string;
  assignee: string | null;
}

/** The states a request never leaves (src/desk/request-states.ts FINAL_STATES). */
const CLOSED_STATES = ['completed', 'refused', 'withdrawn'];

export class RemindersRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly isConflict: (err: unknown) => boolean,
  ) {}

  /** The organisation's open requests due on or before a day (YYYY-MM-DD), by due day. */
  async dueRequests(organisationId: string, throughDay: string): Promise<DueRequestRow[]> {
    return this.db
      .selectFrom('desk_requests')
      .select(['id', 'reference', 'type', 'state', 'due_on', 'assignee'])
      .where('organisation_id', '=', organisationId)
      .where('state', 'not in', CLOSED_STATES)
      .where('due_on', '<=', throughDay)
      .orderBy('due_on')
      .orderBy('id')
      .execute();
  }

  /**
   * Claims the organisation's run of a day for `owner` until `leaseUntil` (ISO instants compare as
   * text). Another process's run is left alone while it holds it; one whose lease lapsed before
   * `now`, unfinished, is taken over (compare-and-set on its owner and lease: of two processes
   * taking it over, one does).
   */
  async claimRun(organisationId: string, day: string, owner: string, now: string, leaseUntil: string): Promise<RunClaim> {
    const inserted = await this.db
      .insertInto('desk_reminder_runs')
      .values({ organisation_id: organisationId, day, owner, started_at: now, lease_expires_at: leaseUntil, finished_at: null, digests: null, sent: null, failed: null })
      .onConflict((oc) => oc.columns(['organisation_id', 'day']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return 'claimed';
    const run = await this.run(organisationId, day);
    if (!run || run.finished_at !== null) return 'done';
    if (run.lease_expires_at >= now) return 'held';
    const taken = await this.db
      .updateTable('desk_reminder_runs')
      .set({ owner, lease_expires_at: leaseUntil })
      .where('organisation_id', '=', organisationId)
      .where('day', '=', day)
      .where('owner', '=', run.owner)
      .where('lease_expires_at', '=', run.lease_expires_at)
      .where('finished_at', 'is', null)
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1 ? 'taken_over' : 'held';
  }

  /** Extends the hold on a run this owner still holds; false when another process took it over. */
  async renewRun(organisationId: string, day: string, owner: string, leaseUntil: string): Promise<boolean> {
    const r = await this.db
      .updateTable('desk_reminder_runs')
      .set({ lease_expires_at: leaseUntil })
      .where('organisation_id', '=', organisationId)
      .where('day', '=', day)
      .where('owner', '=', owner)
      .where('finished_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Records a digest as being sent, before its mail goes; false when it was already recorded this day (sent, failed, or being sent). */
  async startDigest(organisationId: string, day: string, staffId: string, counts: { overdue: number; dueSoon: number }, at: string): Promise<boolean> {
    const r = await this.db
      .insertInto('desk_reminder_digests')
      .values({ organisation_id: organisationId, day, staff_id: staffId, status: 'sending', overdue: counts.overdue, due_soon: counts.dueSoon, message_id: null, error: null, at })
      .onConflict((oc) => oc.columns(['organisation_id', 'day', 'staff_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /** A digest's outcome, with its audit entry. */
  async finishDigest(
    organisationId: string,
    day: string,
    staffId: string,
    outcome: { status: 'sent' | 'failed'; messageId: string | null; error: string | null; at: string },
    audit: AuditEntryInput,
  ): Promise<void> {
    await this.withAudit(organisationId, [audit], async (trx) => {
      await trx
        .updateTable('desk_reminder_digests')
        .set({ status: outcome.status, message_id: outcome.messageId, error: outcome.error, at: outcome.at })
        .where('organisation_id', '=', organisationId)
        .where('day', '=', day)
        .where('staff_id', '=', staffId)
        .execute();
    });
  }

  /**
   * Digests a dead process left being sent: recorded failed, not sent again (the mail may have gone;
   * a reminder is not worth writing to someone twice). Returns the staff ids, each with its audit entry.
   */
  async failInterrupted(organisationId: string, day: string, at: string, audit: (staffId: string) => AuditEntryInput): Promise<string[]> {
    const left = await this.db
      .selectFrom('desk_reminder_digests')
      .select('staff_id')
      .where('organisation_id', '=', organisationId)
      .where('day', '=', day)
      .where('status', '=', 'sending')
      .orderBy('staff_id')
      .execute();
    for (const { staff_id } of left) {
      await this.withAudit(organisationId, [audit(staff_id)], async (trx) => {
        await trx
          .updateTable('desk_reminder_digests')
          .set({ status: 'failed', error: 'interrupted: the process sending it stopped; it may have gone, and is not sent again', at })
          .where('organisation_id', '=', organisationId)
          .where('day', '=', day)
          .where('staff_id', '=', staff_id)
          .where('status', '=', 'sending')
          .execute();
      });
    }
    return left.map((l) => l.staff_id);
  }

  /** Ends a run this owner holds with its figures (read from its digests) and its audit entry; false when another process took it over. */
  async finishRun(organisationId: string, day: string, owner: string, at: string, audit: (figures: RunFigures) => AuditEntryInput): Promise<RunFigures | undefined> {
    let figures: RunFigures | undefined;
    let held = false;
    await this.withAudit(organisationId, [], async (trx) => {
      const rows = await trx
        .selectFrom('desk_reminder_digests')
        .select(['status'])
        .where('organisation_id', '=', organisationId)
        .where('day', '=', day)
        .execute();
      figures = { digests: rows.length, sent: rows.filter((r) => r.status === 'sent').length, failed: rows.filter((r) => r.status !== 'sent').length };
      const r = await trx
        .updateTable('desk_reminder_runs')
        .set({ finished_at: at, ...figures })
        .where('organisation_id', '=', organisationId)
        .where('day', '=', day)
        .where('owner', '=', owner)
        .where('finished_at', 'is', null)
        .executeTakeFirst();
      held = Number(r.numUpdatedRows) === 1;
      if (held) await appendAuditEntry(trx, organisationId, audit(figures));
    });
    return held ? figures : undefined;
  }

  async run(organisationId: string, day: string): Promise<ReminderRunRow | undefined> {
    return this.db.selectFrom('desk_reminder_runs').selectAll().where('organisation_id', '=', organisationId).where('day', '=', day).executeTakeFirst();
  }

  async digests(organisationId: string, day: string): Promise<ReminderDigestRow[]> {
    return this.db.selectFrom('desk_reminder_digests').selectAll().where('organisation_id', '=', organisationId).where('day', '=', day).orderBy('staff_id').execute();
  }

  /** Runs a change and its audit entries in one transaction, again if another writer took the chain's next place. */
  private async withAudit(organisationId: string, audit: AuditEntryInput[], change: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
    await retryOnConflict(this.isConflict, () =>
      this.db.transaction().execute(async (trx) => {
        await change(trx);
        for (const entry of audit) await appendAuditEntry(trx, organisationId, entry);
      }),
    );
  }
}

export interface RunFigures {
  digests: number;
  sent: number;
  failed: number;
}
