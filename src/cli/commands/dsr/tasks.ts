/**
 * `opendpo dsr tasks`, `dsr task-confirm` and `dsr task-decline`: the steps of requests that a
 * person does by hand (systems behind a manual connection). Confirming says who did the work
 * (accountability, Art. 5(2)); the request completes when its command is run again.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { confirmManualTask, declineManualTask } from '../../../connectors/manual/manual-connector.js';
import { OpendpoError } from '../../../errors/opendpo-error.js';
import { jsonValueLimitOffset } from '../../../yaml/json-value-limit.js';
import { action } from '../../action.js';
import { withStore } from './common.js';

const MAX_ROWS_FILE_BYTES = 20 * 1024 * 1024;
/** Rows found by hand hold a value every 10-20 bytes: 1,000,000 bounds the work on any file allowed. */
const MAX_ROWS_FILE_VALUES = 1_000_000;

export function addDsrTaskCommands(parent: Command): void {
  parent
    .command('tasks')
    .description('Steps of requests a person must do by hand (manual connections)')
    .option('--status <status>', 'open, confirmed or declined', 'open')
    .option('--json', 'as JSON')
    .action(
      action(async (flags: { status: string; json?: boolean }) =>
        withStore(async (store) => {
          if (!['open', 'confirmed', 'declined'].includes(flags.status)) throw new OpendpoError('INVALID_INPUT', '--status must be open, confirmed or declined');
          const tasks = await store.manualTasks.list({ status: flags.status as 'open' });
          if (flags.json) process.stdout.write(`${JSON.stringify(tasks, null, 2)}\n`);
          else for (const t of tasks) process.stdout.write(`${t.id}  ${t.action.padEnd(13)} ${t.connection}  request ${t.requestId}${t.assignee ? `  for ${t.assignee}` : ''}\n  ${t.instructions}\n`);
          return 0;
        }),
      ),
    );
  parent
    .command('task-confirm')
    .description('Say that a manual step is done (for an access step, with the rows found, as JSON)')
    .argument('<task>', 'the task id')
    .requiredOption('--by <name>', 'who did the work')
    .option('--note <text>', 'a note for the audit trail (no personal data)')
    .option('--affected <n>', 'erasure, rectification, restriction: how many records were changed')
    .option('--rows <file>', 'access: a JSON file {"collection": [{...row}, ...]} with what was found')
    .action(
      action(async (task: string, flags: { by: string; note?: string; affected?: string; rows?: string }) => {
        let rows: unknown;
        if (flags.rows !== undefined) {
          let text: string;
          try {
            text = await readFile(flags.rows, 'utf8');
          } catch {
            throw new OpendpoError('INVALID_INPUT', `cannot read --rows ${flags.rows}`);
          }
          if (Buffer.byteLength(text) > MAX_ROWS_FILE_BYTES) throw new OpendpoError('INVALID_INPUT', `--rows ${flags.rows} is larger than 20 MB`);
          if (jsonValueLimitOffset(text, MAX_ROWS_FILE_VALUES) !== undefined) {
            throw new OpendpoError('INVALID_INPUT', `--rows ${flags.rows} holds more than ${MAX_ROWS_FILE_VALUES.toLocaleString('en')} JSON values, far more than rows found by hand: nothing was read`);
          }
          try {
            rows = JSON.parse(text);
          } catch {
            throw new OpendpoError('INVALID_INPUT', `--rows ${flags.rows} is not JSON`);
          }
        }
        const affected = flags.affected === undefined ? undefined : Number(flags.affected);
        if (affected !== undefined && !Number.isInteger(affected)) throw new OpendpoError('INVALID_INPUT', '--affected must be a whole number');
        return withStore(async (store) => {
          const done = await confirmManualTask(store.manualTasks, task, { by: flags.by, note: flags.note, affected, rows: rows as never });
          process.stderr.write(`opendpo: task ${done.id} confirmed; run the request's command again to complete request ${done.requestId}\n`);
          return 0;
        });
      }),
    );
  parent
    .command('task-decline')
    .description('Say that a manual step cannot be done, and why (the reason is shown to the person)')
    .argument('<task>', 'the task id')
    .requiredOption('--by <name>', 'who declines')
    .requiredOption('--reason <text>', 'why, in words the person may read')
    .action(
      action(async (task: string, flags: { by: string; reason: string }) =>
        withStore(async (store) => {
          const done = await declineManualTask(store.manualTasks, task, { by: flags.by, reason: flags.reason });
          process.stderr.write(`opendpo: task ${done.id} declined; run the request's command again to complete request ${done.requestId}\n`);
          return 0;
        }),
      ),
    );
}
