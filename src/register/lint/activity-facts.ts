/**
 * Facts several rules infer from an activity (special categories, criminal data, vulnerable data
 * subjects), computed the same way everywhere so that the rules never disagree.
 */
import { isCriminalDataCategory, specialCategoryOf } from '../../reference/taxonomy.js';
import type { Activity, DataCategory } from '../schema.js';

/** The Art. 9(1) special category a data category is, or may reveal, if any. */
export function specialCategoryOfData(c: DataCategory): string | undefined {
  return c.special_category ?? specialCategoryOf(c.category);
}

/** Art. 10: data relating to criminal convictions and offences. */
export function isCriminalData(c: DataCategory): boolean {
  return c.criminal === true || isCriminalDataCategory(c.category);
}

/** EDPB WP248: employees, job applicants, patients and trainees are vulnerable through an imbalance of power. */
const VULNERABLE_SUBJECTS = new Set(['employee', 'job_applicant', 'patient', 'trainee']);

/** fideslang children's data (user.childrens is the key deprecated in fideslang 3.2.0). */
const CHILDREN = ['user.children', 'user.childrens'];

export function hasVulnerableDataSubjects(a: Activity): boolean {
  return (
    (a.data_subjects ?? []).some((s) => s.vulnerable === true || (s.category !== undefined && VULNERABLE_SUBJECTS.has(s.category))) ||
    (a.data_categories ?? []).some((c) => CHILDREN.some((k) => c.category === k || c.category.startsWith(`${k}.`)))
  );
}

/** Art. 30(2): a processor's record holds less, and the notice is the controller's, not ours. */
export const isOwnProcessing = (a: Activity): boolean => a.role !== 'processor';
