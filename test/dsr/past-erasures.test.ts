/**
 * Until when an erasure's legal hold keeps data (Art. 15(1)(d) after Art. 17(3)): the latest
 * retention start of the kept rows plus the hold's period, else the erasure's completion plus it.
 */
import { describe, expect, it } from 'vitest';
import { addPeriod, calendarDate, pastErasure } from '../../src/dsr/past-erasures.js';

const hold = { reason: 'Invoices kept 10 years', article: 'Art. 17(3)(b)', period: 'P10Y' };

describe('a past erasure as a later access gives it', () => {
  it('dates a hold from the latest start of the kept rows, else from the erasure, else not at all', () => {
    const erasure = pastErasure('req-1', '2026-03-04T10:00:00.000Z', [
      { collection: 'shop.invoice', rows: 2, reason: 'legal-hold', hold, latestStart: '2024-02-29' },
      { collection: 'shop.orders', rows: 2, reason: 'legal-hold', fields: ['total_cents'], hold },
      { collection: 'shop.notes', rows: 1, reason: 'legal-hold', hold: { reason: 'Claims', article: 'Art. 17(3)(e)' } },
      { collection: 'shop.address', rows: 1, reason: 'shared' },
    ]);
    expect(erasure).toEqual({
      requestId: 'req-1',
      completedAt: '2026-03-04T10:00:00.000Z',
      kept: [
        { collection: 'shop.invoice', rows: 2, reason: 'legal-hold', hold, until: '2034-02-28' },
        { collection: 'shop.orders', rows: 2, reason: 'legal-hold', fields: ['total_cents'], hold, until: '2036-03-04' },
        { collection: 'shop.notes', rows: 1, reason: 'legal-hold', hold: { reason: 'Claims', article: 'Art. 17(3)(e)' } },
        { collection: 'shop.address', rows: 1, reason: 'shared' },
      ],
    });
  });

  it('adds years, months, weeks and days to a calendar date, keeping the end of a month in range', () => {
    expect(addPeriod('2024-01-31', 'P1M')).toBe('2024-02-29');
    expect(addPeriod('2023-01-31', 'P1M')).toBe('2023-02-28');
    expect(addPeriod('2024-12-15', 'P13M')).toBe('2026-01-15');
    expect(addPeriod('2024-12-30', 'P1W2D')).toBe('2025-01-08');
    expect(addPeriod('2024-05-28', 'P10Y')).toBe('2034-05-28');
    expect(addPeriod('2024-05-28', 'PT1H')).toBeUndefined();
    expect(addPeriod('28/05/2024', 'P1Y')).toBeUndefined();
  });

  it('reads the calendar date a stored value names: a driver\'s local-midnight Date, text as written, an instant', () => {
    expect(calendarDate(new Date(2024, 4, 28))).toBe('2024-05-28');
    expect(calendarDate('2024-05-28')).toBe('2024-05-28');
    expect(calendarDate('2024-05-28 23:59:59')).toBe('2024-05-28');
    expect(calendarDate('2024-02-30')).toBeUndefined();
    expect(calendarDate('yesterday')).toBeUndefined();
    expect(calendarDate(20240528)).toBeUndefined();
    expect(calendarDate(null)).toBeUndefined();
  });
});
