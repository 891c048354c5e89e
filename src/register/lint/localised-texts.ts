/**
 * Every localised text of a register with its pointer, so that translation checks can name the exact
 * node. The shape below mirrors the LocalisedText fields of schema.ts.
 */
import type { LoadedRegister, PathKey, Pointer } from '../load.js';
import type { LocalisedText } from '../schema.js';

/** true = a LocalisedText; an object = a nested object; '*' = every item of a list. */
type Shape = true | { [key: string]: Shape };

const PARTY: Shape = { arrangement: true };
const ACTIVITY: Shape = {
  name: true,
  description: true,
  controllers: { '*': PARTY },
  joint_controllers: { '*': PARTY },
  sources: { '*': { explanation: true } },
  purposes: { '*': { description: true } },
  legal_bases: { '*': { interest: true, withdrawal_method: true, law: true } },
  data_categories: { '*': { label: true } },
  special_category_conditions: { '*': { explanation: true } },
  data_subjects: { '*': { label: true } },
  transfers: { '*': { safeguards: true } },
  retention: { '*': { starts_from: true, criteria: true, archive: { statute: true } } },
  security_measures: { '*': { description: true } },
  automated_decisions: { '*': { description: true, logic: true, consequences: true, safeguards: true } },
  provision: { consequences: true },
  dpia: { summary: true },
};
const ORGANISATION: Shape = {
  representative: PARTY,
  rights_channels: { '*': { label: true } },
  statements: { introduction: true, retention: true, security: true, transfers: true, provision: true, authorities: true },
};
const RECIPIENTS: Shape = { '*': { name: true, description: true } };
const SYSTEMS: Shape = { '*': { description: true } };

export interface LocatedText {
  at: Pointer;
  text: LocalisedText;
}

function collect(value: unknown, shape: Shape, path: PathKey[], out: [PathKey[], LocalisedText][]): void {
  if (value === undefined || value === null) return;
  if (shape === true) {
    out.push([path, value as LocalisedText]);
    return;
  }
  if (Array.isArray(value)) {
    const item = shape['*'];
    if (item) value.forEach((v, i) => collect(v, item, [...path, i], out));
    return;
  }
  if (typeof value !== 'object') return;
  for (const [key, sub] of Object.entries(shape)) {
    if (key !== '*') collect((value as Record<string, unknown>)[key], sub, [...path, key], out);
  }
}

/** The localised texts of each file, grouped by file, in document order. */
export function localisedTextsByFile(loaded: LoadedRegister): LocatedText[][] {
  const { register, at } = loaded;
  const groups: LocatedText[][] = [];
  const found = (value: unknown, shape: Shape, pointer: (...p: PathKey[]) => Pointer) => {
    const out: [PathKey[], LocalisedText][] = [];
    collect(value, shape, [], out);
    return out.map(([p, text]) => ({ at: pointer(...p), text }));
  };
  groups.push(found(register.organisation, ORGANISATION, at.organisation));
  groups.push(found(register.recipients, RECIPIENTS, (i, ...p) => at.recipient(i as number, ...p)));
  groups.push(found(register.systems, SYSTEMS, (i, ...p) => at.system(i as number, ...p)));
  register.activities.forEach((a, i) => groups.push(found(a, ACTIVITY, (...p) => at.activity(i, ...p))));
  return groups.filter((g) => g.length > 0);
}
