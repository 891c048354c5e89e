/**
 * `opendpo dsr restrictions` and `opendpo dsr unrestrict <request-id>`: the restrictions of
 * processing in force (Art. 18), and lifting one once the person has been told (Art. 18(3)).
 * Identities are never shown: a restriction is named by the request that made it.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../../config/config.js';
import { isDatabaseConnection, type ConnectionsFile } from '../../../dataset/connections.js';
import { loadDatasetsOrThrow } from '../../../dataset/load-datasets.js';
import { openConnections } from '../../../dsr/open-connections.js';
import { clearedNote, INFORMED_BY, leftText, liftRestriction, listRestrictions, type RestrictionView } from '../../../dsr/restrictions.js';
import { OpendpoError } from '../../../errors/opendpo-error.js';
import type { Store } from '../../../store/open-store.js';
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
    .description('Lift a restriction of processing (Art. 18(3)), once the person has been told that it is about to be lifted; the restriction flags it set are cleared where the dataset declares their lifted_value')
    .argument('<request-id>', 'the request that made the restriction (see dsr restrictions)')
    .requiredOption('--person-informed <YYYY-MM-DD>', 'the date the person was told that the restriction is about to be lifted (Art. 18(3))')
    .requiredOption('--informed-by <channel>', `how the person was told: ${INFORMED_BY.join(', ')}`)
    .requiredOption('--by <name>', 'who lifts the restriction (a name or a role)')
    .requiredOption('--datasets <dir>', 'the datasets folder (dataset files and connections.yaml): where the flags are, and what they become once lifted')
    .action(
      action(async (requestId: string, flags: { personInformed: string; informedBy: string; by: string; datasets: string }) => {
        // Read before the store is opened and any database touched: a wrong folder stops here.
        const loaded = await loadDatasetsOrThrow(flags.datasets);
        const connectionsFile = path.join(flags.datasets, 'connections.yaml');
        return withStore(async (store) => {
          const { lifted, acknowledgement, cleared, left } = await liftRestriction(
            store,
            requestId,
            { informedOn: flags.personInformed, informedBy: flags.informedBy, by: flags.by },
            { datasets: loaded.datasets, connect: (names) => openOnly(loaded.connections, names, store, connectionsFile) },
          );
          printSummary([
            `restriction of request ${lifted.requestId} lifted (identity types: ${lifted.identityTypes.join(', ')}); the person was informed on ${acknowledgement.informedOn} by ${acknowledgement.informedBy}, recorded in the evidence`,
            ...cleared.map((c) => `${c.connection} / ${c.collection}: ${clearedNote(c)}`),
            ...left.map((l) => `warning: ${leftText(l)}`),
          ]);
          return 0;
        });
      }),
    );
}

/** The database connections named, and only those: a lifting touches no other system. */
function openOnly(file: ConnectionsFile | undefined, names: readonly string[], store: Store, where: string) {
  if (file === undefined) throw new OpendpoError('DATASET_INVALID', `${where} is missing: it says where the restriction flags to clear live`);
  const chosen = file.connections.filter((c) => names.includes(c.name) && isDatabaseConnection(c));
  const missing = names.filter((n) => !chosen.some((c) => c.name === n));
  if (missing.length > 0) {
    throw new OpendpoError('DATASET_INVALID', `${file.file} has no database connection ${missing.join(', ')}, where the restriction flagged rows: add it back to clear the flags there`);
  }
  return openConnections({ ...file, connections: chosen }, store, { timeoutMs: loadConfig(process.env).targetTimeoutMs });
}
