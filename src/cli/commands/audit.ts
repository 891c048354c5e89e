/**
 * `opendpo audit verify`: checks the hash chain of the audit log of each organisation (or one), and
 * prints its head (sequence number and hash) to keep elsewhere: given back with --expect-head, it
 * shows that no newest entry was cut off. Exit 0 when every chain holds, 1 when one does not.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { action } from '../action.js';

interface VerifyFlags {
  organisation?: string;
  expectHead?: string;
}

export function addAuditCommands(parent: Command): void {
  parent
    .command('verify')
    .description('Check the audit log\'s hash chain: an entry edited, deleted or moved is found; print the head to keep')
    .option('--organisation <id>', 'the organisation whose chain to check (default: every one in the store)')
    .option('--expect-head <seq:hash>', 'a head printed by an earlier verify: fails if that entry is gone or changed (the chain was cut short)')
    .action(
      action(async (flags: VerifyFlags) => {
        const expectHead = flags.expectHead === undefined ? undefined : parseHead(flags.expectHead);
        if (expectHead && flags.organisation === undefined) throw new OpendpoError('INVALID_INPUT', '--expect-head belongs to one chain: give --organisation too');
        const config = loadConfig(process.env);
        const { openStore } = await import('../../store/open-store.js');
        const store = await openStore(config.store);
        try {
          const organisations = flags.organisation === undefined ? await store.audit.organisations() : [flags.organisation];
          if (organisations.length === 0) {
            process.stdout.write(`no audit entries in ${store.description}\n`);
            return 0;
          }
          let broken = 0;
          for (const org of organisations) {
            const v = await store.audit.verify(org, expectHead);
            const head = v.head ? `${v.head.seq}:${v.head.hash}` : 'none';
            if (v.problems.length === 0) {
              process.stdout.write(`${org}: ${v.entries} entr${v.entries === 1 ? 'y' : 'ies'}, chain intact; head ${head}\n`);
              continue;
            }
            broken++;
            process.stdout.write(`${org}: ${v.entries} entr${v.entries === 1 ? 'y' : 'ies'}, ${v.problems.length} problem(s); head ${head}\n`);
            for (const p of v.problems) process.stdout.write(`  entry ${p.seq}: ${p.problem}\n`);
          }
          return broken > 0 ? 1 : 0;
        } finally {
          await store.close();
        }
      }),
    );
}

function parseHead(text: string): { seq: number; hash: string } {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (!m) throw new OpendpoError('INVALID_INPUT', `--expect-head: must be SEQ:HASH as verify prints it (e.g. 12:3f9a…, 64 hex digits), not ${JSON.stringify(text.slice(0, 80))}`);
  return { seq: Number(m[1]), hash: m[2]! };
}
