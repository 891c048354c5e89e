import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportJsonLd, type JsonLdNode, type JsonLdValue } from '../../../src/register/export/export-json-ld.js';
import { loadRegister } from '../../../src/register/load.js';
import { DEROGATIONS, LEGAL_BASES, type Register } from '../../../src/register/schema.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/registers');

async function fixture(name: string): Promise<Register> {
  const { loaded, problems } = await loadRegister(path.join(FIXTURES, name));
  expect(problems).toEqual([]);
  return loaded!.register;
}

const asArray = (v: JsonLdValue | undefined): JsonLdValue[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const idsOf = (v: JsonLdValue | undefined) => asArray(v).map((x) => (x as JsonLdNode)['@id']);

/** Every compact IRI (prefix:name) in keys, @type and @id must use a prefix of the context. */
function undefinedPrefixes(value: JsonLdValue, context: Record<string, string>, found = new Set<string>()): Set<string> {
  const check = (s: string) => {
    const m = /^([a-z][a-z0-9-]*):(?!\/\/)/i.exec(s);
    if (m && m[1] !== 'urn' && m[1] !== 'mailto' && m[1] !== 'tel' && m[1] !== 'https' && !(m[1]! in context)) found.add(m[1]!);
  };
  if (Array.isArray(value)) value.forEach((v) => undefinedPrefixes(v, context, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!k.startsWith('@')) check(k);
      if ((k === '@type' || k === '@id') && typeof v === 'string') check(v);
      if (k === '@type' && Array.isArray(v)) v.forEach((t) => typeof t === 'string' && check(t));
      undefinedPrefixes(v, context, found);
    }
  }
  return found;
}

describe('exportJsonLd', () => {
  it('is valid JSON whose every compact IRI resolves through its @context', async () => {
    const doc = exportJsonLd(await fixture('diff-after'));
    const reparsed = JSON.parse(JSON.stringify(doc)) as typeof doc;
    expect(reparsed).toEqual(doc);
    expect(doc['@context'].dpv).toBe('https://w3id.org/dpv#');
    expect(doc['@context']['eu-gdpr']).toBe('https://w3id.org/dpv/legal/eu/gdpr#');
    expect([...undefinedPrefixes(doc['@graph'], doc['@context'])]).toEqual([]);
  });

  it('describes the controller and every activity as a dpv:Process with a stable URN', async () => {
    const register = await fixture('diff-after');
    const graph = exportJsonLd(register)['@graph'];
    const controller = graph.find((n) => n['@type'] === 'dpv:DataController')!;
    expect(controller).toMatchObject({ '@id': 'urn:opendpo:acme-test:controller', 'dpv:hasName': 'Acme Test SAS' });
    expect((controller['dpv:hasDataProtectionOfficer'] as JsonLdNode)['dpv:hasContact']).toEqual(['mailto:privacy-officer@acme-test.example']);
    const processes = graph.filter((n) => n['@type'] === 'dpv:Process');
    expect(processes.map((p) => p['@id'])).toEqual(register.activities.map((a) => `urn:opendpo:acme-test:activity:${a.id}`));
    for (const p of processes) expect(p['dpv:hasDataController']).toEqual({ '@id': 'urn:opendpo:acme-test:controller' });
    // The same export twice gives the same identifiers.
    expect(exportJsonLd(register)).toEqual(exportJsonLd(structuredClone(register)));
  });

  it('maps purposes, data, operations, recipients, retention and transfers to DPV', async () => {
    const graph = exportJsonLd(await fixture('diff-after'))['@graph'];
    const newsletter = graph.find((n) => n['@id'] === 'urn:opendpo:acme-test:activity:newsletter')!;
    const purposes = asArray(newsletter['dpv:hasPurpose']) as JsonLdNode[];
    expect(purposes.map((p) => [p['dct:identifier'], p['dpv:hasLegalBasis']])).toEqual([
      ['marketing.communications.email', { '@id': 'eu-gdpr:A6-1-a' }],
      ['marketing.advertising.first_party.targeted', { '@id': 'eu-gdpr:A6-1-f' }],
    ]);
    expect(idsOf(newsletter['dpv:hasLegalBasis'])).toEqual(['eu-gdpr:A6-1-a', 'eu-gdpr:A6-1-f']);
    expect(idsOf(newsletter['dpv:hasProcessing'])).toEqual(['dpv:Collect', 'dpv:Store', 'dpv:Use', 'dpv:Erase']);
    expect(asArray(newsletter['dpv:hasPersonalData'])).toEqual([
      {
        '@id': 'urn:opendpo:acme-test:personal-data:user.contact.email',
        '@type': ['dpv:PersonalData'],
        'dct:identifier': 'user.contact.email',
        'rdfs:label': [
          { '@value': 'Email address', '@language': 'en' },
          { '@value': 'Adresse électronique', '@language': 'fr' },
        ],
      },
    ]);
    expect(idsOf(newsletter['dpv:hasRecipient'])).toEqual(['urn:opendpo:acme-test:recipient:hosting', 'urn:opendpo:acme-test:recipient:mailer']);
    expect(asArray(newsletter['dpv:hasStorageCondition'])[0]).toMatchObject({
      '@type': 'dpv:StorageDuration',
      'dpv:hasDuration': { '@type': 'dpv:TemporalDuration', 'rdf:value': { '@value': 'P5Y', '@type': 'xsd:duration' } },
      'dpv:hasProcessing': { '@id': 'dpv:Erase' },
    });
    expect(asArray(newsletter['dpv:hasProcess'])).toEqual([
      {
        '@id': 'urn:opendpo:acme-test:activity:newsletter:transfer:1',
        '@type': 'dpv:Process',
        'dpv:hasProcessing': { '@id': 'dpv:Transfer' },
        'dpv:hasRecipient': { '@id': 'urn:opendpo:acme-test:recipient:mailer' },
        'dpv:hasThirdCountry': { '@id': 'loc:US' },
        'dpv:hasJurisdiction': { '@id': 'loc:US' },
        'dpv:hasLegalBasis': { '@id': 'eu-gdpr:A46-2-c' },
        'dct:description': 'Module 2: controller to processor',
        'rdfs:seeAlso': { '@id': 'https://acme-test.example/privacy/scc-mailer' },
      },
    ]);
    const mailer = graph.find((n) => n['@id'] === 'urn:opendpo:acme-test:recipient:mailer')!;
    expect(mailer['@type']).toEqual(['dpv:Recipient', 'dpv:DataProcessor']);
    const accounting = graph.find((n) => n['@id'] === 'urn:opendpo:acme-test:recipient:accounting')!;
    expect(accounting['@type']).toEqual(['dpv:Recipient']);
  });

  it('maps every Art. 6(1) basis, Art. 9(2) condition and Art. 49 derogation to its EU-GDPR IRI', () => {
    const letters = ['a', 'b', 'c', 'd', 'e', 'f'];
    const register: Register = {
      organisation: { id: 'org', name: 'Org', default_language: 'en' },
      recipients: [],
      systems: [],
      activities: [
        ...LEGAL_BASES.map((basis) => ({ id: basis.replace(/_/g, '-'), name: basis, role: 'controller' as const, legal_bases: [{ basis }] })),
        {
          id: 'zz-health',
          name: 'Health',
          role: 'controller',
          data_categories: [{ category: 'user.health_and_medical' }],
          special_category_conditions: [{ condition: 'explicit_consent' }],
          transfers: DEROGATIONS.slice(0, 7).map((derogation) => ({ country: 'IN', mechanism: 'derogation' as const, derogation })),
        },
      ],
    };
    const graph = exportJsonLd(register)['@graph'];
    LEGAL_BASES.forEach((basis, i) => {
      const node = graph.find((n) => n['dct:identifier'] === basis.replace(/_/g, '-'))!;
      expect(idsOf(node['dpv:hasLegalBasis'])).toEqual([`eu-gdpr:A6-1-${letters[i]}`]);
    });
    const health = graph.find((n) => n['dct:identifier'] === 'zz-health')!;
    expect(idsOf(health['dpv:hasLegalBasis'])).toEqual(['eu-gdpr:A9-2-a']);
    expect((asArray(health['dpv:hasPersonalData'])[0] as JsonLdNode)['@type']).toEqual(['dpv:PersonalData', 'dpv:SpecialCategoryPersonalData', 'pd:Health']);
    expect(asArray(health['dpv:hasProcess']).map((t) => ((t as JsonLdNode)['dpv:hasLegalBasis'] as JsonLdNode)['@id'])).toEqual(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((l) => `eu-gdpr:A49-1-${l}`),
    );
  });

  it('names, for a processor activity, the controllers it acts for (Art. 30(2))', () => {
    const register: Register = {
      organisation: { id: 'saas', name: 'SaaS', default_language: 'fr' },
      recipients: [],
      systems: [],
      activities: [{ id: 'hosting', name: 'Hébergement', role: 'processor', controllers: [{ name: 'Client A' }] }],
    };
    const node = exportJsonLd(register)['@graph'].find((n) => n['@type'] === 'dpv:Process')!;
    expect(node['dpv:hasDataProcessor']).toEqual({ '@id': 'urn:opendpo:saas:controller' });
    expect(node['dpv:hasDataController']).toEqual([{ '@type': 'dpv:DataController', 'dpv:hasName': 'Client A' }]);
    expect(node['dct:title']).toEqual([{ '@value': 'Hébergement', '@language': 'fr' }]);
  });
});
