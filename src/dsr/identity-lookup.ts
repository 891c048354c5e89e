/**
 * How an identity is looked up in a database column, so that every database finds the rows the
 * rule of identity-match.ts says, no more and no fewer. A database cannot say "NFC-equal, ignoring
 * case, never accent-folded" in an indexable way on all three dialects, so a lookup asks for a
 * superset the column's index can serve, then the rule keeps the rows that match:
 *
 * - the identity is asked in its NFC and NFD forms (an application may have stored either);
 * - ignoring case: through `lower(column)` (an index on lower(column) serves it), or the column as
 *   it is when its collation already ignores case (MariaDB's *_ci, PostgreSQL citext: their own
 *   index serves it). Where lower() changes ASCII letters only (SQLite, PostgreSQL's C collation),
 *   every case of the identity's other letters is asked too;
 * - what the collation let through besides (MariaDB's *_ci finds "zoé@" for "zoe@", and "a " for
 *   "a") is dropped by `keepMatching`, which applies the rule itself.
 *
 * Every kind of request finds the person's rows through this lookup (execute/collect.ts), so
 * access, portability, rectification, restriction and erasure select the same rows. Pure.
 */
import type { ColumnShape, DatabaseType, Row, TableShape, TextComparison } from '../connectors/connector.js';
import { renderCreateLowerIndex, tableLabel } from '../connectors/sql/statement-sql.js';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { IdentityMatch } from '../dataset/model.js';
import { identityMatcher } from './identity-match.js';

/** What a statement asks the database: `lowerCase` compares lower(column). */
export interface IdentityLookup {
  lowerCase: boolean;
  values: string[];
}

/** Forms of one identity asked at most, per normal form (2^12: twelve letters whose case lower() cannot change). */
export const MAX_CASE_VARIANTS = 4096;

/** How the column compares, from the check; without it, what the database does by default. */
export function textComparisonOf(type: DatabaseType, column: ColumnShape | undefined): TextComparison | undefined {
  if (column !== undefined) return column.text;
  return { collation: 'unknown', caseInsensitive: false, lowerAsciiOnly: type === 'sqlite' };
}

/**
 * The values to ask for `identities` (canonical) in a column under `rule`, and whether through
 * lower(column). Always a superset of the rows the rule matches, for values stored in NFC or NFD.
 */
export function identityLookup(text: TextComparison | undefined, rule: IdentityMatch, identities: readonly string[]): IdentityLookup {
  const forms = (v: string) => [v.normalize('NFC'), v.normalize('NFD')];
  const unique = (values: string[]) => [...new Set(values)];
  // Not text (a number, a date): the database's own equality is exact.
  if (rule === 'exact' || text === undefined) return { lowerCase: false, values: unique(identities.flatMap(forms)) };
  if (text.caseInsensitive) return { lowerCase: false, values: unique(identities.flatMap((v) => forms(v).flatMap((f) => [f, f.toLowerCase()]))) };
  const lowered = unique(identities.flatMap((v) => forms(v.toLowerCase())));
  return { lowerCase: true, values: text.lowerAsciiOnly ? unique(lowered.flatMap(caseVariants)) : lowered };
}

/**
 * Every way a lower-cased text can read once an ASCII-only lower() has run over a stored value of
 * any case: ASCII letters lower case, every other letter in either case ("élodie" -> "élodie",
 * "Élodie"). Refuses an identity with too many such letters to ask, naming no value.
 */
export function caseVariants(lowered: string): string[] {
  const options = [...lowered].map((c) => {
    if (c.charCodeAt(0) < 0x80) return [c];
    const upper = c.toUpperCase();
    return [...upper].length === 1 && upper !== c && upper.toLowerCase() === c ? [c, upper] : [c];
  });
  const count = options.reduce((n, o) => n * o.length, 1);
  if (count > MAX_CASE_VARIANTS) {
    throw new OpendpoError(
      'INVALID_INPUT',
      `an identity has more non-ASCII letters than can be compared without letter case on a database whose lower() changes ASCII letters only (at most ${Math.log2(MAX_CASE_VARIANTS)}); give the identity as stored, or declare identity_match: exact on its field`,
    );
  }
  let out = [''];
  for (const o of options) out = out.flatMap((prefix) => o.map((c) => prefix + c));
  return out;
}

/** The rows of an identity lookup that match one of the identities under the rule: what the collation let through is dropped. */
export function keepMatching(rows: readonly Row[], column: string, rule: IdentityMatch, identities: readonly string[]): Row[] {
  const matches = identityMatcher(identities, rule);
  return rows.filter((row) => matches(row[column] ?? null));
}

/** An identity lookup no index serves, and what to do about it. */
export interface IndexAdvice {
  /** "table.column", as the database names them. */
  column: string;
  reason: string;
  /** The index to create, when the database can make one. */
  statement?: string;
}

/**
 * Whether an index can serve the lookup of an identity in this column, and the advice when none
 * can: a case-insensitive comparison reads lower(column), which an index on the column does not
 * serve (every request would read the whole table). Pure: from the catalogue the check read.
 */
export function lookupIndexAdvice(type: DatabaseType, table: TableShape, column: string, rule: IdentityMatch): IndexAdvice | undefined {
  const text = textComparisonOf(type, table.columns.find((c) => c.name === column));
  if (rule !== 'case_insensitive' || text === undefined || text.caseInsensitive) return undefined;
  const served = (table.indexes ?? []).some((index) => {
    const first = index.keys[0];
    return first !== undefined && 'lowerOf' in first && first.lowerOf === column;
  });
  if (served) return undefined;
  const where = `${tableLabel(table)}.${column}`;
  if (type === 'mysql') {
    return {
      column: where,
      reason: `compared without letter case through lower(${column}) (collation ${text.collation}), which no index serves: a case-insensitive collation on the column (utf8mb4_unicode_ci) lets its own index serve it (accent-folded look-alikes are still dropped), or MySQL 8 can index ((lower(${column})))`,
    };
  }
  return {
    column: where,
    reason: `compared without letter case through lower(${column}), which no index serves: every request reads the whole table`,
    statement: renderCreateLowerIndex(type, table, column),
  };
}
