/**
 * The fideslang taxonomy (data categories, data uses, data subjects), which the register uses
 * to name what is processed (Art. 30(1)(b)-(c)) in a vocabulary other tools understand.
 *
 * The taxonomy data is by Ethyca, published under CC BY 4.0: it ships as data in
 * `data/data-*.json` with the attribution, and TAXONOMY_ATTRIBUTION must be shown wherever
 * the taxonomy is redistributed (docs, exports).
 *
 * Only active keys are "known". Keys fideslang deprecated are kept apart with their
 * replacement, so that a register written against an older fideslang gets a precise
 * did-you-mean instead of a bare "unknown".
 *
 * Every lookup is a Set or Map read built once at module load: the linter calls these for
 * every category of every activity.
 */
import { distance } from 'fastest-levenshtein';
import type { SPECIAL_CATEGORIES } from '../register/schema.js';
import categoriesData from './data/data-categories.json' with { type: 'json' };
import usesData from './data/data-uses.json' with { type: 'json' };
import subjectsData from './data/data-subjects.json' with { type: 'json' };
import categoryLabelsData from './data/data-category-labels.json' with { type: 'json' };

export type TaxonomyKind = 'data_category' | 'data_use' | 'data_subject';
export type SpecialCategory = (typeof SPECIAL_CATEGORIES)[number];

export interface TaxonomyEntry {
  fides_key: string;
  name: string;
  description: string;
  parent_key: string | null;
}

export interface DeprecatedTaxonomyKey {
  fides_key: string;
  name: string;
  replaced_by: string;
  version_deprecated: string;
}

interface TaxonomyFile {
  attribution: string;
  items: TaxonomyEntry[];
  deprecated: DeprecatedTaxonomyKey[];
}

export const TAXONOMY_ATTRIBUTION: string = categoriesData.attribution;

interface Index {
  entries: Map<string, TaxonomyEntry>;
  /** Every key a typo may be close to (active and deprecated), with the key to suggest for it. */
  candidates: ReadonlyArray<readonly [string, string]>;
  /** last segment → keys ending with it (e.g. "email" → user.contact.email). */
  byLastSegment: Map<string, string[]>;
  deprecated: Map<string, DeprecatedTaxonomyKey>;
}

function buildIndex(file: TaxonomyFile): Index {
  const entries = new Map<string, TaxonomyEntry>();
  const byLastSegment = new Map<string, string[]>();
  for (const item of file.items) {
    entries.set(item.fides_key, item);
    const last = lastSegment(item.fides_key);
    const list = byLastSegment.get(last);
    if (list) list.push(item.fides_key);
    else byLastSegment.set(last, [item.fides_key]);
  }
  const deprecated = new Map(file.deprecated.map((d) => [d.fides_key, d] as const));
  const candidates = [
    ...[...entries.keys()].map((k) => [k, k] as const),
    ...file.deprecated.map((d) => [d.fides_key, d.replaced_by] as const),
  ];
  return { entries, candidates, byLastSegment, deprecated };
}

const INDEX: Record<TaxonomyKind, Index> = {
  data_category: buildIndex(categoriesData as TaxonomyFile),
  data_use: buildIndex(usesData as TaxonomyFile),
  data_subject: buildIndex(subjectsData as TaxonomyFile),
};

function lastSegment(key: string): string {
  const dot = key.lastIndexOf('.');
  return dot === -1 ? key : key.slice(dot + 1);
}

export function isDataCategory(code: string): boolean {
  return INDEX.data_category.entries.has(code);
}

export function isDataUse(code: string): boolean {
  return INDEX.data_use.entries.has(code);
}

export function isDataSubject(code: string): boolean {
  return INDEX.data_subject.entries.has(code);
}

/** The active fideslang key that replaces a deprecated one, with the fideslang version that deprecated it. */
export function deprecatedTaxonomyKey(kind: TaxonomyKind, code: string): DeprecatedTaxonomyKey | undefined {
  return INDEX[kind].deprecated.get(code);
}

/**
 * A did-you-mean for an unknown key (fastest-levenshtein edit distance): the replacement of a
 * deprecated key; else the closest key within two edits; else the only key whose last segment
 * matches (e.g. "contact.email" → user.contact.email); else the closest key within a third of
 * the length. Undefined when nothing is close enough. Only called on unknown keys, so the scan
 * over the ~100 keys of a kind is not on the linter's hot path.
 */
export function suggestTaxonomyKey(kind: TaxonomyKind, code: string): string | undefined {
  const index = INDEX[kind];
  if (index.entries.has(code)) return undefined;
  const replacement = index.deprecated.get(code);
  if (replacement) return replacement.replaced_by;
  const wanted = code.trim().toLowerCase();
  if (index.entries.has(wanted)) return wanted;

  // Close typos first (two edits), then a partial path whose last segment names one key
  // ("contact.email"), then looser typos: up to a third of the length, at most 4 edits, so a
  // short code is never matched to an unrelated key. Deprecated keys count, as their replacement.
  const [best, bestDistance] = closestKey(index, wanted);
  if (best !== undefined && bestDistance <= 2) return best;
  const sameLast = index.byLastSegment.get(lastSegment(wanted));
  if (sameLast && sameLast.length === 1) return sameLast[0];
  const limit = Math.min(4, Math.max(2, Math.floor(wanted.length / 3)));
  if (best !== undefined && bestDistance <= limit) return best;
  return undefined;
}

function closestKey(index: Index, wanted: string): [string | undefined, number] {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const [key, suggestion] of index.candidates) {
    // Length difference is a lower bound of the distance: skip what cannot win.
    if (Math.abs(key.length - wanted.length) >= Math.min(bestDistance, 5)) continue;
    const d = distance(wanted, key);
    if (d < bestDistance) {
      best = suggestion;
      bestDistance = d;
    }
  }
  return [best, bestDistance];
}

/** The fideslang "name" of a key (English), or undefined when the key is not an active one. */
export function taxonomyName(kind: TaxonomyKind, code: string): string | undefined {
  return INDEX[kind].entries.get(code)?.name;
}

const CATEGORY_LABELS: ReadonlyMap<string, Readonly<Record<'en' | 'fr', string>>> = new Map(Object.entries(categoryLabelsData.labels));

/**
 * A data category in plain words for the person (Art. 12(1): clear and plain language), in English
 * or French: "Street address" / "Adresse (numéro et voie)" rather than fideslang's "User Contact
 * Street". fideslang names its keys in English only; these labels are ours (data-category-labels.json).
 * A deprecated key takes its replacement's label; undefined for a key that is not fideslang's.
 */
export function dataCategoryLabel(code: string, lang: 'en' | 'fr'): string | undefined {
  const own = CATEGORY_LABELS.get(code) ?? CATEGORY_LABELS.get(INDEX.data_category.deprecated.get(code)?.replaced_by ?? '');
  return own?.[lang];
}

/** The fideslang entry of an active key, with its description and parent. */
export function taxonomyEntry(kind: TaxonomyKind, code: string): TaxonomyEntry | undefined {
  return INDEX[kind].entries.get(code);
}

/**
 * Art. 9(1) special categories a fideslang data category is, by key prefix. Deprecated keys
 * (user.health_and_medical, user.biometric) keep their meaning here: a register that still
 * uses them must not slip past the Art. 9(2) check.
 */
const SPECIAL_CATEGORY_PREFIXES: ReadonlyArray<readonly [string, SpecialCategory]> = [
  // Genetic data is its own Art. 9(1) category (Art. 4(13)), though fideslang files it under health.
  ['user.health.genetic', 'genetic_data'],
  ['user.health_and_medical.genetic', 'genetic_data'],
  ['user.health', 'health'],
  ['user.health_and_medical', 'health'],
  ['user.biometrics', 'biometric_data'],
  ['user.biometric', 'biometric_data'],
  // Biometric credentials (fingerprint, face unlock) identify a person uniquely (Art. 4(14)).
  ['user.authorization.biometrics', 'biometric_data'],
  ['user.authorization.biometric', 'biometric_data'],
  ['user.demographic.race_ethnicity', 'racial_or_ethnic_origin'],
  ['user.demographic.political_opinion', 'political_opinions'],
  ['user.demographic.religious_belief', 'religious_or_philosophical_beliefs'],
  ['user.demographic.philosophical_belief', 'religious_or_philosophical_beliefs'],
  ['user.demographic.union_membership', 'trade_union_membership'],
  ['user.demographic.sexual_orientation', 'sex_life_or_sexual_orientation'],
];

const SPECIAL_CATEGORY_EXACT = new Map<string, SpecialCategory>(SPECIAL_CATEGORY_PREFIXES);

export function specialCategoryOf(code: string): SpecialCategory | undefined {
  // Walk up the key (a.b.c → a.b → a): at most a handful of Map reads.
  let key = code;
  for (;;) {
    const found = SPECIAL_CATEGORY_EXACT.get(key);
    if (found) return found;
    const dot = key.lastIndexOf('.');
    if (dot === -1) return undefined;
    key = key.slice(0, dot);
  }
}

/** Art. 10: data relating to criminal convictions and offences. */
export function isCriminalDataCategory(code: string): boolean {
  return code === 'user.criminal_history' || code.startsWith('user.criminal_history.');
}
