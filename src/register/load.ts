/**
 * Reads a register folder (or the files of a git revision) into a Register, keeping
 * where every value came from so that each finding can name file:line:column.
 *
 * This is the register's I/O edge: everything after it is pure.
 * Bad input never throws: it becomes a Finding, and the file is left out.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import type { Finding } from './finding.js';
import { suggestClosest as suggest } from './suggest-closest.js';
import {
  Activity,
  Organisation,
  RecipientsFile,
  SystemsFile,
  type Recipient,
  type Register,
  type System,
} from './schema.js';

export type PathKey = string | number;
export interface Pointer {
  file: string;
  path: readonly PathKey[];
}
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
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
/** More aliases than this in one file is an alias bomb, not a register. */
const MAX_ALIAS_COUNT = 200;

const ORGANISATION_FILES = ['organisation.yaml', 'organisation.yml'];
const RECIPIENTS_FILES = ['recipients.yaml', 'recipients.yml'];
const SYSTEMS_FILES = ['systems.yaml', 'systems.yml'];
const ACTIVITY_DIR = 'activities';
const isYaml = (name: string) => name.endsWith('.yaml') || name.endsWith('.yml');

/** Reads the register files of a folder on disk. */
export async function loadRegister(dir: string): Promise<LoadResult> {
  const problems: Finding[] = [];
  const inputs: RegisterFileInput[] = [];
  let dirStat;
  try {
    dirStat = await stat(dir);
  } catch {
    return { loaded: undefined, problems: [fileProblem('file/unreadable', dir, `cannot read the register folder ${dir}: it does not exist`)] };
  }
  if (!dirStat.isDirectory()) {
    return { loaded: undefined, problems: [fileProblem('file/unreadable', dir, `${dir} is not a folder: a register is a folder of YAML files`)] };
  }
  const top = await readdir(dir, { withFileTypes: true });
  const candidates = top.filter((e) => e.isFile() && isYaml(e.name)).map((e) => e.name);
  if (top.some((e) => e.isDirectory() && e.name === ACTIVITY_DIR)) {
    const acts = await readdir(path.join(dir, ACTIVITY_DIR), { withFileTypes: true });
    for (const e of acts) if (e.isFile() && isYaml(e.name)) candidates.push(`${ACTIVITY_DIR}/${e.name}`);
  }
  for (const rel of candidates.sort()) {
    const full = path.join(dir, rel);
    try {
      const s = await stat(full);
      if (s.size > MAX_FILE_BYTES) {
        problems.push(fileProblem('file/too-large', full, tooLargeMessage(s.size)));
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

interface ParsedFile {
  display: string;
  value: unknown;
  /** The YAML document with node positions, parsed only when a position is asked for. */
  positions(): { doc: Document.Parsed; lines: LineCounter };
}

/** Builds a register from in-memory files (a folder read from disk, or a git revision). */
export function loadRegisterFromFiles(label: string, inputs: readonly RegisterFileInput[]): LoadResult {
  const problems: Finding[] = [];
  const parsed = new Map<string, ParsedFile>();
  const display = (rel: string) => path.join(label, rel);
  const known = (rel: string) =>
    ORGANISATION_FILES.includes(rel) ||
    RECIPIENTS_FILES.includes(rel) ||
    SYSTEMS_FILES.includes(rel) ||
    (rel.startsWith(`${ACTIVITY_DIR}/`) && isYaml(rel));

  for (const input of inputs) {
    if (!known(input.path)) continue; // other YAML (CI config, datasets) is not ours to judge here
    const file = parseYamlFile(display(input.path), input.content, problems);
    if (file) parsed.set(input.path, file);
  }

  if (inputs.filter((i) => known(i.path)).length === 0) {
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
  if (content.byteLength > MAX_FILE_BYTES) {
    problems.push(fileProblem('file/too-large', displayPath, tooLargeMessage(content.byteLength)));
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    const { line, column } = firstInvalidUtf8(content);
    problems.push({
      rule: 'file/not-utf8',
      severity: 'error',
      message: 'the file is not valid UTF-8: save it as UTF-8',
      file: displayPath,
      line,
      column,
    });
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const source = text;
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
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      problems.push({
        rule: e.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax',
        severity: 'error',
        // yaml repeats the position at the end of its message ("... at line 5, column 1:"): the finding has it.
        message: e.code === 'DUPLICATE_KEY' ? 'a key appears twice in the same mapping' : firstLine(e.message).replace(/ at line \d+, column \d+:?$/, ''),
        file: displayPath,
        line: pos.line,
        column: pos.col,
      });
    }
    return undefined;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    problems.push({
      rule: 'yaml/alias-limit',
      severity: 'error',
      message:
        err instanceof ReferenceError
          ? `the file expands YAML aliases too many times (limit ${MAX_ALIAS_COUNT}): write the values out instead`
          : `the YAML cannot be read: ${firstLine(String((err as Error).message))}`,
      file: displayPath,
      ...aliasPosition(doc, lines, false),
    });
    return undefined;
  }
  if (isCyclic(value)) {
    problems.push({
      rule: 'yaml/alias-limit',
      severity: 'error',
      message: 'a YAML alias refers to a node that contains it (a reference cycle): write the values out instead',
      file: displayPath,
      ...aliasPosition(doc, lines, true),
    });
    return undefined;
  }
  if (value === null || value === undefined) {
    problems.push({ rule: 'schema/invalid', severity: 'error', message: 'the file is empty', file: displayPath, line: 1, column: 1 });
    return undefined;
  }
  return { display: displayPath, value, positions: () => ({ doc, lines }) };
}

function parseWithPositions(text: string): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true, strict: true });
  return { doc, lines };
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
  for (const issue of result.error.issues) {
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
    if (issue.code === 'custom' && result.error.issues.some((i) => i.code === 'unrecognized_keys' && samePath(i.path, issue.path))) continue;
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
function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}
const samePath = (a: readonly PropertyKey[], b: readonly PropertyKey[]) => a.length === b.length && a.every((k, i) => k === b[i]);
const pathLabel = (p: readonly PathKey[]) => (p.length === 0 ? 'the file' : p.map((k) => (typeof k === 'number' ? `[${k}]` : k)).join('.').replace(/\.\[/g, '['));
const describePath = (p: readonly PathKey[]) => (p.length === 0 ? '' : ` (in ${pathLabel(p)})`);

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

/** Position of the node at `p`, or of the deepest ancestor that exists. With `keyNode`, the key itself. */
function spanAt(file: ParsedFile, p: readonly PathKey[], keyNode = false): Span {
  const { doc, lines } = file.positions();
  if (doc.errors.length > 0) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  let node: unknown = doc.contents;
  let found: unknown = node;
  for (let i = 0; i < p.length; i++) {
    const key = p[i]!;
    const last = i === p.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((it) => (isScalar(it.key) ? it.key.value : it.key) === key);
      if (!pair) break;
      if (last && keyNode) {
        found = pair.key;
        break;
      }
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      if (!item) break;
      node = item;
    } else break;
    found = node;
  }
  const range = (found as YamlNode | null)?.range;
  if (!range) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const start = lines.linePos(range[0]);
  const end = lines.linePos(range[1]);
  return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
}

/** Where an alias problem shows: the first alias, or with `cyclic` the first alias inside the node it refers to. */
export function aliasPosition(doc: Document.Parsed, lines: LineCounter, cyclic: boolean): { line: number; column: number } {
  let at: number | undefined;
  visit(doc, {
    Alias(_, node: Alias) {
      if (cyclic) {
        const target = node.resolve(doc);
        if (!target?.range || !node.range || node.range[0] < target.range[0] || node.range[0] >= target.range[2]) return undefined;
      }
      at = node.range?.[0];
      return visit.BREAK;
    },
  });
  if (at === undefined) return { line: 1, column: 1 };
  const pos = lines.linePos(at);
  return { line: pos.line, column: pos.col };
}

export function isCyclic(value: unknown, ancestors = new Set<object>()): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (ancestors.has(value)) return true;
  ancestors.add(value);
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const c of children) if (isCyclic(c, ancestors)) return true;
  ancestors.delete(value);
  return false;
}

export function firstInvalidUtf8(bytes: Uint8Array): { line: number; column: number } {
  // Walk the UTF-8 sequences to the first byte that does not start or continue one properly.
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) break;
    let ok = i + len <= bytes.length;
    for (let k = 1; ok && k < len; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (!ok) break;
    i += len;
  }
  const lines = new TextDecoder('utf-8').decode(bytes.subarray(0, i)).split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

function fileProblem(rule: string, file: string, message: string, article?: string): Finding {
  return { rule, severity: 'error', message, file, line: 1, column: 1, ...(article ? { article } : {}) };
}

function tooLargeMessage(bytes: number): string {
  return `the file is ${(bytes / 1024 / 1024).toFixed(1)} MB; register files are limited to ${MAX_FILE_BYTES / 1024 / 1024} MB`;
}

const firstLine = (s: string) => s.split('\n')[0]!.trim();
