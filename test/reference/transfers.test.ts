import { describe, expect, it } from 'vitest';
import {
  adequacyDecisions,
  adequacyFor,
  adequacyForInternationalOrganisation,
  countryName,
  isCountryCode,
  isEea,
  isEu,
} from '../../src/reference/transfers.js';
import transfers from '../../src/reference/data/transfers.json' with { type: 'json' };

describe('EEA', () => {
  it('is the 27 EU Member States plus Iceland, Liechtenstein and Norway', () => {
    expect(transfers.eea.eu).toHaveLength(27);
    expect(transfers.eea.efta).toEqual(['IS', 'LI', 'NO']);
    for (const c of ['FR', 'DE', 'IE', 'NO', 'IS', 'LI']) expect(isEea(c), c).toBe(true);
    for (const c of ['US', 'GB', 'CH', 'UK', 'fr', '']) expect(isEea(c), c).toBe(false);
    expect(isEu('NO')).toBe(false);
    expect(isEu('FR')).toBe(true);
  });

  it('has no adequacy decision for an EEA country, and every listed code is ISO', () => {
    for (const c of [...transfers.eea.eu, ...transfers.eea.efta]) {
      expect(isCountryCode(c), c).toBe(true);
      expect(adequacyFor(c, {}), c).toBeUndefined();
    }
  });
});

describe('adequacy decisions (Art. 45)', () => {
  it('covers the US only for organisations certified under the Data Privacy Framework', () => {
    expect(adequacyFor('US', {})).toBeUndefined();
    expect(adequacyFor('US', { dpfCertified: false })).toBeUndefined();
    const us = adequacyFor('US', { dpfCertified: true });
    expect(us).toMatchObject({ scope: 'dpf_certified_only', adopted: '2023-07-10', verified: false });
  });

  it('covers the UK until the end of its renewed decision', () => {
    const gb = adequacyFor('GB', {});
    expect(gb).toMatchObject({ adopted: '2021-06-28', renewed: '2025-12-19', valid_until: '2031-12-27', scope: 'full', verified: true });
    expect(adequacyFor('GB', { on: '2031-12-27' })).toBeDefined();
    expect(adequacyFor('GB', { on: '2031-12-28' })).toBeUndefined();
    expect(adequacyFor('UK', {})).toBeUndefined();
  });

  it('covers Canada only for commercial organisations, and says so', () => {
    expect(adequacyFor('CA', {})?.scope).toBe('commercial_organisations');
  });

  it('holds the dates of the reference facts, unverified where they were not checked', () => {
    const byCountry = Object.fromEntries(adequacyDecisions().map((d) => [d.country, d]));
    expect(byCountry['CH']).toMatchObject({ adopted: '2000-07-26', verified: false });
    expect(byCountry['JP']).toMatchObject({ adopted: '2019-01-23', verified: true });
    expect(byCountry['KR']).toMatchObject({ adopted: '2021-12-17', verified: false });
    expect(byCountry['BR']).toMatchObject({ adopted: '2026-01-26', verified: true });
    expect(byCountry['BR']?.decision).toContain('2026/179');
    expect(Object.keys(byCountry).sort()).toEqual(
      ['AD', 'AR', 'BR', 'CA', 'CH', 'FO', 'GB', 'GG', 'IL', 'IM', 'JE', 'JP', 'KR', 'NZ', 'US', 'UY'],
    );
    for (const d of adequacyDecisions()) {
      expect(d.adopted, d.country).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(d.source, d.country).toMatch(/^https:\/\//);
      expect(isCountryCode(d.country), d.country).toBe(true);
      expect(isEea(d.country), d.country).toBe(false);
    }
    expect(adequacyFor('CN', {})).toBeUndefined();
    expect(adequacyFor('IN', {})).toBeUndefined();
  });

  it('knows the European Patent Organisation decision', () => {
    expect(adequacyForInternationalOrganisation('EPO')?.adopted).toBe('2025-07-15');
    expect(adequacyForInternationalOrganisation('european patent organisation')?.name).toBe('European Patent Organisation');
    expect(adequacyForInternationalOrganisation('WHO')).toBeUndefined();
  });
});

describe('countries', () => {
  it('accepts ISO 3166-1 alpha-2 codes only', () => {
    expect(isCountryCode('FR')).toBe(true);
    expect(isCountryCode('GB')).toBe(true);
    expect(isCountryCode('UK')).toBe(false);
    expect(isCountryCode('EU')).toBe(false);
    expect(isCountryCode('XK')).toBe(false);
    expect(isCountryCode('fr')).toBe(false);
  });

  it('names countries in English and French', () => {
    expect(countryName('US', 'fr')).toBe('États-Unis');
    expect(countryName('US', 'en')).toBe('United States');
    expect(countryName('GB', 'fr')).toBe('Royaume-Uni');
    expect(countryName('DE', 'fr')).toBe('Allemagne');
    expect(countryName('ZZ', 'fr')).toBe('ZZ');
  });
});
