/**
 * The processing information about this person's data (Art. 15(1)(a)-(h), 15(2)) held against what
 * a request found, and what the DPO must see. Pure: from what was collected, the datasets, the
 * register and the day the data was collected.
 *
 * - Systems the register lists that no dataset describes were not searched: the answer names them
 *   (the search must cover every system, EDPB Guidelines 01/2022) and `dsr plan` warns of them.
 * - Retention (Art. 15(1)(d)): for a table whose dataset dates the event its retention period starts
 *   from (`retention_start`), the rules of the activities of its system that cover its data give,
 *   row by row, until when it is kept.
 * - Flags for the DPO: a data category found in the person's rows that no activity of the system
 *   declares (Art. 30(1)(c): the register must say it, Art. 15(1)(a)-(b): the person is owed its
 *   purpose), and rows held past every retention period that applies to them (Art. 5(1)(e)).
 *   Flags name collections, fields, categories, rules and counts: never a value.
 */
import { isPersonalDataCategory, type Dataset } from '../dataset/model.js';
import type { Activity, Register, Retention, System } from '../register/schema.js';
import type { CollectedCollection, CollectedData, CollectedField } from './collected.js';
import { addPeriod, calendarDate } from './past-erasures.js';

/** How long one rule of an activity keeps a table's rows, worked out from the rows' own start dates. */
export interface TableRetention {
  activity: string;
  /** The index of the rule in the activity's `retention`. */
  rule: number;
  /** The field dating the start of the period. */
  startField: string;
  /** The latest end (YYYY-MM-DD) among the person's rows: the end of the period, then of the archive. */
  until: string;
  /** The person's rows of the table whose period (archive included) ended before the day of collection. */
  past: number;
  /** Rows whose start field holds no date: no end can be worked out for them. */
  undated: number;
}

export type ProcessingFlag =
  | {
      kind: 'undeclared-category';
      /** "dataset.collection". */
      collection: string;
      system: string;
      /** Field names and the categories of theirs that no activity of the system declares. */
      fields: { field: string; categories: string[] }[];
    }
  | {
      kind: 'past-retention';
      collection: string;
      system: string;
      /** Rows held past every retention period that applies to them. */
      rows: number;
      /** The rules that apply, "activity#index" with their duration. */
      rules: { activity: string; rule: number; duration: string }[];
      startField: string;
    };

export interface ProcessingReview {
  /** Register systems no dataset describes: not searched. */
  notSearched: System[];
  /** Per collection ("dataset.collection") with a dated start, what each applicable rule gives. */
  retention: Map<string, TableRetention[]>;
  flags: ProcessingFlag[];
}

const covers = (declared: string, found: string) => found === declared || found.startsWith(`${declared}.`);
const collectionKey = (c: CollectedCollection) => `${c.dataset}.${c.collection}`;

/** The register systems no dataset describes (neither a dataset's `system` nor a collection's). */
export function systemsNotSearched(register: Register, datasets: readonly Dataset[]): System[] {
  const described = new Set<string>();
  for (const d of datasets) {
    if (d.system !== undefined) described.add(d.system);
    for (const c of d.collections) if (c.system !== undefined) described.add(c.system);
  }
  return register.systems.filter((s) => !described.has(s.id));
}

export function reviewProcessing(collected: CollectedData, datasets: readonly Dataset[], register: Register): ProcessingReview {
  const today = collected.collectedAt.slice(0, 10);
  const retention = new Map<string, TableRetention[]>();
  const flags: ProcessingFlag[] = [];
  for (const c of collected.collections) {
    if (c.rows.length === 0 || c.system === undefined) continue;
    const activities = register.activities.filter((a) => a.systems?.includes(c.system!));
    const found = foundCategories(c);
    if (activities.length > 0) {
      // A system no activity serves is said to the person already (no processing information can be given).
      const declared = activities.flatMap((a) => (a.data_categories ?? []).map((dc) => dc.category));
      const undeclared = found.flatMap(({ field, categories }) => {
        const missing = categories.filter((cat) => !declared.some((d) => covers(d, cat)));
        return missing.length > 0 ? [{ field, categories: missing }] : [];
      });
      if (undeclared.length > 0) flags.push({ kind: 'undeclared-category', collection: collectionKey(c), system: c.system, fields: undeclared });
    }
    if (c.retentionStart === undefined) continue;
    const categories = found.flatMap((f) => f.categories);
    const rules = applicableRules(activities, categories);
    const worked = rules.flatMap(({ activity, rule, index }) => {
      const r = workOut(c, rule, today);
      return r === undefined ? [] : [{ activity: activity.id, rule: index, startField: c.retentionStart!, ...r }];
    });
    if (worked.length > 0) retention.set(collectionKey(c), worked);
    // Past every period only when every rule that applies has a duration (criteria alone may keep it).
    if (rules.length > 0 && rules.every(({ rule }) => rule.duration !== undefined)) {
      const past = c.rows.filter((row) => {
        const start = calendarDate(row[c.retentionStart!] ?? null);
        return start !== undefined && rules.every(({ rule }) => (endOf(start, rule) ?? '9999-12-31') < today);
      }).length;
      if (past > 0) {
        flags.push({
          kind: 'past-retention',
          collection: collectionKey(c),
          system: c.system,
          rows: past,
          rules: rules.map(({ activity, index, rule }) => ({ activity: activity.id, rule: index, duration: durationText(rule) })),
          startField: c.retentionStart,
        });
      }
    }
  }
  return { notSearched: systemsNotSearched(register, datasets), retention, flags };
}

/**
 * The personal-data categories of the fields holding a value in at least one of the person's rows.
 * Keys and references are left out: they link rows, and the categories of what they link are checked
 * on their own tables.
 */
function foundCategories(c: CollectedCollection): { field: string; categories: string[] }[] {
  const isTechnical = (f: CollectedField) => f.primaryKey || f.reference === true;
  return c.fields
    .filter((f) => !isTechnical(f) && c.rows.some((r) => r[f.name] !== null && r[f.name] !== undefined))
    .map((f) => ({ field: f.name, categories: f.categories.filter(isPersonalDataCategory) }))
    .filter((f) => f.categories.length > 0);
}

/** The rules of the activities that cover at least one of the categories found (a rule without categories covers all its activity's). */
function applicableRules(activities: readonly Activity[], categories: readonly string[]): { activity: Activity; rule: Retention; index: number }[] {
  return activities.flatMap((activity) =>
    (activity.retention ?? []).flatMap((rule, index) => {
      const ruled = rule.categories ?? (activity.data_categories ?? []).map((dc) => dc.category);
      return categories.some((cat) => ruled.some((d) => covers(d, cat))) ? [{ activity, rule, index }] : [];
    }),
  );
}

/** The end of a row's period under a rule: the duration, then the archive's when the data is archived. */
function endOf(start: string, rule: Retention): string | undefined {
  if (rule.duration === undefined) return undefined;
  const end = addPeriod(start, rule.duration);
  if (end === undefined) return undefined;
  return rule.end_action === 'archive' && rule.archive ? addPeriod(end, rule.archive.duration) : end;
}

function workOut(c: CollectedCollection, rule: Retention, today: string): Omit<TableRetention, 'activity' | 'rule' | 'startField'> | undefined {
  let until: string | undefined;
  let past = 0;
  let undated = 0;
  for (const row of c.rows) {
    const start = calendarDate(row[c.retentionStart!] ?? null);
    const end = start === undefined ? undefined : endOf(start, rule);
    if (end === undefined) {
      undated++;
      continue;
    }
    if (until === undefined || end > until) until = end;
    if (end < today) past++;
  }
  return until === undefined ? undefined : { until, past, undated };
}

const durationText = (rule: Retention) => (rule.end_action === 'archive' && rule.archive ? `${rule.duration!} then archived ${rule.archive.duration}` : rule.duration!);

/** The systems not searched, as one line for the DPO. */
export function notSearchedText(systems: readonly string[]): string {
  return `systems of the register that no dataset describes were not searched: ${systems.join(', ')}; describe their data in a dataset (or a manual connection) so that requests reach them`;
}

/** A flag as one line for the DPO (the plan, the evidence, the terminal): names and counts, never a value. */
export function flagText(flag: ProcessingFlag): string {
  if (flag.kind === 'undeclared-category') {
    const fields = flag.fields.map((f) => `${f.field} (${f.categories.join(', ')})`).join('; ');
    return `${flag.collection}: data no activity of system "${flag.system}" declares (Art. 30(1)(c)): ${fields}; add the categories to an activity of the register, or stop keeping the data`;
  }
  const rules = flag.rules.map((r) => `${r.activity} #${r.rule + 1}: ${r.duration}`).join('; ');
  return `${flag.collection}: ${flag.rows} of the person's row(s) held past every retention period that applies (Art. 5(1)(e); ${rules}, from ${flag.startField})`;
}
