/**
 * `opendpo dsr erase`: the right to erasure (Art. 17). Masks or deletes the person's data in every
 * system, keeps what a legal hold requires (Art. 17(3)) and what is shared with other people's
 * records, and says so. If it stops (a database down, a crash), running the same command again
 * resumes the same request: nothing is masked twice, nothing is missed.
 */
import type { Command } from 'commander';
import { committedWrites } from '../../../dsr/request-lifecycle.js';
import { action } from '../../action.js';
import { addRequestOptions, withRequestContext, printSummary, type RequestFlags } from './common.js';
import { addNewRequestOption, outcomeLines, runFromCli } from './run.js';

export function addDsrEraseCommand(parent: Command): void {
  addRequestOptions(
    addNewRequestOption(parent.command('erase').description('Right to erasure (Art. 17): mask or delete the person\'s data, keeping legal holds; resumable')),
  ).action(
    action(async (flags: RequestFlags) => {
      return withRequestContext(flags, async (ctx) => {
        const outcome = await runFromCli('erasure', ctx, flags);
        const steps = await ctx.store.requests.steps(outcome.request.id);
        const writes = committedWrites(steps);
        const byCollection = new Map<string, { masked: number; deleted: number }>();
        for (const s of writes) {
          const entry = byCollection.get(s.collection ?? '') ?? { masked: 0, deleted: 0 };
          if (s.kind === 'update') entry.masked += s.rowsChanged;
          else entry.deleted += s.rowsChanged;
          byCollection.set(s.collection ?? '', entry);
        }
        printSummary([
          ...outcomeLines(outcome),
          ...[...byCollection].map(([c, n]) => `${c}: ${n.masked} row(s) masked, ${n.deleted} deleted`),
          ...outcome.kept.map((k) => {
            const what = k.fields ? `${k.fields.join(', ')} kept on ${k.rows} row(s)` : `${k.rows} row(s) kept`;
            const why =
              k.reason === 'legal-hold'
                ? `legal hold ${k.hold?.article ?? ''}: ${k.hold?.reason ?? ''}`
                : k.reason === 'shared'
                  ? 'other people\'s records lead to them'
                  : 'still referenced by rows outside the request (masked instead of deleted)';
            return `${k.node}: ${what} — ${why}`;
          }),
        ]);
        return 0;
      });
    }),
  );
}
