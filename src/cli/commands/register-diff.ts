/**
 * `opendpo register diff OLD NEW [--format text|json] [--repo PATH] [--dir DIR]`: the changes
 * between two versions of a register, and which of them people must be told about.
 * It reports and does not judge: exit 0 whenever both registers load, 1 when either has
 * errors that stop it loading, 2 on bad arguments (or an unknown revision or folder).
 */
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { diffRegisters } from '../../register/diff.js';
import { formatDiffJson, formatDiffText } from '../../register/format-diff.js';
import { loadRegisterAtRevision } from '../../register/git-revision.js';
import { loadRegister, type LoadResult } from '../../register/load.js';
import { action } from '../action.js';
import { requireReadableRegister } from '../require-readable-register.js';

const FORMATS = ['text', 'json'] as const;

interface DiffOptions {
  format: string;
  repo?: string;
  dir?: string;
}

const HELP = `
OLD and NEW each name a register, in one of three forms:
  a folder on disk         examples/acme-shop, ./registers/2025
  REV:DIR                  HEAD~1:examples/acme-shop, main:registers/acme, v1.2:.
                           (DIR relative to the repository root, as in "git show REV:PATH")
  REV, with --dir DIR      HEAD~1 --dir examples/acme-shop
A name that exists as a folder is read from disk; anything else is a git revision of the
repository containing --repo (default: the current directory).

Material changes are those people must be told about before they apply (Art. 13(3), 14(4),
EDPB transparency guidelines WP260 para. 29): a new activity or purpose, a new or changed legal
basis, a new recipient or transfer, longer retention, new categories of data or of people,
a new source, a new automated decision, a new controller, DPO or way to exercise rights.

Exit status: 0 when both registers load (whatever changed), 1 when either has errors,
2 on bad arguments, an unknown revision or a missing folder.

Examples:
  opendpo register diff HEAD~1:examples/acme-shop examples/acme-shop
  opendpo register diff main HEAD --dir registers/acme --format json
`;

export function addRegisterDiffCommand(parent: Command): void {
  parent
    .command('diff')
    .description('Compare two versions of a register (folders or git revisions) and list the material changes people must be told about (Art. 13(3), 14(4))')
    .argument('<old>', 'the older register: a folder, REV:DIR, or REV with --dir')
    .argument('<new>', 'the newer register: a folder, REV:DIR, or REV with --dir')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option('--repo <path>', 'the git repository to read revisions from (default: the current directory)')
    .option('--dir <dir>', 'the register folder inside the repository, for a bare revision such as HEAD~1')
    .addHelpText('after', HELP)
    .action(
      action(async (oldSpec: string, newSpec: string, opts: DiffOptions) => {
        const format = FORMATS.find((f) => f === opts.format);
        if (!format) throw new OpendpoError('INVALID_INPUT', `--format must be one of ${FORMATS.join(', ')}, not "${opts.format}"`);
        const before = await loadSide(oldSpec, opts);
        const after = await loadSide(newSpec, opts);
        const beforeRegister = requireReadableRegister(before.result, `cannot compare: ${before.label} is not readable`).register;
        const afterRegister = requireReadableRegister(after.result, `cannot compare: ${after.label} is not readable`).register;
        const diff = diffRegisters(beforeRegister, afterRegister);
        const activityNames: Record<string, string> = {};
        for (const a of [...beforeRegister.activities, ...afterRegister.activities]) {
          activityNames[a.id] = typeof a.name === 'string' ? a.name : (a.name.en ?? Object.values(a.name).find((v) => v !== undefined) ?? a.id);
        }
        const labels = { before: before.label, after: after.label, activityNames };
        process.stdout.write(format === 'json' ? formatDiffJson(diff, labels) : formatDiffText(diff, labels));
        return 0;
      }),
    );
}

async function loadSide(spec: string, opts: DiffOptions): Promise<{ label: string; result: LoadResult }> {
  if (await isFolder(spec)) return { label: spec, result: await loadRegister(spec) };
  const colon = spec.indexOf(':');
  let rev: string;
  let dir: string;
  if (colon > 0) {
    rev = spec.slice(0, colon);
    dir = spec.slice(colon + 1);
  } else if (colon < 0 && opts.dir !== undefined) {
    rev = spec;
    dir = opts.dir;
  } else {
    throw new OpendpoError(
      'INVALID_INPUT',
      `"${spec}" is neither a folder nor a git revision with its folder: write REV:DIR (e.g. HEAD~1:examples/acme-shop), or REV with --dir DIR`,
    );
  }
  const result = await loadRegisterAtRevision(opts.repo ?? process.cwd(), rev, dir);
  return { label: `${rev}:${dir}`, result };
}

async function isFolder(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
