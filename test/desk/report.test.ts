/**
 * The desk's report for a period: counts by type and outcome, median and 90th-percentile days to
 * answer (nearest rank), late answers and open requests past their due day; the same figures as CSV.
 */
import { describe, expect, it } from 'vitest';
import { reportCsv, requestReport, type ReportedRequest } from '../../src/desk/report.js';
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
