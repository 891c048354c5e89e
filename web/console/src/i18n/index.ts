/** The console's language: English or French, from the browser at first, then the switch (kept in localStorage). */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type Messages } from './en.js';
import { fr } from './fr.js';

export type Lang = 'en' | 'fr';
export const MESSAGES: Record<Lang, Messages> = { en, fr };
const KEY = 'opendpo.console.lang';

export function initialLang(): Lang {
  try {
    const kept = localStorage.getItem(KEY);
    if (kept === 'en' || kept === 'fr') return kept;
  } catch {
    // storage refused (private mode): the browser's language
  }
  const langs = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  for (const l of langs) {
    const base = l.toLowerCase().slice(0, 2);
    if (base === 'fr' || base === 'en') return base;
  }
  return 'en';
}

export function keepLang(lang: Lang): void {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // not kept: the switch still works for this page
  }
  document.documentElement.lang = lang;
}

export interface I18n {
  lang: Lang;
  t: Messages;
  setLang: (lang: Lang) => void;
}

export const I18nContext = createContext<I18n>({ lang: 'en', t: en, setLang: () => undefined });
export const useI18n = (): I18n => useContext(I18nContext);

export function formatDate(lang: Lang, iso: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: /^\d{4}-\d{2}-\d{2}$/.test(iso) ? 'UTC' : undefined }).format(date);
}

export function formatDateTime(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
