/**
 * `opendpo dsr list` and `opendpo dsr show ID`: the audit trail of requests. Every step of every
 * attempt with its kind, collection, rows found and changed, and timing; never a personal-data
 * value. A request whose run died holding its lease shows as `interrupted (resumable)`.
 */
import type { Command } from 'commander';
import { isResumable, presentStatus, writeOutcomes, type PresentedStatus } from '../../../dsr/request-lifecycle.js';
import { OpendpoError } from '../../../errors/opendpo-error.js';
import type { DsrRequest, DsrStep } from '../../../store/dsr-repository.js';
import { action } from '../../action.js';
import { withStore } from './common.js';

export function addDsrShowCommands(parent: Command): void {
  parent
    .command('list')
    .description('The latest requests and their status')
    .option('--json', 'as JSON')
    .action(
      action(async (flags: { json?: boolean }) =>
        withStore(async (store) => {
          const now = new Date();
          const requests = (await store.requests.list()).map((r) => present(r, now));
          if (flags.json) process.stdout.write(`${JSON.stringify(requests, null, 2)}\n`);
          else for (const r of requests) process.stdout.write(`${r.id}  ${r.kind.padEnd(13)} ${statusText(r).padEnd(23)} ${r.createdAt}  attempts ${r.attempts}${r.errorCode ? `  ${r.errorCode}` : ''}\n`);
          return 0;
        }),
      ),
    );
  parent
    .command('show')
    .description('The evidence of one request: every step, with counts and timing')
    .argument('<id>', 'the request id')
    .option('--json', 'as JSON')
    .action(
      action(async (id: string, flags: { json?: boolean }) =>
        withStore(async (store) => {
          const stored = await store.requests.get(id);
          if (stored === undefined) throw new OpendpoError('NOT_FOUND', `no request ${id.slice(0, 80)} in the store`);
          const request = present(stored, new Date());
          const steps = await store.requests.steps(id);
          if (flags.json) {
            process.stdout.write(`${JSON.stringify({ request, steps }, null, 2)}\n`);
            return 0;
          }
          // Writes are recorded before their commit: say which ones did not commit, or are not known to.
          const outcome = writeOutcomes(steps);
          const flag = (s: DsrStep) => ({ committed: '', 'rolled-back': '  [rolled back]', unknown: '  [commit not confirmed]' })[outcome(s) ?? 'committed'];
          const lines = [
            `request ${request.id}: ${request.kind}, ${statusText(request)}, ${request.attempts} attempt(s)`,
            ...(request.lease && request.status === 'running' ? [`run by process ${request.lease.pid} on ${request.lease.host} since ${request.lease.since}`] : []),
            ...(request.lease && request.status === 'interrupted'
              ? [`the run by process ${request.lease.pid} on ${request.lease.host} (since ${request.lease.since}) stopped without ending; its lease expired at ${request.lease.expiresAt}: the same command resumes the request`]
              : []),
            `created ${request.createdAt}${request.completedAt ? `, completed ${request.completedAt}` : ''}; identity types: ${request.identityTypes.join(', ')}`,
            ...(request.errorCode ? [`last error: ${request.errorCode}: ${request.errorMessage ?? ''}`] : []),
            '',
            'seq attempt kind      found changed   ms  connection / collection  note',
            ...steps.map(
              (s) =>
                `${String(s.seq).padStart(3)} ${String(s.attempt).padStart(7)} ${s.kind.padEnd(8)} ${String(s.rowsFound).padStart(6)} ${String(s.rowsChanged).padStart(7)} ${String(s.durationMs).padStart(4)}  ${s.connection}${s.collection ? ` / ${s.collection}` : ''}${s.note ? `  ${s.note}` : ''}${flag(s)}`,
            ),
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
          return 0;
        }),
      ),
    );
}

/**
 * A request as `list` and `show` give it: its status as a person reads it (`interrupted`, not
 * `running`, when its run died holding the lease), whether the same command resumes it, and no
 * fingerprint of values (of no use to a reader).
 */
function present(request: DsrRequest, now: Date) {
  const { changesFingerprint: _, ...shown } = request;
  const status = presentStatus(request, now);
  return { ...shown, status, resumable: isResumable(status) };
}

function statusText(request: { status: PresentedStatus }): string {
  return request.status === 'interrupted' ? 'interrupted (resumable)' : request.status;
}
