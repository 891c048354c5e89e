/**
 * What a later access request says about an earlier erasure (Art. 15 after Art. 17): the person
 * asks again and must be told what was erased and when, and what is still kept under a legal hold
 * (Art. 17(3)), why, and until when (Art. 15(1)(d)). The store keeps, per identity, only a keyed
 * fingerprint with the erasure's request id and what it kept (collections, counts, fields, the
 * hold); this module turns that into the lines of the answer. Pure.
 */
import type { Value } from '../connectors/connector.js';
import type { PastErasure } from './collected.js';
import type { KeptRecord } from './erasure/plan-erasure.js';

/** What an erasure records about what it kept (the store's kept_json), decided before its first write. */
export type KeptLine = PastErasure['kept'][number] & {
  /** The hold's period starts at this date (the latest retention start of the kept rows), when the dataset dates it. */
  latestStart?: string;
};

export function keptLines(kept: readonly KeptRecord[]): KeptLine[] {
  return kept.map((k) => ({
    collection: k.node,
    rows: k.rows,
    reason: k.reason,
    ...(k.fields ? { fields: [...k.fields] } : {}),
    ...(k.hold ? { hold: { ...k.hold } } : {}),
    ...(k.latestStart ? { latestStart: k.latestStart } : {}),
  }));
}

/**
 * The past erasure as the access answer gives it: `until` is the latest retention start of the kept
 * rows plus the hold's period when the dataset dates them, else the erasure's completion plus the
 * period (the rows cannot have started later), else unknown.
 */
export function pastErasure(requestId: string, completedAt: string, lines: readonly KeptLine[]): PastErasure {
  return {
    requestId,
    completedAt,
    kept: lines.map(({ latestStart, ...line }) => {
      const period = line.hold?.period;
      const from = latestStart ?? calendarDate(completedAt);
      const until = period !== undefined && from !== undefined ? addPeriod(from, period) : undefined;
      return { ...line, ...(until ? { until } : {}) };
    }),
  };
}

/**
 * The calendar date (YYYY-MM-DD) a stored value names, or undefined when it names none. A driver's
 * Date for a DATE column is local midnight, so its local calendar date is the stored one; text is
 * read as written when it starts with a date, else as an instant.
 */
export function calendarDate(value: Value): string | undefined {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    return ymd(value.getFullYear(), value.getMonth() + 1, value.getDate());
  }
  if (typeof value !== 'string') return undefined;
  const written = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(value.trim());
  if (written) return validDate(Number(written[1]), Number(written[2]), Number(written[3]));
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString().slice(0, 10);
}

/** A date plus an ISO 8601 period of years, months, weeks and days (P10Y, P6M, P30D); the end of a month is kept in range (Jan 31 + P1M = Feb 28/29). */
export function addPeriod(date: string, period: string): string | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const p = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(period);
  if (!d || !p) return undefined;
  const months = Number(d[1]) * 12 + (Number(d[2]) - 1) + Number(p[1] ?? 0) * 12 + Number(p[2] ?? 0);
  const year = Math.floor(months / 12);
  const month = (months % 12) + 1;
  const day = Math.min(Number(d[3]), daysIn(year, month));
  const days = Number(p[3] ?? 0) * 7 + Number(p[4] ?? 0);
  const end = new Date(Date.UTC(year, month - 1, day + days));
  return end.toISOString().slice(0, 10);
}

const ymd = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const validDate = (y: number, m: number, d: number) => (m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) ? ymd(y, m, d) : undefined);
