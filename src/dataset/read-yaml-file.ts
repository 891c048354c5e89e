/**
 * One dataset or connections file, read the way the register loader reads its files (size limit,
 * strict UTF-8, duplicate keys, alias bombs and alias cycles refused), but always with node
 * positions: every element of the dataset model keeps its file:line:column, so that a problem found
 * later (a missing column at the database, a reference cycle) names the place in the file.
 *
 * Bad input never throws: it becomes a Finding and the file is left out.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import type { Finding } from '../register/finding.js';
import { aliasPosition, firstInvalidUtf8, isCyclic } from '../register/load.js';
import { suggestClosest } from '../register/suggest-closest.js';
import type { SourcePlace } from './model.js';

export type PathKey = string | number;

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface YamlFile {
  /** The path shown in findings and kept in the model (the folder joined with the file name). */
  display: string;
  value: unknown;
  /** 1-based span of the node at `path`, or of its deepest existing ancestor; with `keyNode`, of the key. */
  span(path: readonly PathKey[], keyNode?: boolean): Span;
  /** Where the node at `path` starts, as kept in the model. */
  place(path: readonly PathKey[]): SourcePlace;
}

/**
 * Dataset files are written by people or generated from a database (`opendpo dataset generate`):
 * a few hundred tables fit well under this. Anything larger is refused before parsing.
 */
export const MAX_DATASET_FILE_BYTES = 8 * 1024 * 1024;
/** More aliases than this in one file is an alias bomb, not a dataset. */
const MAX_ALIAS_COUNT = 200;

/** Parses one file; on any problem, reports it and returns undefined. */
export function readYamlFile(display: string, content: Uint8Array, problems: Finding[]): YamlFile | undefined {
  const at = (line: number, column: number) => ({ file: display, line, column });
  if (content.byteLength > MAX_DATASET_FILE_BYTES) {
    problems.push({ rule: 'file/too-large', severity: 'error', message: tooLargeMessage(content.byteLength), ...at(1, 1) });
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    const { line, column } = firstInvalidUtf8(content);
    problems.push({ rule: 'file/not-utf8', severity: 'error', message: 'the file is not valid UTF-8: save it as UTF-8', ...at(line, column) });
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  // YAML forbids raw control characters, but the parser lets a NUL through inside a plain
  // scalar: a table name with a NUL in it would reach the database. Refuse the file instead.
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    const before = text.slice(0, nul).split('\n');
    problems.push({
      rule: 'file/not-text',
      severity: 'error',
      message: 'the file contains a NUL character (U+0000): a dataset file is text',
      ...at(before.length, (before.at(-1)?.length ?? 0) + 1),
    });
    return undefined;
  }

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true, strict: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      problems.push({
        rule: e.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax',
        severity: 'error',
        message: yamlErrorMessage(e.code, e.message),
        ...at(pos.line, pos.col),
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
      file: display,
      ...aliasPosition(doc, lines, false),
    });
    return undefined;
  }
  if (isCyclic(value)) {
    problems.push({
      rule: 'yaml/alias-limit',
      severity: 'error',
      message: 'a YAML alias refers to a node that contains it (a reference cycle): write the values out instead',
      file: display,
      ...aliasPosition(doc, lines, true),
    });
    return undefined;
  }
  if (value === null || value === undefined) {
    problems.push({ rule: 'dataset/empty-file', severity: 'error', message: 'the file is empty', ...at(1, 1) });
    return undefined;
  }
  const span = (p: readonly PathKey[], keyNode = false) => spanAt(doc, lines, p, keyNode);
  return {
    display,
    value,
    span,
    place: (p) => {
      const s = span(p);
      return { file: display, line: s.line, column: s.column };
    },
  };
}

function yamlErrorMessage(code: string, message: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'a key appears twice in the same mapping';
    case 'MULTIPLE_DOCS':
      return 'the file holds several YAML documents (---): a dataset file holds one';
    case 'RESOURCE_EXHAUSTION':
      return 'the file nests lists or mappings too deeply to be read';
    default:
      // yaml repeats the position at the end of its message ("... at line 5, column 1:"): the finding has it.
      return firstLine(message).replace(/ at line \d+, column \d+:?$/, '');
  }
}

function spanAt(doc: Document.Parsed, lines: LineCounter, p: readonly PathKey[], keyNode: boolean): Span {
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

// ---------------------------------------------------------------------------
// zod issues -> findings
// ---------------------------------------------------------------------------

/** Rule ids for the issues of one file kind, e.g. `dataset/unknown-key` and `dataset/invalid`. */
export interface IssueRules {
  prefix: 'dataset' | 'connections';
  /** A more precise rule (and its article) for issues at some paths, e.g. an incomplete legal hold. */
  special?: (path: readonly PathKey[], issue: z.core.$ZodIssue) => { rule: string; article?: string; message?: string } | undefined;
}

/** Validates a file's value against its schema; reports each issue at its YAML node. */
export function validateFile<S extends z.ZodType>(file: YamlFile, schema: S, rules: IssueRules, problems: Finding[]): z.output<S> | undefined {
  const result = schema.safeParse(file.value, { reportInput: true });
  if (result.success) return result.data;
  const issues = throughUnions(result.error.issues, []);
  // An unknown key's did-you-mean, per issue; "valeu" also says that "value" is missing: once is enough.
  const guesses = new Map<z.core.$ZodIssue, (string | undefined)[]>();
  const meant = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const allowed = keysAt(schema, issue.path as PathKey[], file.value);
    const list = issue.keys.map((key) => suggestClosest(key, allowed));
    guesses.set(issue, list);
    for (const guess of list) if (guess) meant.add(JSON.stringify([...issue.path, guess]));
  }
  for (const issue of issues) {
    const issuePath = issue.path as PathKey[];
    // A refinement (secret reference: env or file) repeats what an unknown key already says.
    if (issue.code === 'custom' && issues.some((i) => i.code === 'unrecognized_keys' && samePath(i.path, issue.path))) continue;
    if ((issue as { input?: unknown }).input === undefined && meant.has(JSON.stringify(issue.path))) continue;
    if (issue.code === 'unrecognized_keys') {
      issue.keys.forEach((key, k) => {
        const guess = guesses.get(issue)?.[k];
        problems.push({
          rule: `${rules.prefix}/unknown-key`,
          severity: 'error',
          message: `unknown key "${key}"${guess ? `: did you mean "${guess}"?` : ''}${describePath(issuePath)}`,
          file: file.display,
          ...file.span([...issuePath, key], true),
          ...(guess ? { suggestion: guess } : {}),
        });
      });
      continue;
    }
    const special = rules.special?.(issuePath, issue);
    problems.push({
      rule: special?.rule ?? `${rules.prefix}/invalid`,
      severity: 'error',
      message: special?.message ?? `${pathLabel(issuePath)}: ${issueMessage(issue)}`,
      ...(special?.article ? { article: special.article } : {}),
      file: file.display,
      ...file.span(issuePath),
    });
  }
  return undefined;
}

/**
 * A value matching no option of a union (a URL or a secret reference) is reported with the issues
 * of the one option of its shape (a mapping is a secret reference), so the author reads "unknown
 * key envv: did you mean env?" rather than "invalid input".
 */
function throughUnions(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const fitting = issue.errors.filter((branch) => !branch.some((i) => i.path.length === 0 && i.code === 'invalid_type'));
      if (fitting.length === 1) {
        out.push(...throughUnions(fitting[0]!, path));
        continue;
      }
    }
    out.push({ ...issue, path } as z.core.$ZodIssue);
  }
  return out;
}

const samePath = (a: readonly PropertyKey[], b: readonly PropertyKey[]) => a.length === b.length && a.every((k, i) => k === b[i]);

function issueMessage(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type') {
    return input === undefined ? `is required (${YAML_TYPES[issue.expected] ?? issue.expected})` : `must be ${article(issue.expected)}, not ${describeValue(input)}`;
  }
  if (issue.code === 'invalid_value') return input === undefined ? `is required: ${oneOf(issue.values, input)}` : oneOf(issue.values, input);
  if (issue.code === 'invalid_union') {
    const options = 'options' in issue ? issue.options : undefined;
    if (issue.discriminator !== undefined && options) {
      // The issue carries the whole object: the value to correct is its discriminator.
      const chosen = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[issue.discriminator] : input;
      return chosen === undefined ? `is required: ${oneOf(options, chosen)}` : oneOf(options, chosen);
    }
    return `is not a valid value (${describeValue(input)})`;
  }
  if (issue.code === 'too_small' && issue.origin === 'array') return `must list at least ${String(issue.minimum)}`;
  return issue.message;
}

function oneOf(values: readonly unknown[], input: unknown): string {
  // YAML reads an unquoted `null` as null: the strategy `null` is offered once, unquoted.
  const names = [...new Set(values.map((v) => (v === null ? 'null' : String(v))))];
  const guess = typeof input === 'string' ? suggestClosest(input, names) : undefined;
  return `must be one of ${names.map((v) => `"${v}"`).join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`;
}

/** zod's names for types, in the words of YAML. */
const YAML_TYPES: Record<string, string> = { object: 'mapping', array: 'list', string: 'text', int: 'whole number', number: 'number', boolean: 'boolean (true or false)' };
const article = (t: string) => {
  const word = YAML_TYPES[t] ?? t;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
};
function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}
export const pathLabel = (p: readonly PathKey[]) =>
  p.length === 0 ? 'the file' : p.map((k) => (typeof k === 'number' ? `[${k}]` : k)).join('.').replace(/\.\[/g, '[');
const describePath = (p: readonly PathKey[]) => (p.length === 0 ? '' : ` (in ${pathLabel(p)})`);

type Def = Record<string, unknown>;
const defOf = (n: unknown): Def | undefined => (n as { _zod?: { def?: Def } })._zod?.def;

/**
 * The keys the schema allows for the object at `p` (for "did you mean"). Follows the value along,
 * so that in a discriminated union (a masking strategy, a connection type) the keys offered are
 * those of the option the author chose.
 */
function keysAt(schema: z.ZodType, p: readonly PathKey[], value: unknown): string[] {
  let nodes: { schema: unknown; value: unknown }[] = [{ schema, value }];
  for (const key of p) {
    const next: typeof nodes = [];
    for (const n of nodes) {
      for (const u of unwrap(n.schema, n.value)) {
        const def = defOf(u);
        if (!def) continue;
        const child = (n.value as Record<PathKey, unknown> | null | undefined)?.[key];
        if (def.type === 'object' && typeof key === 'string') {
          const s = (def.shape as Record<string, unknown>)[key];
          if (s) next.push({ schema: s, value: child });
        } else if (def.type === 'array' && typeof key === 'number') next.push({ schema: def.element, value: child });
        else if (def.type === 'record') next.push({ schema: def.valueType, value: child });
      }
    }
    nodes = next;
  }
  const keys = new Set<string>();
  for (const n of nodes) {
    for (const u of unwrap(n.schema, n.value)) {
      const def = defOf(u);
      if (def?.type === 'object') for (const k of Object.keys(def.shape as object)) keys.add(k);
    }
  }
  return [...keys];
}

/** Looks through optional/default/pipe wrappers and unions (picking the option a discriminator names). */
function unwrap(n: unknown, value: unknown): unknown[] {
  const def = defOf(n);
  if (!def) return [];
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
      return unwrap(def.innerType, value);
    case 'pipe':
      return [...unwrap(def.in, value), ...unwrap(def.out, value)];
    case 'union': {
      const options = def.options as z.ZodType[];
      const discriminator = def.discriminator as string | undefined;
      if (discriminator && value !== null && typeof value === 'object') {
        const chosen = options.filter((o) => {
          const d = (defOf(o)?.shape as Record<string, z.ZodType> | undefined)?.[discriminator];
          return d?.safeParse((value as Record<string, unknown>)[discriminator]).success;
        });
        if (chosen.length > 0) return chosen.flatMap((o) => unwrap(o, value));
      }
      return options.flatMap((o) => unwrap(o, value));
    }
    default:
      return [n];
  }
}

function tooLargeMessage(bytes: number): string {
  return `the file is ${(bytes / 1024 / 1024).toFixed(1)} MB; dataset files are limited to ${MAX_DATASET_FILE_BYTES / 1024 / 1024} MB`;
}

const firstLine = (s: string) => s.split('\n')[0]!.trim();
