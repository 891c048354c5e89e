/**
 * CNIL recommended maximum retention periods (Art. 5(1)(e), storage limitation), by fideslang
 * data subject. They are recommendations: a longer period is a warning to justify, not an error.
 */
import cnilData from './data/cnil.json' with { type: 'json' };

export interface RetentionRecommendation {
  subjects: string[];
  /** ISO 8601 duration, e.g. P3Y. */
  duration: string;
  starts_from: { en: string; fr: string };
  /** What the recommendation covers (e.g. inactive customer accounts, not every customer record). */
  applies_to: { en: string; fr: string };
  source: string;
}

interface CnilFile {
  items: RetentionRecommendation[];
}

const BY_SUBJECT = new Map<string, RetentionRecommendation>();
for (const item of (cnilData as CnilFile).items) {
  for (const subject of item.subjects) BY_SUBJECT.set(subject, item);
}

/** The CNIL recommendation for a fideslang data subject: prospect → P3Y, job_applicant → P2Y, customer → P2Y (inactive accounts). */
export function cnilRecommendationFor(dataSubjectCategory: string): RetentionRecommendation | undefined {
  return BY_SUBJECT.get(dataSubjectCategory);
}

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

/**
 * Approximate length of an ISO 8601 duration in days (Y = 365, M = 30, W = 7), for comparing
 * periods only; legal deadlines are computed on calendar dates elsewhere. Throws on text the
 * schema would have rejected.
 */
export function durationInDays(iso: string): number {
  const m = DURATION.exec(iso);
  if (!m) throw new Error(`Not an ISO 8601 duration in years, months, weeks and days: "${iso}"`);
  const [, y, mo, w, d] = m;
  return Number(y ?? 0) * 365 + Number(mo ?? 0) * 30 + Number(w ?? 0) * 7 + Number(d ?? 0);
}
