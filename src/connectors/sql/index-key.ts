/**
 * An index key part as a database's catalogue writes it (`email`, `"E-mail"`, `lower(email)`,
 * PostgreSQL's `lower((email)::text)` for a varchar column, SQLite's `lower("email")`), read into
 * what an identity lookup needs to know: a column, lower() of a column, or another expression.
 */
import type { IndexShape } from '../connector.js';

type IndexKey = IndexShape['keys'][number];

/** A bare or quoted identifier ("x", `x`, [x]), unquoted; undefined for anything else. */
function identifier(text: string): string | undefined {
  const t = text.trim();
  const quoted = /^"((?:[^"]|"")+)"$/.exec(t) ?? /^`((?:[^`]|``)+)`$/.exec(t) ?? /^\[([^\]]+)\]$/.exec(t);
  if (quoted) return quoted[1]!.replace(/""/g, '"').replace(/``/g, '`');
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(t) ? t : undefined;
}

/** `(email)::text` or `email::character varying` -> `email`. */
function withoutCast(text: string): string {
  let t = text.trim().replace(/::[a-z ]+(\(\d+\))?$/i, '').trim();
  while (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1).trim();
  return t;
}

export function indexKey(definition: string): IndexKey {
  const text = definition.trim();
  const lower = /^lower\s*\(([\s\S]*)\)$/i.exec(text);
  if (lower) {
    const column = identifier(withoutCast(lower[1]!));
    if (column !== undefined) return { lowerOf: column };
  }
  const column = identifier(text);
  return column === undefined ? { expression: text } : { column };
}

/** The key parts of a CREATE INDEX statement (SQLite keeps its text): what is between the parentheses after ON table. */
export function createIndexKeys(createIndex: string): string[] | undefined {
  const on = /\bon\s+(?:"(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|[\w.$]+)\s*\(/i.exec(createIndex);
  if (!on) return undefined;
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of createIndex.slice(on.index + on[0].length)) {
    if (ch === '(') depth += 1;
    if (ch === ')') {
      if (depth === 0) {
        parts.push(current);
        // Sort order and collation suffixes are not part of the key's expression.
        return parts.map((p) => p.trim().replace(/\s+(asc|desc)$/i, '').replace(/\s+collate\s+\S+$/i, '').trim());
      }
      depth -= 1;
    }
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  return undefined;
}
