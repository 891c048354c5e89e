/**
 * The desk's report for a period (Art. 5(2): the controller shows how it answers): requests received
 * in the period, by type and by outcome; days to answer (median and 90th percentile, nearest rank,
 * over the requests answered); how many were answered after their due day, and how many are open past
 * it on the report's day. Pure: the requests are given; CSV and JSON are two writings of one report.
 *
 * Grouped by week, the same figures for each ISO 8601 week (Monday to Sunday) of the period, over the
 * requests received in it: the days are calendar days of the organisation's zone (the caller gives
 * them so), the first and last weeks cut at the period's ends, a week without a request present
 * with zeros, every week with the same type and outcome keys as the whole period.
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

/** The figures of one ISO week of the period (cut at the period's ends). */
export interface WeekReport extends Omit<RequestReport, 'asOf'> {
  /** ISO 8601 week: 2026-W01 (the week of the year's first Thursday), …, 2026-W53. */
  week: string;
}

/** At most five years of weeks in one answer. */
export const MAX_WEEKS = 261;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
const dayAt = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const days = (from: string, to: string) => Math.round((dayAt(to) - dayAt(from)) / DAY_MS);

/** Nearest-rank percentile of sorted values: the smallest value at or above p % of them. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function requestReport(requests: readonly ReportedRequest[], period: { from: string; to: string; asOf: string }): RequestReport {
  checkPeriod(period);
  return figures(requests, period);
}

function checkPeriod(period: { from: string; to: string; asOf: string }): void {
  for (const [name, value] of Object.entries(period)) {
    const t = Date.parse(`${value}T00:00:00Z`);
    if (!DATE.test(value) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) throw new OpendpoError('INVALID_INPUT', `${name}: must be a date written YYYY-MM-DD, not ${JSON.stringify(value)}`);
  }
  if (period.to < period.from) throw new OpendpoError('INVALID_INPUT', `to (${period.to}) is before from (${period.from})`);
}

function figures(requests: readonly ReportedRequest[], period: { from: string; to: string; asOf: string }): RequestReport {
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

/** The ISO 8601 week of a calendar day: its Monday, and its name (year of its Thursday, week number). */
export function isoWeek(day: string): { week: string; monday: string } {
  const t = dayAt(day);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = t - weekday * DAY_MS;
  // The week belongs to the year of its Thursday; week 1 holds that year's first Thursday.
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const number = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { week: `${year}-W${String(number).padStart(2, '0')}`, monday: dayOf(monday) };
}

/** The period's report and the same figures for each of its ISO weeks, in order. */
export function weeklyReport(requests: readonly ReportedRequest[], period: { from: string; to: string; asOf: string }): { report: RequestReport; weeks: WeekReport[] } {
  checkPeriod(period);
  const report = figures(requests, period);
  const first = isoWeek(period.from).monday;
  const count = Math.floor((dayAt(period.to) - dayAt(first)) / (7 * DAY_MS)) + 1;
  if (count > MAX_WEEKS) throw new OpendpoError('INVALID_INPUT', `group=week covers at most ${MAX_WEEKS} weeks; ${period.from} to ${period.to} spans ${count}`);
  // Each request in its week's bucket once: the weeks' figures cost one pass over the requests.
  const buckets = new Map<string, ReportedRequest[]>();
  for (const r of requests) {
    if (r.receivedOn < period.from || r.receivedOn > period.to) continue;
    const monday = isoWeek(r.receivedOn).monday;
    const bucket = buckets.get(monday);
    if (bucket) bucket.push(r);
    else buckets.set(monday, [r]);
  }
  const zeros = (keys: Record<string, number>) => Object.fromEntries(Object.keys(keys).map((k) => [k, 0]));
  const weeks: WeekReport[] = [];
  for (let i = 0; i < count; i++) {
    const monday = dayOf(dayAt(first) + i * 7 * DAY_MS);
    const sunday = dayOf(dayAt(monday) + 6 * DAY_MS);
    const from = monday < period.from ? period.from : monday;
    const to = sunday > period.to ? period.to : sunday;
    const { asOf: _asOf, ...week } = figures(buckets.get(monday) ?? [], { from, to, asOf: period.asOf });
    weeks.push({ ...week, week: isoWeek(monday).week, byType: { ...zeros(report.byType), ...week.byType }, byOutcome: { ...zeros(report.byOutcome), ...week.byOutcome } });
  }
  return { report, weeks };
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

/**
 * The weekly report as CSV: one row per week (its figures as columns, the same for every week), then
 * the whole period's row ("all"), for a spreadsheet's chart.
 */
export function weeklyReportCsv({ report, weeks }: { report: RequestReport; weeks: readonly WeekReport[] }): string {
  const types = Object.keys(report.byType);
  const outcomes = Object.keys(report.byOutcome);
  const row = (week: string, r: Omit<RequestReport, 'asOf'>): (string | number)[] => [
    week,
    r.from,
    r.to,
    r.received,
    ...types.map((k) => r.byType[k] ?? 0),
    ...outcomes.map((k) => r.byOutcome[k] ?? 0),
    r.answered,
    r.daysToAnswer.median ?? '',
    r.daysToAnswer.p90 ?? '',
    r.answeredLate,
    r.openOverdue,
  ];
  const rows: (string | number)[][] = [
    [
      'week',
      'from',
      'to',
      'received',
      ...types.map((k) => `by type: ${k}`),
      ...outcomes.map((k) => `by outcome: ${k}`),
      'answered',
      'median days to answer',
      '90th percentile days to answer',
      'answered after the due day',
      `open past the due day on ${report.asOf}`,
    ],
    ...weeks.map((w) => row(w.week, w)),
    row('all', report),
  ];
  return stringify(rows, { record_delimiter: '\r\n' });
}
