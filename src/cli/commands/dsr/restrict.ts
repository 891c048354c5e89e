/**
 * `opendpo dsr restrict`: the right to restriction of processing (Art. 18). The person is recorded
 * as restricted in opendpo's store (by a keyed fingerprint of the identity, not the identity), and
 * the restriction flag is set on their rows wherever a dataset declares one.
 */
import type { Command } from 'commander';
import { committedWrites } from '../../../dsr/request-lifecycle.js';
import { action } from '../../action.js';
import { addRequestOptions, withRequestContext, printSummary, type RequestFlags } from './common.js';
import { addNewRequestOption, outcomeLines, runFromCli } from './run.js';

export function addDsrRestrictCommand(parent: Command): void {
  addRequestOptions(
    addNewRequestOption(parent.command('restrict').description('Right to restriction (Art. 18): record the person as restricted and set the restriction flags')),
  ).action(
    action(async (flags: RequestFlags) => {
      return withRequestContext(flags, async (ctx) => {
        const outcome = await runFromCli('restriction', ctx, flags);
        const steps = await ctx.store.requests.steps(outcome.request.id);
        const flagged = committedWrites(steps).filter((s) => s.kind === 'update');
        printSummary([
          ...outcomeLines(outcome),
          'restriction recorded in the store',
          ...flagged.map((s) => `${s.collection}: ${s.rowsChanged} row(s) flagged (${s.note ?? ''})`),
        ]);
        return 0;
      });
    }),
  );
}
