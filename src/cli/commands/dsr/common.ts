/**
 * What every `opendpo dsr` command shares: the identity and datasets options, reading the
 * datasets (refused before any database is touched), the register for the processing
 * information, the store for the evidence, the progress display on a terminal, and handing the
 * package over (output-file.ts) before the request is recorded completed.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { ensureStoreFolder, loadConfig } from '../../../config/config.js';
import { loadDatasetsOrThrow, type LoadDatasetsResult } from '../../../dataset/load-datasets.js';
import type { ProgressEvent, RunRequestInput } from '../../../dsr/run-request.js';
import { OpendpoError } from '../../../errors/opendpo-error.js';
import { loadRegister } from '../../../register/load.js';
import { LANGUAGES, type Language, type Register } from '../../../register/schema.js';
import type { Store } from '../../../store/open-store.js';
import { chooseOutputFormat, checkOutputFile, writeOutputFile, type FormatExtensions } from '../../output-file.js';
import { readIdentities, type IdentityFlags } from './identities-option.js';
import { requireReadableRegister } from '../../require-readable-register.js';
import { writeStandardOutput } from '../../standard-output.js';

export interface RequestFlags extends IdentityFlags {
  datasets: string;
  register?: string;
  out?: string;
  progress?: boolean;
}

export const collectRepeated = (value: string, previous: string[] = []) => [...previous, value];

export function addRequestOptions(cmd: Command): Command {
  return cmd
    .option(
      '--identity <type=value>',
      'a verified identity of the person, e.g. email=jane@example.com (repeat for several); on the command line it is visible in `ps` and kept in the shell history: prefer --identity-file',
      collectRepeated,
    )
    .option('--identity-file <file>', 'read the identities from this file, one type=value a line (# comments and blank lines allowed); - reads them from standard input')
    .requiredOption('--datasets <dir>', 'the datasets folder (dataset files and connections.yaml)')
    .option('--no-progress', 'no progress display, even on a terminal');
}

export interface RequestContext {
  identities: Record<string, string>;
  loaded: LoadDatasetsResult;
  store: Store;
  /** The register, when the command gives the processing information (access, portability). */
  register?: Register;
}

/** Opens the store the configuration names, runs `fn`, and closes it. */
export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  ensureStoreFolder(config.store);
  // Loaded on demand, so that commands that never open the store do not pay for its modules.
  const { openStore } = await import('../../../store/open-store.js');
  const store = await openStore(config.store);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Checks the arguments and the datasets (before any database is touched), then runs `fn` with the store open. */
export async function withRequestContext<T>(flags: RequestFlags, fn: (ctx: RequestContext) => Promise<T>): Promise<T> {
  const identities = await readIdentities(flags);
  const loaded = await loadDatasetsOrThrow(flags.datasets);
  if (loaded.connections === undefined) {
    throw new OpendpoError('DATASET_INVALID', `${path.join(flags.datasets, 'connections.yaml')} is missing: it says where each dataset lives`);
  }
  return withStore((store) => fn({ identities, loaded, store }));
}

/** --lang, checked. */
export function languageOption(lang: string | undefined): Language {
  const found = LANGUAGES.find((l) => l === lang);
  if (found === undefined) throw new OpendpoError('INVALID_INPUT', `--lang must be one of ${LANGUAGES.join(', ')}`);
  return found;
}

/** --out, --format and --force of the commands that write a package, checked before the request runs. */
export interface OutputFlags {
  out?: string;
  format?: string;
  force?: boolean;
}

export function addOutputOptions(cmd: Command, what: string, formats: FormatExtensions<string>, fallback: string, fileOnly?: string): Command {
  const extensions = Object.entries(formats)
    .map(([f, exts]) => `${exts.join('/')} ${f}`)
    .join(', ');
  return cmd
    .option('--out <file>', `write the ${what} to this file (default: standard output${fileOnly ? `; ${fileOnly}` : ''}); the format follows its extension: ${extensions}`)
    .option('--format <format>', `${Object.keys(formats).join(', ')} (default: from the --out extension, else ${fallback})`)
    .option('--force', 'replace the --out file if it exists');
}

/**
 * The format, and the --out file checked (its folder exists and is writable, the file absent
 * unless --force): all before the request runs, so that a request never runs for a package that
 * cannot be written.
 */
export async function checkOutput<F extends string>(flags: OutputFlags, formats: FormatExtensions<F>, fallback: NoInfer<F>): Promise<F> {
  const format = chooseOutputFormat({ format: flags.format, file: flags.out }, '--out', formats, fallback);
  if (flags.out !== undefined) await checkOutputFile(flags.out, { option: '--out', force: flags.force === true });
  return format;
}

/**
 * Hands the package over: the --out file whole (or nothing), or standard output. Called by the
 * request before it is recorded completed; returns the evidence's note (format and size, no path).
 */
export async function deliverPackage(flags: OutputFlags, format: string, content: string | Uint8Array): Promise<string> {
  if (flags.out === undefined) await writeStandardOutput(content);
  else await writeOutputFile(flags.out, content, { option: '--out', force: flags.force === true });
  const bytes = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
  return `${format} package of ${bytes} bytes written to ${flags.out === undefined ? 'standard output' : 'the --out file'}`;
}

/** The register named by --register, or by connections.yaml; undefined when neither names one. */
export async function loadRequestRegister(flags: { register?: string }, loaded: LoadDatasetsResult): Promise<Register | undefined> {
  const dir = flags.register ?? loaded.registerDir;
  if (dir === undefined) return undefined;
  return requireReadableRegister(await loadRegister(dir), 'the processing information cannot be given').register;
}

/** One line, rewritten in place, on a terminal; nothing when piped (no personal data either way). */
export function progressReporter(enabled: boolean | undefined): RunRequestInput['onProgress'] {
  if (enabled === false || !process.stderr.isTTY) return undefined;
  let last = '';
  return (event: ProgressEvent) => {
    const text =
      event.phase === 'collect'
        ? `found ${event.rows} row(s) in ${event.collection}`
        : event.phase === 'write'
          ? `${event.connection}: ${event.done}/${event.total} statement(s) run`
          : event.phase === 'system'
            ? `${event.connection}: ${event.status}`
            : event.message;
    const line = `opendpo: ${text}`.slice(0, (process.stderr.columns || 80) - 1);
    process.stderr.write(`\r${line}${' '.repeat(Math.max(0, last.length - line.length))}`);
    last = line;
    if (event.phase === 'done') process.stderr.write('\n');
  };
}

export function printSummary(lines: string[]): void {
  process.stderr.write(lines.map((l) => `opendpo: ${l}\n`).join(''));
}
