/**
 * Reading a YAML file people wrote, the same way for every file kind (register files, dataset
 * files, connections.yaml): a size limit checked before parsing, strict UTF-8, duplicate keys,
 * alias bombs and alias cycles refused, and the position of every node kept, so that each problem
 * names file:line:column. Bad input never throws: it becomes a Finding.
 */
import { CST, isMap, isScalar, isSeq, Lexer, LineCounter, parseDocument, visit, type Alias, type Document, type Node as YamlNode } from 'yaml';
import type { Finding } from '../register/finding.js';

export type PathKey = string | number;

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** What a file kind allows, and how its messages name it. */
export interface YamlFileKind {
  maxBytes: number;
  /**
   * The most YAML nodes (values, collections, aliases, as counted by nodeLimitOffset) a real file of
   * this kind holds. Bytes alone do not bound the work: a file of `[1,1,…]` holds a node every two
   * bytes where real files hold one every 10-20, and each node read with its position costs about
   * 1 KB (a 7.6 MB dataset file of `[1,1,…]` took 3.9 GB and 39 s).
   */
  maxNodes: number;
  /** Plural, for the size message: "register files", "dataset files". */
  plural: string;
  /** Singular with its article, for the several-documents message: "a register file". */
  singular: string;
}

/** More aliases than this in one file is an alias bomb, not a register or a dataset. */
export const MAX_ALIAS_COUNT = 200;

export const firstLine = (s: string) => s.split('\n')[0]!.trim();

export function tooLargeMessage(bytes: number, kind: YamlFileKind): string {
  return `the file is ${(bytes / 1024 / 1024).toFixed(1)} MB; ${kind.plural} are limited to ${kind.maxBytes / 1024 / 1024} MB`;
}

/** The file's text: refused (with a finding) when over the size limit or not valid UTF-8; a BOM is dropped. */
export function decodeYamlText(display: string, content: Uint8Array, kind: YamlFileKind, problems: Finding[]): string | undefined {
  if (content.byteLength > kind.maxBytes) {
    problems.push({ rule: 'file/too-large', severity: 'error', message: tooLargeMessage(content.byteLength, kind), file: display, line: 1, column: 1 });
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    const { line, column } = firstInvalidUtf8(content);
    problems.push({ rule: 'file/not-utf8', severity: 'error', message: 'the file is not valid UTF-8: save it as UTF-8', file: display, line, column });
    return undefined;
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Refuses (with a finding at the place the limit is passed) a file holding more than
 * `kind.maxNodes` nodes. The file is only lexed, and lexing stops at the limit: the work is bounded
 * by the limit, whatever the file holds. Returns false when refused.
 */
export function withinNodeLimit(display: string, text: string, kind: YamlFileKind, problems: Finding[]): boolean {
  const at = nodeLimitOffset(text, kind.maxNodes);
  if (at === undefined) return true;
  const before = text.slice(0, at).split('\n');
  problems.push({
    rule: 'yaml/node-limit',
    severity: 'error',
    message: `the file passes ${kind.maxNodes.toLocaleString('en')} YAML values (texts, numbers, lists, mappings) here, far more than ${kind.plural} hold: it is not read (split it if it really is one)`,
    file: display,
    line: before.length,
    column: (before.at(-1)?.length ?? 0) + 1,
  });
  return false;
}

/**
 * The offset where the text passes `max` nodes, or undefined. Counts the tokens that make a node:
 * a scalar (quoted or not), the start of a flow collection, an alias, a block sequence item, a key
 * or value indicator. An empty value is a node without a token of its own, but it follows one of
 * those indicators: the nodes are at most three times the count, plus one. A counted token takes at
 * least one byte, so a text shorter than `max` cannot pass it and is not lexed at all.
 */
export function nodeLimitOffset(text: string, max: number): number | undefined {
  if (text.length <= max) return undefined;
  let nodes = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    const first = token[0];
    // A plain or block scalar comes after the SCALAR marker; a quoted one is a token of its own.
    if (token === CST.SCALAR || first === '"' || first === "'" || first === '*' || token === '[' || token === '{' || token === '-' || token === '?' || token === ':') {
      if (++nodes > max) return offset;
    }
    // The lexer's markers are not in the text: every other token is a slice of it.
    if (token !== CST.SCALAR && token !== CST.DOCUMENT && token !== CST.FLOW_END) offset += token.length;
  }
  return undefined;
}

export function parseWithPositions(text: string): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true, strict: true });
  return { doc, lines };
}

/**
 * The document's value, or undefined after reporting why not: syntax errors and duplicate keys at
 * their position, too many alias expansions, an alias inside the node it refers to. An empty
 * document gives `{ value: null }`: each file kind says what that means for it.
 */
export function documentValue(display: string, doc: Document.Parsed, lines: LineCounter, kind: YamlFileKind, problems: Finding[]): { value: unknown } | undefined {
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      problems.push({
        rule: e.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax',
        severity: 'error',
        message: yamlErrorMessage(e.code, e.message, kind),
        file: display,
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
  return { value: value ?? null };
}

function yamlErrorMessage(code: string, message: string, kind: YamlFileKind): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'a key appears twice in the same mapping';
    case 'MULTIPLE_DOCS':
      return `the file holds several YAML documents (---): ${kind.singular} holds one`;
    case 'RESOURCE_EXHAUSTION':
      return 'the file nests lists or mappings too deeply to be read';
    default:
      // yaml repeats the position at the end of its message ("... at line 5, column 1:"): the finding has it.
      return firstLine(message).replace(/ at line \d+, column \d+:?$/, '');
  }
}

/** Position of the node at `p`, or of the deepest ancestor that exists. With `keyNode`, the key itself. */
export function spanInDocument(doc: Document.Parsed, lines: LineCounter, p: readonly PathKey[], keyNode = false): Span {
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

// Paths and values in messages.
export const samePath = (a: readonly PropertyKey[], b: readonly PropertyKey[]) => a.length === b.length && a.every((k, i) => k === b[i]);
export const pathLabel = (p: readonly PathKey[]) =>
  p.length === 0 ? 'the file' : p.map((k) => (typeof k === 'number' ? `[${k}]` : k)).join('.').replace(/\.\[/g, '[');
export const describePath = (p: readonly PathKey[]) => (p.length === 0 ? '' : ` (in ${pathLabel(p)})`);
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}
