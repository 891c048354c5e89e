/**
 * One dataset or connections file, read the way the register loader reads its files (size limit,
 * strict UTF-8, duplicate keys, alias bombs and alias cycles refused), but always with node
 * positions: every element of the dataset model keeps its file:line:column, so that a problem found
 * later (a missing column at the database, a reference cycle) names the place in the file.
 *
 * Bad input never throws: it becomes a Finding and the file is left out.
 */
import type { z } from 'zod';
import type { Finding } from '../register/finding.js';
import { suggestClosest } from '../register/suggest-closest.js';
import {
  decodeYamlText,
  describePath,
  describeValue,
  documentValue,
  parseWithPositions,
  pathLabel,
  samePath,
  spanInDocument,
  type PathKey,
  type Span,
  withinNodeLimit,
  type YamlFileKind,
} from '../yaml/read-yaml.js';
import type { SourcePlace } from './model.js';

export type { PathKey, Span } from '../yaml/read-yaml.js';


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

/**
 * Generated datasets hold a YAML value every 10-20 bytes, about 60 per table (Sakila's 16 tables:
 * 930): 300,000 values is some 5,000 tables, and bounds the work on any file of the size allowed.
 */
export const MAX_DATASET_FILE_NODES = 300_000;

const DATASET_FILE: YamlFileKind = { maxBytes: MAX_DATASET_FILE_BYTES, maxNodes: MAX_DATASET_FILE_NODES, plural: 'dataset files', singular: 'a dataset file' };

/** Parses one file; on any problem, reports it and returns undefined. */
export function readYamlFile(display: string, content: Uint8Array, problems: Finding[]): YamlFile | undefined {
  const text = decodeYamlText(display, content, DATASET_FILE, problems);
  if (text === undefined) return undefined;
  // YAML forbids raw control characters, but the parser lets a NUL through inside a plain
  // scalar: a table name with a NUL in it would reach the database. Refuse the file instead.
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    const before = text.slice(0, nul).split('\n');
    problems.push({
      rule: 'file/not-text',
      severity: 'error',
      message: 'the file contains a NUL character (U+0000): a dataset file is text',
      file: display,
      line: before.length,
      column: (before.at(-1)?.length ?? 0) + 1,
    });
    return undefined;
  }
  if (!withinNodeLimit(display, text, DATASET_FILE, problems)) return undefined;
  const { doc, lines } = parseWithPositions(text);
  const read = documentValue(display, doc, lines, DATASET_FILE, problems);
  if (read === undefined) return undefined;
  if (read.value === null) {
    problems.push({ rule: 'dataset/empty-file', severity: 'error', message: 'the file is empty', file: display, line: 1, column: 1 });
    return undefined;
  }
  const span = (p: readonly PathKey[], keyNode = false) => spanInDocument(doc, lines, p, keyNode);
  return {
    display,
    value: read.value,
    span,
    place: (p) => {
      const s = span(p);
      return { file: display, line: s.line, column: s.column };
    },
  };
}

// ---------------------------------------------------------------------------
// zod issues -> findings
// ---------------------------------------------------------------------------

/** Rule ids for the issues of one file kind, e.g. `dataset/unknown-key` and `dataset/invalid`. */
export interface IssueRules {
  prefix: 'dataset' | 'connections' | 'notifications';
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
