/**
 * The register as W3C Data Privacy Vocabulary (DPV 2.x) JSON-LD, the interoperable form of an
 * Art. 30 record: the controller as dpv:DataController, each activity as a dpv:Process with its
 * purposes, personal data, operations, legal bases (EU-GDPR extension IRIs), data subjects,
 * recipients, storage conditions and transfers (dpv:Transfer processes with the third country
 * and the Chapter V safeguard).
 *
 * Identifiers are stable URNs built from the register's own ids
 * (urn:opendpo:<organisation>:activity:<id>), so two exports of the same register can be
 * compared and linked. DPV concepts come from the reference vocabulary (term().dpv); data
 * categories, uses and subjects keep their fideslang codes (dct:identifier) with labels,
 * crediting the taxonomy (CC BY 4.0).
 *
 * Pure: a Register in, a JSON-LD document (a plain object) out.
 */
import { TAXONOMY_ATTRIBUTION, specialCategoryOf, taxonomyName } from '../../reference/taxonomy.js';
import { DPV_PREFIXES, term } from '../../reference/vocabulary.js';
import type {
  Activity,
  Contact,
  DataCategory,
  LocalisedText,
  Party,
  PostalAddress,
  Recipient,
  Register,
  Retention,
  Transfer,
} from '../schema.js';
import { languagesOf } from './localise.js';

export type JsonLdNode = { [key: string]: JsonLdValue };
export type JsonLdValue = string | number | boolean | JsonLdNode | JsonLdValue[];

export interface JsonLdDocument {
  '@context': Record<string, string>;
  '@graph': JsonLdNode[];
}

export const JSON_LD_CONTEXT: Record<string, string> = {
  ...DPV_PREFIXES,
  dpv: 'https://w3id.org/dpv#',
  'eu-gdpr': 'https://w3id.org/dpv/legal/eu/gdpr#',
  pd: 'https://w3id.org/dpv/pd#',
  loc: 'https://w3id.org/dpv/loc#',
  dct: 'http://purl.org/dc/terms/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

/** Recipient kinds without a DPV concept of their own are plain recipients. */
const RECIPIENT_TYPES = (kind: Recipient['kind']): string[] => {
  const dpv = term('recipient_kind', kind).dpv;
  return dpv ? ['dpv:Recipient', dpv] : ['dpv:Recipient'];
};

export function exportJsonLd(register: Register): JsonLdDocument {
  const org = register.organisation;
  const base = `urn:opendpo:${org.id}`;
  const fallback = org.default_language;
  const ids = {
    register: `${base}:register`,
    controller: `${base}:controller`,
    activity: (id: string) => `${base}:activity:${id}`,
    recipient: (id: string) => `${base}:recipient:${id}`,
    dataCategory: (code: string) => `${base}:personal-data:${code}`,
    dataSubject: (code: string) => `${base}:data-subject:${code}`,
  };
  const lt = (t: LocalisedText | undefined): JsonLdValue[] =>
    t === undefined ? [] : languagesOf(t, fallback).map(([lang, value]) => ({ '@value': value, '@language': lang }));
  const recipients = new Map(register.recipients.map((r) => [r.id, r]));

  const controller: JsonLdNode = {
    '@id': ids.controller,
    '@type': 'dpv:DataController',
    'dpv:hasName': org.name,
    ...(org.address ? { 'dpv:hasAddress': addressText(org.address) } : {}),
    ...(org.contact ? { 'dpv:hasContact': contactValues(org.contact) } : {}),
    ...(org.registration ? { 'dpv:hasIdentifier': `${org.registration.register} ${org.registration.number}` } : {}),
    ...(org.address ? { 'dpv:hasCountry': { '@id': `loc:${org.address.country}` } } : {}),
    ...(org.dpo
      ? { 'dpv:hasDataProtectionOfficer': { '@id': `${base}:dpo`, '@type': 'dpv:DataProtectionOfficer', ...contactNode(org.dpo) } }
      : {}),
    ...(org.representative ? { 'dpv:hasRepresentative': { '@type': 'dpv:Representative', ...partyNode(org.representative) } } : {}),
  };

  const recipientNodes: JsonLdNode[] = register.recipients.map((r) => ({
    '@id': ids.recipient(r.id),
    '@type': RECIPIENT_TYPES(r.kind),
    'dct:identifier': r.id,
    'dpv:hasName': lt(r.name),
    ...(r.description ? { 'dct:description': lt(r.description) } : {}),
    ...(r.country ? { 'dpv:hasCountry': { '@id': `loc:${r.country}` } } : {}),
    ...(r.url ? { 'rdfs:seeAlso': { '@id': r.url } } : {}),
  }));

  const activityNode = (a: Activity): JsonLdNode => {
    const bases = (a.legal_bases ?? []).map((l) => l.basis);
    const node: JsonLdNode = {
      '@id': ids.activity(a.id),
      '@type': 'dpv:Process',
      'dct:identifier': a.id,
      'dct:title': lt(a.name),
      'dpv:hasDataController': { '@id': ids.controller },
    };
    if (a.description) node['dct:description'] = lt(a.description);
    if (a.created) node['dct:created'] = { '@value': a.created, '@type': 'xsd:date' };
    if (a.updated) node['dct:modified'] = { '@value': a.updated, '@type': 'xsd:date' };
    // Art. 30(2): for a processor activity the controllers are the ones we act for.
    if (a.role === 'processor') {
      node['dpv:hasDataProcessor'] = { '@id': ids.controller };
      node['dpv:hasDataController'] = (a.controllers ?? []).map((p) => ({ '@type': 'dpv:DataController', ...partyNode(p) }));
    }
    if (a.joint_controllers?.length) {
      node['dpv:hasJointDataControllers'] = {
        '@type': 'dpv:JointDataControllers',
        'dpv:hasDataController': [{ '@id': ids.controller }, ...a.joint_controllers.map((p) => ({ '@type': 'dpv:DataController', ...partyNode(p) }))],
      };
    }
    node['dpv:hasPurpose'] = (a.purposes ?? []).map((p, i) => {
      const basis = p.legal_basis ?? (bases.length === 1 ? bases[0] : undefined);
      return {
        '@id': `${ids.activity(a.id)}:purpose:${p.id ?? i + 1}`,
        '@type': 'dpv:Purpose',
        'dct:description': lt(p.description),
        ...(p.data_use ? { 'dct:identifier': p.data_use, 'rdfs:label': taxonomyName('data_use', p.data_use) ?? p.data_use } : {}),
        ...(basis ? { 'dpv:hasLegalBasis': iri(term('legal_basis', basis).dpv) } : {}),
      };
    });
    node['dpv:hasLegalBasis'] = [
      ...(a.legal_bases ?? []).map((l) => iri(term('legal_basis', l.basis).dpv)),
      ...(a.special_category_conditions ?? []).map((c) => iri(term('special_category_condition', c.condition).dpv)),
    ];
    node['dpv:hasPersonalData'] = (a.data_categories ?? []).map((c) => personalDataNode(c));
    node['dpv:hasProcessing'] = (a.operations ?? []).map((o) => iri(term('operation', o).dpv));
    node['dpv:hasDataSubject'] = (a.data_subjects ?? []).map((s) => ({
      ...(s.category ? { '@id': ids.dataSubject(s.category), 'dct:identifier': s.category } : {}),
      '@type': s.vulnerable ? ['dpv:DataSubject', 'dpv:VulnerableDataSubject'] : 'dpv:DataSubject',
      'rdfs:label': lt(s.label),
    }));
    node['dpv:hasDataSource'] = (a.sources ?? []).map((s) => ({
      '@type': term('source_kind', s.kind).dpv ?? 'dpv:DataSource',
      ...(s.explanation ? { 'dct:description': lt(s.explanation) } : {}),
    }));
    node['dpv:hasRecipient'] = (a.recipients ?? []).map((id) => ({ '@id': ids.recipient(id) }));
    node['dpv:hasStorageCondition'] = (a.retention ?? []).map((r) => storageNode(r));
    node['dpv:hasProcess'] = (a.transfers ?? []).map((t, i) => transferNode(a, t, i));
    node['dpv:hasTechnicalOrganisationalMeasure'] = (a.security_measures ?? []).map((m) => ({
      '@type': term('security_measure_kind', m.kind).dpv ?? 'dpv:TechnicalOrganisationalMeasure',
      ...(m.description ? { 'dct:description': lt(m.description) } : {}),
    }));
    node['dpv:hasContext'] = (a.automated_decisions ?? []).map((d) => ({
      '@type': 'dpv:AutomatedDecisionMaking',
      'dct:description': lt(d.description),
      ...(d.logic ? { 'dpv:hasAlgorithmicLogic': lt(d.logic) } : {}),
      ...(d.consequences ? { 'dpv:hasConsequence': lt(d.consequences) } : {}),
    }));
    if (a.dpia) {
      node['dpv:hasImpactAssessment'] = {
        '@type': 'dpv:DPIA',
        'dct:description': term('dpia_status', a.dpia.status).label.en,
        ...(a.dpia.reference ? { 'dct:identifier': a.dpia.reference } : {}),
        ...(a.dpia.date ? { 'dct:date': { '@value': a.dpia.date, '@type': 'xsd:date' } } : {}),
      };
    }
    // Empty lists say nothing in RDF: leave them out so the document reads cleanly.
    for (const [k, v] of Object.entries(node)) if (Array.isArray(v) && v.length === 0) delete node[k];
    return node;
  };

  const personalDataNode = (c: DataCategory): JsonLdNode => {
    const special = c.special_category ?? specialCategoryOf(c.category);
    const types: string[] = ['dpv:PersonalData'];
    // The pd: concept of the special category (a subclass of dpv:SpecialCategoryPersonalData), so
    // DPV-aware tools recognise Art. 9(1) data.
    if (special) types.push(...new Set(['dpv:SpecialCategoryPersonalData', term('special_category', special).dpv ?? 'dpv:SpecialCategoryPersonalData']));
    if (c.criminal) types.push('dpv:SensitivePersonalData');
    const label = c.label ? lt(c.label) : [taxonomyName('data_category', c.category) ?? c.category];
    return {
      '@id': ids.dataCategory(c.category),
      '@type': types,
      'dct:identifier': c.category,
      'rdfs:label': label,
    };
  };

  const storageNode = (r: Retention): JsonLdNode => {
    const node: JsonLdNode = { '@type': 'dpv:StorageDuration' };
    if (r.duration) {
      node['dpv:hasDuration'] = { '@type': 'dpv:TemporalDuration', 'rdf:value': { '@value': r.duration, '@type': 'xsd:duration' } };
    } else if (r.starts_from || r.criteria) {
      node['dpv:hasDuration'] = { '@type': r.starts_from ? 'dpv:UntilEventDuration' : 'dpv:IndeterminateDuration' };
    }
    const description = r.criteria ?? r.starts_from;
    if (description) node['dct:description'] = lt(description);
    if (r.categories) node['dpv:hasPersonalData'] = r.categories.map((code) => ({ '@id': ids.dataCategory(code) }));
    const end = r.end_action ? term('end_action', r.end_action).dpv : undefined;
    if (end) node['dpv:hasProcessing'] = iri(end);
    return node;
  };

  const transferNode = (a: Activity, t: Transfer, i: number): JsonLdNode => {
    const node: JsonLdNode = {
      '@id': `${ids.activity(a.id)}:transfer:${i + 1}`,
      '@type': 'dpv:Process',
      'dpv:hasProcessing': { '@id': 'dpv:Transfer' },
    };
    const r = t.recipient ? recipients.get(t.recipient) : undefined;
    if (t.recipient) node['dpv:hasRecipient'] = { '@id': ids.recipient(t.recipient) };
    const country = t.country ?? r?.country;
    if (country) {
      node['dpv:hasThirdCountry'] = { '@id': `loc:${country}` };
      node['dpv:hasJurisdiction'] = { '@id': `loc:${country}` };
    }
    if (t.international_organisation) node['dct:spatial'] = t.international_organisation;
    // Chapter V: the transfer's own legal basis is the safeguard (Art. 45, 46) or the derogation (Art. 49).
    const safeguard = t.derogation ? term('derogation', t.derogation).dpv : t.mechanism ? term('transfer_mechanism', t.mechanism).dpv : undefined;
    if (safeguard) node['dpv:hasLegalBasis'] = iri(safeguard);
    if (t.scc_module) node['dct:description'] = term('scc_module', String(t.scc_module)).label.en;
    if (t.documentation_url) node['rdfs:seeAlso'] = { '@id': t.documentation_url };
    return node;
  };

  return {
    '@context': JSON_LD_CONTEXT,
    '@graph': [
      {
        '@id': ids.register,
        '@type': 'dpv:RecordsOfActivities',
        'dct:title': `Record of processing activities (Art. 30 GDPR) of ${org.name}`,
        'dct:source': `Generated by opendpo. Data categories, uses and subjects are fideslang codes: ${TAXONOMY_ATTRIBUTION}`,
        ...(org.effective_date ? { 'dct:valid': { '@value': org.effective_date, '@type': 'xsd:date' } } : {}),
        'dct:hasPart': register.activities.map((a) => ({ '@id': ids.activity(a.id) })),
      },
      controller,
      ...register.activities.map(activityNode),
      ...recipientNodes,
    ],
  };
}

function iri(prefixed: string | undefined): JsonLdNode {
  // Every code reaching here has a DPV concept in the vocabulary (a test checks it); fall back
  // to the generic concept rather than emit an invalid node if the data ever lacks one.
  return { '@id': prefixed ?? 'dpv:Concept' };
}

function addressText(a: PostalAddress): string {
  return [...a.lines, [a.postal_code, a.city].filter(Boolean).join(' '), a.country].join(', ');
}

function contactValues(c: Contact): string[] {
  return [c.email ? `mailto:${c.email}` : undefined, c.phone ? `tel:${c.phone.replace(/\s+/g, '')}` : undefined, c.url].filter(
    (v): v is string => v !== undefined,
  );
}

function contactNode(c: Contact): JsonLdNode {
  const node: JsonLdNode = {};
  if (c.name) node['dpv:hasName'] = c.name;
  if (c.address) node['dpv:hasAddress'] = addressText(c.address);
  const contact = contactValues(c);
  if (contact.length > 0) node['dpv:hasContact'] = contact;
  return node;
}

function partyNode(p: Party): JsonLdNode {
  return { 'dpv:hasName': p.name, ...(p.contact ? contactNode(p.contact) : {}) };
}
