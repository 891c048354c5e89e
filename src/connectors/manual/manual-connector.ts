/**
 * The manual connector: a system opendpo cannot reach (a paper archive, a SaaS without an API, a
 * processor that answers by e-mail) becomes a task a person does and confirms. The request engine
 * treats it like any system that acts for itself: submit opens the task (pending), poll is pending
 * until the person confirms (done) or declines with a reason (refused).
 *
 * The task holds the request id, never the identities nor a rectification's new values: the
 * person looks the request up in opendpo. Who confirmed, when, and what they reported is kept in
 * the store as evidence (accountability, Art. 5(2)).
 */
import { z } from 'zod';
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { ManualRows, ManualTask, ManualTasksRepository } from '../../store/manual-tasks-repository.js';
import type { SystemConnector, SystemOutcome, SystemRequest } from '../connector.js';
import { formatIssues } from '../http/json-path.js';
import { rowsSchema } from '../http/protocol.js';

export interface ManualConnectorOptions {
  /** The connection's name in connections.yaml. */
  name: string;
  /** What the person must do, as connections.yaml says it (no personal data). */
  instructions: string;
  /** Who is expected to do it (a team or a person), when known. */
  assignee?: string | undefined;
  /** Where tasks live: opendpo's store (`store.manualTasks`). */
  tasks: ManualTasksRepository;
}

/** What a person says when the work is done. */
export interface ManualConfirmation {
  /** Who did the work (accountability, Art. 5(2)). */
  by: string;
  note?: string | undefined;
  /** Erasure, rectification, restriction: how many records were changed. */
  affected?: number | undefined;
  /** Access: the rows found, by collection (JSON scalars). */
  rows?: ManualRows | undefined;
}

/** What a person says when the work cannot be done: the reason is shown to the data subject. */
export interface ManualRefusal {
  by: string;
  reason: string;
}

const confirmationSchema = z.strictObject({
  by: z.string().trim().min(1, 'say who did the work').max(200),
  note: z.string().max(2000).optional(),
  affected: z.int().min(0).optional(),
  rows: rowsSchema.optional(),
});

const refusalSchema = z.strictObject({
  by: z.string().trim().min(1, 'say who declines').max(200),
  reason: z.string().trim().min(1, 'say why, in words the data subject may read').max(2000),
});

export function createManualConnector(options: ManualConnectorOptions): ManualSystemConnector {
  return new ManualSystemConnector(options);
}

export class ManualSystemConnector implements SystemConnector {
  readonly type = 'manual' as const;
  readonly label: string;

  constructor(private readonly options: ManualConnectorOptions) {
    if (options.instructions.trim() === '') {
      throw new OpendpoError('CONFIG_INVALID', `connection ${options.name}: a manual connection needs instructions saying what the person must do`);
    }
    this.label = `manual ${options.name}`;
  }

  /** Opens the task (or finds it, when this step was submitted before) and says where it stands. */
  async submit(request: SystemRequest): Promise<SystemOutcome> {
    return outcomeOf(await this.open(request));
  }

  async poll(request: SystemRequest): Promise<SystemOutcome> {
    checkRequestId(request.requestId, this.label);
    const task = (await this.options.tasks.find(request.requestId, this.options.name, request.action)) ?? (await this.open(request));
    return outcomeOf(task);
  }

  /** The person confirms the task is done (any task of this store, whatever its connection). */
  confirm(taskId: string, confirmation: ManualConfirmation): Promise<ManualTask> {
    return confirmManualTask(this.options.tasks, taskId, confirmation);
  }

  /** The person declines the task with a reason: the step is refused. */
  decline(taskId: string, refusal: ManualRefusal): Promise<ManualTask> {
    return declineManualTask(this.options.tasks, taskId, refusal);
  }

  close(): Promise<void> {
    // The store belongs to whoever opened it.
    return Promise.resolve();
  }

  private open(request: SystemRequest): Promise<ManualTask> {
    checkRequestId(request.requestId, this.label);
    return this.options.tasks.open({
      requestId: request.requestId,
      connection: this.options.name,
      action: request.action,
      instructions: this.options.instructions,
      assignee: this.options.assignee,
      changedFields: request.changes === undefined ? undefined : Object.keys(request.changes).sort(),
    });
  }
}

/**
 * Confirms a task: rows only for an access task, `affected` only for the others. A task already
 * confirmed or declined stays as it was (INVALID_INPUT); an unknown task is NOT_FOUND.
 */
export async function confirmManualTask(tasks: ManualTasksRepository, taskId: string, confirmation: ManualConfirmation): Promise<ManualTask> {
  const parsed = confirmationSchema.safeParse(confirmation);
  if (!parsed.success) throw new OpendpoError('INVALID_INPUT', `manual task ${taskId}: the confirmation is invalid: ${formatIssues(parsed.error.issues)}`);
  const task = await tasks.get(taskId);
  if (!task) throw new OpendpoError('NOT_FOUND', `manual task ${taskId} does not exist`);
  if (parsed.data.rows !== undefined && task.action !== 'access') {
    throw new OpendpoError('INVALID_INPUT', `manual task ${taskId}: rows come only with an access task (this one is ${task.action})`);
  }
  if (parsed.data.affected !== undefined && task.action === 'access') {
    throw new OpendpoError('INVALID_INPUT', `manual task ${taskId}: an access task reports rows, not affected records`);
  }
  return tasks.confirm(taskId, parsed.data);
}

export async function declineManualTask(tasks: ManualTasksRepository, taskId: string, refusal: ManualRefusal): Promise<ManualTask> {
  const parsed = refusalSchema.safeParse(refusal);
  if (!parsed.success) throw new OpendpoError('INVALID_INPUT', `manual task ${taskId}: the refusal is invalid: ${formatIssues(parsed.error.issues)}`);
  return tasks.decline(taskId, parsed.data);
}

/** Where a task stands, as the request engine reads it. */
export function outcomeOf(task: ManualTask): SystemOutcome {
  switch (task.status) {
    case 'open':
      return { status: 'pending', reference: task.id, message: `manual task ${task.id} waits for a person to do it and confirm` };
    case 'confirmed':
      return {
        status: 'done',
        ...(task.rows === null ? {} : { rows: task.rows }),
        ...(task.affected === null ? {} : { affected: task.affected }),
      };
    case 'declined':
      return { status: 'refused', reason: task.reason ?? 'declined' };
  }
}

function checkRequestId(requestId: string, label: string): void {
  // The store's column is 64 characters; opendpo's ids are UUIDs (36).
  if (requestId.length === 0 || requestId.length > 64) {
    throw new OpendpoError('INVALID_INPUT', `${label}: a request id is 1 to 64 characters`);
  }
}
