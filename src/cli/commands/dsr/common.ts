/**
 * What every `opendpo dsr` command shares: the identity and datasets options, reading the
 * datasets (refused before any database is touched), the register for the processing
 * information, the store for the evidence, the progress display on a terminal, and writing the
 * output file whole or not at all.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ensureStoreFolder, loadConfig } from '../../../config/config.js';
import { loadDatasetsOrThrow, type LoadDatasetsResult } from '../../../dataset/load-datasets.js';
import { parseIdentities } from '../../../dsr/identity.js';
import type { ProgressEvent, RunRequestInput } from '../../../dsr/run-request.js';
import { OpendpoError } from '../../../errors/opendpo-error.js';
import { loadRegister } from '../../../register/load.js';
import { LANGUAGES, type Language, type Register } from '../../../register/schema.js';
import type { Store } from '../../../store/open-store.js';
import { requireReadableRegister } from '../../require-readable-register.js';

export interface RequestFlags {
  identity: string[];
  datasets: string;
  register?: string;
  out?: string;
  progress?: boolean;
}

export const collectRepeated = (value: string, previous: string[] = []) => [...previous, value];

export function addRequestOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--identity <type=value>', 'a verified identity of the person, e.g. email=jane@example.com (repeat for several)', collectRepeated, [])
    .requiredOption('--datasets <dir>', 'the datasets folder (dataset files and connections.yaml)')
    .option('--no-progress', 'no progress display, even on a terminal');
}

export interface RequestContext {
  identities: Record<string, string>;
  loaded: LoadDatasetsResult;
  store: Store;
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
  const identities = parseIdentities(flags.identity);
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

/** Writes the output to --out (whole or not at all) or standard output, then the summary lines. */
export async function deliver(out: string | undefined, content: string | Uint8Array, summary: string[]): Promise<void> {
  if (out === undefined) process.stdout.write(content);
  else await writeOutput(out, content);
  printSummary([...summary, ...(out ? [`wrote ${out}`] : [])]);
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

/** Writes the whole file or nothing: a temporary file renamed into place. */
export async function writeOutput(file: string, content: string | Uint8Array): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, content);
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true });
    throw new OpendpoError('INVALID_INPUT', `cannot write --out ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, undefined, { cause: err });
  }
}

/** The output format: --format, or the --out file's extension, or the default. */
export function outputFormat<F extends string>(flags: { format?: string; out?: string }, formats: readonly F[], byExtension: Record<string, F>, fallback: F): F {
  if (flags.format !== undefined) {
    const f = formats.find((x) => x === flags.format);
    if (f === undefined) throw new OpendpoError('INVALID_INPUT', `--format must be one of ${formats.join(', ')}, not "${flags.format.slice(0, 50)}"`);
    return f;
  }
  const ext = flags.out === undefined ? '' : path.extname(flags.out).toLowerCase();
  return byExtension[ext] ?? fallback;
}

export function printSummary(lines: string[]): void {
  process.stderr.write(lines.map((l) => `opendpo: ${l}\n`).join(''));
}
