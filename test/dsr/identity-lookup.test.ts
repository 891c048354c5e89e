import { describe, expect, it } from 'vitest';
import type { TextComparison } from '../../src/connectors/connector.js';
import { caseVariants, identityLookup, keepMatching, MAX_CASE_VARIANTS } from '../../src/dsr/identity-lookup.js';
import { canonicalIdentity, identityMatcher, identityMatches } from '../../src/dsr/identity-match.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';

const binary: TextComparison = { collation: 'C.UTF-8', caseInsensitive: false, lowerAsciiOnly: false };
const asciiLower: TextComparison = { collation: 'BINARY', caseInsensitive: false, lowerAsciiOnly: true };
const mariadbCi: TextComparison = { collation: 'utf8mb4_general_ci', caseInsensitive: true, lowerAsciiOnly: false };

describe('the identity rule', () => {
  it('compares NFC text, case aside for case_insensitive, never trimming or folding accents of the stored value', () => {
    expect(canonicalIdentity('  chloe\u0301@example.com \n')).toBe('chlo\u00e9@example.com');
    expect(identityMatches('chloe\u0301@example.com', 'chlo\u00e9@example.com', 'exact')).toBe(true);
    expect(identityMatches('CHLOE\u0301@example.com', 'chlo\u00e9@example.com', 'case_insensitive')).toBe(true);
    expect(identityMatches('CHLOE\u0301@example.com', 'chlo\u00e9@example.com', 'exact')).toBe(false);
    expect(identityMatches('chloe@example.com', 'chlo\u00e9@example.com', 'case_insensitive')).toBe(false);
    expect(identityMatches('pad@example.com ', 'pad@example.com', 'case_insensitive')).toBe(false);
    expect(identityMatches(Buffer.from('Zoe@example.com'), 'zoe@example.com', 'case_insensitive')).toBe(true);
    // Numbers are the same value, not the same text: 42 is "42", not "042".
    expect(identityMatches(42, '42', 'exact')).toBe(true);
    expect(identityMatches(42n, '042', 'exact')).toBe(false);
    expect(identityMatches(null, 'null', 'exact')).toBe(false);
  });

  it('matches a stored value against a batch of identities exactly as against each of them alone', () => {
    const requested = ['chlo\u00e9@example.com', 'Zoe@Example.com', '42', 'pad@example.com'];
    const stored = ['CHLOE\u0301@example.com', 'zoe@example.com', 'zo\u00e9@example.com', 'pad@example.com ', 42, 42n, '042', null, Buffer.from('ZOE@example.com'), 'other@example.com'];
    for (const rule of ['exact', 'case_insensitive'] as const) {
      const matches = identityMatcher(requested, rule);
      for (const v of stored) expect(matches(v), `${String(v)} under ${rule}`).toBe(requested.some((r) => identityMatches(v, r, rule)));
    }
    expect(stored.filter((v) => identityMatcher(requested, 'case_insensitive')(v)).length).toBe(5);
  });
});

describe('an identity lookup', () => {
  it('asks both normal forms, through lower() when case does not count, and the column as it is under a case-insensitive collation', () => {
    expect(identityLookup(binary, 'exact', ['Chlo\u00e9@x.fr'])).toEqual({ lowerCase: false, values: ['Chlo\u00e9@x.fr', 'Chloe\u0301@x.fr'] });
    expect(identityLookup(binary, 'case_insensitive', ['Chlo\u00e9@x.fr'])).toEqual({ lowerCase: true, values: ['chlo\u00e9@x.fr', 'chloe\u0301@x.fr'] });
    expect(identityLookup(mariadbCi, 'case_insensitive', ['Zoe@x.fr'])).toEqual({ lowerCase: false, values: ['Zoe@x.fr', 'zoe@x.fr'] });
    // Not text (a number column): the database's equality is exact already.
    expect(identityLookup(undefined, 'case_insensitive', ['42'])).toEqual({ lowerCase: false, values: ['42'] });
  });

  it('asks every case of non-ASCII letters where lower() changes ASCII letters only', () => {
    expect(identityLookup(asciiLower, 'case_insensitive', ['\u00c9lodie@x.fr']).values.sort()).toEqual(['e\u0301lodie@x.fr', '\u00c9lodie@x.fr', '\u00e9lodie@x.fr'].sort());
    expect(caseVariants('\u00e9\u00e8\u00ea')).toHaveLength(8);
    expect(caseVariants('abc')).toEqual(['abc']);
    try {
      caseVariants('\u00e9'.repeat(Math.log2(MAX_CASE_VARIANTS) + 1));
      expect.unreachable();
    } catch (err) {
      expect(isOpendpoError(err) && err.code === 'INVALID_INPUT').toBe(true);
      expect((err as Error).message).not.toContain('\u00e9');
    }
  });

  it('keeps only the rows the rule matches of what a collation let through', () => {
    const rows = [{ email: 'zoe@x.fr' }, { email: 'zo\u00e9@x.fr' }, { email: 'ZOE@x.fr ' }, { email: 'ZOE@X.FR' }];
    expect(keepMatching(rows, 'email', 'case_insensitive', ['zoe@x.fr'])).toEqual([{ email: 'zoe@x.fr' }, { email: 'ZOE@X.FR' }]);
    expect(keepMatching(rows, 'email', 'exact', ['zoe@x.fr'])).toEqual([{ email: 'zoe@x.fr' }]);
  });
});
