/**
 * A value of the copy as the person reads it (Art. 12(1): intelligible, in clear and plain
 * language), in their locale: an amount stored in cents as "58,00 €", a date as "3 février 2025",
 * a 0/1 column as "oui"/"non", a code as its meaning. Only the readable copy (HTML) shows values
 * this way; the JSON and the CSV files keep them as stored (machine-readable, Art. 20(1)).
 * Pure: Intl does the locale's work (Node ships full ICU).
 */
import type { Language } from '../../register/schema.js';
import type { PackageFormat } from './access-package.js';
import { fill, PACKAGE_STRINGS } from './i18n.js';
import type { CellValue } from './values.js';

/** The locale a package language is shown in. */
export const LOCALE: Readonly<Record<Language, string>> = { en: 'en-GB', fr: 'fr-FR' };

/** A value as a person reads it: "(no value)" for null, yes/no, the size of binary data, else the format's reading. */
export function formatValue(v: CellValue, format: PackageFormat | undefined, lang: Language): string {
  const s = PACKAGE_STRINGS[lang];
  if (v === null) return s.value_empty;
  if (typeof v === 'object') return fill(s.value_binary, { bytes: Buffer.from(v.base64, 'base64').length, base64: v.base64 });
  const formatted = format ? formatWith(v, format, lang) : undefined;
  if (formatted !== undefined) return formatted;
  if (typeof v === 'boolean') return v ? s.value_true : s.value_false;
  return String(v);
}

function formatWith(v: string | number | boolean, format: PackageFormat, lang: Language): string | undefined {
  switch (format.type) {
    case 'money':
      return money(v, format.currency, format.scale, lang);
    case 'date':
      return date(v, lang);
    case 'datetime':
      return dateTime(v, lang);
    case 'boolean':
      return yesNo(v, lang);
    case 'enum': {
      const key = String(v);
      // The meaning, with the stored code beside it: the person can match it with the JSON copy.
      return Object.hasOwn(format.values, key) ? `${format.values[key]!} (${key})` : undefined;
    }
  }
}

/** 5800 with scale 2 in EUR: "€58.00" / "58,00 €". Not a number: undefined (shown as stored). */
function money(v: string | number | boolean, currency: string, scale: number, lang: Language): string | undefined {
  if (typeof v === 'boolean') return undefined;
  const text = String(v).trim();
  if (!/^[-+]?\d+(\.\d+)?$/.test(text)) return undefined;
  const amount = Number(text) / 10 ** scale;
  if (!Number.isFinite(amount)) return undefined;
  try {
    return new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency }).format(amount);
  } catch {
    return undefined; // a currency code Intl does not know
  }
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** A calendar date, as written (never moved by a time zone): "3 February 2025" / "3 février 2025". */
function date(v: string | number | boolean, lang: Language): string | undefined {
  const m = typeof v === 'string' ? DATE_TIME.exec(v.trim()) : null;
  if (!m) return undefined;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(at)) return undefined;
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(at);
}

/**
 * A date and time. Without a zone it is shown as stored (a wall-clock time); with one it is an
 * instant, shown in UTC and said so.
 */
function dateTime(v: string | number | boolean, lang: Language): string | undefined {
  const m = typeof v === 'string' ? DATE_TIME.exec(v.trim()) : null;
  if (!m) return undefined;
  if (m[4] === undefined) return date(v, lang);
  const zone = m[7];
  let at: number;
  if (zone === undefined) {
    at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  } else {
    at = new Date(v as string).getTime();
  }
  if (Number.isNaN(at)) return undefined;
  const text = new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(at);
  return zone === undefined ? text : `${text} UTC`;
}

const TRUE = new Set(['1', 't', 'true', 'y', 'yes']);
const FALSE = new Set(['0', 'f', 'false', 'n', 'no']);

function yesNo(v: string | number | boolean, lang: Language): string | undefined {
  const s = PACKAGE_STRINGS[lang];
  const key = String(v).trim().toLowerCase();
  if (TRUE.has(key)) return s.value_true;
  if (FALSE.has(key)) return s.value_false;
  return undefined;
}
