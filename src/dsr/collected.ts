/**
 * What an access request found: the person's rows, collection by collection, with the fields'
 * declarations. This is the input of the access package (Art. 15), of the portability export
 * (Art. 20) and, as row keys only, of erasure.
 *
 * The boundary between one person and another holds here as it does for erasure (Art. 15(4)): a
 * row another person's records also lead to, or that names another person, is not copied as the
 * person's (only its non-personal fields, flagged in `withheld`); rows of catalogues (products,
 * cities, stores) are not the person's records (at most their descriptive fields, in `context`).
 */
import type { Row } from '../connectors/connector.js';
import type { Label, LegalHold, Provenance, ValueFormat } from '../dataset/model.js';

export interface CollectedField {
  name: string;
  categories: string[];
  provenance?: Provenance;
  identity?: string;
  primaryKey: boolean;
  /**
   * False for a column the table has and the dataset does not declare: shown in the copy as not
   * categorised (Art. 15(3): the copy holds every column), and listed by `dsr plan` for review.
   */
  declared: boolean;
  /** The field refers to another table's rows (a reference, or a real foreign key): a technical identifier. */
  reference?: boolean;
  /** The dataset's name for people and display format (Art. 12(1)). */
  label?: Label;
  format?: ValueFormat;
}

/** Descriptive fields of catalogue rows the person's rows point at (the product's name beside an order line). */
export interface CollectedContext {
  /** The pointing field of this collection (order_item.product_id). */
  field: string;
  /** The catalogue collection, "dataset.collection". */
  catalogue: string;
  /** Its descriptive fields, in declaration order. */
  fields: CollectedField[];
  /** valueKey (src/connectors/value-key.ts) of the pointing value -> the catalogue row's descriptive fields. */
  rows: Record<string, Row>;
}

/** Rows linked to the person that are not theirs alone: counted and flagged, their personal fields left out. */
export interface CollectedWithheld {
  /**
   * shared: other people's records lead to these rows too (an address another customer's order ships
   * to); other-person: the row names another person (another customer's email on a ticket the
   * person's record leads to), or is reached only through such rows.
   */
  reason: 'shared' | 'other-person';
  /** The non-personal fields shown (never a personal-data field, an identity or a key that is one). */
  fields: CollectedField[];
  rows: Row[];
}

export interface CollectedCollection {
  dataset: string;
  collection: string;
  /** The dataset's name for the table, for people (Art. 12(1)). */
  label?: Label;
  /** The register system (systems.yaml id) the collection's data belongs to (its own, else its dataset's). */
  system?: string;
  /** Every column of the table in `rows` (declared fields first, in declaration order), except `excluded`. */
  fields: CollectedField[];
  /** The person's own rows; each holds exactly `fields`. */
  rows: Row[];
  /** Art. 15(4): columns left out of the copy, with the dataset's reason. */
  excluded: { field: string; reason: string }[];
  withheld: CollectedWithheld[];
  context: CollectedContext[];
  /** The field that dates the event the collection's retention period starts from (Art. 15(1)(d)). */
  retentionStart?: string;
}

/** An erasure done earlier for the same identity (found by keyed fingerprint): what a later access must say. */
export interface PastErasure {
  requestId: string;
  /** ISO 8601 instant the erasure completed. */
  completedAt: string;
  /** What the erasure kept, per collection ("dataset.collection"), and why (Art. 17(3)). */
  kept: { collection: string; rows: number; fields?: string[]; hold?: LegalHold; reason: 'legal-hold' | 'shared' | 'referenced'; until?: string }[];
}

export interface CollectedData {
  requestId: string;
  /** ISO 8601 instant the data was collected. */
  collectedAt: string;
  /** The identities the request was made with (type -> value), shown back to the person. */
  identities: Record<string, string>;
  /** Every collection the planner reached as the person's (not catalogues), also those where nothing was found (rows: []). */
  collections: CollectedCollection[];
  /** Erasures done earlier for these identities (Art. 15 after Art. 17: what was erased, when, and what is kept). */
  erasures: PastErasure[];
  /** Collections that could not be reached or systems that have not answered, safe to show. */
  warnings: string[];
}
