/**
 * One shape for a stored value, whatever the database, its driver or the machine's time zone
 * (ADR 0017). Connectors read values with these functions so that the same row in PostgreSQL,
 * MariaDB or SQLite reaches the access package as the same JSON, CSV and HTML:
 * - a date is its calendar date, `1980-05-17`, never an instant (no time zone can shift it);
 * - a timestamp without time zone is shown as stored: `2024-03-05T14:30:00`, fraction kept;
 * - a timestamp with time zone (PostgreSQL timestamptz, MySQL TIMESTAMP) keeps its instant, in UTC:
 *   `2024-03-05T13:30:00Z`;
 * - an integer is a number while it is safe (|n| <= 2^53 - 1), beyond that a bigint (written as
 *   decimal text: every digit kept);
 * - an exact decimal (NUMERIC, DECIMAL) is decimal text, `12.50`, with its column's scale.
 * A fraction of a second is written without trailing zeros, and not at all when it is zero.
 * Text the database holds that does not have the expected shape (PostgreSQL's `infinity`, a BC
 * date) is left as the database wrote it. Pure.
 */
import type { Value } from '../connector.js';

const TIMESTAMP = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?$/;
const TIMESTAMP_WITH_OFFSET = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:Z|([+-])(\d\d)(?::?(\d\d)(?::?(\d\d))?)?)$/;

const fraction = (digits: string | undefined): string => {
  const trimmed = (digits ?? '').replace(/0+$/, '');
  return trimmed === '' ? '' : `.${trimmed}`;
};

/** A timestamp without time zone as stored (`2024-03-05 14:30:00.120` → `2024-03-05T14:30:00.12`). */
export function localTimestampText(text: string): string {
  const m = TIMESTAMP.exec(text);
  if (m === null) return text;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${fraction(m[7])}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * An instant written with an offset (`2024-03-05 14:30:00.5+01`, as PostgreSQL writes timestamptz
 * in any session time zone) or without one when it is known to be UTC (MySQL TIMESTAMP read in a
 * UTC session), in UTC: `2024-03-05T13:30:00.5Z`. The fraction is kept digit for digit
 * (microseconds), which a JavaScript Date would round to milliseconds.
 */
export function utcInstantText(text: string): string {
  const m = TIMESTAMP_WITH_OFFSET.exec(text) ?? TIMESTAMP.exec(text);
  if (m === null) return text;
  const [, y, mo, d, h, mi, s, frac, sign, oh, om, os] = m;
  // Already in UTC (a session in UTC writes +00): the same text in the one shape, no calendar arithmetic.
  const utc = sign === undefined || (oh === '00' && Number(om ?? 0) === 0 && Number(os ?? 0) === 0);
  // Days past the 28th, a zero month or an hour 24 take the arithmetic below, as before.
  if (utc && y!.length === 4 && y !== '0000' && mo! >= '01' && mo! <= '12' && d! >= '01' && d! <= '28' && h! < '24') {
    return `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction(frac)}Z`;
  }
  const offsetSeconds = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0));
  // Date.UTC on whole seconds only: the calendar arithmetic (a day, a month, a year crossed).
  const at = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetSeconds * 1000);
  if (Number.isNaN(at.getTime())) return text;
  // Date.UTC maps years 0-99 to 1900-1999: set the year again.
  if (Number(y) < 100) at.setUTCFullYear(at.getUTCFullYear() - 1900);
  const year = at.getUTCFullYear();
  if (year < 1 || year > 9999) return text;
  return `${pad(year, 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}${fraction(frac)}Z`;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An integer: a number while it is safe, else a bigint (the digits all kept). */
export function integerValue(value: bigint | number | string): Value {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (!/^-?\d+$/.test(value)) return value;
    // Fifteen characters hold at most 15 digits, always a safe integer: read it as a number (every
    // key of every row goes through here).
    if (value.length <= 15) return Number(value);
    value = BigInt(value);
  }
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/** The scale of a declared exact decimal type (`decimal(10,2)` → 2, `numeric` → undefined), or null when it is not one. */
export function decimalScale(declaredType: string): number | undefined | null {
  const m = /^\s*(?:decimal|numeric)\s*(?:\(\s*\d+\s*(?:,\s*(\d+)\s*)?\))?\s*$/i.exec(declaredType);
  if (m === null) return null;
  return m[1] === undefined ? (/\(/.test(declaredType) ? 0 : undefined) : Number(m[1]);
}

/**
 * An exact decimal as text. SQLite keeps a DECIMAL(10,2) amount as a floating-point or an integer
 * (12.5, 12): written with the column's scale (`12.50`, `12.00`), as PostgreSQL and MariaDB write
 * the same column, and a value that is already text is left as it is.
 */
export function decimalText(value: Value, scale: number | undefined): Value {
  if (typeof value === 'bigint') return scale === undefined || scale === 0 ? value.toString() : `${value.toString()}.${'0'.repeat(scale)}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  if (scale !== undefined && scale <= 100 && Math.abs(value) < 1e21) return value.toFixed(scale);
  return String(value);
}
