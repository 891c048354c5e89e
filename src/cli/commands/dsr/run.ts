/** Runs one request from the CLI: the store, connections, hmac keys and progress wired once. */
import { openConnections, resolveHmacKeys } from '../../../dsr/open-connections.js';
import { runRequest, type RequestOutcome } from '../../../dsr/run-request.js';
import type { DsrKind } from '../../../store/dsr-repository.js';
import { progressReporter, type RequestContext, type RequestFlags } from './common.js';

export async function runFromCli(kind: DsrKind, ctx: RequestContext, flags: RequestFlags, changes?: Record<string, string>): Promise<RequestOutcome> {
  const secretFor = await resolveHmacKeys(kind === 'erasure' ? ctx.loaded.datasets : []);
  const onProgress = progressReporter(flags.progress);
  return runRequest({
    kind,
    identities: ctx.identities,
    datasets: ctx.loaded.datasets,
    store: ctx.store,
    connect: () => openConnections(ctx.loaded.connections!, ctx.store),
    secretFor,
    ...(changes ? { changes } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
}

/** The lines every command prints at the end: the request, what was found, warnings. */
export function outcomeLines(outcome: RequestOutcome): string[] {
  const lines = [`request ${outcome.request.id}: ${outcome.request.status}`];
  const found = outcome.collected.collections.filter((c) => c.rows.length > 0);
  lines.push(`found ${found.reduce((n, c) => n + c.rows.length, 0)} row(s) in ${found.length} collection(s)`);
  for (const w of outcome.warnings) lines.push(`warning: ${w}`);
  return lines;
}
