/**
 * A database value as the access package and the portability export write it. The connectors
 * already give dates, times and exact decimals as text in one shape (ADR 0017); JSON has no bigint
 * or byte string, so each is given one documented form, and nothing is lost:
 * - bigint (an integer beyond 2^53) → decimal text, every digit kept;
 * - Date (from a system answering for itself) → ISO 8601 text in UTC;
 * - bytes → { "base64": "..." };
 * - a number JSON cannot hold (NaN, Infinity) → its text.
 * Pure.
 */
import { z } from 'zod';
import type { Value } from '../../connectors/connector.js';

export const CellValue = z
  .union([z.string(), z.number(), z.boolean(), z.null(), z.strictObject({ base64: z.string().describe('The bytes, base64-encoded (RFC 4648).') })])
  .describe('A value as the database holds it: text, number, true/false, null (no value), or bytes in base64. 64-bit integers and dates are given as text.');
export type CellValue = z.infer<typeof CellValue>;

export function toCellValue(v: Value | undefined): CellValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
  if (v instanceof Uint8Array) return { base64: Buffer.from(v).toString('base64') };
  return String(v as unknown);
}

/**
 * The key a value of the copy is matched with (a catalogue row by the value pointing at it): the
 * same as the store's `valueKey` (src/connectors/value-key.ts) for the values a key holds (numbers,
 * text, booleans; 64-bit integers as their digits).
 */
export function cellKey(v: CellValue): string {
  if (v === null) return 'n';
  if (typeof v === 'boolean') return `v:${v ? 1 : 0}`;
  if (typeof v === 'object') return `b:${Buffer.from(v.base64, 'base64').toString('hex')}`;
  return `v:${String(v)}`;
}

/** The text of a value in a CSV cell: empty for null, base64 for bytes. */
export function cellCsvText(v: CellValue): string | number {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'object') return v.base64;
  return v;
}

/**
 * A row keyed by field name, in the fields' order. Built with Object.fromEntries so that a
 * column named "__proto__" stays an ordinary key instead of changing the object's prototype.
 */
export function rowOf(fields: readonly string[], row: Readonly<Record<string, Value>>): Record<string, CellValue> {
  return Object.fromEntries(fields.map((f) => [f, toCellValue(Object.hasOwn(row, f) ? row[f] : undefined)]));
}
