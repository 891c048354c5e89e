/**
 * `opendpo dsr plan`: a dry run. Prints where the search starts, which references it follows and
 * which it refuses to follow (another data subject's records), the rows it finds, what an erasure
 * would keep and why, and the exact statements, values left out. Nothing is written.
 */
import type { Command } from 'commander';
import { dryRun, formatDryRun } from '../../../dsr/dry-run.js';
import { openConnections, resolveHmacKeys } from '../../../dsr/open-connections.js';
import { OpendpoError } from '../../../errors/opendpo-error.js';
import type { DsrKind } from '../../../store/dsr-repository.js';
import { action } from '../../action.js';
import { addRequestOptions, withRequestContext, type RequestFlags } from './common.js';

const ACTIONS: Record<string, DsrKind> = {
  access: 'access',
  export: 'portability',
  rectify: 'rectification',
  restrict: 'restriction',
  erase: 'erasure',
};

interface PlanFlags extends RequestFlags {
  action: string;
  json?: boolean;
}

export function addDsrPlanCommand(parent: Command): void {
  addRequestOptions(
    parent
      .command('plan')
      .description('Dry run: the plan of a request and the exact statements it would run; nothing is written')
      .option('--action <action>', `the request to plan: ${Object.keys(ACTIONS).join(', ')}`, 'access')
      .option('--json', 'print the plan as JSON'),
  ).action(
    action(async (flags: PlanFlags) => {
      const kind = ACTIONS[flags.action];
      if (kind === undefined) throw new OpendpoError('INVALID_INPUT', `--action must be one of ${Object.keys(ACTIONS).join(', ')}`);
      return withRequestContext(flags, async (ctx) => {
        const connections = await openConnections(ctx.loaded.connections!, ctx.store);
        try {
          const secretFor = await resolveHmacKeys(kind === 'erasure' ? ctx.loaded.datasets : []);
          const report = await dryRun({ kind, identities: ctx.identities, datasets: ctx.loaded.datasets, connections, secretFor });
          process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatDryRun(report));
        } finally {
          await connections.close();
        }
        return 0;
      });
    }),
  );
}
