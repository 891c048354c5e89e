/**
 * `opendpo dsr list` and `opendpo dsr show ID`: the audit trail of requests. Every step with its
 * kind, collection, rows found and changed, and timing; never a personal-data value.
 */
import type { Command } from 'commander';
import { OpendpoError } from '../../../errors/opendpo-error.js';
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
          const requests = await store.requests.list();
          if (flags.json) process.stdout.write(`${JSON.stringify(requests, null, 2)}\n`);
          else for (const r of requests) process.stdout.write(`${r.id}  ${r.kind.padEnd(13)} ${r.status.padEnd(9)} ${r.createdAt}  attempts ${r.attempts}${r.errorCode ? `  ${r.errorCode}` : ''}\n`);
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
          const request = await store.requests.get(id);
          if (request === undefined) throw new OpendpoError('NOT_FOUND', `no request ${id.slice(0, 80)} in the store`);
          const steps = await store.requests.steps(id);
          if (flags.json) {
            process.stdout.write(`${JSON.stringify({ request, steps }, null, 2)}\n`);
            return 0;
          }
          const lines = [
            `request ${request.id}: ${request.kind}, ${request.status}, ${request.attempts} attempt(s)`,
            `created ${request.createdAt}${request.completedAt ? `, completed ${request.completedAt}` : ''}; identity types: ${request.identityTypes.join(', ')}`,
            ...(request.errorCode ? [`last error: ${request.errorCode}: ${request.errorMessage ?? ''}`] : []),
            '',
            'seq attempt kind      found changed   ms  connection / collection  note',
            ...steps.map(
              (s) =>
                `${String(s.seq).padStart(3)} ${String(s.attempt).padStart(7)} ${s.kind.padEnd(8)} ${String(s.rowsFound).padStart(6)} ${String(s.rowsChanged).padStart(7)} ${String(s.durationMs).padStart(4)}  ${s.connection}${s.collection ? ` / ${s.collection}` : ''}${s.note ? `  ${s.note}` : ''}`,
            ),
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
          return 0;
        }),
      ),
    );
}
