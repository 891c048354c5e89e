/**
 * Reads a register folder (or the files of a git revision) into a Register, keeping
 * where every value came from so that each finding can name file:line:column.
 *
 * This is the register's I/O edge: everything after it is pure.
 * Bad input never throws: it becomes a Finding, and the file is left out.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import type { z } from 'zod';
import type { Finding } from './finding.js';
import { suggestClosest as suggest } from './suggest-closest.js';
import {
  decodeYamlText,
  describePath,
  describeValue,
  documentValue,
  parseWithPositions,
  pathLabel,
  samePath,
  spanInDocument,
  tooLargeMessage,
  type PathKey,
  type Span,
  withinNodeLimit,
  type YamlFileKind,
} from '../yaml/read-yaml.js';
import { entryWithin, fileProblem, isYaml, yamlFilesUnder, type ReviewedFolder } from '../yaml/folder-entries.js';
import {
  Activity,
  Organisation,
  RecipientsFile,
  SystemsFile,
  type Recipient,
  type Register,
  type System,
} from './schema.js';

export type { PathKey, Span } from '../yaml/read-yaml.js';
export interface Pointer {
  file: string;
  path: readonly PathKey[];
}

export interface LoadedRegister {
  dir: string;
  register: Register;
  /** Every file read, as displayed (the folder joined with the relative path). */
  files: string[];
  at: {
    organisation(...path: PathKey[]): Pointer;
    activity(index: number, ...path: PathKey[]): Pointer;
    recipient(index: number, ...path: PathKey[]): Pointer;
    system(index: number, ...path: PathKey[]): Pointer;
  };
  /** 1-based position of the node at the pointer, or of its nearest existing ancestor. */
  locate(p: Pointer): Span;
}

export interface LoadResult {
  loaded: LoadedRegister | undefined;
  problems: Finding[];
}

export interface RegisterFileInput {
  /** Path relative to the register folder, with forward slashes. */
  path: string;
  content: Uint8Array;
}

/** A register file larger than this is refused: registers are text written by people. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/**
 * Real register files hold a YAML value every 15-20 bytes and a few hundred values (the largest
 * example, 7 KB, holds 480): 50,000 is a hundred times that, and bounds the work on any file.
 */
export const MAX_FILE_NODES = 50_000;
export const REGISTER_FILE: YamlFileKind = { maxBytes: MAX_FILE_BYTES, maxNodes: MAX_FILE_NODES, plural: 'register files', singular: 'a register file' };

const ORGANISATION_FILES = ['organisation.yaml', 'organisation.yml'];
const RECIPIENTS_FILES = ['recipients.yaml', 'recipients.yml'];
const SYSTEMS_FILES = ['systems.yaml', 'systems.yml'];
const ACTIVITY_DIR = 'activities';

/** Whether a path relative to the register folder is a register file: the loader reads these only. */
export const isRegisterPath = (rel: string) =>
  ORGANISATION_FILES.includes(rel) || RECIPIENTS_FILES.includes(rel) || SYSTEMS_FILES.includes(rel) || (rel.startsWith(`${ACTIVITY_DIR}/`) && isYaml(rel));

/** Reads the register files of a folder on disk. */
export async function loadRegister(dir: string): Promise<LoadResult> {
  const problems: Finding[] = [];
  const inputs: RegisterFileInput[] = [];
  let root: string;
  try {
    root = await realpath(dir);
  } catch {
    return { loaded: undefined, problems: [fileProblem('file/unreadable', dir, `cannot read the register folder ${dir}: it does not exist`)] };
  }
  if (!(await stat(root)).isDirectory()) {
    return { loaded: undefined, problems: [fileProblem('file/unreadable', dir, `${dir} is not a folder: a register is a folder of YAML files`)] };
  }
  for (const rel of await listRegisterFiles(dir, root, problems)) {
    const full = path.join(dir, rel);
    try {
      const s = await stat(full);
      if (s.size > MAX_FILE_BYTES) {
        problems.push(fileProblem('file/too-large', full, tooLargeMessage(s.size, REGISTER_FILE)));
        continue;
      }
      inputs.push({ path: rel, content: await readFile(full) });
    } catch (err) {
      problems.push(fileProblem('file/unreadable', full, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`));
    }
  }
  const result = loadRegisterFromFiles(dir, inputs);
  return { loaded: result.loaded, problems: [...problems, ...result.problems] };
}

/**
 * The register files of a folder, as paths relative to it: the top-level files by name, and every
 * YAML file under activities/, sub-folders included (people group activities by department).
 * Nothing is skipped without a word (yaml/folder-entries.ts): a symbolic link is followed when it
 * leads to a place inside the register folder and refused otherwise (a register is reviewed as one
 * folder; a link out of it would publish files nobody reviewed there); `activities` that is not a
 * folder, a file of activities/ that is not YAML, a link to nowhere each give a finding.
 */
async function listRegisterFiles(dir: string, root: string, problems: Finding[]): Promise<string[]> {
  const folder: ReviewedFolder = { dir, root, noun: 'register folder' };
  const found: string[] = [];
  const top = new Set(await readdir(dir));
  for (const name of [...ORGANISATION_FILES, ...RECIPIENTS_FILES, ...SYSTEMS_FILES]) {
    if (!top.has(name)) continue;
    const entry = await entryWithin(folder, name, problems);
    if (entry?.kind === 'file') found.push(name);
    else if (entry) problems.push(fileProblem('file/unreadable', path.join(dir, name), `${name} is not a file`));
  }
  if (!top.has(ACTIVITY_DIR)) return found;
  const activities = await entryWithin(folder, ACTIVITY_DIR, problems);
  if (activities && activities.kind !== 'folder') {
    problems.push(
      fileProblem(
        'file/activities-not-folder',
        path.join(dir, ACTIVITY_DIR),
        `${ACTIVITY_DIR} is not a folder: it holds the processing activities, one YAML file each (activities/<id>.yaml)`,
        'Art. 30(1)',
      ),
    );
  }
  if (activities?.kind !== 'folder') return found;
  found.push(...(await yamlFilesUnder(folder, ACTIVITY_DIR, activities.real, problems, (rel) => problems.push(notYaml(path.join(dir, rel), rel)))));
  return found;
}

/** A file of activities/ that is not read, said once the same way for a folder and a git revision. */
export function notYaml(display: string, rel: string): Finding {
  return { ...fileProblem('file/not-yaml', display, `${rel} is not read: activity files end in .yaml or .yml`), severity: 'warning' };
}

interface ParsedFile {
  display: string;
  value: unknown;
  /** The YAML document with node positions, parsed only when a position is asked for. */
  positions(): ReturnType<typeof parseWithPositions>;
}

/** Builds a register from in-memory files (a folder read from disk, or a git revision). */
export function loadRegisterFromFiles(label: string, inputs: readonly RegisterFileInput[]): LoadResult {
  const problems: Finding[] = [];
  const parsed = new Map<string, ParsedFile>();
  const display = (rel: string) => path.join(label, rel);
  for (const input of inputs) {
    if (!isRegisterPath(input.path)) continue; // other YAML (CI config, datasets) is not ours to judge here
    const file = parseYamlFile(display(input.path), input.content, problems);
    if (file) parsed.set(input.path, file);
  }

  if (inputs.filter((i) => isRegisterPath(i.path)).length === 0) {
    problems.push(
      fileProblem(
        'file/empty-register',
        label,
        `no register files found in ${label}: expected organisation.yaml and activities/*.yaml`,
      ),
    );
    return { loaded: undefined, problems };
  }

  const files: string[] = [];
  const fileOf = new Map<string, ParsedFile>();
  for (const [, f] of parsed) {
    files.push(f.display);
    fileOf.set(f.display, f);
  }

  // organisation.yaml
  const orgRel = ORGANISATION_FILES.find((n) => parsed.has(n));
  const orgFile = orgRel ? parsed.get(orgRel) : undefined;
  let organisation = orgFile ? validate(orgFile, Organisation, [], problems) : undefined;
  const orgDisplay = orgFile?.display ?? display(ORGANISATION_FILES[0]!);
  if (!orgRel && !inputs.some((i) => ORGANISATION_FILES.includes(i.path))) {
    problems.push(
      fileProblem('art30/controller-identity', display(''), 'the register has no organisation.yaml: the controller is not identified', 'Art. 30(1)(a)'),
    );
  }

  // recipients.yaml and systems.yaml
  const recRel = RECIPIENTS_FILES.find((n) => parsed.has(n));
  const recFile = recRel ? parsed.get(recRel) : undefined;
  const recipients: Recipient[] = (recFile && validate(recFile, RecipientsFile, [], problems)?.recipients) || [];
  const sysRel = SYSTEMS_FILES.find((n) => parsed.has(n));
  const sysFile = sysRel ? parsed.get(sysRel) : undefined;
  const systems: System[] = (sysFile && validate(sysFile, SystemsFile, [], problems)?.systems) || [];

  // activities/*.yaml
  const activities: { activity: Activity; file: ParsedFile }[] = [];
  for (const [rel, file] of parsed) {
    if (!rel.startsWith(`${ACTIVITY_DIR}/`)) continue;
    const activity = validate(file, Activity, [], problems);
    if (activity) activities.push({ activity, file });
  }
  activities.sort((a, b) => a.activity.id.localeCompare(b.activity.id) || a.file.display.localeCompare(b.file.display));

  if (!organisation && activities.length === 0 && recipients.length === 0) {
    return { loaded: undefined, problems };
  }
  // A register whose organisation file is missing or invalid still lints: the gap is reported above.
  organisation ??= { id: 'unknown', name: '(organisation.yaml missing or invalid)', default_language: 'en' };

  const register: Register = {
    organisation,
    activities: activities.map((a) => a.activity),
    recipients,
    systems,
  };
  const recDisplay = recFile?.display ?? display(RECIPIENTS_FILES[0]!);
  const sysDisplay = sysFile?.display ?? display(SYSTEMS_FILES[0]!);

  const loaded: LoadedRegister = {
    dir: label,
    register,
    files: files.sort(),
    at: {
      organisation: (...p) => ({ file: orgDisplay, path: p }),
      activity: (i, ...p) => ({ file: activities[i]?.file.display ?? display(ACTIVITY_DIR), path: p }),
      recipient: (i, ...p) => ({ file: recDisplay, path: ['recipients', i, ...p] }),
      system: (i, ...p) => ({ file: sysDisplay, path: ['systems', i, ...p] }),
    },
    locate: (p) => {
      const f = fileOf.get(p.file);
      return f ? spanAt(f, p.path) : { line: 1, column: 1, endLine: 1, endColumn: 1 };
    },
  };
  return { loaded, problems };
}

// ---------------------------------------------------------------------------

function parseYamlFile(displayPath: string, content: Uint8Array, problems: Finding[]): ParsedFile | undefined {
  const source = decodeYamlText(displayPath, content, REGISTER_FILE, problems);
  if (source === undefined || !withinNodeLimit(displayPath, source, REGISTER_FILE, problems)) return undefined;
  // Fast path: most register files are plain, well-formed YAML without aliases. js-yaml reads them
  // several times faster than a position-keeping parse, which is then done only if a finding needs
  // a position. Anything unusual (an error, a duplicate key, any alias) takes the full path below,
  // which gives every diagnostic.
  const fast = readPlainYaml(source);
  if (fast !== undefined) {
    let positions: ReturnType<ParsedFile['positions']> | undefined;
    return {
      display: displayPath,
      value: fast,
      positions: () => (positions ??= parseWithPositions(source)),
    };
  }
  const { doc, lines } = parseWithPositions(source);
  const read = documentValue(displayPath, doc, lines, REGISTER_FILE, problems);
  if (read === undefined) return undefined;
  if (read.value === null) {
    problems.push({ rule: 'schema/invalid', severity: 'error', message: 'the file is empty', file: displayPath, line: 1, column: 1 });
    return undefined;
  }
  return { display: displayPath, value: read.value, positions: () => ({ doc, lines }) };
}

/** The value of a plain YAML file (YAML 1.2 core schema, no aliases), or undefined to take the full path. */
function readPlainYaml(text: string): unknown {
  let value: unknown;
  try {
    value = loadYaml(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (value === null || value === undefined || sharesNodes(value)) return undefined;
  return value;
}

/** True when a node appears twice in the tree: an alias (the full path checks its count and cycles). */
function sharesNodes(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (seen.has(value)) return true;
  seen.add(value);
  for (const child of Array.isArray(value) ? value : Object.values(value)) if (sharesNodes(child, seen)) return true;
  return false;
}

/** Validates one file against its schema; reports each issue at its YAML node. */
function validate<S extends z.ZodType>(file: ParsedFile, schema: S, base: PathKey[], problems: Finding[]): z.output<S> | undefined {
  const result = schema.safeParse(file.value, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap(listOrNoneIssues);
  for (const issue of issues) {
    const issuePath = [...base, ...(issue.path as PathKey[])];
    if (issue.code === 'unrecognized_keys') {
      const allowed = keysAt(schema, issue.path as PathKey[]);
      for (const key of issue.keys) {
        const span = spanAt(file, [...issuePath, key], true);
        const guess = suggest(key, allowed);
        problems.push({
          rule: 'schema/unknown-key',
          severity: 'error',
          message: `unknown key "${key}"${guess ? `: did you mean "${guess}"?` : ''}${describePath(issuePath)}`,
          file: file.display,
          ...span,
          ...(guess ? { suggestion: guess } : {}),
        });
      }
      continue;
    }
    // A custom refinement on a localised text repeats what unrecognized_keys already said.
    if (issue.code === 'custom' && issues.some((i) => i.code === 'unrecognized_keys' && samePath(i.path, issue.path))) continue;
    problems.push({
      rule: 'schema/invalid',
      severity: 'error',
      message: `${pathLabel(issuePath)}: ${issueMessage(issue)}`,
      file: file.display,
      ...spanAt(file, issuePath),
    });
  }
  return undefined;
}

/**
 * A list that may be the word none (schema.ts, listOrNone) fails as a union of the two: when the value
 * is a list, what is wrong is inside it, so its own issues are reported (at their place); otherwise
 * the value is neither.
 */
function listOrNoneIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length !== 2) return [issue];
  const isNone = (branch: readonly z.core.$ZodIssue[]) => branch.length === 1 && branch[0]!.code === 'invalid_value' && branch[0]!.path.length === 0 && branch[0]!.values.includes('none');
  const noneAt = issue.errors.findIndex(isNone);
  if (noneAt === -1) return [issue];
  const list = issue.errors[1 - noneAt]!;
  if (list.length === 1 && list[0]!.code === 'invalid_type' && list[0]!.path.length === 0) {
    return [{ ...issue, code: 'custom', message: 'must be the word none or a list', input: (issue as { input?: unknown }).input } as z.core.$ZodIssue];
  }
  return list.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined ? `is required (${issue.expected})` : `must be ${article(issue.expected)}, not ${describeValue(issue.input)}`;
  }
  if (issue.code === 'invalid_value') {
    const values = issue.values.map((v) => JSON.stringify(v));
    const input = (issue as { input?: unknown }).input;
    const guess = typeof input === 'string' ? suggest(input, issue.values.map(String)) : undefined;
    return `must be one of ${values.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`;
  }
  if (issue.code === 'invalid_union') return 'is neither a text nor a map of language to text (en, fr)';
  return issue.message;
}

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

/** The keys the schema allows for the object at `p` (for "did you mean"). */
function keysAt(schema: z.ZodType, p: readonly PathKey[]): string[] {
  let nodes: unknown[] = [schema];
  for (const key of [...p, null]) {
    const next: unknown[] = [];
    for (const n of nodes) for (const u of unwrap(n)) {
      const def = (u as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
      if (!def) continue;
      if (key === null) {
        if (def.type === 'object') return Object.keys(def.shape as object);
        continue;
      }
      if (def.type === 'object' && typeof key === 'string') {
        const child = (def.shape as Record<string, unknown>)[key];
        if (child) next.push(child);
      } else if (def.type === 'array' && typeof key === 'number') next.push(def.element);
      else if (def.type === 'record') next.push(def.valueType);
    }
    nodes = next;
  }
  return [];
}

/** Looks through optional/default/union/pipe wrappers to the schemas that hold a shape. */
function unwrap(n: unknown): unknown[] {
  const def = (n as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (!def) return [];
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
      return unwrap(def.innerType);
    case 'pipe':
      return [...unwrap(def.in), ...unwrap(def.out)];
    case 'union':
      return (def.options as unknown[]).flatMap(unwrap);
    default:
      return [n];
  }
}

function spanAt(file: ParsedFile, p: readonly PathKey[], keyNode = false): Span {
  const { doc, lines } = file.positions();
  return spanInDocument(doc, lines, p, keyNode);
}


