/**
 * Accept-Language negotiation (RFC 9110 section 12.5.4): the languages the visitor accepts, by
 * quality; the first one the notice is published in wins. Pure, so it is tested without HTTP.
 */
import type { Language } from '../register/schema.js';

export function negotiateLanguage(
  header: string | undefined,
  available: readonly Language[],
  fallback: Language,
): Language {
  if (!header) return fallback;
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim().toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.tag !== '' && r.quality > 0)
    // Highest quality first; equal qualities keep the visitor's order.
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const range of ranges) {
    if (range.tag === '*') return fallback;
    const primary = range.tag.split('-')[0];
    const match = available.find((l) => l === primary);
    if (match) return match;
  }
  return fallback;
}
