import { describe, expect, it } from 'vitest';
import { negotiateLanguage } from '../../src/http/negotiate-language.js';

const both = ['en', 'fr'] as const;

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['fr', 'fr'],
    ['fr-FR,fr;q=0.9,en;q=0.8', 'fr'],
    ['de-DE, fr;q=0.8, en;q=0.5', 'fr'],
    ['en;q=0.3, fr;q=0.7', 'fr'],
    ['fr;q=0, en', 'en'],
    ['FR-ca', 'fr'],
    ['de, it', 'en'],
    ['*', 'en'],
    ['de, *;q=0.5, fr;q=0.4', 'en'],
    ['en;q=0.5, fr;q=0.5', 'en'],
    ['fr;q=abc, en;q=0.1', 'en'],
  ])('Accept-Language %j gives %s (fallback en)', (header, expected) => {
    expect(negotiateLanguage(header, both, 'en')).toBe(expected);
  });

  it('only picks a language the notice is published in', () => {
    expect(negotiateLanguage('en', ['fr'], 'fr')).toBe('fr');
    expect(negotiateLanguage('de, en;q=0.5', ['fr', 'en'], 'fr')).toBe('en');
  });
});
