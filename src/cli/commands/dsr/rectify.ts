/**
 * `opendpo dsr rectify --set collection.field=value`: the right to rectification (Art. 16). The
 * named fields of the person's rows take the new values, one transaction per database. The
 * evidence records which fields and how many rows, never the values.
 */
import type { Command } from 'commander';
import { OpendpoError } from '../../../errors/opendpo-error.js';
import { committedWrites } from '../../../dsr/request-lifecycle.js';
import { action } from '../../action.js';
import { addRequestOptions, collectRepeated, printSummary, withRequestContext, type RequestFlags } from './common.js';
import { addNewRequestOption, outcomeLines, runFromCli } from './run.js';

interface RectifyFlags extends RequestFlags {
  set: string[];
}

const MAX_VALUE_LENGTH = 10_000;

function parseChanges(sets: readonly string[]): Record<string, string> {
  if (sets.length === 0) throw new OpendpoError('INVALID_INPUT', 'give at least one --set collection.field=value');
  const changes: Record<string, string> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new OpendpoError('INVALID_INPUT', '--set must be collection.field=value (or dataset.collection.field=value)');
    const target = s.slice(0, eq).trim();
    const value = s.slice(eq + 1).normalize('NFC');
    if (!/^[^.\s]+(\.[^.\s]+){1,2}$/.test(target)) throw new OpendpoError('INVALID_INPUT', `--set ${target.slice(0, 100)}: write collection.field or dataset.collection.field`);
    if (value.includes('\u0000')) throw new OpendpoError('INVALID_INPUT', `--set ${target}: the value contains a NUL byte`);
    if (value.length > MAX_VALUE_LENGTH) throw new OpendpoError('INVALID_INPUT', `--set ${target}: the value is ${value.length} characters; at most ${MAX_VALUE_LENGTH}`);
    if (Object.hasOwn(changes, target)) throw new OpendpoError('INVALID_INPUT', `--set ${target} is given twice`);
    changes[target] = value;
  }
  return changes;
}

export function addDsrRectifyCommand(parent: Command): void {
  addRequestOptions(
    addNewRequestOption(parent
      .command('rectify')
      .description('Right to rectification (Art. 16): set fields of the person\'s rows to corrected values')
      .requiredOption('--set <collection.field=value>', 'the corrected value of a field (repeat for several)', collectRepeated, [])),
  ).action(
    action(async (flags: RectifyFlags) => {
      const changes = parseChanges(flags.set);
      return withRequestContext(flags, async (ctx) => {
        const outcome = await runFromCli('rectification', ctx, flags, changes);
        const steps = await ctx.store.requests.steps(outcome.request.id);
        const changed = committedWrites(steps).filter((s) => s.kind === 'update');
        printSummary([...outcomeLines(outcome), ...changed.map((s) => `${s.collection}: ${s.rowsChanged} row(s) rectified (${s.note ?? ''})`)]);
        return 0;
      });
    }),
  );
}
