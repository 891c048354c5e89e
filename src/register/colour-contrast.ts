/**
 * WCAG 2.1 contrast (success criterion 1.4.3, AA: 4.5:1 for text) between two sRGB colours written
 * #rrggbb. Pure: the linter checks an organisation's branding with it, and the privacy center picks
 * the text colour on a branded button with it.
 */

/** The relative luminance of #rrggbb (WCAG 2.1, "relative luminance"). */
export function relativeLuminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two colours, from 1 (the same) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** AA for normal text. */
export const AA_TEXT_CONTRAST = 4.5;
