/**
 * `opendpo dataset generate --url URL [--schema S ...] [--key K] [--system ID] [--out FILE] [--force]`:
 * reads a database's tables, columns, primary and foreign keys, and writes a first dataset in
 * opendpo's format, every guess marked as a suggestion for a person to confirm. Reads only:
 * nothing is written to the database.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { databaseTypeOf, openDatabaseConnector, sqliteFileOf } from '../../connectors/open-database-connector.js';
import type { DatabaseType, TableShape } from '../../connectors/connector.js';
import { datasetKeyFrom, generateDataset, type GeneratedDataset } from '../../dataset/generate/generate-dataset.js';
import { lookupIndexAdvice, type IndexAdvice } from '../../dsr/identity-lookup.js';
import { defaultIdentityMatch } from '../../dsr/identity-match.js';
import { writeDatasetYaml } from '../../dataset/generate/write-dataset-yaml.js';
import { DatasetFileSchema, DatasetKey } from '../../dataset/schema.js';
import { loadConfig } from '../../config/config.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { Id } from '../../register/schema.js';
import { action } from '../action.js';
import { checkOutputFile, chooseOutputFormat, writeOutputFile } from '../output-file.js';

export interface DatasetGenerateFlags {
  url: string;
  schema?: string[];
  key?: string;
  system?: string;
  out?: string;
  force?: boolean;
}

export interface DatasetGenerateResult {
  yaml: string;
  dataset: GeneratedDataset;
  /** Where the tables were read, safe to show. */
  source: string;
  /** Suggested identity fields whose lookup no index serves, with the index to create (names only). */
  indexes: IndexAdvice[];
}

/** The name a --url connection goes by in messages. */
const CONNECTION_NAME = '--url';

function defaultKey(url: string): string {
  if (url.startsWith('sqlite:')) return datasetKeyFrom(path.basename(sqliteFileOf(url)));
  try {
    return datasetKeyFrom(decodeURIComponent(new URL(url).pathname.replace(/^\//, '')));
  } catch {
    return 'dataset';
  }
}

/** Reads the database and builds the dataset; writes --out when given (refusing to overwrite without --force). */
export async function datasetGenerate(flags: DatasetGenerateFlags): Promise<DatasetGenerateResult> {
  const key = flags.key ?? defaultKey(flags.url);
  if (!DatasetKey.safeParse(key).success) throw new OpendpoError('INVALID_INPUT', `--key must be lowercase letters, digits, "_" and "-" (e.g. "shop"), not "${key}"`);
  if (flags.system !== undefined && !Id.safeParse(flags.system).success) {
    throw new OpendpoError('INVALID_INPUT', `--system must be a system id of the register (systems.yaml), not "${flags.system}"`);
  }
  // The file is checked before the database is read: a dataset is not read for nothing.
  const output = flags.out === undefined ? undefined : { file: flags.out, option: '--out', force: flags.force === true };
  if (output) {
    chooseOutputFormat({ file: output.file }, '--out', { yaml: ['.yaml', '.yml'] }, 'yaml');
    await checkOutputFile(output.file, output);
  }
  const connector = await openDatabaseConnector({
    name: CONNECTION_NAME,
    type: databaseTypeOf(flags.url) ?? 'postgres',
    url: flags.url,
    timeoutMs: loadConfig(process.env).targetTimeoutMs,
  });
  let tables;
  try {
    tables = await connector.introspect({ schemas: flags.schema ?? [] });
  } finally {
    await connector.close();
  }
  if (tables.length === 0) {
    const where = flags.schema?.length ? `the default schema or ${flags.schema.join(', ')}` : 'the default schema (add --schema for others)';
    throw new OpendpoError('NOT_FOUND', `${connector.label}: no table in ${where}`);
  }
  const dataset = generateDataset(tables, { key, ...(flags.system === undefined ? {} : { system: flags.system }) });
  const yaml = writeDatasetYaml(dataset, { source: connector.label });
  // What we write must be what the loader accepts: a failure here is our bug, not the user's.
  const check = DatasetFileSchema.safeParse(parse(yaml));
  if (!check.success) throw new Error(`dataset generate produced a dataset the format refuses: ${check.error.message}`);
  if (output) await writeOutputFile(output.file, yaml, output);
  return { yaml, dataset, source: connector.label, indexes: identityIndexAdvice(connector.type, tables, dataset) };
}

/** The suggested identity fields an index cannot find (an email compared without case, through lower(column)). */
function identityIndexAdvice(type: DatabaseType, tables: readonly TableShape[], dataset: GeneratedDataset): IndexAdvice[] {
  const out: IndexAdvice[] = [];
  for (const c of dataset.collections) {
    const table = tables.find((t) => t.name === c.name && t.schema === c.schema);
    if (table === undefined) continue;
    for (const f of c.fields) {
      if (f.identity === undefined) continue;
      const advice = lookupIndexAdvice(type, table, f.name, defaultIdentityMatch(f.identity));
      if (advice !== undefined) out.push(advice);
    }
  }
  return out;
}

/** What standard error says of the indexes to create, before the dataset is used. */
function formatIndexAdvice(indexes: readonly IndexAdvice[]): string {
  if (indexes.length === 0) return '';
  const lines = indexes.map((a) => `  ${a.column}: ${a.reason}${a.statement ? `\n    ${a.statement};` : ''}`);
  return `opendpo: ${indexes.length} identity field(s) no index can find, so every request would read the whole table:\n${lines.join('\n')}\n`;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addDatasetGenerateCommand(parent: Command): void {
  parent
    .command('generate')
    .description('Write a first dataset from a database: tables, columns, keys, references from foreign keys, and suggested data categories, identities and other-person references to confirm')
    .option('--url <url>', 'postgres://..., mysql://... (or mariadb://...), sqlite:PATH')
    .option('--url-env <name>', 'read the URL from this environment variable (keeps a password out of the shell history and `ps`)')
    .option('--schema <schema>', 'also read this PostgreSQL schema or MySQL database (repeatable)', collect)
    .option('--key <key>', 'the dataset key (default: from the database name)')
    .option('--system <id>', 'the register system (systems.yaml id) the dataset describes')
    .option('--out <file>', 'write the dataset to this file instead of standard output')
    .option('--force', 'replace --out if it exists')
    .action(
      action(async (options: Omit<DatasetGenerateFlags, 'url'> & { url?: string; urlEnv?: string }) => {
        if ((options.url === undefined) === (options.urlEnv === undefined)) throw new OpendpoError('INVALID_INPUT', 'give the database as --url URL or --url-env VARIABLE (one of them)');
        const url = options.url ?? process.env[options.urlEnv!];
        if (url === undefined || url === '') throw new OpendpoError('INVALID_INPUT', `the environment variable ${options.urlEnv} is not set`);
        const flags: DatasetGenerateFlags = { ...options, url };
        const result = await datasetGenerate(flags);
        process.stderr.write(formatIndexAdvice(result.indexes));
        if (flags.out === undefined) {
          process.stdout.write(result.yaml);
          return 0;
        }
        const collections = result.dataset.collections.length;
        const flagged = result.dataset.collections.flatMap((c) => c.fields.flatMap((f) => f.references)).filter((r) => r.otherSubject).length;
        process.stderr.write(
          `opendpo: wrote ${flags.out}: ${collections} collections from ${result.source}; review the suggestions${flagged > 0 ? `, and confirm ${flagged} reference(s) to other people` : ''}\n`,
        );
        return 0;
      }),
    );
}
