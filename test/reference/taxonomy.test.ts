import { describe, expect, it } from 'vitest';
import { SPECIAL_CATEGORIES } from '../../src/register/schema.js';
import {
  TAXONOMY_ATTRIBUTION,
  dataCategoryLabel,
  deprecatedTaxonomyKey,
  isCriminalDataCategory,
  isDataCategory,
  isDataSubject,
  isDataUse,
  specialCategoryOf,
  suggestTaxonomyKey,
  taxonomyName,
} from '../../src/reference/taxonomy.js';
import categories from '../../src/reference/data/data-categories.json' with { type: 'json' };
import uses from '../../src/reference/data/data-uses.json' with { type: 'json' };
import subjects from '../../src/reference/data/data-subjects.json' with { type: 'json' };
import categoryLabels from '../../src/reference/data/data-category-labels.json' with { type: 'json' };

describe('fideslang taxonomy lookups', () => {
  it('knows the active keys of each kind, and only of that kind', () => {
    expect(isDataCategory('user.contact.email')).toBe(true);
    expect(isDataCategory('user.contact.address.postal_code')).toBe(true);
    expect(isDataCategory('user.device.ip_address')).toBe(true);
    expect(isDataUse('marketing.communications.email')).toBe(true);
    expect(isDataUse('employment.recruitment')).toBe(true);
    expect(isDataUse('essential.service.security')).toBe(true);
    expect(isDataSubject('prospect')).toBe(true);
    expect(isDataSubject('job_applicant')).toBe(true);

    expect(isDataCategory('marketing.communications.email')).toBe(false);
    expect(isDataUse('user.contact.email')).toBe(false);
    expect(isDataSubject('user')).toBe(false);
    expect(isDataCategory('user.contact.emial')).toBe(false);
    expect(isDataCategory('')).toBe(false);
  });

  it('treats deprecated keys as unknown but names their replacement', () => {
    expect(isDataCategory('user.health_and_medical')).toBe(false);
    expect(deprecatedTaxonomyKey('data_category', 'user.health_and_medical')).toMatchObject({
      replaced_by: 'user.health',
      version_deprecated: '3.2.0',
    });
    expect(suggestTaxonomyKey('data_category', 'user.health_and_medical')).toBe('user.health');
    expect(suggestTaxonomyKey('data_use', 'personalize.profiling')).toBe('personalize.content.profiling');
    expect(deprecatedTaxonomyKey('data_category', 'user.contact.email')).toBeUndefined();
  });

  it('suggests the closest key for a typo, and nothing for noise', () => {
    expect(suggestTaxonomyKey('data_category', 'user.contact.emial')).toBe('user.contact.email');
    expect(suggestTaxonomyKey('data_category', 'User.Contact.Email')).toBe('user.contact.email');
    expect(suggestTaxonomyKey('data_use', 'marketing.comunications.email')).toBe('marketing.communications.email');
    expect(suggestTaxonomyKey('data_subject', 'prospekt')).toBe('prospect');
    expect(suggestTaxonomyKey('data_subject', 'job_aplicant')).toBe('job_applicant');
    // A key whose last segment is unique: the user wrote a partial path.
    expect(suggestTaxonomyKey('data_category', 'contact.phone_number')).toBe('user.contact.phone_number');
    expect(suggestTaxonomyKey('data_category', 'email')).toBe('user.contact.email');
    // A typo of a deprecated key leads to its replacement.
    expect(suggestTaxonomyKey('data_category', 'user.health_medical')).toBe('user.health');
    expect(suggestTaxonomyKey('data_category', 'zzzzzzzzzzzz')).toBeUndefined();
    expect(suggestTaxonomyKey('data_subject', 'candidate')).toBeUndefined();
    // A known key needs no suggestion.
    expect(suggestTaxonomyKey('data_category', 'user.contact.email')).toBeUndefined();
  });

  it('gives the fideslang name', () => {
    expect(taxonomyName('data_category', 'user.contact.email')).toBe('User Contact Email');
    expect(taxonomyName('data_use', 'employment.recruitment')).toBe('Employment Recruitment');
    expect(taxonomyName('data_subject', 'supplier_vendor')).toBe('Supplier/Vendor');
    expect(taxonomyName('data_category', 'nope')).toBeUndefined();
  });

  it('maps fideslang categories to Art. 9(1) special categories, including deprecated keys', () => {
    expect(specialCategoryOf('user.health')).toBe('health');
    expect(specialCategoryOf('user.health.medical_diagnosis')).toBe('health');
    expect(specialCategoryOf('user.health_and_medical')).toBe('health');
    expect(specialCategoryOf('user.health_and_medical.record_id')).toBe('health');
    expect(specialCategoryOf('user.health.genetic')).toBe('genetic_data');
    expect(specialCategoryOf('user.biometrics.fingerprint')).toBe('biometric_data');
    expect(specialCategoryOf('user.biometric')).toBe('biometric_data');
    expect(specialCategoryOf('user.demographic.race_ethnicity')).toBe('racial_or_ethnic_origin');
    expect(specialCategoryOf('user.demographic.political_opinion')).toBe('political_opinions');
    expect(specialCategoryOf('user.demographic.religious_belief')).toBe('religious_or_philosophical_beliefs');
    expect(specialCategoryOf('user.demographic.philosophical_belief')).toBe('religious_or_philosophical_beliefs');
    expect(specialCategoryOf('user.demographic.union_membership')).toBe('trade_union_membership');
    expect(specialCategoryOf('user.demographic.sexual_orientation')).toBe('sex_life_or_sexual_orientation');

    expect(specialCategoryOf('user.contact.email')).toBeUndefined();
    expect(specialCategoryOf('user.demographic.gender')).toBeUndefined();
    expect(specialCategoryOf('user.demographic')).toBeUndefined();
    // Segment match, not string prefix.
    expect(specialCategoryOf('user.healthy')).toBeUndefined();
  });

  it('covers every special category with at least one active fideslang key', () => {
    const covered = new Set(categories.items.map((c) => specialCategoryOf(c.fides_key)).filter((c) => c !== undefined));
    expect([...covered].sort()).toEqual([...SPECIAL_CATEGORIES].sort());
  });

  it('recognises criminal data (Art. 10)', () => {
    expect(isCriminalDataCategory('user.criminal_history')).toBe(true);
    expect(isCriminalDataCategory('user.criminal_history.conviction')).toBe(true);
    expect(isCriminalDataCategory('user.criminal_historyx')).toBe(false);
    expect(isCriminalDataCategory('user.contact.email')).toBe(false);
  });
});

describe('fideslang data files', () => {
  for (const [file, data] of [
    ['data-categories', categories],
    ['data-uses', uses],
    ['data-subjects', subjects],
  ] as const) {
    it(`${file}: credits Ethyca under CC BY 4.0, and is a consistent tree`, () => {
      expect(data.attribution).toContain('Ethyca');
      expect(data.attribution).toContain('CC BY 4.0');
      expect(data.license).toBe('CC-BY-4.0');
      expect(data.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const keys = new Set(data.items.map((i) => i.fides_key));
      expect(keys.size).toBe(data.items.length);
      for (const item of data.items) {
        expect(Object.keys(item).sort()).toEqual(['description', 'fides_key', 'name', 'parent_key']);
        if (item.parent_key !== null) expect(keys.has(item.parent_key), item.fides_key).toBe(true);
      }
      for (const d of data.deprecated) {
        expect(keys.has(d.fides_key)).toBe(false);
        expect(keys.has(d.replaced_by), d.fides_key).toBe(true);
      }
    });
  }

  it('exports the attribution for display', () => {
    expect(TAXONOMY_ATTRIBUTION).toMatch(/Ethyca.*CC BY 4\.0/);
  });

  it('holds the 15 fideslang data subjects', () => {
    expect(subjects.items.map((s) => s.fides_key)).toEqual([
      'anonymous_user', 'citizen_voter', 'commuter', 'consultant', 'customer', 'employee', 'job_applicant',
      'next_of_kin', 'passenger', 'patient', 'prospect', 'shareholder', 'supplier_vendor', 'trainee', 'visitor',
    ]);
  });
});

describe('plain labels of the data categories (Art. 12(1))', () => {
  it('labels every active data category in English and French, and nothing else', () => {
    const keys = categories.items.map((c) => c.fides_key);
    expect(Object.keys(categoryLabels.labels).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      for (const lang of ['en', 'fr'] as const) {
        const label = dataCategoryLabel(key, lang);
        expect(label, `${key} ${lang}`).toMatch(/\S/);
        // Plain words, not the taxonomy's own name style nor a key.
        expect(label, `${key} ${lang}`).not.toMatch(/^User [A-Z]|\./);
      }
      // A French label is a translation, not the English one left as it is (a few words are the same in both).
      if (!['user.device.cookie'].includes(key)) expect(dataCategoryLabel(key, 'fr'), key).not.toBe(dataCategoryLabel(key, 'en'));
    }
    expect(categoryLabels.source).toMatch(/English only/);
    expect(categoryLabels.attribution).toMatch(/CC BY 4\.0/);
  });

  it('says a street or an amount in words a person reads, in their language', () => {
    expect(dataCategoryLabel('user.contact.address.street', 'en')).toBe('Street address');
    expect(dataCategoryLabel('user.contact.address.street', 'fr')).toBe('Adresse (numéro et voie)');
    expect(dataCategoryLabel('user.demographic.date_of_birth', 'fr')).toBe('Date de naissance');
    // A deprecated key reads as its replacement; an unknown one has no label.
    expect(dataCategoryLabel('user.biometric', 'fr')).toBe(dataCategoryLabel('user.biometrics', 'fr'));
    expect(dataCategoryLabel('user.nope', 'en')).toBeUndefined();
  });
});
