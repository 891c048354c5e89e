/**
 * Words shared by the exports: a register text in the wanted language, and an ISO 8601
 * duration said the way a DPO writes it. Pure.
 */
import type { Language, LocalisedText } from '../schema.js';

/**
 * The text in `lang`; otherwise in the register's default language; otherwise the first given.
 * A plain string is in the register's default language, and is returned as it is.
 */
export function localise(t: LocalisedText | undefined, lang: Language, fallback: Language): string | undefined {
  if (t === undefined) return undefined;
  if (typeof t === 'string') return t;
  return t[lang] ?? t[fallback] ?? Object.values(t).find((v): v is string => typeof v === 'string');
}

/** The texts of a LocalisedText by language (a plain string belongs to the default language). */
export function languagesOf(t: LocalisedText, fallback: Language): [Language, string][] {
  if (typeof t === 'string') return [[fallback, t]];
  return Object.entries(t).filter((e): e is [Language, string] => typeof e[1] === 'string');
}

const UNITS: Record<Language, Record<'Y' | 'M' | 'W' | 'D', [string, string]>> = {
  en: { Y: ['year', 'years'], M: ['month', 'months'], W: ['week', 'weeks'], D: ['day', 'days'] },
  fr: { Y: ['an', 'ans'], M: ['mois', 'mois'], W: ['semaine', 'semaines'], D: ['jour', 'jours'] },
};

/** P3Y → "3 years" / "3 ans"; P1Y6M → "1 year 6 months". Anything else is returned unchanged. */
export function describeDuration(iso: string, lang: Language): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(iso);
  if (!m) return iso;
  const parts: string[] = [];
  (['Y', 'M', 'W', 'D'] as const).forEach((unit, i) => {
    const n = m[i + 1];
    if (n === undefined) return;
    const [one, many] = UNITS[lang][unit];
    parts.push(`${Number(n)} ${Number(n) === 1 ? one : many}`);
  });
  return parts.length > 0 ? parts.join(' ') : iso;
}
