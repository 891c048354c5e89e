/**
 * The desk's report for a period (Art. 5(2): the controller shows how it answers): requests received
 * in the period, by type and by outcome; days to answer (median and 90th percentile, nearest rank,
 * over the requests answered); how many were answered after their due day, and how many are open past
 * it on the report's day. Pure: the requests are given; CSV and JSON are two writings of one report.
 */
import { stringify } from 'csv-stringify/sync';
import { OpendpoError } from '../errors/opendpo-error.js';

export interface ReportedRequest {
  type: string;
  /** completed | refused | withdrawn | …, or open while unanswered. */
  outcome: string;
  receivedOn: string;
  /** The day due (deadline.ts), extensions and identity waits counted. */
  dueOn: string;
  /** The day answered; absent while open. */
  answeredOn?: string;
}

export interface RequestReport {
  from: string;
  to: string;
  asOf: string;
  received: number;
  byType: Record<string, number>;
  byOutcome: Record<string, number>;
  answered: number;
  daysToAnswer: { median: number | null; p90: number | null };
  answeredLate: number;
  openOverdue: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Nearest-rank percentile of sorted values: the smallest value at or above p % of them. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function requestReport(requests: readonly ReportedRequest[], period: { from: string; to: string; asOf: string }): RequestReport {
  for (const [name, value] of Object.entries(period)) {
    const t = Date.parse(`${value}T00:00:00Z`);
    if (!DATE.test(value) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) throw new OpendpoError('INVALID_INPUT', `${name}: must be a date written YYYY-MM-DD, not ${JSON.stringify(value)}`);
  }
  if (period.to < period.from) throw new OpendpoError('INVALID_INPUT', `to (${period.to}) is before from (${period.from})`);
  const inPeriod = requests.filter((r) => r.receivedOn >= period.from && r.receivedOn <= period.to);
  const count = (key: (r: ReportedRequest) => string) => {
    const out: Record<string, number> = {};
    for (const r of inPeriod) out[key(r)] = (out[key(r)] ?? 0) + 1;
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  };
  const answered = inPeriod.filter((r) => r.answeredOn !== undefined);
  const durations = answered.map((r) => days(r.receivedOn, r.answeredOn!)).sort((a, b) => a - b);
  return {
    ...period,
    received: inPeriod.length,
    byType: count((r) => r.type),
    byOutcome: count((r) => r.outcome),
    answered: answered.length,
    daysToAnswer: { median: percentile(durations, 50), p90: percentile(durations, 90) },
    answeredLate: answered.filter((r) => r.answeredOn! > r.dueOn).length,
    openOverdue: inPeriod.filter((r) => r.answeredOn === undefined && period.asOf > r.dueOn).length,
  };
}

/** The report as CSV: one row per figure (section, key, value), for a spreadsheet. */
export function reportCsv(report: RequestReport): string {
  const rows: (string | number)[][] = [
    ['figure', 'key', 'value'],
    ['period', 'from', report.from],
    ['period', 'to', report.to],
    ['period', 'as of', report.asOf],
    ['requests', 'received', report.received],
    ...Object.entries(report.byType).map(([k, v]) => ['by type', k, v]),
    ...Object.entries(report.byOutcome).map(([k, v]) => ['by outcome', k, v]),
    ['answers', 'answered', report.answered],
    ['answers', 'median days to answer', report.daysToAnswer.median ?? ''],
    ['answers', '90th percentile days to answer', report.daysToAnswer.p90 ?? ''],
    ['answers', 'answered after the due day', report.answeredLate],
    ['answers', 'open past the due day', report.openOverdue],
  ];
  return stringify(rows, { record_delimiter: '\r\n' });
}
