/**
 * `opendpo dsr plan`: a dry run. Prints where the search starts, which references it follows and
 * which it refuses to follow (another data subject's records), the rows it finds, what an erasure
 * would keep and why, and the exact statements, values left out. Nothing is written.
 */
import type { Command } from 'commander';
import { dryRun, formatDryRun } from '../../../dsr/dry-run.js';
import { openConnections, resolveHmacKeys } from '../../../dsr/open-connections.js';
import { loadConfig } from '../../../config/config.js';
import { OpendpoError } from '../../../errors/opendpo-error.js';
import type { DsrKind } from '../../../store/dsr-repository.js';
import { action } from '../../action.js';
import { addRequestOptions, collectRepeated, loadRequestRegister, withRequestContext, type RequestFlags } from './common.js';
import { addRectifyOptions, parseChanges, parseWhere } from './rectify.js';

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
  set: string[];
  where: string[];
}

export function addDsrPlanCommand(parent: Command): void {
  addRequestOptions(
    addRectifyOptions(parent
      .command('plan')
      .description('Dry run: the plan of a request and the exact statements it would run; nothing is written')
      .option('--action <action>', `the request to plan: ${Object.keys(ACTIONS).join(', ')}`, 'access')
      .option('--json', 'print the plan as JSON')
      .option('--register <dir>', 'the register folder: systems not searched, data no activity declares, rows past their retention (default: the one connections.yaml names)')
      .option('--set <collection.field=value>', 'rectify: the corrected value of a field (repeat for several)', collectRepeated, [])),
  ).action(
    action(async (flags: PlanFlags) => {
      const kind = ACTIONS[flags.action];
      if (kind === undefined) throw new OpendpoError('INVALID_INPUT', `--action must be one of ${Object.keys(ACTIONS).join(', ')}`);
      if (kind !== 'rectification' && flags.set.length + flags.where.length > 0) throw new OpendpoError('INVALID_INPUT', '--set and --where belong to a rectification: --action rectify');
      const changes = kind === 'rectification' ? parseChanges(flags.set) : undefined;
      const where = parseWhere(flags.where);
      return withRequestContext(flags, async (ctx) => {
        const register = await loadRequestRegister(flags, ctx.loaded);
        const connections = await openConnections(ctx.loaded.connections!, ctx.store, { timeoutMs: loadConfig(process.env).targetTimeoutMs });
        try {
          const secretFor = await resolveHmacKeys(kind === 'erasure' ? ctx.loaded.datasets : []);
          const report = await dryRun({ kind, identities: ctx.identities, datasets: ctx.loaded.datasets, connections, secretFor, ...(changes ? { changes, where } : {}), ...(register ? { register } : {}) });
          process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatDryRun(report));
        } finally {
          await connections.close();
        }
        return 0;
      });
    }),
  );
}
