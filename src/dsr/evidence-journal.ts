/**
 * The evidence journal of one run of a request: it opens the request (a new one, or the
 * unfinished one with the same kind and identities, if it was asked with the same input), holds
 * the request's lease while the run lasts (renewed by a heartbeat), and appends the run's steps.
 * Only the run holding the lease writes evidence: every append checks it in the same store
 * transaction, so a run that lost its lease (stalled past its expiry, then taken over) stops
 * instead of writing beside the run that took over.
 *
 * Steps are appended, never changed (the store refuses it): a failure is a step of its attempt,
 * and a write is recorded as attempted before its database commits, then settled by a marker.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { OpendpoError, isOpendpoError } from '../errors/opendpo-error.js';
import type { DsrKind, DsrRepository, DsrRequest, DsrStep, LeaseClaim, NewDsrStep } from '../store/dsr-repository.js';
import {
  bindingDifferences,
  bindingRefusal,
  DEFAULT_LEASE,
  inProgressMessage,
  leaseIsLive,
  type LeaseTiming,
  type RequestBinding,
} from './request-lifecycle.js';

export interface OpenRequestInput {
  repository: DsrRepository;
  kind: DsrKind;
  /** The keyed fingerprint of the identities (or of a batch of people). */
  fingerprint: string;
  identityTypes: string[];
  binding: RequestBinding;
  /** Start a new request even if an unfinished one exists; that one is marked superseded. */
  newRequest?: boolean;
  lease?: LeaseTiming;
  /** The clock leases are measured with (tests move it). */
  clock?: () => Date;
}

export class EvidenceJournal {
  #heartbeat: NodeJS.Timeout | undefined;

  private constructor(
    private readonly repository: DsrRepository,
    /** The request as this run took it up: `attempts` is this run's attempt. */
    readonly request: DsrRequest,
    /** Whether this run takes up an unfinished request (false: a new request). */
    readonly resumed: boolean,
    /** The unfinished request this new one supersedes (--new-request), if any. */
    readonly superseded: string | undefined,
    private readonly owner: string,
    private readonly timing: LeaseTiming,
    private readonly clock: () => Date,
  ) {}

  get requestId(): string {
    return this.request.id;
  }

  get attempt(): number {
    return this.request.attempts;
  }

  /**
   * Opens the request this run works on and takes its lease, or refuses: REQUEST_IN_PROGRESS when
   * another process holds it, REQUEST_CHANGED when the unfinished request was made with other input.
   * Nothing is written when it refuses.
   */
  static async open(input: OpenRequestInput): Promise<EvidenceJournal> {
    const repo = input.repository;
    const timing = input.lease ?? DEFAULT_LEASE;
    const clock = input.clock ?? (() => new Date());
    const owner = randomUUID();
    const claim = (): LeaseClaim => {
      const now = clock();
      return { owner, host: hostname(), pid: process.pid, now: now.toISOString(), expiresAt: new Date(now.getTime() + timing.ttlMs).toISOString() };
    };
    const fresh = {
      kind: input.kind,
      fingerprint: input.fingerprint,
      identityTypes: input.identityTypes,
      datasetsHash: input.binding.datasetsHash,
      datasets: input.binding.datasets,
      changesFingerprint: input.binding.changesFingerprint,
    };
    const start = async (request: DsrRequest, resumed: boolean, note: string, superseded?: string) => {
      const journal = new EvidenceJournal(repo, request, resumed, superseded, owner, timing, clock);
      await journal.record([{ connection: 'opendpo', collection: null, kind: 'start', rowsFound: 0, rowsChanged: 0, startedAt: clock().toISOString(), durationMs: 0, status: 'done', note }]);
      journal.#beat();
      return journal;
    };
    // A race with another process (both creating, both resuming) is settled by the store: the
    // loser looks again and finds the winner's lease.
    for (let look = 0; look < 3; look++) {
      const existing = await repo.findUnfinished(input.kind, input.fingerprint);
      if (existing === undefined) {
        const created = await repo.create(fresh, claim());
        if (created) return start(created, false, 'new request');
        continue;
      }
      if (leaseIsLive(existing.lease, clock())) throw new OpendpoError('REQUEST_IN_PROGRESS', inProgressMessage(existing, existing.lease));
      if (input.newRequest) {
        const created = await repo.supersede(existing.id, claim(), fresh);
        if (created) return start(created, false, `new request, superseding request ${existing.id}`, existing.id);
        continue;
      }
      const differences = bindingDifferences(existing, input.binding);
      if (differences.length > 0) {
        // A request that stopped before deciding anything (a dataset that did not match the
        // database, a database down during the search) has no plan, no write and no system asked:
        // the request as it is asked now starts afresh, and the unfinished one is superseded, its
        // evidence kept. Once something was decided, only the user may choose (--new-request).
        if (!(await repo.hasWork(existing.id))) {
          const created = await repo.supersede(existing.id, claim(), fresh);
          if (created) {
            return start(created, false, `new request, superseding request ${existing.id}, made with other input before anything was decided (${differences.join('; ')})`, existing.id);
          }
          continue;
        }
        throw new OpendpoError('REQUEST_CHANGED', bindingRefusal(existing, differences));
      }
      const resumed = await repo.resume(existing.id, claim());
      if (resumed) return start(resumed, true, `resumed (attempt ${resumed.attempts})`);
    }
    const current = await repo.findUnfinished(input.kind, input.fingerprint);
    throw new OpendpoError('REQUEST_IN_PROGRESS', current ? inProgressMessage(current, current.lease) : `another process is starting the same ${input.kind} request`);
  }

  #expiry(): string {
    return new Date(this.clock().getTime() + this.timing.ttlMs).toISOString();
  }

  /** Renews the lease while the run lasts; a failed renewal is retried (every append checks the lease anyway). */
  #beat(): void {
    this.#heartbeat = setInterval(() => {
      this.repository.renewLease(this.request.id, this.owner, this.#expiry()).catch(() => {});
    }, this.timing.heartbeatMs);
    // The heartbeat alone does not keep the process alive.
    this.#heartbeat.unref();
  }

  #lost(): OpendpoError {
    return new OpendpoError(
      'REQUEST_IN_PROGRESS',
      `this run lost the lease of request ${this.request.id} (it stalled past its expiry and another run took the request over); it stops here`,
    );
  }

  /** Appends steps of this attempt (only while this run holds the lease). */
  async record(steps: readonly NewDsrStep[]): Promise<void> {
    if (steps.length === 0) return;
    if (!(await this.repository.addSteps(this.request.id, { owner: this.owner, expiresAt: this.#expiry() }, this.attempt, steps))) throw this.#lost();
  }

  /**
   * Writes to a database about to commit, recorded before the commit with the counts the database
   * reported (status `attempted`); `settle` confirms them after it. Throwing here (the lease lost)
   * rolls the database's transaction back.
   */
  async recordAttempted(steps: readonly NewDsrStep[]): Promise<void> {
    await this.record(steps.map((s) => ({ ...s, status: 'attempted' })));
  }

  /**
   * Settles the attempted writes of `attempt` on `connection`: committed or rolled back, known
   * from the commit itself or, after a crash, verified against the database by this attempt.
   */
  async settle(connection: string, attempt: number, outcome: 'committed' | 'rolled-back', verified: boolean): Promise<void> {
    const words = outcome === 'committed' ? 'committed' : 'rolled back';
    await this.record([
      {
        connection,
        collection: null,
        kind: 'commit',
        rowsFound: 0,
        rowsChanged: 0,
        startedAt: this.clock().toISOString(),
        durationMs: 0,
        status: outcome,
        note: verified ? `attempt ${attempt}'s writes ${words} (verified at attempt ${this.attempt})` : words,
        detail: { attempt, verified },
      },
    ]);
  }

  steps(): Promise<DsrStep[]> {
    return this.repository.steps(this.request.id);
  }

  /** Ends the run: the request takes its status and summary, and the lease is released. */
  async end(status: 'completed' | 'waiting', summary: unknown): Promise<DsrRequest> {
    this.#stop();
    if (!(await this.repository.endRun(this.request.id, this.owner, status, { summary }))) throw this.#lost();
    return (await this.repository.get(this.request.id))!;
  }

  /**
   * Ends the run on an error: the error (its code and safe message, never a value) is a step of
   * this attempt, the request is `failed`, and the lease is released. Best effort: the store may be
   * what failed.
   */
  async fail(err: unknown): Promise<void> {
    this.#stop();
    const known = isOpendpoError(err);
    const errorCode = known ? err.code : 'INTERNAL';
    const errorMessage = known ? err.message : 'unexpected error';
    await this.record([
      { connection: 'opendpo', collection: null, kind: 'error', rowsFound: 0, rowsChanged: 0, startedAt: this.clock().toISOString(), durationMs: 0, status: 'failed', note: `${errorCode}: ${errorMessage}`.slice(0, 2000) },
    ]).catch(() => {});
    await this.repository.endRun(this.request.id, this.owner, 'failed', { errorCode, errorMessage }).catch(() => {});
  }

  #stop(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
  }
}
