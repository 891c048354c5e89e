/**
 * Counting calendar days between two days of the organisation's calendar (YYYY-MM-DD), read as
 * text: the deadline of Art. 12(3) is a calendar date (Regulation 1182/71 counts calendar days, not
 * working days), so "days left" is the number of calendar days from today to the due day, whatever
 * the server's zone or a change to summer time in between.
 */
import { OpendpoError } from '../../errors/opendpo-error.js';

const DAY_MS = 86_400_000;

/** Calendar days from `from` to `to`: 0 on the same day, negative when `to` is before `from`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to, 'to') - utcMidnight(from, 'from')) / DAY_MS);
}

/** The day `days` calendar days after `day` (before it when negative). */
export function addDays(day: string, days: number): string {
  return new Date(utcMidnight(day, 'day') + days * DAY_MS).toISOString().slice(0, 10);
}

function utcMidnight(day: string, field: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day) {
    throw new OpendpoError('INVALID_INPUT', `${field}: must be a calendar date written YYYY-MM-DD, not ${JSON.stringify(day)}`);
  }
  return t;
}
