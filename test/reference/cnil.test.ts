import { describe, expect, it } from 'vitest';
import { cnilRecommendationFor, durationInDays } from '../../src/reference/cnil.js';
import { isDataSubject } from '../../src/reference/taxonomy.js';
import cnil from '../../src/reference/data/cnil.json' with { type: 'json' };

describe('CNIL recommended retention', () => {
  it('recommends 3 years for prospects, from collection or the last contact from the prospect', () => {
    const r = cnilRecommendationFor('prospect');
    expect(r?.duration).toBe('P3Y');
    expect(r?.starts_from.fr).toContain('dernier contact');
    expect(r?.source).toContain('2021-131');
  });

  it('recommends 2 years after the last contact for job applicants, and for inactive customer accounts', () => {
    expect(cnilRecommendationFor('job_applicant')?.duration).toBe('P2Y');
    const customer = cnilRecommendationFor('customer');
    expect(customer?.duration).toBe('P2Y');
    expect(customer?.applies_to.en).toContain('inactive');
  });

  it('has nothing for subjects it does not cover', () => {
    expect(cnilRecommendationFor('employee')).toBeUndefined();
    expect(cnilRecommendationFor('nope')).toBeUndefined();
  });

  it('names only real fideslang data subjects', () => {
    for (const item of cnil.items) for (const s of item.subjects) expect(isDataSubject(s), s).toBe(true);
  });
});

describe('durationInDays', () => {
  it('approximates years, months, weeks and days', () => {
    expect(durationInDays('P3Y')).toBe(1095);
    expect(durationInDays('P13M')).toBe(390);
    expect(durationInDays('P2W')).toBe(14);
    expect(durationInDays('P30D')).toBe(30);
    expect(durationInDays('P1Y6M')).toBe(545);
  });

  it('orders a 25-month period above 2 years, as the comparison needs', () => {
    expect(durationInDays('P25M')).toBeGreaterThan(durationInDays('P2Y'));
    expect(durationInDays('P3Y')).toBeGreaterThan(durationInDays('P2Y'));
  });

  it('rejects text that is not a duration', () => {
    expect(() => durationInDays('P')).toThrow();
    expect(() => durationInDays('3 years')).toThrow();
    expect(() => durationInDays('PT5H')).toThrow();
  });
});
