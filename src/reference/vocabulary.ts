/**
 * Labels (en, fr), GDPR articles and DPV concepts for every code of the register format.
 * The codes are defined in src/register/schema.ts; their words live in data/vocabulary.json,
 * and a test keeps the two in step. The French labels follow the official French text of
 * the Regulation, so that a notice reads as a French DPO would write it.
 */
import vocabularyData from './data/vocabulary.json' with { type: 'json' };

export type Vocabulary =
  | 'operation'
  | 'legal_basis'
  | 'special_category_condition'
  | 'special_category'
  | 'source_kind'
  | 'role'
  | 'recipient_kind'
  | 'transfer_mechanism'
  | 'derogation'
  | 'scc_module'
  | 'end_action'
  | 'dpia_status'
  | 'dpia_criterion'
  | 'provision_requirement'
  | 'rights_channel_kind'
  | 'automated_decision_exception'
  | 'security_measure_kind'
  | 'right';

export interface Term {
  code: string;
  /** e.g. "Art. 6(1)(a)". */
  article?: string;
  /** A prefixed DPV name (dpv:, eu-gdpr:, pd:), expanded with DPV_PREFIXES. */
  dpv?: string;
  label: { en: string; fr: string };
  /** For rights: the sentence the notice shows, verbatim. */
  description?: { en: string; fr: string };
}

interface VocabularyFile {
  prefixes: Record<string, string>;
  items: (Term & { vocabulary: string })[];
}

const DATA = vocabularyData as VocabularyFile;

/** Namespaces of the prefixed DPV names in Term.dpv. */
export const DPV_PREFIXES: Readonly<Record<string, string>> = DATA.prefixes;

const TERMS = new Map<string, Map<string, Term>>();
for (const { vocabulary, ...term } of DATA.items) {
  let terms = TERMS.get(vocabulary);
  if (!terms) {
    terms = new Map();
    TERMS.set(vocabulary, terms);
  }
  terms.set(term.code, term);
}

/**
 * The term for a code. Codes come from the schema's enums, so an unknown code is a bug
 * (the data file is out of step with the format), not a user error: it throws.
 * SCC modules are looked up by their number as text ('1' to '4').
 */
export function term(vocabulary: Vocabulary, code: string): Term {
  const found = TERMS.get(vocabulary)?.get(code);
  if (!found) throw new Error(`No ${vocabulary} term for code "${code}" in src/reference/data/vocabulary.json`);
  return found;
}

/** Every term of a vocabulary, in the data file's order (the order of the Regulation). */
export function terms(vocabulary: Vocabulary): readonly Term[] {
  return [...(TERMS.get(vocabulary)?.values() ?? [])];
}

/** The full IRI of a prefixed DPV name, e.g. "eu-gdpr:A6-1-a" → "https://w3id.org/dpv/legal/eu/gdpr#A6-1-a". */
export function expandDpv(prefixed: string): string {
  const colon = prefixed.indexOf(':');
  const namespace = colon === -1 ? undefined : DPV_PREFIXES[prefixed.slice(0, colon)];
  if (namespace === undefined) throw new Error(`Unknown DPV prefix in "${prefixed}"`);
  return namespace + prefixed.slice(colon + 1);
}
