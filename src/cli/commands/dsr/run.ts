/** Runs one request from the CLI: the store, connections, hmac keys, the lease and progress wired once. */
import type { Command } from 'commander';
import { loadConfig } from '../../../config/config.js';
import type { FaultPoint } from '../../../dsr/erasure/execute-erasure.js';
import { openConnections, resolveHmacKeys } from '../../../dsr/open-connections.js';
import { leaseTiming, type EvidenceSummary } from '../../../dsr/request-lifecycle.js';
import { runRequest, type RequestOutcome, type RunRequestInput } from '../../../dsr/run-request.js';
import { OpendpoError } from '../../../errors/opendpo-error.js';
import type { DsrKind } from '../../../store/dsr-repository.js';
import { progressReporter, type RequestContext, type RequestFlags } from './common.js';

export interface RunFlags extends RequestFlags {
  newRequest?: boolean;
}

/** --new-request, on the commands that run a request. */
export function addNewRequestOption(cmd: Command): Command {
  return cmd.option(
    '--new-request',
    'start a new request even if an unfinished one exists for the same identities (it is marked superseded, its evidence kept); needed when the datasets or --set values changed since it was made',
  );
}

export async function runFromCli(
  kind: DsrKind,
  ctx: RequestContext,
  flags: RunFlags,
  changes?: Record<string, string>,
  deliver?: RunRequestInput['deliver'],
  where?: Record<string, string[]>,
): Promise<RequestOutcome> {
  const config = loadConfig(process.env);
  const secretFor = await resolveHmacKeys(kind === 'erasure' ? ctx.loaded.datasets : []);
  const onProgress = progressReporter(flags.progress);
  const fault = faultFromEnvironment(process.env.OPENDPO_TEST_FAULT);
  return runRequest({
    kind,
    identities: ctx.identities,
    datasets: ctx.loaded.datasets,
    store: ctx.store,
    connect: () => openConnections(ctx.loaded.connections!, ctx.store, { timeoutMs: config.targetTimeoutMs }),
    secretFor,
    lease: leaseTiming(config.dsrLeaseSeconds),
    ...(flags.newRequest ? { newRequest: true } : {}),
    ...(changes ? { changes } : {}),
    ...(where && Object.keys(where).length > 0 ? { where } : {}),
    ...(deliver ? { deliver } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(fault ? { fault } : {}),
    ...(ctx.register ? { register: ctx.register } : {}),
  });
}

/** The lines every command prints at the end: the request, what was found, warnings. */
export function outcomeLines(outcome: RequestOutcome): string[] {
  const lines = [`request ${outcome.request.id}: ${outcome.request.status}`];
  const found = outcome.collected.collections.filter((c) => c.rows.length > 0);
  const summary = outcome.request.summary as EvidenceSummary | null;
  if (found.length === 0 && summary !== null && summary.collections.some((c) => c.rows > 0)) {
    // A resume that ran the writes decided at an earlier attempt: what that attempt found.
    const earlier = summary.collections.filter((c) => c.rows > 0);
    lines.push(`found ${earlier.reduce((n, c) => n + c.rows, 0)} row(s) in ${earlier.length} collection(s) when the writes were decided`);
  } else {
    lines.push(`found ${found.reduce((n, c) => n + c.rows.length, 0)} row(s) in ${found.length} collection(s)`);
  }
  for (const w of outcome.warnings) lines.push(`warning: ${w}`);
  return lines;
}

const FAULT_POINTS: readonly FaultPoint['at'][] = ['before-transaction', 'after-statement', 'before-commit', 'after-commit'];

/**
 * A test hook for the crash tests of the test suite (test/dsr/crash.test.ts), never set in use:
 * OPENDPO_TEST_FAULT=kill:<point>[:<connection>] kills the process there as `kill -9` does
 * (SIGKILL: no clean-up, no lease released), hang:<point>[:<connection>] stops it there for good.
 */
export function faultFromEnvironment(value: string | undefined): ((point: FaultPoint) => Promise<void>) | undefined {
  if (value === undefined || value === '') return undefined;
  const [action, at, connection] = value.split(':');
  if ((action !== 'kill' && action !== 'hang') || !FAULT_POINTS.some((p) => p === at)) {
    throw new OpendpoError('CONFIG_INVALID', `OPENDPO_TEST_FAULT must be kill|hang:<${FAULT_POINTS.join('|')}>[:<connection>]`);
  }
  return async (point) => {
    if (point.at !== at || (connection !== undefined && point.connection !== connection)) return;
    if (action === 'kill') process.kill(process.pid, 'SIGKILL');
    process.stderr.write(`opendpo: test hook: stopped at ${point.at} on ${point.connection}\n`);
    await new Promise(() => setInterval(() => {}, 1 << 30));
  };
}
