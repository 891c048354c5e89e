/**
 * opendpo's own dataset format and connections.yaml: one zod schema per file kind, the single
 * source of truth. The JSON Schemas in `schema/` are generated from them (`npm run schema`) and
 * `docs/dataset-format.md` documents them key by key.
 *
 * A datasets folder:
 *   connections.yaml     where the data lives (the only file that does), and the register folder
 *   <name>.yaml          one dataset per file (opendpo format), or a Fides dataset file (see fides.ts)
 *
 * Objects are strict: an unknown key is an error with a "did you mean". What needs the other files
 * to be judged (references, fideslang keys, which connection serves a dataset) is checked by the
 * loader after parsing, with the place of each problem.
 */
import { z } from 'zod';
import { Id, IsoDuration, LocalisedText } from '../register/schema.js';
import { IDENTITY_MATCHES, PROVENANCES } from './model.js';

// ---------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** A dataset's own key in the opendpo format. */
export const DatasetKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'must be lowercase letters, digits, "_" and "-" (e.g. "shop")');

/**
 * A dataset named from elsewhere (a reference, an `after`, a connection): an opendpo key or the
 * fides_key of an imported Fides dataset, which may hold upper case.
 */
export const DatasetName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'must be a dataset key (letters, digits, "_" and "-")');

/**
 * A table or column name as the database knows it: no dot (references are written
 * "collection.field"), no control character (C0, DEL, C1), no space at either end.
 */
const NAME_END = String.raw`[^\s.\x00-\x1f\x7f-\x9f]`;
const NAME = `${NAME_END}(?:${String.raw`[^.\x00-\x1f\x7f-\x9f]`}*${NAME_END})?`;

export const ElementName = z
  .string()
  .max(255, 'must be at most 255 characters')
  .regex(new RegExp(`^${NAME}$`), 'must be a table or column name: not empty, no dot, no control character, no space at either end');

/** "dataset.collection", as in Fides `after` and `erase_after`. */
export const CollectionPath = z
  .string()
  .regex(new RegExp(`^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\\.${NAME}$`), 'must be "dataset.collection", e.g. "shop.customer"');

/** "collection.field" in the same dataset as `dataset` names. */
export const FieldPath = z.string().regex(new RegExp(`^${NAME}\\.${NAME}$`), 'must be "collection.field", e.g. "customer.id"');

/** An identity type: what a verified identity is (email, phone_number, customer_number...). */
export const IdentityType = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be an identity type in lowercase letters, digits and "_" (e.g. "email", "phone_number")');

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be an environment variable name such as SHOP_DATABASE_URL');

/**
 * A value that must not sit in a file (a password, a database URL with credentials, a masking
 * key): read from an environment variable or from a file such as a mounted secret. A relative
 * file path is relative to the file that names it.
 */
export const SecretRefSchema = z
  .strictObject({
    env: EnvName.optional().describe('The environment variable that holds the value.'),
    file: nonEmpty.optional().describe('The file that holds the value (relative to this file); one trailing newline is ignored.'),
  })
  .refine((r) => (r.env === undefined) !== (r.file === undefined), {
    message: 'give either env (an environment variable) or file (a path), exactly one',
  })
  .describe('A secret reference: { env: NAME } or { file: PATH }. The value never appears in a file, a log or an error.');
export type SecretRefInput = z.infer<typeof SecretRefSchema>;

/** Art. 17(3)(a)-(e): the exceptions to the right to erasure a legal hold relies on. */
export const ERASURE_EXCEPTION = /^Art\. 17\(3\)\([a-e]\)$/;

export const LegalHoldSchema = z
  .strictObject({
    reason: nonEmpty.describe('Why the data is kept, e.g. "invoices kept 10 years (Code de commerce L123-22)".'),
    article: z
      .string()
      .regex(ERASURE_EXCEPTION, 'must name the Art. 17(3) exception relied on, e.g. "Art. 17(3)(b)"')
      .describe('Art. 17(3): the exception relied on, "Art. 17(3)(a)" to "Art. 17(3)(e)" (legal obligation: (b); legal claims: (e)).'),
    period: IsoDuration.optional().describe('How long the hold lasts (ISO 8601 duration, e.g. P10Y), when known.'),
  })
  .describe('Art. 17(3): data kept despite an erasure request, with the reason and the exception relied on.');
export type LegalHoldOutput = z.output<typeof LegalHoldSchema>;

// ---------------------------------------------------------------------------
// Masking (Art. 17): how a field's value is replaced on erasure
// ---------------------------------------------------------------------------

export const MASKING_STRATEGIES = ['null', 'fixed', 'hmac', 'random_string'] as const;

export const MaskingSchema = z
  .discriminatedUnion('strategy', [
    z.strictObject({
      // YAML reads an unquoted `null` as null: `strategy: null` and `strategy: "null"` both mean SET NULL.
      strategy: z.union([z.null(), z.literal('null')]).describe('null: the field is set to NULL (the default for personal data).'),
    }),
    z.strictObject({
      strategy: z.literal('fixed').describe('fixed: the field is set to a fixed text.'),
      value: z.string().describe('The text written in place of the value.'),
      prefix: z.string().optional().describe('Written before the fixed value.'),
      suffix: z.string().optional().describe('Written after the fixed value (Fides format_preservation.suffix).'),
    }),
    z.strictObject({
      strategy: z.literal('hmac').describe('hmac: the field is set to the keyed HMAC-SHA-256 of its value, in hex; equal values stay equal.'),
      key: SecretRefSchema.describe('The HMAC key, from the environment or a file; never written in the dataset.'),
      length: z.int().min(1).max(64).optional().describe('Keep only the first characters of the 64-character hex digest (to fit the column).'),
    }),
    z.strictObject({
      strategy: z.literal('random_string').describe('random_string: the field is set to random letters and digits.'),
      length: z.int().min(1).max(1000).describe('How many characters.'),
    }),
  ])
  .describe('Art. 17: how the value is replaced on erasure. Every strategy computes its values before the first write, so a re-run writes the same values.');
export type MaskingInput = z.infer<typeof MaskingSchema>;

// ---------------------------------------------------------------------------
// datasets/<name>.yaml
// ---------------------------------------------------------------------------

export const REFERENCE_DIRECTIONS = ['to', 'from', 'both'] as const;

export const ReferenceSchema = z.strictObject({
  field: FieldPath.describe('The referenced field, "collection.field".'),
  dataset: DatasetName.optional().describe('The dataset of the referenced field; absent: this dataset.'),
  direction: z
    .enum(REFERENCE_DIRECTIONS)
    .describe('to: this field holds values of the referenced one (this row points at it); from: this field is looked up from the referenced one; both: either way.'),
  other_subject: z
    .boolean()
    .default(false)
    .describe('The referenced rows describe another person (an agent, a referrer, a manager): the reference is never followed, so that person is never pulled into the request.'),
});

// ---------------------------------------------------------------------------
// How a value is shown in the access copy (Art. 12(1))
// ---------------------------------------------------------------------------

/** ISO 4217 currency code, upper case (EUR, USD). */
const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as EUR');

export const ValueFormatSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('money').describe('money: an amount, shown with its currency in the person\'s locale (58,00 €).'),
      currency: CurrencyCode.describe('The ISO 4217 currency, e.g. EUR.'),
      scale: z
        .int()
        .min(0)
        .max(6)
        .default(0)
        .describe('The stored number counts units of 10^-scale: 2 when amounts are stored in cents (5800 is 58.00), 0 when stored as the amount.'),
    }),
    z.strictObject({ type: z.literal('date').describe('date: a calendar date, shown in the person\'s locale.') }),
    z.strictObject({ type: z.literal('datetime').describe('datetime: a date and time, shown in the person\'s locale.') }),
    z.strictObject({ type: z.literal('boolean').describe('boolean: yes or no (a 0/1 or true/false column).') }),
    z.strictObject({
      type: z.literal('enum').describe('enum: a code whose meaning is given for each stored value.'),
      values: z
        .record(z.string(), LocalisedText)
        .refine((v) => Object.keys(v).length > 0, { message: 'give the meaning of at least one value' })
        .describe('Stored value -> its meaning, e.g. { A: { en: active, fr: actif } }.'),
    }),
  ])
  .describe('Art. 12(1): how the value is shown to the person in the access copy.');
export type ValueFormatInput = z.output<typeof ValueFormatSchema>;

export const FieldSchema = z.strictObject({
  name: ElementName.describe('The column name.'),
  primary_key: z.boolean().default(false).describe('Part of the primary key: rows are changed one by one by their key.'),
  categories: z.array(nonEmpty).min(1).describe('fideslang data categories, e.g. user.contact.email; user.* marks personal data (Art. 4(1)), system.* does not.'),
  identity: IdentityType.optional().describe('The identity type this field holds (email, phone_number...): a request enters the collection through it.'),
  identity_match: z
    .enum(IDENTITY_MATCHES)
    .optional()
    .describe('How the stored identity is compared with a request\'s: exact, or case_insensitive (the default for email; exact for other types). Never accent-folded.'),
  label: LocalisedText.optional().describe('Art. 12(1): a name for people, per language ({ en, fr }), shown in the access copy instead of the column name.'),
  format: ValueFormatSchema.optional(),
  exclude_from_copy: z
    .strictObject({ reason: nonEmpty.describe('Why the column is left out, e.g. "a password hash: disclosing it would weaken the security of every account".') })
    .optional()
    .describe('Art. 15(4): the column is left out of the access copy, with the reason. Every other column of the person\'s rows is in the copy.'),
  provenance: z
    .enum(PROVENANCES)
    .optional()
    .describe('Art. 20: provided or observed data is exported for portability; derived and inferred data is not.'),
  masking: MaskingSchema.optional(),
  legal_hold: LegalHoldSchema.optional().describe('Art. 17(3): this field is kept on erasure, with the reason.'),
  read_only: z.boolean().default(false).describe('Never written (Fides read_only): read for access, left as is on erasure and rectification.'),
  references: z.array(ReferenceSchema).default([]).describe('Other fields that hold the same values: the edges a request follows.'),
});

export const CollectionSchema = z.strictObject({
  name: ElementName.describe('The table name.'),
  label: LocalisedText.optional().describe('Art. 12(1): a name for people, per language ({ en, fr }), shown in the access copy instead of the table name.'),
  schema: ElementName.optional().describe('The PostgreSQL schema or MySQL database, when not the connection\'s default.'),
  subject: nonEmpty
    .optional()
    .describe('The fideslang data subject each row describes (customer, employee...): such a collection is entered only through its identity fields, never through a reference.'),
  erasure: z.enum(['mask', 'delete']).default('mask').describe('Art. 17: mask the personal-data fields of the person\'s rows (default), or delete the rows.'),
  system: Id.optional().describe('The register system (an id of systems.yaml) this table\'s data belongs to, when not the dataset\'s: its activities say why the data is held (Art. 15(1)(a)-(h)).'),
  catalogue: z
    .boolean()
    .default(false)
    .describe('Reference data of the organisation (a product catalogue, cities, stores): no row is any person\'s record. Never counted as the person\'s, never followed further, never read nor written by an erasure.'),
  retention_start: ElementName.optional().describe('The field that dates the event the retention period starts from (an order\'s date, the last contact): the request works out until when the rows are kept (Art. 15(1)(d)).'),
  legal_hold: LegalHoldSchema.optional().describe('Art. 17(3): the whole rows are kept on erasure, with the reason.'),
  restriction_flag: z
    .strictObject({
      field: ElementName.describe('The field set on the person\'s rows (a field of this collection).'),
      value: z.union([z.string(), z.number(), z.boolean()]).describe('The value that marks the rows as restricted.'),
      lifted_value: z
        .union([z.string(), z.number(), z.boolean(), z.null()])
        .optional()
        .describe('The value the field takes again once the restriction is lifted (Art. 18(3)); null allowed. Absent: `dsr unrestrict` leaves the flag as it is, to clear in that system.'),
    })
    .refine((f) => f.lifted_value !== f.value, { message: 'lifted_value must differ from value: it is what marks the rows as no longer restricted', path: ['lifted_value'] })
    .optional()
    .describe('Art. 18: the field set when the person obtains the restriction of processing, and the value it takes again when the restriction is lifted.'),
  skip: z.boolean().default(false).describe('Declared but never read or written (Fides skip_processing).'),
  after: z.array(CollectionPath).default([]).describe('Collections ("dataset.collection") to process before this one.'),
  erase_after: z.array(CollectionPath).default([]).describe('Collections ("dataset.collection") to erase before this one.'),
  fields: z.array(FieldSchema).min(1).describe('The columns that matter: keys, identities, references and personal data.'),
});

export const NativeDatasetSchema = z.strictObject({
  key: DatasetKey.describe('The dataset\'s unique key, used in references, `after` and connections.yaml.'),
  name: nonEmpty.optional().describe('A name for people.'),
  description: nonEmpty.optional(),
  system: Id.optional().describe('The register system (an id of systems.yaml) this dataset describes: links its data to the processing activities (Art. 15(1)(a)-(h)).'),
  collections: z.array(CollectionSchema).min(1).describe('The tables.'),
});

export const DatasetFileSchema = z.strictObject({
  dataset: NativeDatasetSchema,
});
export type DatasetFileInput = z.input<typeof DatasetFileSchema>;
export type DatasetFileOutput = z.output<typeof DatasetFileSchema>;

// ---------------------------------------------------------------------------
// connections.yaml
// ---------------------------------------------------------------------------

export const CONNECTION_TYPES = ['postgres', 'mysql', 'sqlite', 'http', 'manual'] as const;

const ConnectionName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'must be lowercase letters, digits, "_" and "-" (e.g. "shop")')
  .describe('The connection\'s name, shown in plans, progress and evidence.');
const ServedDatasets = z.array(DatasetName).min(1).describe('The keys of the datasets this connection serves (each dataset is served by exactly one).');
const UrlOrSecret = z.union([
  nonEmpty.describe('A URL written out: only when it holds no password.'),
  SecretRefSchema,
]);

export const ConnectionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    name: ConnectionName,
    type: z.enum(['postgres', 'mysql', 'sqlite']).describe('A SQL database opendpo queries and writes itself.'),
    url: UrlOrSecret.describe('postgres://..., mysql://... or sqlite:PATH (relative to the working directory); a secret reference when it holds a password.'),
    timeout_ms: z
      .int()
      .min(100)
      .max(3_600_000)
      .optional()
      .describe('How long a statement, a lock wait or the connection may take before the request stops (the database is not answering), in milliseconds; default OPENDPO_TARGET_TIMEOUT_SECONDS.'),
    max_connections: z
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe('How many connections opendpo opens to the database at most (PostgreSQL, MySQL/MariaDB; default 2; SQLite always uses one).'),
    datasets: ServedDatasets,
  }),
  z.strictObject({
    name: ConnectionName,
    type: z.literal('http').describe('A system that answers for itself over signed HTTP (docs/http-connector-protocol.md).'),
    url: UrlOrSecret.describe('The base URL of the system\'s endpoints.'),
    secret: SecretRefSchema.describe('The key that signs the requests (HMAC).'),
    timeout_ms: z.int().min(1).max(600_000).optional().describe('How long to wait for an answer, in milliseconds.'),
    datasets: ServedDatasets,
  }),
  z.strictObject({
    name: ConnectionName,
    type: z.literal('manual').describe('A person does the work and confirms it.'),
    instructions: nonEmpty.describe('What the person must do.'),
    assignee: nonEmpty.optional().describe('Who does it (e.g. an email address).'),
    datasets: ServedDatasets,
  }),
]);

export const ConnectionsFileSchema = z.strictObject({
  register: nonEmpty.optional().describe('The register folder (relative to this file): links datasets to processing activities through their system.'),
  connections: z.array(ConnectionSchema).describe('Where each dataset lives.'),
});
export type ConnectionsFileOutput = z.output<typeof ConnectionsFileSchema>;

/** The schema of each native file kind, by the name it is published under in `schema/`. */
export const DATASET_FILE_SCHEMAS = {
  dataset: DatasetFileSchema,
  'dataset-connections': ConnectionsFileSchema,
} as const;
export type DatasetFileKind = keyof typeof DATASET_FILE_SCHEMAS;
