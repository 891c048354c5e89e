import { describe, expect, it } from 'vitest';
import {
  AUTOMATED_DECISION_EXCEPTIONS,
  DEROGATIONS,
  DPIA_CRITERIA,
  DPIA_STATUSES,
  END_ACTIONS,
  LEGAL_BASES,
  OPERATIONS,
  PROVISION_REQUIREMENTS,
  RECIPIENT_KINDS,
  RIGHTS_CHANNEL_KINDS,
  ROLES,
  SECURITY_MEASURE_KINDS,
  SOURCE_KINDS,
  SPECIAL_CATEGORIES,
  SPECIAL_CATEGORY_CONDITIONS,
  TRANSFER_MECHANISMS,
} from '../../src/register/schema.js';
import { DPV_PREFIXES, expandDpv, term, terms, type Vocabulary } from '../../src/reference/vocabulary.js';
import vocabulary from '../../src/reference/data/vocabulary.json' with { type: 'json' };

const RIGHTS = [
  'access', 'rectification', 'erasure', 'restriction', 'notification', 'portability', 'objection',
  'automated_decisions', 'withdraw_consent', 'complaint', 'post_mortem',
] as const;

/** Each vocabulary and the codes the format defines for it: the data file must match exactly. */
const CODES: Record<Vocabulary, readonly string[]> = {
  operation: OPERATIONS,
  legal_basis: LEGAL_BASES,
  special_category_condition: SPECIAL_CATEGORY_CONDITIONS,
  special_category: SPECIAL_CATEGORIES,
  source_kind: SOURCE_KINDS,
  role: ROLES,
  recipient_kind: RECIPIENT_KINDS,
  transfer_mechanism: TRANSFER_MECHANISMS,
  derogation: DEROGATIONS,
  scc_module: ['1', '2', '3', '4'],
  end_action: END_ACTIONS,
  dpia_status: DPIA_STATUSES,
  dpia_criterion: DPIA_CRITERIA,
  provision_requirement: PROVISION_REQUIREMENTS,
  rights_channel_kind: RIGHTS_CHANNEL_KINDS,
  security_measure_kind: SECURITY_MEASURE_KINDS,
  right: RIGHTS,
  automated_decision_exception: AUTOMATED_DECISION_EXCEPTIONS,
};

describe('vocabulary.json is in step with schema.ts', () => {
  for (const [vocab, codes] of Object.entries(CODES) as [Vocabulary, readonly string[]][]) {
    it(`${vocab}: exactly one entry per code, no extra`, () => {
      const inFile = vocabulary.items.filter((i) => i.vocabulary === vocab).map((i) => i.code);
      expect(inFile.sort()).toEqual([...codes].sort());
      expect(new Set(inFile).size).toBe(inFile.length);
      for (const code of codes) {
        const t = term(vocab, code);
        expect(t.label.en.trim(), `${vocab}.${code} en`).not.toBe('');
        expect(t.label.fr.trim(), `${vocab}.${code} fr`).not.toBe('');
        expect(t.article, `${vocab}.${code} article`).toBeDefined();
      }
    });
  }

  it('has no vocabulary the API does not know', () => {
    const known = new Set(Object.keys(CODES));
    for (const item of vocabulary.items) expect(known.has(item.vocabulary), item.vocabulary).toBe(true);
  });
});

describe('term', () => {
  it('throws on an unknown code, naming it', () => {
    expect(() => term('legal_basis', 'consnet')).toThrow(/legal_basis.*consnet/);
    expect(() => term('scc_module', '5')).toThrow();
  });

  it('gives the French wording of Art. 6(1), as the CNIL writes it (intérêt légitime, singular)', () => {
    expect(term('legal_basis', 'consent')).toMatchObject({ article: 'Art. 6(1)(a)', dpv: 'eu-gdpr:A6-1-a', label: { fr: 'Consentement' } });
    expect(term('legal_basis', 'contract').label.fr).toBe("Exécution d'un contrat");
    expect(term('legal_basis', 'legal_obligation').label.fr).toBe('Obligation légale');
    expect(term('legal_basis', 'vital_interests').label.fr).toBe('Sauvegarde des intérêts vitaux');
    expect(term('legal_basis', 'public_task').label.fr).toBe("Mission d'intérêt public");
    expect(term('legal_basis', 'legitimate_interests')).toMatchObject({ article: 'Art. 6(1)(f)', dpv: 'eu-gdpr:A6-1-f', label: { fr: 'Intérêt légitime' } });
  });

  it('gives the Art. 4(2) operations in their French terms, with DPV processing concepts', () => {
    expect(terms('operation').map((t) => t.label.fr)).toEqual([
      'Collecte', 'Enregistrement', 'Organisation', 'Structuration', 'Conservation', 'Adaptation', 'Modification',
      'Extraction', 'Consultation', 'Utilisation', 'Communication par transmission', 'Diffusion', 'Mise à disposition',
      'Rapprochement', 'Interconnexion', 'Limitation', 'Effacement', 'Destruction',
    ]);
    expect(term('operation', 'collection').dpv).toBe('dpv:Collect');
    expect(term('operation', 'disclosure_by_transmission').dpv).toBe('dpv:DiscloseByTransmission');
  });

  it('gives the Art. 9(2) conditions and Art. 49 derogations their DPV EU-GDPR concepts', () => {
    expect(term('special_category_condition', 'explicit_consent')).toMatchObject({ article: 'Art. 9(2)(a)', dpv: 'eu-gdpr:A9-2-a' });
    expect(term('special_category_condition', 'archiving_research_statistics')).toMatchObject({ article: 'Art. 9(2)(j)', dpv: 'eu-gdpr:A9-2-j' });
    expect(term('derogation', 'public_register').dpv).toBe('eu-gdpr:A49-1-g');
    expect(term('derogation', 'compelling_legitimate_interests').dpv).toBe('eu-gdpr:A49-2');
    expect(term('transfer_mechanism', 'scc')).toMatchObject({ article: 'Art. 46(2)(c)', dpv: 'eu-gdpr:A46-2-c' });
    expect(term('scc_module', '2').label.en).toBe('Module 2: controller to processor');
  });

  it('describes every right in both languages, for the notice', () => {
    for (const right of RIGHTS) {
      const t = term('right', right);
      expect(t.description?.en, right).toMatch(/^[A-Z].{40,}\.$/);
      expect(t.description?.fr, right).toMatch(/^[A-ZÀ-Ý].{40,}\.$/);
    }
    expect(term('right', 'access')).toMatchObject({ article: 'Art. 15', dpv: 'eu-gdpr:A15', label: { fr: "Droit d'accès" } });
    expect(term('right', 'withdraw_consent')).toMatchObject({ article: 'Art. 7(3)', dpv: 'eu-gdpr:A7-3' });
    expect(term('right', 'complaint').dpv).toBe('eu-gdpr:A77');
    expect(term('right', 'post_mortem').article).toContain('art. 85');
  });

  it('uses only declared DPV prefixes, and expands them', () => {
    for (const item of vocabulary.items) {
      if ('dpv' in item && item.dpv !== undefined) {
        expect(Object.keys(DPV_PREFIXES), item.dpv).toContain(item.dpv.split(':')[0]);
      }
    }
    expect(expandDpv('eu-gdpr:A6-1-a')).toBe('https://w3id.org/dpv/legal/eu/gdpr#A6-1-a');
    expect(expandDpv('dpv:Collect')).toBe('https://w3id.org/dpv#Collect');
    expect(() => expandDpv('xx:Thing')).toThrow();
  });
});
