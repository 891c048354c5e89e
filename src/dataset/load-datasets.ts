/**
 * Reads a datasets folder: connections.yaml (where the data lives) and every other YAML file of the
 * folder (not its sub-folders), each an opendpo dataset (`dataset:` mapping) or a Fides dataset
 * file (`dataset:` list). This is the datasets' I/O edge: everything after it is pure.
 *
 * Nothing that could be a dataset is skipped without a word, as in a register folder: a link is
 * followed when it leads to a place inside the datasets folder and refused otherwise (the folder
 * says what a request reads and erases; a link out of it would act on files nobody reviewed there),
 * and a sub-folder holding YAML files is named in a warning, since its files are not read.
 *
 * Bad input never throws: each problem becomes a Finding naming file:line:column, and a file that
 * cannot be read is left out. Commands that act on data use loadDatasetsOrThrow, which refuses a
 * folder with any error before anything is read from or written to a database.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { OpendpoError } from '../errors/opendpo-error.js';
import { sortFindings, type Finding } from '../register/finding.js';
import { loadRegister } from '../register/load.js';
import { suggestClosest } from '../register/suggest-closest.js';
import { checkAcrossDatasets, checkConnections, linkSystems, type ParsedDataset } from './check-datasets.js';
import { readConnectionsFile, type ConnectionsFile } from './connections.js';
import { readFidesDatasets } from './fides.js';
import type { Dataset } from './model.js';
import { readNativeDataset } from './native.js';
import { entryWithin, fileProblem, isYaml, type ReviewedFolder } from '../yaml/folder-entries.js';
import { MAX_DATASET_FILE_BYTES, readYamlFile, type YamlFile } from './read-yaml-file.js';

export interface LoadDatasetsResult {
  /** The datasets read (a file with errors is left out), in file order. */
  datasets: Dataset[];
  /** connections.yaml, when the folder has one that could be read. */
  connections: ConnectionsFile | undefined;
  /** The register folder connections.yaml names, resolved against the datasets folder. */
  registerDir?: string;
  /** Errors and warnings, sorted by file and position. */
  problems: Finding[];
}

const CONNECTIONS_FILES = ['connections.yaml', 'connections.yml'];

export async function loadDatasets(dir: string): Promise<LoadDatasetsResult> {
  const problems: Finding[] = [];
  const none = (rule: string, message: string): LoadDatasetsResult => ({
    datasets: [],
    connections: undefined,
    problems: [{ rule, severity: 'error', message, file: dir, line: 1, column: 1 }],
  });
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) return none('file/unreadable', `${dir} is not a folder: datasets are a folder of YAML files`);
  } catch {
    return none('file/unreadable', `cannot read the datasets folder ${dir}: it does not exist`);
  }
  const names = await listDatasetFiles({ dir, root, noun: 'datasets folder' }, problems);
  if (names.filter((n) => !CONNECTIONS_FILES.includes(n)).length === 0) {
    return none('dataset/empty-folder', `no dataset files in ${dir}: expected <name>.yaml files declaring a dataset, and connections.yaml`);
  }

  let connections: ConnectionsFile | undefined;
  let connectionsYaml: YamlFile | undefined;
  let connectionsRead = false;
  let refused: string[] = [];
  const parsed: ParsedDataset[] = [];
  // Keys of datasets whose file was refused: what names them is not reported again. When a file
  // could not even be parsed, its keys are unknown, and no unknown key is reported at all.
  const unreadableKeys = new Set<string>();
  let someFileUnparsed = false;

  for (const name of names) {
    const display = path.join(dir, name);
    const content = await readSmallFile(display, problems);
    if (!content) {
      someFileUnparsed = true;
      continue;
    }
    const file = readYamlFile(display, content, problems);
    if (!file) {
      someFileUnparsed = true;
      continue;
    }
    if (CONNECTIONS_FILES.includes(name)) {
      if (connectionsRead) {
        problems.push({ rule: 'connections/duplicate-file', severity: 'error', message: 'connections.yaml and connections.yml are both present: keep one', file: display, line: 1, column: 1 });
        continue;
      }
      connectionsRead = true;
      connectionsYaml = file;
      const read = readConnectionsFile(file, problems);
      connections = read?.connections;
      refused = read?.refused ?? [];
      continue;
    }
    const kind = datasetKind(file.value);
    const before = problems.length;
    const found =
      kind === 'opendpo' ? [readNativeDataset(file, problems)].filter((d) => d !== undefined) : kind === 'fides' ? readFidesDatasets(file, problems) : [];
    if (kind === undefined) problems.push(notADataset(file));
    if (problems.slice(before).some((p) => p.severity === 'error')) {
      // A file with an error is left out whole: a half-read dataset would plan a half request.
      for (const key of declaredKeys(file.value)) unreadableKeys.add(key);
      if (found.length === 0 && declaredKeys(file.value).length === 0) someFileUnparsed = true;
      continue;
    }
    parsed.push(...found);
  }

  const unreadable = (key: string) => someFileUnparsed || unreadableKeys.has(key);

  // The register, when connections.yaml names it: datasets link to its systems.
  let registerDir: string | undefined;
  if (connections?.register !== undefined && connectionsYaml) {
    registerDir = path.resolve(path.dirname(connectionsYaml.display), connections.register);
    const { loaded } = await loadRegister(registerDir);
    if (!loaded) {
      problems.push({
        rule: 'connections/register-unreadable',
        severity: 'error',
        message: `the register folder ${connections.register} cannot be read: run opendpo register lint ${registerDir}`,
        file: connectionsYaml.display,
        ...connectionsYaml.span(['register']),
      });
    } else {
      linkSystems(
        parsed,
        loaded.register.systems,
        (entry) => path.resolve(registerDir!, entry),
        (p) => path.resolve(p.file.display),
        problems,
      );
    }
  }

  const datasets = checkAcrossDatasets(parsed, unreadable, problems);
  if (connections && connectionsYaml) {
    checkConnections(datasets, connections, connectionsYaml, (key) => unreadable(key) || refused.includes(key), problems);
  }
  return { datasets, connections, ...(registerDir !== undefined ? { registerDir } : {}), problems: sortFindings(problems) };
}

/**
 * For commands that act on data: the datasets, or DATASET_INVALID carrying every error (warnings
 * stay in `problems`). Nothing is read from or written to a database before this passes.
 */
export async function loadDatasetsOrThrow(dir: string): Promise<LoadDatasetsResult> {
  const result = await loadDatasets(dir);
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return result;
  const count = errors.length === 1 ? 'an error' : `${errors.length} errors`;
  throw new OpendpoError('DATASET_INVALID', `the datasets in ${dir} have ${count}; fix ${errors.length === 1 ? 'it' : 'them'} first`, {
    findings: errors,
  });
}

// ---------------------------------------------------------------------------

/**
 * The YAML files directly in the folder, in name order, links within the folder followed. Other
 * files (a README, seed.sql, a SQLite database) are not datasets and are left alone; a sub-folder is
 * not read, and one holding YAML files is said so.
 */
async function listDatasetFiles(folder: ReviewedFolder, problems: Finding[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of (await readdir(folder.dir)).sort()) {
    // Hidden entries are tooling's (.git, editor swap files), never a dataset.
    if (name.startsWith('.')) continue;
    const full = path.join(folder.dir, name);
    if (!isYaml(name)) {
      const isFolder = await stat(full).then((s) => s.isDirectory(), () => false);
      if (isFolder && (await readdir(full).catch(() => [])).some((n) => isYaml(n) && !n.startsWith('.'))) {
        problems.push({
          ...fileProblem('file/not-read', full, `${name} is a folder holding YAML files: it is not read (dataset files sit directly in the ${folder.noun})`),
          severity: 'warning',
        });
      }
      continue;
    }
    const entry = await entryWithin(folder, name, problems);
    if (entry?.kind === 'file') found.push(name);
    else if (entry) problems.push(fileProblem('file/unreadable', full, `${name} is not a regular file: a dataset file is a YAML file`));
  }
  return found;
}

async function readSmallFile(display: string, problems: Finding[]): Promise<Uint8Array | undefined> {
  try {
    // Checked before reading: a huge file is refused without being loaded into memory.
    const { size } = await stat(display);
    if (size > MAX_DATASET_FILE_BYTES) {
      problems.push({
        rule: 'file/too-large',
        severity: 'error',
        message: `the file is ${(size / 1024 / 1024).toFixed(1)} MB; dataset files are limited to ${MAX_DATASET_FILE_BYTES / 1024 / 1024} MB`,
        file: display,
        line: 1,
        column: 1,
      });
      return undefined;
    }
    return await readFile(display);
  } catch (err) {
    problems.push({
      rule: 'file/unreadable',
      severity: 'error',
      message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      file: display,
      line: 1,
      column: 1,
    });
    return undefined;
  }
}

/** `dataset:` as a mapping is opendpo's format; as a list, a Fides dataset file. */
function datasetKind(value: unknown): 'opendpo' | 'fides' | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const d = (value as Record<string, unknown>).dataset;
  if (Array.isArray(d)) return 'fides';
  if (d !== null && typeof d === 'object') return 'opendpo';
  return undefined;
}

function notADataset(file: YamlFile): Finding {
  const value = file.value;
  const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  const guess = keys.map((k) => suggestClosest(k, ['dataset'])).find((g) => g !== undefined);
  const hint = keys.includes('connections')
    ? ': connections belong in connections.yaml'
    : keys.includes('dataset')
      ? ': `dataset:` must be a mapping (opendpo format) or a list (Fides format)'
      : guess && !keys.includes('dataset')
        ? `: did you mean "dataset"?`
        : ': a dataset file starts with `dataset:` (a mapping in the opendpo format, a list in the Fides format)';
  return {
    rule: 'dataset/not-a-dataset',
    severity: 'error',
    message: `this file of the datasets folder is not a dataset${hint}`,
    file: file.display,
    ...file.span(keys.length > 0 ? [keys[0]!] : [], true),
  };
}

/** The dataset keys a file declares, read loosely (the file may be invalid). */
function declaredKeys(value: unknown): string[] {
  const d = (value as { dataset?: unknown } | null)?.dataset;
  if (Array.isArray(d)) return d.map((x) => (x as { fides_key?: unknown } | null)?.fides_key).filter((k): k is string => typeof k === 'string');
  const key = (d as { key?: unknown } | null | undefined)?.key;
  return typeof key === 'string' ? [key] : [];
}
