/**
 * Art. 30(1)(f), 5(1)(e), 13(2)(a): how long data is kept, from when, and what happens at the end.
 */
import { cnilRecommendationFor, durationInDays } from '../../../reference/cnil.js';
import { isOwnProcessing } from '../activity-facts.js';
import type { Rule } from '../rule.js';

export const retentionMissing: Rule = {
  id: 'retention/missing',
  severity: 'error',
  article: 'Art. 30(1)(f)',
  title: 'No retention period for an activity or for a category of its data',
  help: 'The record gives, where possible, the time limits for erasure of each category of data (Art. 30(1)(f)), and the notice gives the period or the criteria used to set it (Art. 13(2)(a)). A general "no longer than necessary" is neither. Add retention with a duration (ISO 8601, e.g. P3Y) and the event it starts from.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      const rules = a.retention ?? [];
      if (rules.length === 0) {
        if (isOwnProcessing(a)) report(ctx.loaded.at.activity(i, 'retention'), 'the activity gives no retention period: add retention with a duration');
        return;
      }
      rules.forEach((r, j) => {
        if (r.duration === undefined && r.criteria === undefined) {
          report(ctx.loaded.at.activity(i, 'retention', j), 'the retention rule gives neither a duration nor the criteria: add duration');
        }
      });
      // Rules limited to some categories must, together, cover every category of the activity.
      if (rules.some((r) => r.categories === undefined)) return;
      const covered = new Set(rules.flatMap((r) => r.categories ?? []));
      (a.data_categories ?? []).forEach((c, k) => {
        if (!covered.has(c.category)) {
          report(ctx.loaded.at.activity(i, 'data_categories', k), `no retention rule covers "${c.category}": add it to a retention rule's categories`);
        }
      });
    });
  },
};

export const retentionNoEndAction: Rule = {
  id: 'retention/no-end-action',
  severity: 'warning',
  article: 'Art. 5(1)(e)',
  title: 'A retention rule does not say what happens at the end of the period',
  help: 'At the end of the period data is deleted, anonymised, or archived for a statutory period under a named law (Art. 5(1)(e)). Add end_action (delete, anonymise or archive) and, for archive, archive.duration and archive.statute.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      (a.retention ?? []).forEach((r, j) => {
        if (r.duration === undefined && r.criteria === undefined) return; // retention/missing says it
        if (r.end_action === undefined) {
          report(ctx.loaded.at.activity(i, 'retention', j), 'the retention rule does not say what happens at the end: add end_action (delete, anonymise or archive)');
        } else if (r.end_action === 'archive' && r.archive === undefined) {
          report(ctx.loaded.at.activity(i, 'retention', j, 'end_action'), 'data is archived at the end without a statutory period: add archive.duration and archive.statute');
        }
      });
    });
  },
};

export const retentionNoDuration: Rule = {
  id: 'retention/no-duration',
  severity: 'warning',
  article: 'Art. 13(2)(a)',
  title: 'A retention rule gives criteria but no duration',
  help: 'Criteria are allowed where no period can be fixed (Art. 13(2)(a)), but a duration is what can be checked and enforced. Give duration where one can be stated.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      (a.retention ?? []).forEach((r, j) => {
        if (r.duration === undefined && r.criteria !== undefined) {
          report(ctx.loaded.at.activity(i, 'retention', j, 'criteria'), 'the retention rule gives criteria but no duration: give duration where one can be stated');
        }
      });
    });
  },
};

/**
 * The CNIL recommendations this rule applies. The one for customers concerns inactive accounts, not
 * every customer record, so comparing an activity's retention with it would mislead.
 */
const CNIL_CHECKED_SUBJECTS = new Set(['prospect', 'job_applicant']);

export const retentionExceedsCnil: Rule = {
  id: 'retention/exceeds-cnil',
  severity: 'warning',
  article: 'Art. 5(1)(e)',
  title: 'Data is kept longer than the CNIL recommends for prospects or job applicants',
  help: 'The CNIL recommends at most 3 years from the last contact for prospects, and 2 years after the last contact for unsuccessful job applicants; beyond that, keep the data only archived for a limitation period. Shorten the duration, or record why it is longer.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      const recommendations = (a.data_subjects ?? []).flatMap((s) => {
        const rec = s.category === undefined || !CNIL_CHECKED_SUBJECTS.has(s.category) ? undefined : cnilRecommendationFor(s.category);
        return rec && s.category ? [{ subject: s.category, rec, days: durationInDays(rec.duration) }] : [];
      });
      if (recommendations.length === 0) return;
      const strictest = recommendations.reduce((m, r) => (r.days < m.days ? r : m));
      (a.retention ?? []).forEach((r, j) => {
        if (r.duration === undefined || durationInDays(r.duration) <= strictest.days) return;
        report(
          ctx.loaded.at.activity(i, 'retention', j, 'duration'),
          `${r.duration} is longer than the CNIL recommendation for ${strictest.subject} (${strictest.rec.duration} from ${strictest.rec.starts_from.en})`,
        );
      });
    });
  },
};

export const RETENTION_RULES: readonly Rule[] = [retentionMissing, retentionNoEndAction, retentionNoDuration, retentionExceedsCnil];
