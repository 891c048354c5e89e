/**
 * Where a transfer goes (Chapter V GDPR): inside the EEA no transfer tool is needed; outside
 * it, an adequacy decision (Art. 45) is the first thing to look for before Art. 46-49 tools.
 */
import type { Language } from '../register/schema.js';
import transfersData from './data/transfers.json' with { type: 'json' };
import countriesData from './data/countries.json' with { type: 'json' };

export type AdequacyScope = 'full' | 'commercial_organisations' | 'dpf_certified_only';

export interface AdequacyDecision {
  country: string;
  name: string;
  /** Date the Commission adopted the decision (YYYY-MM-DD). */
  adopted: string;
  /**
   * 'commercial_organisations': Canada, only organisations subject to PIPEDA;
   * 'dpf_certified_only': the US, only organisations certified under the Data Privacy Framework.
   */
  scope: AdequacyScope;
  decision: string;
  source: string;
  /** False where the date or reference was not checked against the primary text. */
  verified: boolean;
  /** Date of the latest renewal, where the decision was renewed (UK). */
  renewed?: string;
  /** Last day the decision applies, where it has a sunset clause (UK). */
  valid_until?: string;
}

export interface InternationalOrganisationAdequacy {
  name: string;
  aliases: string[];
  adopted: string;
  decision: string;
  source: string;
  verified: boolean;
}

interface TransfersFile {
  as_of: string;
  eea: { eu: string[]; efta: string[] };
  items: AdequacyDecision[];
  international_organisations: InternationalOrganisationAdequacy[];
}

const DATA = transfersData as TransfersFile;

/** The date the adequacy list was last checked (shown next to transfer findings). */
export const ADEQUACY_AS_OF: string = DATA.as_of;

const EEA = new Set<string>([...DATA.eea.eu, ...DATA.eea.efta]);
const EU = new Set<string>(DATA.eea.eu);
const ADEQUACY = new Map<string, AdequacyDecision>(DATA.items.map((d) => [d.country, d] as const));
const COUNTRIES = new Set<string>(countriesData.items);

/** The 27 EU Member States plus Iceland, Liechtenstein and Norway (EEA Agreement). */
export function isEea(country: string): boolean {
  return EEA.has(country);
}

export function isEu(country: string): boolean {
  return EU.has(country);
}

/**
 * The Art. 45 adequacy decision covering a transfer to this country, if any.
 * The US decision covers only organisations certified under the EU-US Data Privacy Framework,
 * so it is returned only with `dpfCertified: true`. Canada's covers only commercial
 * organisations: it is returned with that scope for the caller to show. With `on`
 * (YYYY-MM-DD), a decision past its `valid_until` date is not returned.
 */
export function adequacyFor(country: string, opts: { dpfCertified?: boolean; on?: string } = {}): AdequacyDecision | undefined {
  const decision = ADEQUACY.get(country);
  if (!decision) return undefined;
  if (decision.scope === 'dpf_certified_only' && opts.dpfCertified !== true) return undefined;
  if (opts.on !== undefined && decision.valid_until !== undefined && opts.on > decision.valid_until) return undefined;
  return decision;
}

/** Every adequacy decision, for listing (e.g. in docs or a transfer picker). */
export function adequacyDecisions(): readonly AdequacyDecision[] {
  return DATA.items;
}

/** Adequacy for an international organisation, by name or alias, case-insensitive (Art. 45(1)). */
export function adequacyForInternationalOrganisation(name: string): InternationalOrganisationAdequacy | undefined {
  const wanted = name.trim().toLowerCase();
  return DATA.international_organisations.find(
    (o) => o.name.toLowerCase() === wanted || o.aliases.some((a) => a.toLowerCase() === wanted),
  );
}

/** An officially assigned ISO 3166-1 alpha-2 code (upper case). "UK" is not one: the code is GB. */
export function isCountryCode(code: string): boolean {
  return COUNTRIES.has(code);
}

const displayNames = new Map<Language, Intl.DisplayNames>();

/** The country's name in the language, from the runtime's CLDR data; the code itself if unknown. */
export function countryName(code: string, lang: Language): string {
  if (!COUNTRIES.has(code)) return code;
  let names = displayNames.get(lang);
  if (!names) {
    names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' });
    displayNames.set(lang, names);
  }
  return names.of(code) ?? code;
}
