/**
 * The frame of every privacy-center page: the language on <html> (WCAG 3.1.1), a skip link, the
 * organisation's logo and name, a link to the same page in the other language, one <main>, and the
 * link to the full notice. Every text is escaped with the notice's own escaping (src/notice/
 * write-html.ts); no inline script or style (the CSP allows neither).
 */
import { escapeHtml } from '../notice/write-html.js';
import { en, type CenterStrings } from './i18n/en.js';
import { fr } from './i18n/fr.js';

export type CenterLanguage = 'en' | 'fr';
export const CENTER_STRINGS: Readonly<Record<CenterLanguage, CenterStrings>> = { en, fr };

export interface CenterBranding {
  logo?: string | undefined;
  logo_alt?: string | undefined;
  primary?: string | undefined;
  on_primary?: string | undefined;
}

export interface CenterOrganisation {
  id: string;
  name: string;
  branding: CenterBranding;
}

export interface LayoutInput {
  lang: CenterLanguage;
  org: CenterOrganisation;
  title: string;
  /** The page's content, already escaped HTML. */
  body: string;
  /** The same page in the other language. */
  switchHref: string;
  /** Where the style sheet and the enhancement script are (versioned by content: cached for a year); no script when it is not built. */
  assets: CenterAssets;
  /** Attributes for <main> (the status page's refresh), already escaped. */
  mainAttributes?: string;
}

export interface CenterAssets {
  css: string;
  script?: string | undefined;
}

export const esc = escapeHtml;

/** A text with {placeholders} filled in, each value escaped. */
export function fillEscaped(template: string, vars: Record<string, string | number>): string {
  return esc(template).replace(/\{(\w+)\}/g, (_m, k: string) => esc(String(vars[k] ?? '')));
}

/** A text with {placeholders} filled in, not escaped (for an attribute or a message escaped later). */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_m, k: string) => String(vars[k] ?? ''));
}

export const centerBase = (org: string): string => `/privacy-center/${encodeURIComponent(org)}`;
export const withLang = (href: string, lang: CenterLanguage): string => `${href}${href.includes('?') ? '&' : '?'}lang=${lang}`;

export function layout(input: LayoutInput): string {
  const s = CENTER_STRINGS[input.lang];
  const other: CenterLanguage = input.lang === 'en' ? 'fr' : 'en';
  const base = centerBase(input.org.id);
  const logo = input.org.branding.logo;
  const logoAlt = input.org.branding.logo_alt ?? input.org.name;
  return [
    '<!DOCTYPE html>',
    `<html lang="${input.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(input.title)}${esc(s.page_title_separator)}${esc(s.center_name)}${esc(s.page_title_separator)}${esc(input.org.name)}</title>`,
    `<link rel="stylesheet" href="${esc(input.assets.css)}">`,
    // The organisation's colours, when its register gives them (a sheet of its own: no inline style).
    input.org.branding.primary !== undefined ? `<link rel="stylesheet" href="${esc(base)}/theme.css">` : '',
    // No icon to fetch: a browser asks for /favicon.ico otherwise, and logs the 404.
    '<link rel="icon" href="data:,">',
    input.assets.script ? `<script src="${esc(input.assets.script)}" defer></script>` : '',
    '</head>',
    '<body>',
    `<a class="skip-link" href="#main">${esc(s.skip_link)}</a>`,
    '<header class="top"><div class="wrap">',
    `<a class="brand" href="${esc(withLang(base, input.lang))}">${logo ? `<img src="${esc(logo)}" alt="${esc(logoAlt)}">` : ''}<span>${esc(input.org.name)} · ${esc(s.center_name)}</span></a>`,
    `<nav aria-label="${esc(s.language_nav)}"><a href="${esc(input.switchHref)}" lang="${other}" hreflang="${other}">${esc(s.switch_to)}</a></nav>`,
    '</div></header>',
    `<main id="main" tabindex="-1" class="wrap"${input.mainAttributes ?? ''}>`,
    input.body,
    '</main>',
    '<footer><div class="wrap">',
    `<p>${fillEscaped(s.footer_note, { organisation: input.org.name })}</p>`,
    `<p><a href="${esc(`/privacy-notice?org=${encodeURIComponent(input.org.id)}&lang=${input.lang}`)}">${esc(s.notice_link)}</a></p>`,
    '</div></footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
