/**
 * What each system holds, in the form the planner and the connectors work with. Both dataset
 * formats (opendpo's own, and Fides dataset files imported as they are) load into this model.
 *
 * Pure data: no I/O, no parsing. Every element keeps the place it came from (file:line) so that
 * a problem found later (a missing column at the database, a reference cycle) can name it.
 */

export interface SourcePlace {
  file: string;
  line: number;
  column: number;
}

/** Art. 20: the right to portability covers provided and observed data, not derived or inferred data. */
export const PROVENANCES = ['provided', 'observed', 'derived', 'inferred'] as const;
export type Provenance = (typeof PROVENANCES)[number];

/**
 * How a field's value is replaced on erasure (Art. 17). Every strategy writes a value computed
 * before the first write, so running the same erasure twice writes the same values (see
 * src/dsr/erasure for why this makes a crashed erasure safe to run again).
 */
export type MaskingStrategy =
  /** SET field = NULL. The default for personal-data fields. */
  | { strategy: 'null' }
  /** A fixed string, optionally with a prefix/suffix (Fides string_rewrite with format_preservation). */
  | { strategy: 'fixed'; value: string; prefix?: string; suffix?: string }
  /** Keyed HMAC-SHA-256 of the value, hex; keeps equal values equal (joins, deduplication) without the value. */
  | { strategy: 'hmac'; key: SecretRef; length?: number }
  /** A random string of the given length (letters and digits). */
  | { strategy: 'random_string'; length: number };

/** Collection-level erasure: mask the fields, or delete the whole row. */
export type CollectionErasure = { strategy: 'mask' } | { strategy: 'delete' };

/** A value that must not sit in a file: read from the environment or from a file (e.g. a mounted secret). */
export type SecretRef = { env: string } | { file: string };

/**
 * Art. 17(3): data that must be kept despite an erasure request, with the reason, e.g. invoices
 * kept 10 years under accounting law (Art. 17(3)(b), legal obligation).
 */
export interface LegalHold {
  reason: string;
  /** The Art. 17(3) exception relied on, e.g. "Art. 17(3)(b)". */
  article: string;
  /** ISO 8601 duration the hold lasts, e.g. P10Y, when known. */
  period?: string;
}

export type ReferenceDirection = 'to' | 'from' | 'both';

/**
 * A field holding the values of another field. Direction, as in Fides: "to" means values flow
 * from this field to the referenced one (this row points at it: customer.address_id -> address.id),
 * "from" means values flow from the referenced field into this one (orders.customer_id is looked up
 * from customer.id), "both" lets the planner go either way.
 */
export interface Reference {
  dataset: string;
  collection: string;
  field: string;
  direction: ReferenceDirection;
  /**
   * The referenced rows describe another person (the support agent assigned to a customer, a
   * referrer, a manager). The planner never follows such a reference into those rows.
   */
  otherSubject: boolean;
  at: SourcePlace;
}

/**
 * How a stored identity value is compared with the identity a request is made with, when the
 * dataset says so (otherwise the identity type's own rule applies: see src/dsr/identity-match.ts).
 * Nothing is ever accent-folded: "exact" compares canonically equivalent Unicode text (NFC) as equal
 * and nothing else; "case_insensitive" also ignores letter case.
 */
export const IDENTITY_MATCHES = ['exact', 'case_insensitive'] as const;
export type IdentityMatch = (typeof IDENTITY_MATCHES)[number];

/** Text in each language the product speaks, or one text for all. */
export type Label = string | Partial<Record<'en' | 'fr', string>>;

/**
 * How a value is shown to the person in the access copy (Art. 12(1): intelligible, in clear and plain
 * language). Absent: the value is shown as the database returns it.
 */
export type ValueFormat =
  /** An amount of money; `scale`: the stored number counts units of 10^-scale (5800 with scale 2 is 58.00). */
  | { type: 'money'; currency: string; scale: number }
  /** A calendar date, or a date and time, shown in the person's locale. */
  | { type: 'date' }
  | { type: 'datetime' }
  /** Yes or no (a 0/1 or true/false column). */
  | { type: 'boolean' }
  /** A code whose meaning is given for each stored value (e.g. "A" -> "active"). */
  | { type: 'enum'; values: Record<string, Label> };

export interface DatasetField {
  name: string;
  /** fideslang data categories, e.g. user.contact.email or system.operations. */
  categories: string[];
  /** The identity type this field holds (email, phone_number, customer_number...), if any. */
  identity?: string;
  /** How this identity field is compared, when the dataset overrides the identity type's own rule. */
  identityMatch?: IdentityMatch;
  /** A name for people, per language (the copy shows it instead of the column name). */
  label?: Label;
  /** How the value is shown in the copy. */
  format?: ValueFormat;
  /**
   * Art. 15(4): the column is left out of the access copy, with the reason (e.g. a password hash,
   * whose disclosure would weaken the security of everyone's accounts). Every other column of the
   * person's rows is in the copy, whatever its category.
   */
  excludeFromCopy?: { reason: string };
  primaryKey: boolean;
  references: Reference[];
  provenance?: Provenance;
  masking?: MaskingStrategy;
  legalHold?: LegalHold;
  /** Fides read_only: never written to. */
  readOnly: boolean;
  at: SourcePlace;
}

export interface Collection {
  name: string;
  /** A name for people, per language (the copy shows it instead of the table name). */
  label?: Label;
  /** Database schema (PostgreSQL schema, MySQL database) when not the connection's default. */
  schema?: string;
  /**
   * The kind of data subject each row describes (fideslang data subject: customer, employee...).
   * Absent: the rows belong to whoever references them (addresses, orders, order lines).
   * The planner enters a collection that has its own subject only through an identity field,
   * never through a reference, so another person's record is never pulled into a request.
   */
  subject?: string;
  fields: DatasetField[];
  erasure: CollectionErasure;
  /**
   * The register system this table's data belongs to, when not the dataset's (a newsletter table in
   * the shop's database serves the newsletter's activities): the access answer's processing
   * information comes from the activities of the systems the person's rows were found in.
   */
  system?: string;
  /**
   * Reference data of the organisation (a product catalogue, cities, stores, branches): no row is any
   * person's record. A request does not count or list such rows as the person's, never follows
   * references out of them, and an erasure never reads nor writes them; the copy may show their
   * descriptive fields beside the row that points at them.
   */
  catalogue?: boolean;
  /**
   * The field that dates the event a retention period starts from (an order's date, the last
   * contact): lets the engine work out until when the person's rows are kept (Art. 15(1)(d), and
   * the end of a legal hold) and flag rows held past their retention period (Art. 5(1)(e)).
   */
  retentionStart?: string;
  /** Whole rows kept on erasure (Art. 17(3)); fields may carry their own holds instead. */
  legalHold?: LegalHold;
  /**
   * Art. 18: the field set on the person's rows when processing is restricted, and its value;
   * `liftedValue` (null allowed) is what the field takes again once the restriction is lifted
   * (Art. 18(3)): absent, lifting leaves the flag as it is.
   */
  restrictionFlag?: { field: string; value: string | number | boolean; liftedValue?: string | number | boolean | null };
  /** Fides skip_processing: declared but never read or written. */
  skip: boolean;
  /** Fides after/erase_after: collections ("dataset.collection") this one must be processed after. */
  after: string[];
  eraseAfter: string[];
  at: SourcePlace;
}

export interface Dataset {
  /** Unique key (Fides fides_key). */
  key: string;
  name?: string;
  description?: string;
  /** The register system (systems.yaml id) this dataset describes: links the data to its activities. */
  system?: string;
  format: 'opendpo' | 'fides';
  collections: Collection[];
  at: SourcePlace;
}

export const isPersonalDataCategory = (category: string): boolean => category === 'user' || category.startsWith('user.');

/**
 * A field is personal data when one of its categories is a user.* category, or when it holds an
 * identity: a value that identifies the person is personal data (Art. 4(1)) whatever category a
 * dataset gives it (the Fides example declares service_request.email as system.operations).
 */
export const isPersonalDataField = (field: DatasetField): boolean => field.identity !== undefined || field.categories.some(isPersonalDataCategory);

export const collectionId = (dataset: string, collection: string): string => `${dataset}.${collection}`;
