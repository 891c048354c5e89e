/** How a value of the copy reads in the person's locale (Art. 12(1)); a value the format does not fit is shown as stored. */
import { describe, expect, it } from 'vitest';
import { formatValue } from '../../../src/dsr/package/format-value.js';

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const EUR = { type: 'money', currency: 'EUR', scale: 2 } as const;

describe('formatValue', () => {
  it('money: the stored units at their scale, with the currency, in the locale', () => {
    expect(plain(formatValue(5800, EUR, 'fr'))).toBe('58,00 €');
    expect(formatValue(5800, EUR, 'en')).toBe('€58.00');
    // Exact decimals come as text from some databases; a negative amount keeps its sign.
    expect(plain(formatValue('-1234567', EUR, 'fr'))).toBe('-12 345,67 €');
    expect(formatValue('58.00', { type: 'money', currency: 'USD', scale: 0 }, 'en')).toBe('US$58.00');
    // Not a number, or a currency Intl does not know: as stored.
    expect(formatValue('n/a', EUR, 'fr')).toBe('n/a');
    expect(formatValue(12, { type: 'money', currency: 'ZZZ', scale: 0 }, 'en')).toMatch(/12/);
  });

  it('date: the calendar date as written, never moved by a time zone', () => {
    expect(formatValue('1988-04-12', { type: 'date' }, 'fr')).toBe('12 avril 1988');
    expect(formatValue('1988-04-12', { type: 'date' }, 'en')).toBe('12 April 1988');
    expect(formatValue('1988-04-12T00:00:00.000Z', { type: 'date' }, 'en')).toBe('12 April 1988');
    expect(formatValue('12/04/1988', { type: 'date' }, 'en')).toBe('12/04/1988');
  });

  it('datetime: without a zone as stored; with one, in UTC and said so', () => {
    expect(formatValue('2025-02-03 10:15:00', { type: 'datetime' }, 'fr')).toBe('3 février 2025 à 10:15');
    expect(formatValue('2025-02-03T10:15:00', { type: 'datetime' }, 'en')).toBe('3 February 2025 at 10:15');
    expect(formatValue('2025-02-03T10:15:00+02:00', { type: 'datetime' }, 'en')).toBe('3 February 2025 at 08:15 UTC');
    expect(formatValue('2025-02-03', { type: 'datetime' }, 'fr')).toBe('3 février 2025');
  });

  it('boolean and enum: words, and a code with its meaning', () => {
    expect(formatValue(0, { type: 'boolean' }, 'fr')).toBe('non');
    expect(formatValue('t', { type: 'boolean' }, 'en')).toBe('yes');
    expect(formatValue(true, undefined, 'fr')).toBe('oui');
    expect(formatValue(2, { type: 'boolean' }, 'en')).toBe('2');
    const tier = { type: 'enum', values: { gold: 'Or' } } as const;
    expect(formatValue('gold', tier, 'fr')).toBe('Or (gold)');
    expect(formatValue('silver', tier, 'fr')).toBe('silver');
  });

  it('no value, bytes, and a value without a format', () => {
    expect(formatValue(null, EUR, 'fr')).toBe('(aucune valeur)');
    expect(formatValue({ base64: 'AAE=' }, undefined, 'en')).toBe('binary data, 2 bytes (base64: AAE=)');
    // A number without a format is shown as stored: a postal code or a quantity is not an amount.
    expect(formatValue(69002, undefined, 'fr')).toBe('69002');
  });
});
