/**
 * The access package (Art. 15): the answer to a person who asked what data we hold about them.
 * Its shape follows the three parts of EDPB Guidelines 01/2022 on the right of access:
 *   1. confirmation that personal data concerning them is processed, or not (Art. 15(1));
 *   2. a copy of that data (Art. 15(3)), grouped by system and table, each field labelled;
 *   3. the information about the processing (Art. 15(1)(a)-(h), 15(2)), taken from the register
 *      activities linked to each system.
 *
 * This zod schema is the single source of truth of the JSON the package is written as (ADR 0002):
 * the types are inferred from it, and `accessPackageJsonSchema()` gives its JSON Schema.
 * Everything in it is text safe to show the person: no invented content, only what the request
 * found and what the register says.
 */
import { z } from 'zod';
import { PROVENANCES } from '../../dataset/model.js';
import { LANGUAGES } from '../../register/schema.js';
import { CellValue } from './values.js';

/** A code of the register format or of the GDPR, with its label in the package's language. */
export const Labelled = z.strictObject({
  code: z.string(),
  label: z.string(),
  article: z.string().optional().describe('The GDPR article, e.g. "Art. 6(1)(b)".'),
});
export type Labelled = z.infer<typeof Labelled>;

export const Country = z.strictObject({
  code: z.string().describe('ISO 3166-1 alpha-2.'),
  name: z.string(),
  outsideEea: z.boolean().describe('A third country (Chapter V GDPR): outside the European Economic Area.'),
});
export type Country = z.infer<typeof Country>;

/**
 * How the readable copy shows a field's values (the dataset's `format`, its meanings in the
 * package's language). The values themselves stay as stored in `rows`.
 */
export const PackageFormat = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('money'),
      currency: z.string().describe('ISO 4217.'),
      scale: z.int().min(0).describe('The stored number counts units of 10^-scale: 2 for amounts stored in cents.'),
    }),
    z.strictObject({ type: z.literal('date') }),
    z.strictObject({ type: z.literal('datetime') }),
    z.strictObject({ type: z.literal('boolean') }),
    z.strictObject({ type: z.literal('enum'), values: z.record(z.string(), z.string()).describe('Stored value -> its meaning.') }),
  ])
  .describe('Art. 12(1): how the value reads (an amount in cents, a date, yes/no, a code\'s meaning).');
export type PackageFormat = z.infer<typeof PackageFormat>;

export const PackageField = z.strictObject({
  name: z.string().describe('The field (column) name in the system.'),
  label: z.string().describe('What the field holds, for a person: the dataset\'s label for it, else the labels of its data categories, else its name.'),
  categories: z.array(z.strictObject({ code: z.string().describe('fideslang data category.'), label: z.string() })),
  provenance: z.enum(PROVENANCES).optional().describe('Whether the person provided the value, or it was observed, derived or inferred.'),
  format: PackageFormat.optional(),
  technical: z
    .enum(['key', 'reference'])
    .optional()
    .describe('A technical identifier: the row\'s key, or a reference to another table\'s row. In the copy all the same; the readable copy shows it in an appendix.'),
});
export type PackageField = z.infer<typeof PackageField>;

export const PackageTable = z.strictObject({
  dataset: z.string().describe('The dataset key.'),
  datasetName: z.string().optional(),
  table: z.string().describe('The table (collection) name.'),
  label: z.string().optional().describe('The dataset\'s name for the table, for a person.'),
  fields: z.array(PackageField),
  rows: z.array(z.record(z.string(), CellValue)).describe('One object per record, keyed by field name, in the order of `fields`.'),
  retention: z
    .array(
      z.strictObject({
        activity: z.string().describe('The processing activity whose rule it is.'),
        rule: z.string().describe('The rule, as the register says it.'),
        startField: z.string().describe('The field of this table dating the start of the period.'),
        until: z.string().describe('The latest end (YYYY-MM-DD) among the person\'s rows: the end of the period, archive included.'),
        past: z.int().nonnegative().describe('The person\'s rows whose period had ended when the data was collected.'),
        undated: z.int().positive().optional().describe('Rows whose start field holds no date.'),
      }),
    )
    .optional()
    .describe('Art. 15(1)(d): until when this table\'s rows are kept, worked out from their own dates.'),
  excluded: z
    .array(z.strictObject({ field: z.string(), reason: z.string() }))
    .optional()
    .describe('Art. 15(4): columns left out of the copy, with the reason (a password hash).'),
  withheld: z
    .array(
      z.strictObject({
        reason: z.enum(['shared', 'other-person']).describe('shared: other people\'s records lead to these rows too; other-person: the rows name another person.'),
        fields: z.array(PackageField).describe('The fields shown: never personal data.'),
        rows: z.array(z.record(z.string(), CellValue)),
      }),
    )
    .optional()
    .describe('Art. 15(4): rows linked to the person that are not theirs alone, with their non-personal fields only.'),
  context: z
    .array(
      z.strictObject({
        field: z.string().describe('The field of this table pointing at the catalogue.'),
        catalogue: z.string().describe('The catalogue, "dataset.collection": reference data, nobody\'s records.'),
        label: z.string().optional().describe('The dataset\'s name for the catalogue, for a person.'),
        fields: z.array(PackageField).describe('Its descriptive fields (never a key or a reference).'),
        rows: z.record(z.string(), z.record(z.string(), CellValue)).describe('The pointing value (as a value key) -> the catalogue row\'s descriptive fields.'),
      }),
    )
    .optional()
    .describe('Descriptive fields of the catalogue rows the person\'s rows point at (the product\'s name beside an order line).'),
});
export type PackageTable = z.infer<typeof PackageTable>;

export const PackageSystem = z.strictObject({
  id: z.string().describe('The register system id, or the dataset key when the dataset is linked to no system.'),
  kind: z.enum(['system', 'dataset']),
  name: z.string(),
  description: z.string().optional(),
  tables: z.array(PackageTable),
});
export type PackageSystem = z.infer<typeof PackageSystem>;

export const RecipientInfo = z.strictObject({
  id: z.string(),
  name: z.string(),
  kind: Labelled,
  country: Country.optional(),
  subProcessorOf: z.string().optional().describe('The name of the processor that engaged this sub-processor (Art. 28(2),(4)).'),
});

export const ActivityInfo = z.strictObject({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  role: Labelled,
  /** The controllers we act for (role processor) or with (joint controller), by name. */
  controllers: z.array(z.string()),
  systems: z.array(z.string()).describe('Ids of the package systems this activity uses.'),
  purposes: z.array(z.strictObject({ description: z.string(), legalBasis: Labelled.optional() })).describe('Art. 15(1)(a).'),
  legalBases: z
    .array(
      z.strictObject({
        basis: Labelled,
        interest: z.string().optional().describe('Art. 13(1)(d): the legitimate interest pursued.'),
        withdrawal: z.string().optional().describe('Art. 7(3): how to withdraw consent.'),
        law: z.string().optional(),
      }),
    )
    .describe('Art. 6(1).'),
  dataCategories: z
    .array(z.strictObject({ code: z.string(), label: z.string(), specialCategory: Labelled.optional(), criminal: z.boolean() }))
    .describe('Art. 15(1)(b).'),
  recipients: z.array(RecipientInfo).describe('Art. 15(1)(c), including recipients in third countries.'),
  retention: z
    .array(z.strictObject({ categories: z.array(z.string()).optional().describe('Labels of the categories the rule covers; absent: all.'), text: z.string() }))
    .describe('Art. 15(1)(d).'),
  sources: z
    .array(z.strictObject({ kind: Labelled, explanation: z.string().optional(), notFromYou: z.boolean().describe('Art. 15(1)(g): obtained elsewhere than from the person.') }))
    .describe('Art. 15(1)(g).'),
  transfers: z
    .array(
      z.strictObject({
        recipient: z.string().optional(),
        country: Country.optional(),
        internationalOrganisation: z.string().optional(),
        mechanism: Labelled.optional(),
        detail: z.string().optional().describe('The SCC module or the Art. 49 derogation.'),
        safeguards: z.string().optional(),
        documentationUrl: z.string().optional(),
      }),
    )
    .describe('Art. 15(2): transfers to a third country and their safeguards (Art. 46).'),
  automatedDecisions: z
    .array(
      z.strictObject({
        description: z.string(),
        logic: z.string().optional(),
        consequences: z.string().optional(),
        legalOrSimilarEffect: z.boolean(),
        profiling: z.boolean(),
        safeguards: z.string().optional(),
      }),
    )
    .describe('Art. 15(1)(h).'),
});
export type ActivityInfo = z.infer<typeof ActivityInfo>;

export const SystemInfo = z.strictObject({
  id: z.string(),
  name: z.string(),
  hostedIn: Country.optional(),
  operatedBy: z.string().optional().describe('The processor running the system.'),
  activities: z.array(z.string()).describe('Ids of the activities that use this system.'),
  note: z.string().optional().describe('Why no processing information can be given for this system, when so.'),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

export const RightInfo = z.strictObject({ code: z.string(), label: z.string(), article: z.string().optional(), description: z.string().optional() });

export const Processing = z.strictObject({
  registerGiven: z.boolean(),
  statement: z.string().optional().describe('Said plainly when no register was given: the processing information is missing.'),
  systems: z.array(SystemInfo),
  activities: z.array(ActivityInfo),
  notSearched: z
    .array(z.strictObject({ id: z.string(), name: z.string() }))
    .describe('Systems of the register that no dataset describes: they were not searched for this answer.'),
  rights: z.array(RightInfo).describe('Art. 15(1)(e): rectification, erasure, restriction, objection, and the other rights.'),
  exercise: z.strictObject({
    channels: z.array(z.strictObject({ kind: Labelled, value: z.string().optional(), label: z.string().optional() })),
    conditions: z.string().optional().describe('The organisation statement on exercising rights (Art. 12).'),
  }),
  complaint: z
    .strictObject({
      text: z.string(),
      statement: z.string().optional().describe('The organisation statement on complaints.'),
      authority: z.strictObject({ name: z.string(), address: z.string().optional(), url: z.string().optional() }).optional(),
    })
    .describe('Art. 15(1)(f), Art. 77.'),
});
export type Processing = z.infer<typeof Processing>;

export const PastErasureInfo = z.strictObject({
  requestId: z.string(),
  completedAt: z.string().describe('ISO 8601 instant the erasure completed.'),
  kept: z
    .array(
      z.strictObject({
        collection: z.string().describe('"dataset.collection".'),
        rows: z.int().nonnegative(),
        fields: z.array(z.string()).optional().describe('For a hold on some fields: the fields kept.'),
        reason: z.enum(['legal-hold', 'shared', 'referenced']),
        hold: z.strictObject({ reason: z.string(), article: z.string(), period: z.string().optional() }).optional(),
        until: z.string().optional().describe('The date (YYYY-MM-DD) the legal hold ends, when it can be worked out.'),
      }),
    )
    .describe('What the erasure kept and why (Art. 17(3)).'),
});

export const ACCESS_PACKAGE_KIND = 'opendpo-access-package';
export const ACCESS_PACKAGE_VERSION = 1;

export const AccessPackage = z.strictObject({
  kind: z.literal(ACCESS_PACKAGE_KIND),
  version: z.literal(ACCESS_PACKAGE_VERSION),
  lang: z.enum(LANGUAGES),
  requestId: z.string(),
  collectedAt: z.string().describe('ISO 8601 instant the data was collected.'),
  controller: z
    .strictObject({
      name: z.string(),
      address: z.string().optional(),
      email: z.string().optional(),
      phone: z.string().optional(),
      url: z.string().optional(),
      dpo: z.string().optional().describe('The data protection officer: name and email.'),
    })
    .optional(),
  identities: z.array(z.strictObject({ type: z.string(), value: z.string() })).describe('The identities the request was made with.'),
  confirmation: z.strictObject({
    processed: z.boolean().describe('Whether personal data concerning the person is processed: true when any record was found.'),
    statement: z.string(),
    records: z.int().nonnegative(),
    tables: z.int().nonnegative().describe('Tables holding at least one record.'),
    systems: z.int().nonnegative().describe('Systems holding at least one record.'),
    tablesSearched: z.int().nonnegative(),
  }),
  data: z.array(PackageSystem).describe('The copy of the data (Art. 15(3)): systems holding records, then their tables.'),
  erasures: z.array(PastErasureInfo).optional().describe('Erasures done earlier for these identities: when, and what is still kept under a legal hold (Art. 15 after Art. 17).'),
  processing: Processing,
  warnings: z.array(z.string()).describe('What this answer may miss: collections not reached, systems that have not answered, data without processing information.'),
  partlyInOtherLanguage: z.boolean().describe('Some register texts exist only in another language and are given in it.'),
});
export type AccessPackage = z.infer<typeof AccessPackage>;

/** The JSON Schema of the package's JSON, for the people who read it with a program. */
export function accessPackageJsonSchema(): unknown {
  return z.toJSONSchema(AccessPackage, { target: 'draft-2020-12' });
}
