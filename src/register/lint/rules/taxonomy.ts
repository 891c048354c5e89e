/**
 * Codes from the fideslang taxonomy: a code outside it cannot be labelled in the notice, mapped to a
 * special category, or compared with the CNIL recommendations, so a typo silently weakens every check.
 */
import { deprecatedTaxonomyKey, isDataCategory, isDataSubject, isDataUse, suggestTaxonomyKey } from '../../../reference/taxonomy.js';
import type { ReportExtra, Rule } from '../rule.js';

type Kind = 'data_category' | 'data_use' | 'data_subject';

function unknownCode(kind: Kind, code: string): { message: string; extra: ReportExtra | undefined } {
  // A deprecated key still means something: a warning to move on, not an error.
  const deprecated = deprecatedTaxonomyKey(kind, code);
  if (deprecated) {
    return {
      message: `"${code}" was deprecated in fideslang ${deprecated.version_deprecated}: use "${deprecated.replaced_by}"`,
      extra: { suggestion: deprecated.replaced_by, severity: 'warning' },
    };
  }
  const guess = suggestTaxonomyKey(kind, code);
  const label = kind.replace('_', ' ');
  return {
    message: `"${code}" is not a fideslang ${label}${guess ? `: did you mean "${guess}"?` : ''}`,
    extra: guess ? { suggestion: guess } : undefined,
  };
}

export const unknownDataCategory: Rule = {
  id: 'taxonomy/unknown-data-category',
  severity: 'error',
  article: 'Art. 30(1)(c)',
  title: 'A data category is not in the fideslang taxonomy',
  help: 'Data categories are fideslang codes (e.g. user.contact.email): they give the notice its labels and let the linter recognise special categories. Use the closest code, and keep the wording in label. A key fideslang has deprecated is a warning naming its replacement.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      (a.data_categories ?? []).forEach((c, j) => {
        if (isDataCategory(c.category)) return;
        const { message, extra } = unknownCode('data_category', c.category);
        report(ctx.loaded.at.activity(i, 'data_categories', j, 'category'), message, extra);
      });
      (a.retention ?? []).forEach((r, j) => {
        (r.categories ?? []).forEach((code, k) => {
          if (isDataCategory(code)) return;
          const { message, extra } = unknownCode('data_category', code);
          report(ctx.loaded.at.activity(i, 'retention', j, 'categories', k), message, extra);
        });
      });
    });
  },
};

export const unknownDataUse: Rule = {
  id: 'taxonomy/unknown-data-use',
  severity: 'error',
  article: 'Art. 30(1)(b)',
  title: 'A purpose’s data use is not in the fideslang taxonomy',
  help: 'A purpose’s data_use is a fideslang code (e.g. marketing.communications.email) that classifies it for exports and comparisons. Use the closest code; the purpose’s own words go in description.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      (a.purposes ?? []).forEach((p, j) => {
        if (p.data_use === undefined || isDataUse(p.data_use)) return;
        const { message, extra } = unknownCode('data_use', p.data_use);
        report(ctx.loaded.at.activity(i, 'purposes', j, 'data_use'), message, extra);
      });
    });
  },
};

export const unknownDataSubject: Rule = {
  id: 'taxonomy/unknown-data-subject',
  severity: 'error',
  article: 'Art. 30(1)(c)',
  title: 'A data subject category is not in the fideslang taxonomy',
  help: 'A data subject’s category is a fideslang code (customer, prospect, employee, job_applicant, ...) that drives the CNIL retention and DPIA checks. Use the closest code, or leave category out and keep only the label.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      (a.data_subjects ?? []).forEach((s, j) => {
        if (s.category === undefined || isDataSubject(s.category)) return;
        const { message, extra } = unknownCode('data_subject', s.category);
        report(ctx.loaded.at.activity(i, 'data_subjects', j, 'category'), message, extra);
      });
    });
  },
};

export const TAXONOMY_RULES: readonly Rule[] = [unknownDataCategory, unknownDataUse, unknownDataSubject];
