/**
 * `opendpo dsr rectify --set collection.field=value [--where collection.field=value]`: the right to
 * rectification (Art. 16). The named fields of the person's own rows take the new values, one
 * transaction per database; `--where` narrows a collection to some of the person's rows (one of
 * their addresses). Fields under a legal hold and rows that are not the person's are refused, with
 * the reason; a request that changes nothing says so. The evidence records which fields and how
 * many rows, never the values.
 */
import type { Command } from 'commander';
import { OpendpoError } from '../../../errors/opendpo-error.js';
import { committedWrites } from '../../../dsr/request-lifecycle.js';
import { action } from '../../action.js';
import { addRequestOptions, collectRepeated, printSummary, withRequestContext, type RequestFlags } from './common.js';
import { addNewRequestOption, outcomeLines, runFromCli } from './run.js';

interface RectifyFlags extends RequestFlags {
  set: string[];
  where: string[];
}

const MAX_VALUE_LENGTH = 10_000;
const TARGET = /^[^.\s]+(\.[^.\s]+){1,2}$/;

function splitAssignment(option: string, s: string): { target: string; value: string } {
  const eq = s.indexOf('=');
  if (eq <= 0) throw new OpendpoError('INVALID_INPUT', `${option} must be collection.field=value (or dataset.collection.field=value)`);
  const target = s.slice(0, eq).trim();
  const value = s.slice(eq + 1).normalize('NFC');
  if (!TARGET.test(target)) throw new OpendpoError('INVALID_INPUT', `${option} ${target.slice(0, 100)}: write collection.field or dataset.collection.field`);
  if (value.includes('\u0000')) throw new OpendpoError('INVALID_INPUT', `${option} ${target}: the value contains a NUL byte`);
  if (value.length > MAX_VALUE_LENGTH) throw new OpendpoError('INVALID_INPUT', `${option} ${target}: the value is ${value.length} characters; at most ${MAX_VALUE_LENGTH}`);
  return { target, value };
}

/** --set collection.field=value, each field once. */
export function parseChanges(sets: readonly string[]): Record<string, string> {
  if (sets.length === 0) throw new OpendpoError('INVALID_INPUT', 'give at least one --set collection.field=value');
  const changes: Record<string, string> = {};
  for (const s of sets) {
    const { target, value } = splitAssignment('--set', s);
    if (Object.hasOwn(changes, target)) throw new OpendpoError('INVALID_INPUT', `--set ${target} is given twice`);
    changes[target] = value;
  }
  return changes;
}

/** --where collection.field=value, repeatable: values of one field are alternatives. */
export function parseWhere(wheres: readonly string[]): Record<string, string[]> {
  const where: Record<string, string[]> = {};
  for (const w of wheres) {
    const { target, value } = splitAssignment('--where', w);
    if (value.trim() === '') throw new OpendpoError('INVALID_INPUT', `--where ${target}: the value is empty`);
    where[target] = [...(where[target] ?? []), value];
  }
  return where;
}

export function addRectifyOptions(cmd: Command): Command {
  return cmd.option(
    '--where <collection.field=value>',
    "only the person's rows of that collection holding this value, e.g. address.id=2 (repeat: values of one field are alternatives, fields must all match)",
    collectRepeated,
    [],
  );
}

export function addDsrRectifyCommand(parent: Command): void {
  addRequestOptions(
    addRectifyOptions(
      addNewRequestOption(
        parent
          .command('rectify')
          .description('Right to rectification (Art. 16): set fields of the person\'s rows to corrected values')
          .requiredOption('--set <collection.field=value>', 'the corrected value of a field (repeat for several)', collectRepeated, []),
      ),
    ),
  ).action(
    action(async (flags: RectifyFlags) => {
      const changes = parseChanges(flags.set);
      const where = parseWhere(flags.where);
      return withRequestContext(flags, async (ctx) => {
        const outcome = await runFromCli('rectification', ctx, flags, changes, undefined, where);
        const steps = await ctx.store.requests.steps(outcome.request.id);
        const changed = committedWrites(steps).filter((s) => s.kind === 'update');
        const unchanged = steps.filter((s) => s.kind === 'unchanged' && s.attempt === Math.max(...steps.filter((x) => x.kind === 'select').map((x) => x.attempt)));
        const lines = outcomeLines(outcome);
        if (changed.length === 0 && outcome.request.status === 'completed') lines[0] = `request ${outcome.request.id}: completed, nothing changed`;
        printSummary([
          ...lines,
          ...changed.map((s) => `${s.collection}: ${s.rowsChanged} row(s) rectified (${s.note ?? ''})`),
          ...unchanged.map((s) => `nothing changed in ${s.note ?? s.collection ?? ''}`),
        ]);
        return 0;
      });
    }),
  );
}
