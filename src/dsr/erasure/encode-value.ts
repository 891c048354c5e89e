/**
 * Values in the durable step log are JSON: bigints, dates and bytes are tagged so a re-run
 * binds exactly the value the first run would have bound.
 */
import type { Value } from '../../connectors/connector.js';

export type EncodedValue = string | number | boolean | null | { $bigint: string } | { $date: string } | { $bytes: string };

export function encodeValue(value: Value): EncodedValue {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  return value;
}

export function decodeValue(value: EncodedValue): Value {
  if (value === null || typeof value !== 'object') return value;
  if ('$bigint' in value) return BigInt(value.$bigint);
  if ('$date' in value) return new Date(value.$date);
  return new Uint8Array(Buffer.from(value.$bytes, 'base64'));
}
