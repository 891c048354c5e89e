/**
 * A list of values as the text of a PostgreSQL array literal ('{1,2,3}', '{"a","b \"c\""}'), bound
 * as one parameter whose type the server infers from its use (`"id" = any($1)`, `$1::tid[]`).
 *
 * pg does the same for a JavaScript array, escaping each element with two regular expressions: for
 * the key lists of a batch erasure (tens of thousands of keys and row addresses per request) that
 * was the driver's largest cost (~57 ms per 500 people, measured with --cpu-prof on bench:dsr's
 * shop). The text is the same as pg's; only the work differs: numbers and booleans need no quotes,
 * and a text is escaped only when it holds a quote or a backslash.
 *
 * Values pg would convert otherwise (dates, bytes) leave the list to pg: undefined is returned.
 */
import type { Value } from '../connector.js';

const NEEDS_ESCAPE = /["\\]/;

export function arrayLiteral(values: readonly Value[]): string | undefined {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') out += String(v);
    else if (typeof v === 'string') out += NEEDS_ESCAPE.test(v) ? `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : `"${v}"`;
    else return undefined;
  }
  return `${out}}`;
}
