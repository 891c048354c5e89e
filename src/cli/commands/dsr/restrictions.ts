/**
 * `opendpo dsr restrictions` and `opendpo dsr unrestrict <request-id>`: the restrictions of
 * processing in force (Art. 18), and lifting one once the person has been told (Art. 18(3)).
 * Identities are never shown: a restriction is named by the request that made it.
 */
import type { Command } from 'commander';
import { INFORMED_BY, liftRestriction, listRestrictions, type RestrictionView } from '../../../dsr/restrictions.js';
import { action } from '../../action.js';
import { printSummary, withStore } from './common.js';

function flaggedText(view: RestrictionView): string {
  if (view.flagged.length === 0) return 'recorded in the store only (no restriction flag set in the data)';
  return view.flagged.map((f) => `${f.connection} / ${f.collection}: ${f.rows} row(s) flagged`).join('; ');
}

export function addDsrRestrictionCommands(parent: Command): void {
  parent
    .command('restrictions')
    .description('The restrictions of processing in force (Art. 18): request, since when, identity types, rows flagged per system')
    .option('--all', 'also the restrictions lifted')
    .option('--json', 'as JSON')
    .action(
      action(async (flags: { all?: boolean; json?: boolean }) =>
        withStore(async (store) => {
          const views = await listRestrictions(store, flags.all ? { includeLifted: true } : {});
          if (flags.json) {
            process.stdout.write(`${JSON.stringify(views, null, 2)}\n`);
            return 0;
          }
          for (const v of views) {
            process.stdout.write(
              `${v.requestId}  since ${v.restrictedAt}${v.liftedAt ? `  lifted ${v.liftedAt}` : ''}  identity types: ${v.identityTypes.join(', ')}  request ${v.requestStatus}\n  ${flaggedText(v)}\n`,
            );
          }
          if (views.length === 0) printSummary([flags.all ? 'no restriction was ever recorded' : 'no restriction in force']);
          return 0;
        }),
      ),
    );
  parent
    .command('unrestrict')
    .description('Lift a restriction of processing (Art. 18(3)), once the person has been told that it is about to be lifted')
    .argument('<request-id>', 'the request that made the restriction (see dsr restrictions)')
    .requiredOption('--person-informed <YYYY-MM-DD>', 'the date the person was told that the restriction is about to be lifted (Art. 18(3))')
    .requiredOption('--informed-by <channel>', `how the person was told: ${INFORMED_BY.join(', ')}`)
    .requiredOption('--by <name>', 'who lifts the restriction (a name or a role)')
    .action(
      action(async (requestId: string, flags: { personInformed: string; informedBy: string; by: string }) =>
        withStore(async (store) => {
          const { lifted, acknowledgement } = await liftRestriction(store, requestId, { informedOn: flags.personInformed, informedBy: flags.informedBy, by: flags.by });
          printSummary([
            `restriction of request ${lifted.requestId} lifted (identity types: ${lifted.identityTypes.join(', ')}); the person was informed on ${acknowledgement.informedOn} by ${acknowledgement.informedBy}, recorded in the evidence`,
            ...lifted.flagged.map(
              (f) => `warning: ${f.connection} / ${f.collection}: the restriction flag set on ${f.rows} row(s) is left as it is: clear it in that system (opendpo does not know its value before the restriction)`,
            ),
          ]);
          return 0;
        }),
      ),
    );
}
