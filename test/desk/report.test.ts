/**
 * The desk's report for a period: counts by type and outcome, median and 90th-percentile days to
 * answer (nearest rank), late answers and open requests past their due day; the same figures as CSV.
 * Grouped by ISO week: week boundaries (Sunday and Monday), the year's turn (53-week years), a week
 * without a request at zero, the weeks adding up to the period.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isoWeek, MAX_WEEKS, reportCsv, requestReport, weeklyReport, weeklyReportCsv, type ReportedRequest } from '../../src/desk/report.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';

const r = (type: string, receivedOn: string, dueOn: string, answeredOn?: string, outcome = answeredOn ? 'completed' : 'open'): ReportedRequest => ({ type, outcome, receivedOn, dueOn, ...(answeredOn ? { answeredOn } : {}) });

const REQUESTS: ReportedRequest[] = [
  r('access', '2026-11-02', '2026-12-02', '2026-11-05'), // 3 days
  r('access', '2026-11-03', '2026-12-03', '2026-11-13'), // 10
  r('erasure', '2026-11-04', '2026-12-04', '2026-12-08'), // 34, late
  r('erasure', '2026-11-05', '2026-12-07', '2026-11-06', 'refused'), // 1
  r('access', '2026-11-06', '2026-12-07'), // open, overdue on 9 December
  r('rectification', '2026-11-20', '2026-12-21'), // open, not yet due
  r('access', '2026-10-31', '2026-12-01', '2026-11-02'), // before the period
];

describe('requestReport', () => {
  it('counts the period\'s requests by type and outcome, and its answers, late ones and open ones past due', () => {
    const report = requestReport(REQUESTS, { from: '2026-11-01', to: '2026-11-30', asOf: '2026-12-09' });
    expect(report).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      asOf: '2026-12-09',
      received: 6,
      byType: { access: 3, erasure: 2, rectification: 1 },
      byOutcome: { completed: 3, open: 2, refused: 1 },
      answered: 4,
      // Sorted days 1, 3, 10, 34: the median by nearest rank is the 2nd, the 90th percentile the 4th.
      daysToAnswer: { median: 3, p90: 34 },
      answeredLate: 1,
      openOverdue: 1,
    });
  });

  it('says nothing of days to answer when nothing was answered, and refuses a malformed period naming the field', () => {
    expect(requestReport([], { from: '2026-11-01', to: '2026-11-30', asOf: '2026-12-01' }).daysToAnswer).toEqual({ median: null, p90: null });
    for (const [period, field] of [
      [{ from: '1 Nov', to: '2026-11-30', asOf: '2026-12-01' }, 'from'],
      [{ from: '2026-11-01', to: '2026-13-01', asOf: '2026-12-01' }, 'to'],
      [{ from: '2026-11-01', to: '2026-11-30', asOf: '2026-02-30' }, 'asOf'],
      [{ from: '2026-12-01', to: '2026-11-30', asOf: '2026-12-01' }, 'is before from'],
    ] as const) {
      try {
        requestReport([], period);
        expect.unreachable();
      } catch (e) {
        expect(isOpendpoError(e) && e.code).toBe('INVALID_INPUT');
        expect((e as Error).message).toContain(field);
      }
    }
  });

  it('writes the same figures as CSV, one row each', () => {
    const csv = reportCsv(requestReport(REQUESTS, { from: '2026-11-01', to: '2026-11-30', asOf: '2026-12-09' }));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('figure,key,value');
    expect(lines).toContain('by type,access,3');
    expect(lines).toContain('answers,median days to answer,3');
    expect(lines).toContain('answers,90th percentile days to answer,34');
    expect(lines).toContain('answers,open past the due day,1');
  });
});

describe('isoWeek', () => {
  it('names a day\'s ISO 8601 week by the year of its Thursday, and gives its Monday', () => {
    expect(isoWeek('2026-03-02')).toEqual({ week: '2026-W10', monday: '2026-03-02' }); // a Monday
    expect(isoWeek('2026-03-08')).toEqual({ week: '2026-W10', monday: '2026-03-02' }); // its Sunday
    expect(isoWeek('2026-03-09')).toEqual({ week: '2026-W11', monday: '2026-03-09' });
    // The year turns: 1 January 2026 is a Thursday, so its week is 2026's first, from 29 December 2025.
    expect(isoWeek('2025-12-29')).toEqual({ week: '2026-W01', monday: '2025-12-29' });
    expect(isoWeek('2026-01-01')).toEqual({ week: '2026-W01', monday: '2025-12-29' });
    expect(isoWeek('2025-12-28')).toEqual({ week: '2025-W52', monday: '2025-12-22' });
    // 1 January 2027 is a Friday: it ends 2026's 53rd week; 3 January 2021 (a Sunday) ends 2020's.
    expect(isoWeek('2027-01-01')).toEqual({ week: '2026-W53', monday: '2026-12-28' });
    expect(isoWeek('2027-01-04')).toEqual({ week: '2027-W01', monday: '2027-01-04' });
    expect(isoWeek('2021-01-03')).toEqual({ week: '2020-W53', monday: '2020-12-28' });
    // A leap day.
    expect(isoWeek('2028-02-29')).toEqual({ week: '2028-W09', monday: '2028-02-28' });
  });
});

describe('weeklyReport', () => {
  // From Wednesday 17 December 2025 to Tuesday 13 January 2026: five ISO weeks, the first and last cut.
  const PERIOD = { from: '2025-12-17', to: '2026-01-13', asOf: '2026-02-20' };
  const WEEKLY: ReportedRequest[] = [
    r('access', '2025-12-16', '2026-01-16', '2025-12-18'), // the day before the period: not counted
    r('access', '2025-12-17', '2026-01-19', '2025-12-19'), // 2025-W51, 2 days
    r('erasure', '2025-12-21', '2026-01-21', '2026-01-30'), // Sunday: still 2025-W51, 40 days, late
    r('access', '2025-12-22', '2026-01-22'), // Monday: 2025-W52, open past due on 20 February
    r('access', '2025-12-31', '2026-01-31', '2026-01-02'), // 2026-W01 though received in 2025, 2 days
    r('erasure', '2026-01-01', '2026-02-02', '2026-01-08', 'refused'), // 2026-W01, 7 days
    // 2026-W02 (5 to 11 January): nothing received.
    r('rectification', '2026-01-13', '2026-02-13', '2026-01-14'), // 2026-W03, cut at the period's end, 1 day
    r('access', '2026-01-14', '2026-02-16'), // the day after the period: not counted
  ];

  it('gives each ISO week of the period its figures, across the year\'s turn, a week without a request with zeros', () => {
    const { report, weeks } = weeklyReport(WEEKLY, PERIOD);
    expect(report).toEqual(requestReport(WEEKLY, PERIOD));
    expect(report.byType).toEqual({ access: 3, erasure: 2, rectification: 1 });
    const zero = { access: 0, erasure: 0, rectification: 0 };
    const none = { completed: 0, open: 0, refused: 0 };
    expect(weeks).toEqual([
      { week: '2025-W51', from: '2025-12-17', to: '2025-12-21', received: 2, byType: { ...zero, access: 1, erasure: 1 }, byOutcome: { ...none, completed: 2 }, answered: 2, daysToAnswer: { median: 2, p90: 40 }, answeredLate: 1, openOverdue: 0 },
      { week: '2025-W52', from: '2025-12-22', to: '2025-12-28', received: 1, byType: { ...zero, access: 1 }, byOutcome: { ...none, open: 1 }, answered: 0, daysToAnswer: { median: null, p90: null }, answeredLate: 0, openOverdue: 1 },
      { week: '2026-W01', from: '2025-12-29', to: '2026-01-04', received: 2, byType: { ...zero, access: 1, erasure: 1 }, byOutcome: { ...none, completed: 1, refused: 1 }, answered: 2, daysToAnswer: { median: 2, p90: 7 }, answeredLate: 0, openOverdue: 0 },
      { week: '2026-W02', from: '2026-01-05', to: '2026-01-11', received: 0, byType: zero, byOutcome: none, answered: 0, daysToAnswer: { median: null, p90: null }, answeredLate: 0, openOverdue: 0 },
      { week: '2026-W03', from: '2026-01-12', to: '2026-01-13', received: 1, byType: { ...zero, rectification: 1 }, byOutcome: { ...none, completed: 1 }, answered: 1, daysToAnswer: { median: 1, p90: 1 }, answeredLate: 0, openOverdue: 0 },
    ]);
  });

  it('gives a period inside one week that week alone (the 31 December request outside it), and a period with no request its weeks all at zero', () => {
    expect(weeklyReport(WEEKLY, { from: '2026-01-01', to: '2026-01-02', asOf: '2026-02-20' }).weeks.map((w) => [w.week, w.from, w.to, w.received])).toEqual([['2026-W01', '2026-01-01', '2026-01-02', 1]]);
    const empty = weeklyReport([], { from: '2026-03-02', to: '2026-03-22', asOf: '2026-03-23' });
    expect(empty.weeks.map((w) => [w.week, w.received, w.byType, w.answered, w.daysToAnswer.median])).toEqual([
      ['2026-W10', 0, {}, 0, null],
      ['2026-W11', 0, {}, 0, null],
      ['2026-W12', 0, {}, 0, null],
    ]);
  });

  it('adds up to the period\'s figures, whatever the requests (property)', () => {
    const day = fc.integer({ min: 0, max: 120 }).map((n) => new Date(Date.UTC(2025, 11, 1) + n * 86_400_000).toISOString().slice(0, 10));
    const request = fc.record({ type: fc.constantFrom('access', 'erasure', 'objection'), receivedOn: day, answered: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(request, { maxLength: 60 }), day, day, (made, a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const requests = made.map((m) => r(m.type, m.receivedOn, m.receivedOn, m.answered === undefined ? undefined : new Date(Date.parse(`${m.receivedOn}T00:00:00Z`) + m.answered * 86_400_000).toISOString().slice(0, 10)));
        const { report, weeks } = weeklyReport(requests, { from, to, asOf: '2026-06-01' });
        expect(weeks[0]!.from).toBe(from);
        expect(weeks.at(-1)!.to).toBe(to);
        for (const [i, w] of weeks.entries()) {
          if (i > 0) expect(Date.parse(w.from) - Date.parse(weeks[i - 1]!.to)).toBe(86_400_000); // no gap, no overlap
          expect(Object.keys(w.byType)).toEqual(Object.keys(report.byType));
          expect(isoWeek(w.from).week).toBe(w.week);
          expect(isoWeek(w.to).week).toBe(w.week);
        }
        expect(weeks.reduce((n, w) => n + w.received, 0)).toBe(report.received);
        expect(weeks.reduce((n, w) => n + w.answered, 0)).toBe(report.answered);
        for (const type of Object.keys(report.byType)) expect(weeks.reduce((n, w) => n + w.byType[type]!, 0)).toBe(report.byType[type]);
      }),
      { seed: 20_261_203, numRuns: 300 },
    );
  });

  it('refuses a malformed period as the report does, and more than five years of weeks', () => {
    expect(() => weeklyReport([], { from: '2026-02-30', to: '2026-03-01', asOf: '2026-03-02' })).toThrow(/from/);
    expect(MAX_WEEKS).toBe(261);
    expect(weeklyReport([], { from: '2021-01-04', to: '2025-12-28', asOf: '2026-01-01' }).weeks).toHaveLength(260);
    try {
      weeklyReport([], { from: '2020-01-01', to: '2025-12-31', asOf: '2026-01-01' });
      expect.unreachable();
    } catch (e) {
      expect(isOpendpoError(e) && e.code).toBe('INVALID_INPUT');
      expect((e as Error).message).toContain('at most 261 weeks');
    }
  });

  it('writes one CSV row per week, with the same columns, then the whole period\'s', () => {
    const lines = weeklyReportCsv(weeklyReport(WEEKLY, PERIOD)).trimEnd().split('\r\n');
    expect(lines).toEqual([
      'week,from,to,received,by type: access,by type: erasure,by type: rectification,by outcome: completed,by outcome: open,by outcome: refused,answered,median days to answer,90th percentile days to answer,answered after the due day,open past the due day on 2026-02-20',
      '2025-W51,2025-12-17,2025-12-21,2,1,1,0,2,0,0,2,2,40,1,0',
      '2025-W52,2025-12-22,2025-12-28,1,1,0,0,0,1,0,0,,,0,1',
      '2026-W01,2025-12-29,2026-01-04,2,1,1,0,1,0,1,2,2,7,0,0',
      '2026-W02,2026-01-05,2026-01-11,0,0,0,0,0,0,0,0,,,0,0',
      '2026-W03,2026-01-12,2026-01-13,1,0,0,1,1,0,0,1,1,1,0,0',
      'all,2025-12-17,2026-01-13,6,3,2,1,4,1,1,5,2,40,1,1',
    ]);
  });
});
