/**
 * The day an answer is due (Art. 12(3) GDPR, Regulation 1182/71), on the dates where a hand-made
 * calendar goes wrong: the end of a month that is longer than the next, a leap day, a period ending on
 * a weekend or on a public holiday of the organisation's country (Easter Monday in France, Good Friday
 * in Germany), an extension, and the days waited for identity information.
 */
import { describe, expect, it } from 'vitest';
import { answerDeadline } from '../../src/desk/deadline.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';

const due = (receivedOn: string, country = 'FR', extra: Partial<Parameters<typeof answerDeadline>[0]> = {}) => answerDeadline({ receivedOn, country, ...extra });

describe('answerDeadline (Art. 12(3), Regulation 1182/71)', () => {
  it('is the same date the next month, the day of receipt not counted', () => {
    expect(due('2026-03-09')).toEqual({ dueOn: '2026-04-09', runsFrom: '2026-03-09', waitedDays: 0 });
    expect(due('2026-11-30').dueOn).toBe('2026-12-30');
  });

  it('ends on the last day of a shorter month, or the next working day if that is a weekend', () => {
    // 31 January 2024: 29 February (a leap year, a Thursday).
    expect(due('2024-01-31').dueOn).toBe('2024-02-29');
    // 31 January 2026: 28 February is a Saturday, so Monday 2 March.
    expect(due('2026-01-31')).toEqual({ dueOn: '2026-03-02', runsFrom: '2026-01-31', waitedDays: 0, movedFrom: '2026-02-28' });
    // A leap day itself: 29 March 2024.
    expect(due('2024-02-29').dueOn).toBe('2024-03-29');
  });

  it('moves past the public holidays of the organisation\'s country, not another\'s', () => {
    // 6 March 2026 + 1 month = Easter Monday 6 April, a public holiday in France: Tuesday 7 April.
    expect(due('2026-03-06')).toMatchObject({ dueOn: '2026-04-07', movedFrom: '2026-04-06' });
    // Received on Good Friday 2026 (3 April): 3 May is a Sunday: Monday 4 May.
    expect(due('2026-04-03').dueOn).toBe('2026-05-04');
    // 29 March 2024 is Good Friday: a working day in France, a public holiday in Germany (and Easter
    // Monday after the weekend): Tuesday 2 April there.
    expect(due('2024-02-29', 'FR').dueOn).toBe('2024-03-29');
    expect(due('2024-02-29', 'DE').dueOn).toBe('2024-04-02');
    // 1 May and Christmas.
    expect(due('2026-04-01').dueOn).toBe('2026-05-04');
    expect(due('2026-11-25').dueOn).toBe('2026-12-28');
  });

  it('counts an extension from receipt: three months at most, not from a first deadline that moved', () => {
    expect(due('2026-01-31', 'FR', { extensionMonths: 2 }).dueOn).toBe('2026-04-30');
    expect(due('2026-01-31', 'FR', { extensionMonths: 1 }).dueOn).toBe('2026-03-31');
  });

  it('does not run while the controller waits for identity information, and says for how long', () => {
    // Asked on 10 March, answered on 20 March: the period runs from 19 March; 19 April is a Sunday.
    const d = due('2026-03-09', 'FR', { identityWaits: [{ from: '2026-03-10', until: '2026-03-20' }] });
    expect(d).toEqual({ dueOn: '2026-04-20', runsFrom: '2026-03-19', waitedDays: 10, movedFrom: '2026-04-19' });
    // Two waits add up; an answer the same day costs nothing.
    expect(due('2026-03-09', 'FR', { identityWaits: [{ from: '2026-03-10', until: '2026-03-12' }, { from: '2026-03-15', until: '2026-03-15' }] }).waitedDays).toBe(2);
  });

  it('refuses what is not a calendar date, a country without known holidays, more than two further months, a wait before receipt, naming the field', () => {
    const fails = (f: () => unknown, field: string) => {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(isOpendpoError(e) && e.code).toBe('INVALID_INPUT');
        expect((e as Error).message).toContain(field);
      }
    };
    fails(() => due('2026-02-30'), 'receivedOn');
    fails(() => due('9 March 2026'), 'receivedOn');
    fails(() => due('2026-03-09', 'XX'), 'country');
    fails(() => due('2026-03-09', 'France'), 'country');
    fails(() => due('2026-03-09', 'FR', { extensionMonths: 3 }), 'extensionMonths');
    fails(() => due('2026-03-09', 'FR', { extensionMonths: 1.5 }), 'extensionMonths');
    fails(() => due('2026-03-09', 'FR', { identityWaits: [{ from: '2026-03-01', until: '2026-03-10' }] }), 'identityWaits[0]');
    fails(() => due('2026-03-09', 'FR', { identityWaits: [{ from: '2026-03-12', until: '2026-03-10' }] }), 'identityWaits[0]');
  });
});
