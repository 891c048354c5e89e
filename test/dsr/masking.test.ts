/**
 * The value a field gets on erasure (src/dsr/erasure/masking.ts), and the values of the work log
 * (encode-value.ts): a re-run after a crash must bind exactly what the first run would have bound.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from '../../src/dsr/erasure/encode-value.js';
import { isConstantStrategy, maskValue } from '../../src/dsr/erasure/masking.js';

const hmac = (text: string, key = 'k') => createHmac('sha256', key).update(text, 'utf8').digest('hex');
const HMAC = { strategy: 'hmac' as const, key: { env: 'K' } };

describe('masking', () => {
  it('null writes null; fixed writes its value between its prefix and suffix, whatever the stored value', () => {
    expect(maskValue({ strategy: 'null' }, 'Ann')).toBeNull();
    expect(maskValue({ strategy: 'fixed', value: 'erased' }, 'Ann')).toBe('erased');
    expect(maskValue({ strategy: 'fixed', value: 'erased', prefix: 'x-', suffix: '@invalid' }, null)).toBe('x-erased@invalid');
  });

  it('hmac is the keyed HMAC-SHA-256 of the text, hex, cut to its length; a null stays null', () => {
    expect(maskValue(HMAC, 'Ann', 'k')).toBe(hmac('Ann'));
    expect(maskValue(HMAC, 'Ann', 'k')).toHaveLength(64);
    expect(maskValue({ ...HMAC, length: 10 }, 'Ann', 'k')).toBe(hmac('Ann').slice(0, 10));
    expect(maskValue(HMAC, 'Ann', 'other key')).toBe(hmac('Ann', 'other key'));
    expect(maskValue(HMAC, null, 'k')).toBeNull();
    // Numbers, dates and bytes by a text that is the same on every database.
    expect(maskValue(HMAC, 42, 'k')).toBe(hmac('42'));
    expect(maskValue(HMAC, new Date('2024-02-29T10:00:00Z'), 'k')).toBe(hmac('2024-02-29T10:00:00.000Z'));
    expect(maskValue(HMAC, new Uint8Array([1, 171]), 'k')).toBe(hmac('01ab'));
  });

  it('hmac without its key refuses to write anything', () => {
    expect(() => maskValue(HMAC, 'Ann')).toThrow('hmac masking needs its key');
    expect(() => maskValue(HMAC, 'Ann', '')).toThrow('hmac masking needs its key');
  });

  it('random_string draws letters and digits, as many as asked, differently each time', () => {
    const drawn = Array.from({ length: 20 }, () => maskValue({ strategy: 'random_string', length: 24 }, 'Ann') as string);
    for (const value of drawn) expect(value).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(new Set(drawn).size).toBe(20);
    // The whole alphabet is drawn from (1,000 letters miss one of 62 with a chance of about 1e-5).
    expect(new Set((maskValue({ strategy: 'random_string', length: 1000 }, null) as string).split('')).size).toBeGreaterThan(55);
    expect(maskValue({ strategy: 'random_string', length: 0 }, 'Ann')).toBe('');
  });

  it('one statement masks every row only when the value is the same for each (null, fixed)', () => {
    expect(isConstantStrategy({ strategy: 'null' })).toBe(true);
    expect(isConstantStrategy({ strategy: 'fixed', value: 'x' })).toBe(true);
    expect(isConstantStrategy(HMAC)).toBe(false);
    expect(isConstantStrategy({ strategy: 'random_string', length: 8 })).toBe(false);
  });
});

describe('values in the work log', () => {
  it('come back exactly as they went in: bigints, dates and bytes tagged, the rest as JSON has them', () => {
    const values = [null, 'Ann', 42, 4.5, true, false, 9007199254740993n, new Date('2024-02-29T10:00:00.123Z'), new Uint8Array([0, 1, 255])];
    const stored = JSON.parse(JSON.stringify(values.map(encodeValue))) as Parameters<typeof decodeValue>[0][];
    expect(stored.slice(6)).toEqual([{ $bigint: '9007199254740993' }, { $date: '2024-02-29T10:00:00.123Z' }, { $bytes: 'AAH/' }]);
    expect(stored.map(decodeValue)).toEqual(values);
  });
});
