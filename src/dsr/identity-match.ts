/**
 * What it means for a stored value to be the identity a request is made with: one rule per identity
 * type, the same on every database and for every kind of request (Art. 15-18 act on the person's
 * data, and only theirs: a comparison a database's collation loosens would find someone else).
 *
 * - The request's identity is NFC-normalised and trimmed (canonicalIdentity): "é" typed as e +
 *   combining accent is the same identity as the precomposed "é".
 * - A stored value is compared in NFC too (an application that stored NFD text still holds the
 *   same identity), but never trimmed: stored whitespace is part of the value.
 * - An email matches whatever its letter case (RFC 5321 lets a mail server tell cases apart, but no
 *   provider does, and people type their address in any case); every other type matches exactly,
 *   unless the dataset declares `identity_match: case_insensitive` on the field (or `exact` on an email).
 * - Nothing is ever accent-folded, nor compared through a collation's equivalences (MariaDB's
 *   default collation finds "zoé@" for "zoe@"): those are other people's addresses.
 *
 * Pure: identity-lookup.ts turns the rule into a database's statement and filters its answer with it.
 */
import type { Value } from '../connectors/connector.js';
import { valueKey } from '../connectors/value-key.js';
import type { Dataset, DatasetField, IdentityMatch } from '../dataset/model.js';

/** The identity a request is made with, as it is compared and kept: NFC, without surrounding whitespace. */
export const canonicalIdentity = (value: string): string => value.normalize('NFC').trim();

/** The rule of an identity type when no dataset says otherwise. */
export const defaultIdentityMatch = (type: string): IdentityMatch => (type === 'email' ? 'case_insensitive' : 'exact');

/** The rule of an identity field: the dataset's `identity_match`, else its type's. */
export function identityMatchOf(field: DatasetField): IdentityMatch {
  if (field.identityMatch !== undefined) return field.identityMatch;
  return defaultIdentityMatch(field.identity ?? '');
}

/** The form two texts are equal in under a rule: NFC, lower-cased when case does not count. */
export function matchForm(text: string, rule: IdentityMatch): string {
  const nfc = text.normalize('NFC');
  return rule === 'case_insensitive' ? nfc.toLowerCase() : nfc;
}

/**
 * Whether a stored value is the requested identity (canonical) under the rule. Text is compared in
 * its match form, untrimmed; bytes are read as UTF-8 text; other values (numbers, dates) are equal
 * when they are the same value (valueKey: 42 and "42" are, "042" is not).
 */
export function identityMatches(stored: Value, requested: string, rule: IdentityMatch): boolean {
  return identityMatcher([requested], rule)(stored);
}

/**
 * Whether a stored value is one of the requested identities (canonical) under the rule, as
 * identityMatches says for each: the identities' match forms are worked out once, so testing a
 * row costs the same for one person as for a batch of thousands (an erasure in batches).
 */
export function identityMatcher(requested: readonly string[], rule: IdentityMatch): (stored: Value) => boolean {
  const forms = new Set(requested.map((v) => matchForm(v, rule)));
  const keys = new Set(requested.map((v) => valueKey(v)));
  return (stored) => {
    if (stored === null) return false;
    if (stored instanceof Uint8Array) return forms.has(matchForm(Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength).toString('utf8'), rule));
    if (typeof stored === 'string') return forms.has(matchForm(stored, rule));
    return keys.has(valueKey(stored));
  };
}

/**
 * The rule an identity type follows across the datasets of a request: case-insensitive when any
 * field of that type is (an email, by default). What the store keys per identity (the request's
 * fingerprint, a past erasure, a restriction) uses it, so "Alice@Example.com" finds what
 * "alice@example.com" left there.
 */
export function identityTypeMatch(type: string, datasets: readonly Dataset[]): IdentityMatch {
  let declared = false;
  for (const d of datasets) {
    for (const c of d.collections) {
      for (const f of c.fields) {
        if (f.identity !== type) continue;
        declared = true;
        if (identityMatchOf(f) === 'case_insensitive') return 'case_insensitive';
      }
    }
  }
  return declared ? 'exact' : defaultIdentityMatch(type);
}

/** The identities as the store keys them: canonical, in their type's match form. */
export function identityKeys(identities: Readonly<Record<string, string>>, datasets: readonly Dataset[]): Record<string, string> {
  return Object.fromEntries(Object.entries(identities).map(([type, value]) => [type, matchForm(canonicalIdentity(value), identityTypeMatch(type, datasets))]));
}
