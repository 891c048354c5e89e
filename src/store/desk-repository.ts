/**
 * The desk's requests (src/desk): a request, the identities it names, and its history of
 * transitions. The desk decides (pure, src/desk/request-states.ts); this repository writes what was
 * decided as one change: the request's new fields, its identities' challenges, the transitions taken
 * and their audit entries, in one transaction, or nothing. A change is made against the version of
 * the request it was decided on: if another process changed the request meanwhile, the change is
 * refused (REQUEST_CHANGED) and decided again on what is there now.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable, Updateable } from 'kysely';
import { OpendpoError } from '../errors/opendpo-error.js';
import { appendAuditEntry, type AuditEntryInput } from './audit-log.js';
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
}

export interface DeskChange {
  requestId: string;
  /** The version the change was decided on. */
  expectedVersion: number;
  set?: Omit<Updateable<DeskRequestsTable>, 'organisation_id' | 'id' | 'version'>;
  identities?: { seq: number; set: Omit<Updateable<DeskIdentitiesTable>, 'organisation_id' | 'request_id' | 'seq' | 'type' | 'value'> }[];
  transitions?: Omit<DeskTransitionRow, 'organisation_id' | 'request_id' | 'seq'>[];
  audit: AuditEntryInput[];
}

export interface QueueFilter {
  states?: readonly string[];
  types?: readonly string[];
  channels?: readonly string[];
  assignee?: string;
  /** Only requests due before this day (YYYY-MM-DD), e.g. today for the overdue ones. */
  dueBefore?: string;
  /** Keyset paging: the last (due_on, id) of the previous page. */
  after?: { dueOn: string; id: string };
  limit: number;
}

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
    });
  }

  async get(organisationId: string, id: string): Promise<StoredDeskRequest | undefined> {
    const request = await this.db.selectFrom('desk_requests').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
    if (!request) return undefined;
    const [identities, transitions, letters] = await Promise.all([
      this.db.selectFrom('desk_identities').selectAll().where('organisation_id', '=', organisationId).where('request_id', '=', id).orderBy('seq').execute(),
      this.db.selectFrom('desk_transitions').selectAll().where('organisation_id', '=', organisationId).where('request_id', '=', id).orderBy('seq').execute(),
      this.letters(organisationId, id),
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
        const last = await trx
          .selectFrom('desk_transitions')
          .select('seq')
          .where('organisation_id', '=', organisationId)
          .where('request_id', '=', change.requestId)
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst();
        let seq = last?.seq ?? 0;
        for (const t of change.transitions!) {
          await trx
            .insertInto('desk_transitions')
            .values({ ...t, organisation_id: organisationId, request_id: change.requestId, seq: ++seq })
            .execute();
        }
      }
    });
  }

  /** Keeps a letter sent (or that could not be sent) with its request, and its audit entry. */
  async addLetter(organisationId: string, letter: Omit<DeskLetterRow, 'organisation_id' | 'seq'>, audit: AuditEntryInput): Promise<void> {
    await this.inTransaction(organisationId, [audit], async (trx) => {
      const last = await trx
        .selectFrom('desk_letters')
        .select('seq')
        .where('organisation_id', '=', organisationId)
        .where('request_id', '=', letter.request_id)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      await trx.insertInto('desk_letters').values({ ...letter, organisation_id: organisationId, seq: (last?.seq ?? 0) + 1 }).execute();
    });
  }

  async letters(organisationId: string, requestId: string): Promise<DeskLetterRow[]> {
    return this.db.selectFrom('desk_letters').selectAll().where('organisation_id', '=', organisationId).where('request_id', '=', requestId).orderBy('seq').execute();
  }

  /** The queue: by due day, then id; a page at a time (keyset, so page 500 costs what page 1 does). */
  async queue(organisationId: string, filter: QueueFilter): Promise<DeskRequestRow[]> {
    let q = this.db.selectFrom('desk_requests').selectAll().where('organisation_id', '=', organisationId);
    if (filter.states?.length) q = q.where('state', 'in', [...filter.states]);
    if (filter.types?.length) q = q.where('type', 'in', [...filter.types]);
    if (filter.channels?.length) q = q.where('channel', 'in', [...filter.channels]);
    if (filter.assignee !== undefined) q = q.where('assignee', '=', filter.assignee);
    if (filter.dueBefore !== undefined) q = q.where('due_on', '<', filter.dueBefore);
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

  private async inTransaction(organisationId: string, audit: AuditEntryInput[], work: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.transaction().execute(async (trx) => {
          await work(trx);
          for (const entry of audit) await appendAuditEntry(trx, organisationId, entry);
        });
        return;
      } catch (err) {
        if (!this.isConflict(err) || attempt >= 20) throw err;
      }
    }
  }
}
