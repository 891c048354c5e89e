/**
 * Presents a RegisterDiff: for people (grouped by activity, material changes first) and as
 * JSON for tools. Pure: strings in, a string out.
 */
import type { RegisterChange, RegisterDiff } from './diff.js';

export interface DiffLabels {
  /** How the older register was named on the command line (folder or REV:DIR). */
  before: string;
  after: string;
  /** Activity names by id, for the group headings (the newer name when it changed). */
  activityNames?: Readonly<Record<string, string>>;
}

export function formatDiffText(diff: RegisterDiff, labels: DiffLabels): string {
  const other = diff.changes.length - diff.materialCount;
  const lines: string[] = [`Changes from ${labels.before} to ${labels.after}`];
  if (diff.changes.length === 0) {
    lines.push('', 'No changes.');
    return `${lines.join('\n')}\n`;
  }
  const groups = new Map<string, RegisterChange[]>();
  for (const c of diff.changes) {
    const key = c.activity === undefined ? '' : c.activity;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const [activity, changes] of groups) {
    const name = activity === '' ? undefined : labels.activityNames?.[activity];
    lines.push('', activity === '' ? 'Register-wide' : `Activity ${activity}${name ? ` (${name})` : ''}`);
    const ordered = [...changes.filter((c) => c.material), ...changes.filter((c) => !c.material)];
    for (const c of ordered) {
      lines.push(`  ${c.material ? 'material' : 'other   '}  ${c.summary} (${c.article}) [${c.kind}]`);
    }
  }
  lines.push(
    '',
    `${plural(diff.materialCount, 'material change')}${other > 0 ? `, ${plural(other, 'other change')}` : ''}.`,
  );
  if (diff.materialCount > 0) {
    lines.push('Material changes must be brought to the attention of the people concerned before they apply (Art. 13(3), 14(4); WP260 rev.01 para. 29-31).');
  }
  return `${lines.join('\n')}\n`;
}

export function formatDiffJson(diff: RegisterDiff, labels: DiffLabels): string {
  return `${JSON.stringify(
    {
      before: labels.before,
      after: labels.after,
      material_changes: diff.materialCount,
      total_changes: diff.changes.length,
      changes: diff.changes,
    },
    null,
    2,
  )}\n`;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
