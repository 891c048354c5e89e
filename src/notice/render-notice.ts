/**
 * The privacy notice of a register (Art. 13 and 14), in one language and one format.
 * Pure and deterministic: no clock is read, so the same register always gives the same notice
 * (a timestamp appears only when the caller passes `generatedAt`).
 */
import type { Language, Register } from '../register/schema.js';
import { buildNotice } from './build-notice.js';
import { writeHtml } from './write-html.js';
import { writeMarkdown } from './write-markdown.js';

export type NoticeFormat = 'html' | 'md';
export const NOTICE_FORMATS: readonly NoticeFormat[] = ['html', 'md'];

export interface RenderNoticeOptions {
  lang: Language;
  format: NoticeFormat;
  /** Shown in the footer when given (an ISO 8601 date or date-time). */
  generatedAt?: string;
}

export function renderNotice(register: Register, opts: RenderNoticeOptions): string {
  const doc = buildNotice(register, opts.generatedAt === undefined ? { lang: opts.lang } : { lang: opts.lang, generatedAt: opts.generatedAt });
  return opts.format === 'html' ? writeHtml(doc) : writeMarkdown(doc);
}
