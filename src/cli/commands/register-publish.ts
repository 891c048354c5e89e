/**
 * `opendpo register publish DIR`: lint the register and store it as the organisation's next
 * version, with its findings and the material changes from the previous version.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import type { RegisterDiff } from '../../register/diff.js';
import { loadRegister } from '../../register/load.js';
import { prepareRegisterPublication, publishPreparedRegister } from '../../register/publish-register.js';
import { action } from '../action.js';

interface PublishFlags {
  author?: string;
  message?: string;
  allowErrors?: boolean;
  allowEmpty?: boolean;
}

export function addRegisterPublishCommand(parent: Command): void {
  parent
    .command('publish')
    .description('Lint the register and store it as the next published version (the notice is served from it)')
    .argument('<dir>', 'register folder')
    .option('--author <name>', 'who publishes (default: git config user.name, or the OS user)')
    .option('--message <text>', 'why this version is published')
    .option('--allow-errors', 'publish even when lint finds errors (the findings are recorded with the version)')
    .option('--allow-empty', 'publish a register with no processing activity (every activity has ended)')
    .action(
      action(async (dir: string, flags: PublishFlags) => {
        const config = loadConfig(process.env);
        const loadResult = await loadRegister(dir);
        // Refused before the store is even opened: a refused publish writes nothing.
        const prepared = prepareRegisterPublication(loadResult, { allowErrors: flags.allowErrors ?? false, allowEmpty: flags.allowEmpty ?? false });
        // Loaded on demand, so that the other commands do not pay for the store's modules.
        const { openStore } = await import('../../store/open-store.js');
        const store = await openStore(config.store);
        try {
          const { outcome, findings } = await publishPreparedRegister(store, prepared, {
            author: flags.author ?? defaultAuthor(),
            message: flags.message,
          });
          const v = outcome.version;
          const out: string[] = [];
          if (outcome.unchanged) {
            out.push(`unchanged: ${v.organisationId} version ${v.version} already holds this register (sha256 ${v.contentHash})`);
          } else {
            out.push(`published ${v.organisationId} version ${v.version} (sha256 ${v.contentHash}) to ${store.description}`);
            out.push(...describeChanges(v.version, v.diff));
          }
          const errors = findings.filter((f) => f.severity === 'error').length;
          const warnings = findings.filter((f) => f.severity === 'warning').length;
          if (errors + warnings > 0) out.push(`recorded ${errors} error(s) and ${warnings} warning(s) from lint with this version`);
          process.stdout.write(`${out.join('\n')}\n`);
        } finally {
          await store.close();
        }
      }),
    );
}

/** The material changes people must be told about (Art. 13(3), 14(4)), one line each. */
function describeChanges(version: number, diff: unknown): string[] {
  if (version === 1 || diff === null || diff === undefined) return ['first published version: no previous version to compare with'];
  const changes = materialChanges(diff);
  const others = (diff as RegisterDiff).changes.length - changes.length;
  const tail = others > 0 ? [`and ${others} other change${others === 1 ? '' : 's'} (wording, removals, shorter retention): see opendpo register diff`] : [];
  if (changes.length === 0) return ['no material changes from the previous version', ...tail];
  return [
    'material changes from the previous version (tell the people concerned before they apply, Art. 13(3), 14(4)):',
    ...changes.map((c) => `  - ${c}`),
    ...tail,
  ];
}

function materialChanges(diff: unknown): string[] {
  const { changes } = diff as RegisterDiff;
  return changes.filter((c) => c.material).map((c) => `${c.activity ? `${c.activity}: ` : ''}${c.summary} (${c.article})`);
}

function defaultAuthor(): string {
  try {
    const name = execFileSync('git', ['config', 'user.name'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 }).trim();
    if (name) return name;
  } catch {
    // No git, or no user.name: fall back to the OS user.
  }
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
