/**
 * The only code that reads and writes manual tasks (src/connectors/manual): a step of a request
 * that a person does and confirms. The SQL each method runs is committed in
 * `src/store/queries/manual-tasks.{sqlite,postgres}.sql` and kept true by
 * test/connectors/manual/manual-tasks-queries.test.ts.
 *
 * Tasks never hold identity values: only the request id, by which the person finds the request.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { SystemAction } from '../connectors/connector.js';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { Database, ManualTasksTable } from './database.js';

export type ManualTaskStatus = 'open' | 'confirmed' | 'declined';

/** Rows as a person reports them: JSON scalars, by collection. */
export type ManualRows = Record<string, Record<string, string | number | boolean | null>[]>;

export interface ManualTaskSummary {
  id: string;
  requestId: string;
  /** The connection (connections.yaml) the task is for. */
  connection: string;
  action: SystemAction;
  instructions: string;
  assignee: string | null;
  /** Rectification: the fields to change ("collection.field"); the new values are in the request. */
  changedFields: string[];
  createdAt: string;
  status: ManualTaskStatus;
  decidedAt: string | null;
  decidedBy: string | null;
  note: string | null;
  /** Why the task was declined (safe to show the data subject). */
  reason: string | null;
  affected: number | null;
}

export interface ManualTask extends ManualTaskSummary {
  /** Access: the rows the person reported, until cleared once the access package is built. */
  rows: ManualRows | null;
}

export interface NewManualTask {
  requestId: string;
  connection: string;
  action: SystemAction;
  instructions: string;
  assignee?: string | undefined;
  changedFields?: readonly string[] | undefined;
  /** For tests and imports; default now. */
  createdAt?: Date | undefined;
}

export interface ManualTaskConfirmation {
  by: string;
  note?: string | undefined;
  affected?: number | undefined;
  rows?: ManualRows | undefined;
  at?: Date | undefined;
}

export interface ManualTaskRefusal {
  by: string;
  reason: string;
  at?: Date | undefined;
}

export interface ManualTaskFilter {
  status?: ManualTaskStatus | undefined;
  requestId?: string | undefined;
}

export class ManualTasksRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Opens the task for this step, or finds the one opened before: the unique (request, connection,
   * action) makes a second submission of the same step (a retry, two processes) one task.
   */
  async open(input: NewManualTask): Promise<ManualTask> {
    await this.db
      .insertInto('manual_tasks')
      .values({
        id: randomUUID(),
        request_id: input.requestId,
        connection: input.connection,
        action: input.action,
        instructions: input.instructions,
        assignee: input.assignee ?? null,
        changed_fields: input.changedFields && input.changedFields.length > 0 ? JSON.stringify(input.changedFields) : null,
        created_at: (input.createdAt ?? new Date()).toISOString(),
        status: 'open',
        decided_at: null,
        decided_by: null,
        note: null,
        reason: null,
        affected: null,
        rows_json: null,
      })
      .onConflict((oc) => oc.columns(['request_id', 'connection', 'action']).doNothing())
      .execute();
    const task = await this.find(input.requestId, input.connection, input.action);
    if (!task) throw new OpendpoError('INTERNAL', `manual task for request ${input.requestId} on ${input.connection} vanished after it was opened`);
    return task;
  }

  async get(id: string): Promise<ManualTask | undefined> {
    const row = await this.db.selectFrom('manual_tasks').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTask(row);
  }

  /** The task for one step of a request on one connection. */
  async find(requestId: string, connection: string, action: SystemAction): Promise<ManualTask | undefined> {
    const row = await this.db
      .selectFrom('manual_tasks')
      .selectAll()
      .where('request_id', '=', requestId)
      .where('connection', '=', connection)
      .where('action', '=', action)
      .executeTakeFirst();
    return row && toTask(row);
  }

  /** Tasks oldest first (a queue), without the rows. */
  async list(filter: ManualTaskFilter = {}): Promise<ManualTaskSummary[]> {
    let query = this.db.selectFrom('manual_tasks').select(SUMMARY_COLUMNS);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.requestId !== undefined) query = query.where('request_id', '=', filter.requestId);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map(toSummary);
  }

  /** The person did the work. Only an open task can be confirmed (the update says so itself). */
  async confirm(id: string, confirmation: ManualTaskConfirmation): Promise<ManualTask> {
    const result = await this.db
      .updateTable('manual_tasks')
      .set({
        status: 'confirmed',
        decided_at: (confirmation.at ?? new Date()).toISOString(),
        decided_by: confirmation.by,
        note: confirmation.note ?? null,
        affected: confirmation.affected ?? null,
        rows_json: confirmation.rows === undefined ? null : JSON.stringify(confirmation.rows),
      })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return this.decided(id, result.numUpdatedRows, 'confirmed');
  }

  /** The person cannot or will not do it (e.g. nothing found for the person): the step is refused. */
  async decline(id: string, refusal: ManualTaskRefusal): Promise<ManualTask> {
    const result = await this.db
      .updateTable('manual_tasks')
      .set({ status: 'declined', decided_at: (refusal.at ?? new Date()).toISOString(), decided_by: refusal.by, reason: refusal.reason })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return this.decided(id, result.numUpdatedRows, 'declined');
  }

  /** Once the access package holds them, the reported rows leave the store (data minimisation, Art. 5(1)(c)). */
  async clearRows(requestId: string): Promise<void> {
    await this.db.updateTable('manual_tasks').set({ rows_json: null }).where('request_id', '=', requestId).execute();
  }

  private async decided(id: string, updated: bigint, wanted: ManualTaskStatus): Promise<ManualTask> {
    const task = await this.get(id);
    if (!task) throw new OpendpoError('NOT_FOUND', `manual task ${id} does not exist`);
    if (updated === 0n) {
      throw new OpendpoError('INVALID_INPUT', `manual task ${id} cannot be ${wanted}: it was already ${task.status} on ${task.decidedAt ?? '?'}`);
    }
    return task;
  }
}

const SUMMARY_COLUMNS = [
  'id',
  'request_id',
  'connection',
  'action',
  'instructions',
  'assignee',
  'changed_fields',
  'created_at',
  'status',
  'decided_at',
  'decided_by',
  'note',
  'reason',
  'affected',
] as const;

type Row = Selectable<ManualTasksTable>;

function toSummary(row: Omit<Row, 'rows_json'>): ManualTaskSummary {
  return {
    id: row.id,
    requestId: row.request_id,
    connection: row.connection,
    action: row.action as SystemAction,
    instructions: row.instructions,
    assignee: row.assignee,
    changedFields: row.changed_fields === null ? [] : (JSON.parse(row.changed_fields) as string[]),
    createdAt: row.created_at,
    status: row.status as ManualTaskStatus,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    note: row.note,
    reason: row.reason,
    // PostgreSQL and SQLite return integers as numbers; keep it explicit for drivers that return strings.
    affected: row.affected === null ? null : Number(row.affected),
  };
}

function toTask(row: Row): ManualTask {
  return { ...toSummary(row), rows: row.rows_json === null ? null : (JSON.parse(row.rows_json) as ManualRows) };
}
