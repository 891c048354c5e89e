import type { Value } from './connector.js';

/**
 * The identity of a value across drivers, to compare keys and drop repeats: 1, 1n and "1" are the
 * same key value (drivers return big integers and numerics as strings), true is 1, a date is its
 * instant, bytes are their hex; NULL is its own (never equal to the text "null").
 */
export function valueKey(value: Value): string {
  if (value === null) return 'n';
  if (value instanceof Date) return `d:${value.toISOString()}`;
  if (value instanceof Uint8Array) return `b:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (typeof value === 'boolean') return `v:${value ? 1 : 0}`;
  return `v:${String(value)}`;
}
