/**
 * The desk's requests (src/desk): a request, the identities it names, and its history of
 * transitions. The desk decides (pure, src/desk/request-states.ts); this repository writes what was
 * decided as one change: the request's new fields, its identities' challenges, the transitions taken
 * and their audit entries, in one transaction, or nothing. A change is made against the version of
 * the request it was decided on: if another process changed the request meanwhile, the change is
 * refused (REQUEST_CHANGED) and decided again on what is there now.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import { OpendpoError } from '../errors/opendpo-error.js';
import { appendAuditEntry, type AuditEntryInput } from './audit-log.js';
import { retryOnConflict } from './retry-on-conflict.js';
import { insertNotices, type NewRecipientNoticeRow } from './notices-repository.js';
import { insertAttachments, type NewAttachmentRow } from './attachments-repository.js';
import type { Database, DeskIdentitiesTable, DeskLettersTable, DeskRequestsTable, DeskTransitionsTable } from './database.js';

export type DeskRequestRow = Selectable<DeskRequestsTable>;
export type DeskIdentityRow = Selectable<DeskIdentitiesTable>;
export type DeskTransitionRow = Selectable<DeskTransitionsTable>;
export type DeskLetterRow = Selectable<DeskLettersTable>;

export interface StoredDeskRequest {
  request: DeskRequestRow;
  identities: DeskIdentityRow[];
  transitions: DeskTransitionRow[];
  letters: DeskLetterRow[];
}

export interface NewDeskRequest {
  request: Omit<DeskRequestRow, 'version'>;
  identities: { seq: number; type: string; value: string }[];
  /** The originals staff attached (sealed), written with the request or not at all. */
  attachments?: NewAttachmentRow[];
}

export interface DeskChange {
  requestId: string;
  /** The version the change was decided on. */
  expectedVersion: number;
  set?: Omit<Updateable<DeskRequestsTable>, 'organisation_id' | 'id' | 'version'>;
  identities?: { seq: number; set: Omit<Updateable<DeskIdentitiesTable>, 'organisation_id' | 'request_id' | 'seq' | 'type' | 'value'> }[];
  transitions?: Omit<DeskTransitionRow, 'organisation_id' | 'request_id' | 'seq'>[];
  /** Art. 19 notices to recipients, written with the completion they tell of. */
  notices?: NewRecipientNoticeRow[];
  audit: AuditEntryInput[];
}

export interface QueueFilter {
  states?: readonly string[];
  types?: readonly string[];
  channels?: readonly string[];
  assignee?: string;
  /** Only requests due before this day (YYYY-MM-DD), e.g. today for the overdue ones. */
  dueBefore?: string;
  /** Only requests due on or after this day (YYYY-MM-DD), e.g. today for the ones due soon. */
  dueFrom?: string;
  /** Keyset paging: the last (due_on, id) of the previous page. */
  after?: { dueOn: string; id: string };
  limit: number;
}

/** The states a request never leaves (src/desk/request-states.ts FINAL_STATES), for the queries below. */
const CLOSED_STATES = ['completed', 'refused', 'withdrawn'];

/** Open requests counted by state, country and due day: what the desk's gauges are worked out from. */
export interface OpenRequestCount {
  state: string;
  country: string;
  due_on: string;
  count: number;
}

/** A request received in a report's period, with the transition that closed it (none while open). */
export interface ReportedRequestRow {
  type: string;
  state: string;
  country: string;
  received_on: string;
  due_on: string;
  /** When the request was closed, as desk_requests keeps it (the instant of its closing transition). */
  closed_at: string | null;
  /** The transition into completed, refused or withdrawn: its name and instant. */
  closed: { name: string; to_state: string; at: string } | null;
}

/** A page of an organisation's audit log, oldest first (keyset on seq). */
export class DeskRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly isConflict: (err: unknown) => boolean,
  ) {}

  /** A key of the store's own, made on first use (e.g. the one-time codes' HMAC key). */
  async secret(name: string): Promise<string> {
    const existing = await this.db.selectFrom('store_secrets').select('value').where('name', '=', name).executeTakeFirst();
    if (existing) return existing.value;
    await this.db
      .insertInto('store_secrets')
      .values({ name, value: randomBytes(32).toString('hex') })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return (await this.db.selectFrom('store_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow()).value;
  }

  async create(organisationId: string, created: NewDeskRequest, audit: AuditEntryInput[]): Promise<void> {
    await this.inTransaction(organisationId, audit, async (trx) => {
      await trx.insertInto('desk_requests').values({ ...created.request, version: 1 }).execute();
      for (const identity of created.identities) {
        await trx
          .insertInto('desk_identities')
          .values({ organisation_id: organisationId, request_id: created.request.id, seq: identity.seq, type: identity.type, value: identity.value })
          .execute();
      }
      if ((created.attachments ?? []).length > 0) await insertAttachments(trx, organisationId, created.request.id, created.attachments!);
    });
  }

  /** A request with its identities and, unless `history: false`, its transitions and letters. */
  async get(organisationId: string, id: string, options: { history?: boolean } = {}): Promise<StoredDeskRequest | undefined> {
    const request = await this.db.selectFrom('desk_requests').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
    if (!request) return undefined;
    const history = options.history ?? true;
    const [identities, transitions, letters] = await Promise.all([
      this.db.selectFrom('desk_identities').selectAll().where('organisation_id', '=', organisationId).where('request_id', '=', id).orderBy('seq').execute(),
      history ? this.db.selectFrom('desk_transitions').selectAll().where('organisation_id', '=', organisationId).where('request_id', '=', id).orderBy('seq').execute() : [],
      history ? this.letters(organisationId, id) : [],
    ]);
    return { request, identities, transitions, letters };
  }

  /** Applies a decided change whole, or refuses it if the request moved on since it was read. */
  async apply(organisationId: string, change: DeskChange): Promise<void> {
    await this.inTransaction(organisationId, change.audit, async (trx) => {
      const r = await trx
        .updateTable('desk_requests')
        .set({ ...(change.set ?? {}), version: change.expectedVersion + 1 })
        .where('organisation_id', '=', organisationId)
        .where('id', '=', change.requestId)
        .where('version', '=', change.expectedVersion)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        throw new OpendpoError('REQUEST_CHANGED', 'the request changed since it was read (another person or process acted on it): read it again and decide on what it is now');
      }
      for (const identity of change.identities ?? []) {
        await trx
          .updateTable('desk_identities')
          .set(identity.set)
          .where('organisation_id', '=', organisationId)
          .where('request_id', '=', change.requestId)
          .where('seq', '=', identity.seq)
          .execute();
      }
      if ((change.transitions ?? []).length > 0) {
        let seq = await lastSeq(trx, 'desk_transitions', organisationId, change.requestId);
        for (const t of change.transitions!) {
          await trx
            .insertInto('desk_transitions')
            .values({ ...t, organisation_id: organisationId, request_id: change.requestId, seq: ++seq })
            .execute();
        }
      }
      if ((change.notices ?? []).length > 0) await insertNotices(trx, organisationId, change.requestId, change.notices!);
    });
  }

  /**
   * Requests a worker may take: approved ones, and those in progress whose worker stopped renewing
   * its hold (killed, or its machine gone), of the organisations and types it runs, by due day.
   */
  async runnable(organisationIds: readonly string[], types: readonly string[], now: string, limit: number): Promise<DeskRequestRow[]> {
    if (organisationIds.length === 0 || types.length === 0) return [];
    return this.db
      .selectFrom('desk_requests')
      .selectAll()
      .where('organisation_id', 'in', [...organisationIds])
      .where('type', 'in', [...types])
      .where((eb) => eb.or([eb('state', '=', 'approved'), eb.and([eb('state', '=', 'in_progress'), eb('worker_lease_expires_at', '<', now)])]))
      .orderBy('due_on')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Extends a worker's hold on a request it still holds; false when another worker took it over. */
  async renewWorkerLease(organisationId: string, id: string, owner: string, until: string): Promise<boolean> {
    const r = await this.db
      .updateTable('desk_requests')
      .set({ worker_lease_expires_at: until })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .where('worker_owner', '=', owner)
      .where('state', '=', 'in_progress')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Keeps a letter sent (or that could not be sent) with its request, and its audit entry. */
  async addLetter(organisationId: string, letter: Omit<DeskLetterRow, 'organisation_id' | 'seq'>, audit: AuditEntryInput): Promise<void> {
    await this.inTransaction(organisationId, [audit], async (trx) => {
      const seq = (await lastSeq(trx, 'desk_letters', organisationId, letter.request_id)) + 1;
      await trx.insertInto('desk_letters').values({ ...letter, organisation_id: organisationId, seq }).execute();
    });
  }

  async letters(organisationId: string, requestId: string): Promise<DeskLetterRow[]> {
    return this.db.selectFrom('desk_letters').selectAll().where('organisation_id', '=', organisationId).where('request_id', '=', requestId).orderBy('seq').execute();
  }

  /** The queue: by due day, then id; a page at a time (keyset, so page 500 costs what page 1 does). */
  async queue(organisationId: string, filter: QueueFilter): Promise<DeskRequestRow[]> {
    let q = this.db.selectFrom('desk_requests').selectAll().where('organisation_id', '=', organisationId);
    if (filter.states?.length) {
      q = q.where('state', 'in', [...filter.states]);
      // Open requests only: said in the words of the partial index desk_requests_open_due, as literals (a
      // planner cannot prove a bound parameter matches the index's condition), so that it is used (migration 0011).
      if (filter.states.every((s) => !CLOSED_STATES.includes(s))) q = q.where('state', 'not in', CLOSED_STATES.map((s) => sql.lit(s)));
    }
    if (filter.types?.length) q = q.where('type', 'in', [...filter.types]);
    if (filter.channels?.length) q = q.where('channel', 'in', [...filter.channels]);
    if (filter.assignee !== undefined) q = q.where('assignee', '=', filter.assignee);
    if (filter.dueBefore !== undefined) q = q.where('due_on', '<', filter.dueBefore);
    if (filter.dueFrom !== undefined) q = q.where('due_on', '>=', filter.dueFrom);
    if (filter.after) {
      const { dueOn, id } = filter.after;
      q = q.where((eb) => eb.or([eb('due_on', '>', dueOn), eb.and([eb('due_on', '=', dueOn), eb('id', '>', id)])]));
    }
    return q.orderBy('due_on').orderBy('id').limit(filter.limit).execute();
  }

  /**
   * Earlier requests of the same type naming one of these identities, received since a day: what
   * makes a request "excessive, in particular because of its repetitive character" (Art. 12(5)).
   */
  async similarSince(organisationId: string, type: string, identities: readonly { type: string; value: string }[], sinceIso: string, exceptId: string): Promise<DeskRequestRow[]> {
    if (identities.length === 0) return [];
    return this.db
      .selectFrom('desk_requests as r')
      .innerJoin('desk_identities as i', (j) => j.onRef('i.organisation_id', '=', 'r.organisation_id').onRef('i.request_id', '=', 'r.id'))
      .selectAll('r')
      .distinct()
      .where('r.organisation_id', '=', organisationId)
      .where('r.type', '=', type)
      .where('r.received_at', '>=', sinceIso)
      .where('r.id', '!=', exceptId)
      .where((eb) => eb.or(identities.map((i) => eb.and([eb('i.type', '=', i.type), eb('i.value', '=', i.value)]))))
      .orderBy('r.received_at')
      .execute();
  }

  /** Open requests (not completed, refused or withdrawn) by state, country and due day: the desk's gauges at a scrape. */
  async openRequestCounts(organisationId: string): Promise<OpenRequestCount[]> {
    const rows = await this.db
      .selectFrom('desk_requests')
      .select((eb) => ['state', 'country', 'due_on', eb.fn.countAll().as('count')])
      .where('organisation_id', '=', organisationId)
      .where('state', 'not in', CLOSED_STATES)
      .groupBy(['state', 'country', 'due_on'])
      .orderBy('state')
      .orderBy('due_on')
      .execute();
    return rows.map((r) => ({ state: r.state, country: r.country, due_on: r.due_on, count: Number(r.count) }));
  }

  /** Letters kept as failed (no email address, the mail server down): for staff to send by post or again. */
  async failedLetterCount(organisationId: string): Promise<number> {
    const row = await this.db
      .selectFrom('desk_letters')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('organisation_id', '=', organisationId)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  /**
   * The requests received from one day to another (YYYY-MM-DD, both included, in the organisation's
   * calendar), each with the transition that closed it: the report's input (src/desk/report.ts).
   * A closed request took exactly one transition into a final state (none leaves one).
   */
  async requestsReceivedBetween(organisationId: string, from: string, to: string): Promise<ReportedRequestRow[]> {
    const rows = await this.db
      .selectFrom('desk_requests as r')
      .leftJoin('desk_transitions as t', (j) =>
        j
          .onRef('t.organisation_id', '=', 'r.organisation_id')
          .onRef('t.request_id', '=', 'r.id')
          .on('t.to_state', 'in', CLOSED_STATES)
          .on('t.from_state', 'not in', CLOSED_STATES),
      )
      .select(['r.type', 'r.state', 'r.country', 'r.received_on', 'r.due_on', 'r.closed_at', 't.name as closed_name', 't.to_state as closed_to', 't.at as closing_at'])
      .where('r.organisation_id', '=', organisationId)
      .where('r.received_on', '>=', from)
      .where('r.received_on', '<=', to)
      .orderBy('r.received_on')
      .orderBy('r.id')
      .execute();
    return rows.map((r) => ({
      type: r.type,
      state: r.state,
      country: r.country,
      received_on: r.received_on,
      due_on: r.due_on,
      closed_at: r.closed_at,
      closed: r.closed_name !== null && r.closed_to !== null && r.closing_at !== null ? { name: r.closed_name, to_state: r.closed_to, at: r.closing_at } : null,
    }));
  }

  private async inTransaction(organisationId: string, audit: AuditEntryInput[], work: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
    await retryOnConflict(this.isConflict, () =>
      this.db.transaction().execute(async (trx) => {
        await work(trx);
        for (const entry of audit) await appendAuditEntry(trx, organisationId, entry);
      }),
    );
  }
}

/** The number of a request's last transition or letter (0 for none): the next one takes the one after. */
async function lastSeq(trx: Kysely<Database>, table: 'desk_transitions' | 'desk_letters', organisationId: string, requestId: string): Promise<number> {
  const last = await trx
    .selectFrom(table)
    .select('seq')
    .where('organisation_id', '=', organisationId)
    .where('request_id', '=', requestId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.seq ?? 0;
}
