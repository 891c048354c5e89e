/**
 * Art. 35: a DPIA where processing is likely to result in a high risk. The EDPB (WP248 rev.01) lists
 * nine criteria; processing meeting two or more usually requires one.
 */
import { DPIA_CRITERIA, type Activity } from '../../schema.js';
import { hasVulnerableDataSubjects, isCriminalData, isOwnProcessing, specialCategoryOfData } from '../activity-facts.js';
import type { Rule } from '../rule.js';

/** The criteria the activity declares, plus those its content shows, in the EDPB's order. */
export function dpiaCriteriaOf(a: Activity): string[] {
  const criteria = new Set<string>(a.dpia_criteria ?? []);
  if ((a.data_categories ?? []).some((c) => specialCategoryOfData(c) !== undefined || isCriminalData(c))) criteria.add('sensitive_data');
  if ((a.automated_decisions ?? []).some((d) => d.legal_or_similar_effect)) criteria.add('automated_decision_with_legal_effect');
  if ((a.automated_decisions ?? []).some((d) => d.profiling)) criteria.add('evaluation_or_scoring');
  if (hasVulnerableDataSubjects(a)) criteria.add('vulnerable_data_subjects');
  return DPIA_CRITERIA.filter((c) => criteria.has(c));
}

export const likelyRequired: Rule = {
  id: 'dpia/likely-required',
  severity: 'warning',
  article: 'Art. 35',
  title: 'Two or more EDPB criteria apply and no DPIA is recorded',
  help: 'Processing that meets two or more EDPB criteria (evaluation or scoring, automated decisions with legal effect, systematic monitoring, sensitive data, large scale, matching datasets, vulnerable data subjects, innovative technology, preventing the exercise of a right) usually requires a DPIA (Art. 35, WP248 rev.01). Record dpia with its status, or, if none is needed, status not_required with the reasons in summary.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      if (!isOwnProcessing(a)) return; // Art. 35: the controller's duty
      const criteria = dpiaCriteriaOf(a);
      if (criteria.length < 2) return;
      const recorded = a.dpia !== undefined && (a.dpia.status !== 'not_required' || a.dpia.summary !== undefined);
      if (recorded) return;
      report(
        ctx.loaded.at.activity(i, 'dpia'),
        `${criteria.length} EDPB criteria apply (${criteria.join(', ')}) and ${a.dpia ? 'the DPIA is marked not required without a summary of why' : 'no DPIA is recorded'}: record dpia`,
      );
    });
  },
};

export const DPIA_RULES: readonly Rule[] = [likelyRequired];
