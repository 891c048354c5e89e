/**
 * When an answer to a request is due (Art. 12(3) GDPR): "without undue delay and in any event within
 * one month of receipt of the request", extendable "by two further months where necessary". Periods
 * are computed under Regulation (EEC, Euratom) No 1182/71, as the EDPB reads Art. 12(3):
 * - the day of receipt does not count; a period in months ends on the same date of the last month, or
 *   on that month's last day where the date does not exist (31 January + 1 month: 28 or 29 February)
 *   (Art. 3(1), 3(2)(c));
 * - a period whose last day is a Saturday, a Sunday or a public holiday ends at the end of the next
 *   working day (Art. 3(4)); public holidays are the organisation's country's, from date-holidays
 *   (decision 0028), not a hand-kept list;
 * - an extension is counted from receipt (one month and two further months: three months from
 *   receipt), not from a first deadline that may itself have moved to a working day;
 * - while the controller waits for information it asked for to confirm the person's identity
 *   (Art. 12(6), EDPB Guidelines 01/2022), the clock does not run: the start moves by the days waited.
 *
 * Pure: dates are calendar dates (YYYY-MM-DD) in the organisation's calendar, never instants.
 */
import Holidays from 'date-holidays';
import { OpendpoError } from '../errors/opendpo-error.js';

export interface IdentityWait {
  /** The day the controller asked for information to confirm the person's identity. */
  from: string;
  /** The day it received that information. */
  until: string;
}

export interface AnswerDeadlineInput {
  /** The day the request was received (YYYY-MM-DD). */
  receivedOn: string;
  /** The organisation's country (ISO 3166-1 alpha-2): its public holidays end no period. */
  country: string;
  /** Further months granted (Art. 12(3)): 0, 1 or 2. */
  extensionMonths?: number;
  /** Each time the controller waited for identity information. */
  identityWaits?: readonly IdentityWait[];
}

export interface AnswerDeadline {
  /** The last day to answer. */
  dueOn: string;
  /** The day the period ran from: receipt, moved by the days waited for identity information. */
  runsFrom: string;
  /** Days the clock waited for identity information. */
  waitedDays: number;
  /** The day the months ended on, where it was a Saturday, a Sunday or a public holiday and the period moved to the next working day. */
  movedFrom?: string;
}

const DAY = 86_400_000;

export function answerDeadline(input: AnswerDeadlineInput): AnswerDeadline {
  const received = calendarDate(input.receivedOn, 'receivedOn');
  const extension = input.extensionMonths ?? 0;
  if (!Number.isInteger(extension) || extension < 0 || extension > 2) {
    throw new OpendpoError('INVALID_INPUT', `extensionMonths: must be 0, 1 or 2 (Art. 12(3) allows two further months at most), not ${JSON.stringify(input.extensionMonths)}`);
  }
  const isHoliday = publicHolidays(input.country);
  let waitedDays = 0;
  (input.identityWaits ?? []).forEach((w, i) => {
    const from = calendarDate(w.from, `identityWaits[${i}].from`);
    const until = calendarDate(w.until, `identityWaits[${i}].until`);
    if (from < received) throw new OpendpoError('INVALID_INPUT', `identityWaits[${i}]: the controller cannot wait before the request was received (${w.from} < ${input.receivedOn})`);
    if (until < from) throw new OpendpoError('INVALID_INPUT', `identityWaits[${i}]: until (${w.until}) is before from (${w.from})`);
    waitedDays += Math.round((until - from) / DAY);
  });
  const runsFrom = received + waitedDays * DAY;
  const end = addMonths(runsFrom, 1 + extension);
  let due = end;
  while (isWeekend(due) || isHoliday(due)) due += DAY;
  return { dueOn: iso(due), runsFrom: iso(runsFrom), waitedDays, ...(due !== end ? { movedFrom: iso(end) } : {}) };
}

/** A YYYY-MM-DD calendar date as UTC midnight milliseconds; anything else is refused, naming the field. */
function calendarDate(value: string, field: string): number {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(t) || iso(t) !== value) {
    throw new OpendpoError('INVALID_INPUT', `${field}: must be a calendar date written YYYY-MM-DD, not ${JSON.stringify(value)}`);
  }
  return t;
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const isWeekend = (t: number) => [0, 6].includes(new Date(t).getUTCDay());

/** Regulation 1182/71 Art. 3(2)(c): the same date `months` later, or that month's last day. */
function addMonths(t: number, months: number): number {
  const d = new Date(t);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay));
}

const calendars = new Map<string, (t: number) => boolean>();

/** Whether a day is a public holiday of the country, its years read once. */
function publicHolidays(country: string): (t: number) => boolean {
  const code = typeof country === 'string' ? country.toUpperCase() : '';
  const cached = calendars.get(code);
  if (cached) return cached;
  if (!/^[A-Z]{2}$/.test(code) || !(code in new Holidays().getCountries())) {
    throw new OpendpoError('INVALID_INPUT', `country: ${JSON.stringify(country)} is not a country whose public holidays are known (ISO 3166-1 alpha-2, e.g. FR)`);
  }
  const hd = new Holidays(code);
  const years = new Map<number, Set<string>>();
  const check = (t: number): boolean => {
    const year = new Date(t).getUTCFullYear();
    let days = years.get(year);
    if (!days) {
      // Public holidays only: bank, school, optional and observance days do not end a period.
      days = new Set(hd.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
      years.set(year, days);
    }
    return days.has(iso(t));
  };
  calendars.set(code, check);
  return check;
}

/** Regulation 1182/71 Art. 2(2): a working day is any day but a public holiday of the country, a Saturday or a Sunday. */
export function isWorkingDay(day: string, country: string): boolean {
  const t = calendarDate(day, 'day');
  return !isWeekend(t) && !publicHolidays(country)(t);
}

/**
 * The calendar day an instant falls on in a time zone (a request received at 23:30 in Paris on
 * 31 January was received on 31 January, whatever the server's zone).
 */
export function calendarDay(instant: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) dayFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return format.format(instant);
}

/** One formatter per zone: making one costs some 50 times formatting with it. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

const zones = new Map<string, string>();

/**
 * The organisation's time zone when none is configured: its country's first (its capital's, in
 * date-holidays' list). Kept per country: reading date-holidays' rules for a country took more of a
 * request's time at the desk than anything else it does.
 */
export function countryTimeZone(country: string): string {
  const code = country.toUpperCase();
  let zone = zones.get(code);
  if (zone === undefined) zones.set(code, (zone = new Holidays(code).getTimezones()[0] ?? 'UTC'));
  return zone;
}
