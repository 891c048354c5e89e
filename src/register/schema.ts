/**
 * The register format: one zod schema per file kind, the single source of truth.
 * Types are inferred from it, the JSON Schema in `schema/` is generated from it
 * (`npm run schema`), and `docs/register-format.md` documents it field by field.
 *
 * A register is a folder:
 *   organisation.yaml        the controller (Art. 30(1)(a), Art. 13(1)(a)-(b))
 *   recipients.yaml          recipients referred to by id (Art. 30(1)(d))
 *   systems.yaml             systems holding the data, referred to by id
 *   activities/<id>.yaml     one processing activity per file (Art. 30(1)(b)-(g))
 *
 * Objects are strict: an unknown key is an error (with a "did you mean").
 * Completeness is NOT enforced here: a register with gaps must still load so
 * that the linter can name every gap with its GDPR article. The schema only
 * rejects what cannot be understood.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------
// Vocabulary (codes of the format; labels, articles and sources live in
// src/reference/data/*.json, which a test keeps in step with these lists)
// ---------------------------------------------------------------------------

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Art. 4(2): the operations that make up "processing". */
export const OPERATIONS = [
  'collection',
  'recording',
  'organisation',
  'structuring',
  'storage',
  'adaptation',
  'alteration',
  'retrieval',
  'consultation',
  'use',
  'disclosure_by_transmission',
  'dissemination',
  'making_available',
  'alignment',
  'combination',
  'restriction',
  'erasure',
  'destruction',
] as const;

/** Art. 6(1)(a)-(f). */
export const LEGAL_BASES = [
  'consent', // 6(1)(a)
  'contract', // 6(1)(b)
  'legal_obligation', // 6(1)(c)
  'vital_interests', // 6(1)(d)
  'public_task', // 6(1)(e)
  'legitimate_interests', // 6(1)(f)
] as const;
export type LegalBasisCode = (typeof LEGAL_BASES)[number];

/** Art. 9(2)(a)-(j). */
export const SPECIAL_CATEGORY_CONDITIONS = [
  'explicit_consent', // 9(2)(a)
  'employment_social_security', // 9(2)(b)
  'vital_interests', // 9(2)(c)
  'not_for_profit_body', // 9(2)(d)
  'made_public_by_data_subject', // 9(2)(e)
  'legal_claims', // 9(2)(f)
  'substantial_public_interest', // 9(2)(g)
  'health_or_social_care', // 9(2)(h)
  'public_health', // 9(2)(i)
  'archiving_research_statistics', // 9(2)(j)
] as const;

/** Art. 9(1) special categories, and Art. 10 criminal data. */
export const SPECIAL_CATEGORIES = [
  'racial_or_ethnic_origin',
  'political_opinions',
  'religious_or_philosophical_beliefs',
  'trade_union_membership',
  'genetic_data',
  'biometric_data',
  'health',
  'sex_life_or_sexual_orientation',
] as const;

/** Where the data comes from: Art. 13 (from the person) or Art. 14 (not from the person). */
export const SOURCE_KINDS = ['data_subject', 'third_party', 'public'] as const;

/** Art. 30(1) vs 30(2): the organisation's role in this activity. */
export const ROLES = ['controller', 'joint_controller', 'processor'] as const;

export const RECIPIENT_KINDS = ['internal', 'processor', 'third_party', 'public_authority', 'joint_controller'] as const;

/** Art. 45-49 transfer tools. */
export const TRANSFER_MECHANISMS = [
  'adequacy', // Art. 45
  'scc', // Art. 46(2)(c), Decision (EU) 2021/914, with its module
  'authority_clauses', // Art. 46(2)(d), clauses adopted by a supervisory authority
  'bcr', // Art. 46(2)(b), Art. 47
  'code_of_conduct', // Art. 46(2)(e)
  'certification', // Art. 46(2)(f)
  'ad_hoc_clauses', // Art. 46(3)(a)
  'derogation', // Art. 49
] as const;

/** Art. 49(1)(a)-(g), and the second subparagraph (compelling legitimate interests). */
export const DEROGATIONS = [
  'explicit_consent', // 49(1)(a)
  'contract_with_data_subject', // 49(1)(b)
  'contract_in_interest_of_data_subject', // 49(1)(c)
  'public_interest', // 49(1)(d)
  'legal_claims', // 49(1)(e)
  'vital_interests', // 49(1)(f)
  'public_register', // 49(1)(g)
  'compelling_legitimate_interests', // 49(1) second subparagraph
] as const;

export const END_ACTIONS = ['delete', 'anonymise', 'archive'] as const;

/** Art. 22(2)(a)-(c): the only grounds for a decision with legal or similarly significant effects. */
export const AUTOMATED_DECISION_EXCEPTIONS = [
  'contract', // 22(2)(a)
  'law', // 22(2)(b)
  'explicit_consent', // 22(2)(c)
] as const;

export const DPIA_STATUSES = ['not_required', 'required', 'in_progress', 'completed'] as const;

/** EDPB WP248 rev.01 criteria: two or more usually mean a DPIA is required (Art. 35). */
export const DPIA_CRITERIA = [
  'evaluation_or_scoring',
  'automated_decision_with_legal_effect',
  'systematic_monitoring',
  'sensitive_data',
  'large_scale',
  'matching_or_combining_datasets',
  'vulnerable_data_subjects',
  'innovative_technology',
  'prevents_exercise_of_right',
] as const;

/** Art. 13(2)(e): whether providing the data is required, and why. */
export const PROVISION_REQUIREMENTS = ['statutory', 'contractual', 'contract_prerequisite', 'voluntary'] as const;

export const RIGHTS_CHANNEL_KINDS = ['email', 'post', 'web', 'phone'] as const;

export const SECURITY_MEASURE_KINDS = [
  'access_control',
  'authentication',
  'encryption',
  'pseudonymisation',
  'backup',
  'logging',
  'network',
  'physical',
  'training',
  'confidentiality_agreement',
  'vendor_management',
  'incident_response',
  'other',
] as const;

// ---------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** A text in the register's default language, or a map of language to text. */
export const LocalisedText = z.union([
  nonEmpty,
  z.partialRecord(z.enum(LANGUAGES), nonEmpty).refine((t) => Object.keys(t).length > 0, {
    message: 'give the text in at least one language (en, fr)',
  }),
]);
export type LocalisedText = z.infer<typeof LocalisedText>;

/** Ids are referred to from other files: lowercase letters, digits and dashes. */
export const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'must be lowercase letters, digits and dashes (e.g. "crm-hosting")');

/** ISO 3166-1 alpha-2, upper case (e.g. FR, US). */
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as FR or US');

/** ISO 8601 duration (P3Y, P6M, P13M, P30D). */
export const IsoDuration = z
  .string()
  .regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/, 'must be an ISO 8601 duration such as P3Y, P13M or P30D');

/** A calendar date (YAML dates are accepted as text: write them quoted or unquoted). */
export const IsoDate = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD'),
);

export const Url = z.url({ message: 'must be a URL such as https://example.com/privacy' });
export const Email = z.email({ message: 'must be an email address' });

export const PostalAddress = z.strictObject({
  lines: z.array(nonEmpty).min(1).describe('Lines before the postal code and city: name of the department, street.'),
  postal_code: nonEmpty.optional(),
  city: nonEmpty,
  country: CountryCode,
});
export type PostalAddress = z.infer<typeof PostalAddress>;

export const Contact = z.strictObject({
  name: nonEmpty.optional(),
  email: Email.optional(),
  phone: nonEmpty.optional(),
  url: Url.optional(),
  address: PostalAddress.optional(),
});
export type Contact = z.infer<typeof Contact>;

/** Art. 37-39: the data protection officer, and how the notice addresses them where the language has genders. */
export const Dpo = z.strictObject({
  ...Contact.shape,
  addressed_as: z
    .enum(['feminine', 'masculine'])
    .optional()
    .describe('How the notice names the DPO in French: "déléguée" (feminine) or "délégué" (masculine, the default).'),
});
export type Dpo = z.infer<typeof Dpo>;

/** A party named in the register: a controller we process for, a joint controller, a representative. */
export const Party = z.strictObject({
  id: Id.optional().describe('Names the party across activities; for a controller we process for, the id its API token carries (opendpo user token --controller).'),
  name: nonEmpty,
  contact: Contact.optional(),
  arrangement: LocalisedText.optional().describe('Art. 26(2): the essence of the joint-controller arrangement.'),
});
export type Party = z.infer<typeof Party>;

/**
 * Art. 28(3)(e): the contract's terms for the requests a controller forwards to us, its processor.
 * The period is the contract's, not Art. 12(3)'s month (which is the controller's own deadline to the
 * person). Regulation 1182/71 Art. 3(3): a period in days counts Saturdays, Sundays and public
 * holidays unless it is expressed in working days, so `calendar` is the default.
 */
export const FORWARDED_REQUEST_DAYS = ['calendar', 'working'] as const;
export const ForwardedRequestTerms = z.strictObject({
  answer_within_days: z.int().min(1, 'a period of 1 to 90 days').max(90, 'a period of 1 to 90 days').describe('The days the contract gives us to answer a forwarded request, counted from the day after its receipt.'),
  days: z
    .enum(FORWARDED_REQUEST_DAYS)
    .optional()
    .describe('calendar (the default, Regulation 1182/71 Art. 3(3); a period ending on a Saturday, Sunday or public holiday ends on the next working day) or working days of the organisation\'s country.'),
});
export type ForwardedRequestTerms = z.infer<typeof ForwardedRequestTerms>;

/** A controller we process for (Art. 30(2)(a)), with the contract's terms for its forwarded requests. */
export const ControllerParty = z.strictObject({
  ...Party.shape,
  requests: ForwardedRequestTerms.optional().describe('Art. 28(3)(e): the contract\'s terms for the requests this controller forwards (needs id).'),
});
export type ControllerParty = z.infer<typeof ControllerParty>;

/**
 * A list the register may declare empty. `none` (or `[]`) states that there are none; leaving the key
 * out states nothing: a gap the linter reports and the notice shows as "not stated", never as a
 * negative it was not given (Art. 13(1)(f), 13(2)(f): the notice says what is, and only that).
 * Loaded, `none` is the empty list and an absent key stays undefined.
 */
export const listOrNone = <T extends z.ZodType>(item: T) =>
  z.union([z.literal('none'), z.array(item)]).transform((v): z.output<T>[] => (v === 'none' ? [] : v));

// ---------------------------------------------------------------------------
// organisation.yaml
// ---------------------------------------------------------------------------

export const RightsChannel = z.strictObject({
  kind: z.enum(RIGHTS_CHANNEL_KINDS),
  value: nonEmpty.optional().describe('The email address, postal address, URL or phone number.'),
  address: PostalAddress.optional(),
  label: LocalisedText.optional(),
});
export type RightsChannel = z.infer<typeof RightsChannel>;

/** A colour written #rrggbb (sRGB), as CSS and the WCAG contrast formula read it. */
export const HexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb, e.g. #0b4fa8').transform((c) => c.toLowerCase());

/** The largest logo the privacy center sends inside its page (a data: URI of about 48 KB of image). */
export const MAX_LOGO_URI_LENGTH = 65_536;

/**
 * How the privacy center looks for this organisation: its logo and colours. The logo is a data: URI
 * (PNG, JPEG, WebP or SVG, base64) so that the page needs nothing from another origin (its CSP allows
 * images from itself and data: only); an SVG shown as an image runs no script.
 */
export const Branding = z.strictObject({
  logo: z
    .string()
    .max(MAX_LOGO_URI_LENGTH, `must be at most ${MAX_LOGO_URI_LENGTH} characters: a small logo (under 48 KB)`)
    .regex(/^data:image\/(png|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/, 'must be a data: URI of a PNG, JPEG, WebP or SVG image in base64 (data:image/png;base64,...)')
    .optional()
    .describe('The logo, as a data: URI (PNG, JPEG, WebP or SVG in base64, at most 64 KB of text).'),
  logo_alt: LocalisedText.optional().describe('WCAG 1.1.1: what the logo says, for people who cannot see it (default: the organisation\'s name).'),
  colours: z
    .strictObject({
      primary: HexColour.describe('Buttons, links and the top bar; text in this colour on white must reach 4.5:1 (WCAG 1.4.3).'),
      on_primary: HexColour.optional().describe('Text on the primary colour (default #ffffff); must reach 4.5:1 against it.'),
    })
    .optional(),
});
export type Branding = z.infer<typeof Branding>;

export const Organisation = z.strictObject({
  id: Id,
  name: nonEmpty,
  legal_form: nonEmpty.optional(),
  registration: z
    .strictObject({
      register: nonEmpty.describe('e.g. "RCS Nanterre"'),
      number: nonEmpty,
    })
    .optional(),
  address: PostalAddress.optional(),
  contact: Contact.optional(),
  dpo: Dpo.optional().describe('Art. 37-39: the data protection officer.'),
  representative: Party.optional().describe('Art. 27: representative in the Union for a controller established outside it.'),
  /** Art. 13(2)(d), Art. 77. */
  supervisory_authority: z
    .strictObject({
      name: nonEmpty,
      country: CountryCode,
      address: PostalAddress.optional(),
      url: Url.optional(),
    })
    .optional(),
  rights_channels: z.array(RightsChannel).optional().describe('Art. 12(2): how people exercise their rights.'),
  cookie_policy_url: Url.optional(),
  default_language: z.enum(LANGUAGES).default('en').describe('Language of plain-string texts in this register.'),
  languages: z.array(z.enum(LANGUAGES)).min(1).optional().describe('Languages the notice is published in.'),
  employees: z.number().int().nonnegative().optional().describe('Art. 30(5): the exemption below 250 employees (rarely applies).'),
  effective_date: IsoDate.optional().describe('The date the published notice takes effect.'),
  /** Statements that apply to every activity, as the notice gives them. */
  statements: z
    .strictObject({
      introduction: LocalisedText.optional(),
      retention: LocalisedText.optional().describe('Art. 13(2)(a) where no period per activity is given: the criteria.'),
      security: LocalisedText.optional().describe('Art. 32 / Art. 13: how data is secured, in general terms.'),
      transfers: LocalisedText.optional().describe('Art. 13(1)(f): transfers outside the EEA in general terms.'),
      provision: LocalisedText.optional().describe('Art. 13(2)(e): consequences of not providing the data, in general terms.'),
      authorities: LocalisedText.optional().describe('Disclosure to public authorities on legal request.'),
      rights: LocalisedText.optional().describe('Art. 12(5)-(6): conditions for exercising rights (identity checks on reasonable doubt, fees for manifestly unfounded or excessive requests).'),
      complaints: LocalisedText.optional().describe('Art. 77: what the notice adds about complaints (e.g. the authority of the country of residence or work).'),
    })
    .optional(),
  branding: Branding.optional().describe('How the privacy center shows the organisation: logo and colours (docs/privacy-center.md).'),
});
export type Organisation = z.infer<typeof Organisation>;

// ---------------------------------------------------------------------------
// recipients.yaml and systems.yaml
// ---------------------------------------------------------------------------

export const Recipient = z.strictObject({
  id: Id,
  name: LocalisedText,
  kind: z.enum(RECIPIENT_KINDS),
  description: LocalisedText.optional(),
  country: CountryCode.optional().describe('Where the recipient processes the data (ISO 3166-1 alpha-2).'),
  dpa_reference: nonEmpty.optional().describe('Art. 28(3): reference of the data processing agreement with a processor.'),
  dpf_certified: z.boolean().optional().describe('Certified under the EU-US Data Privacy Framework (adequacy for the US applies only then).'),
  sub_processor_of: Id.optional().describe('Art. 28(2),(4): the processor that engaged this sub-processor (a recipient id).'),
  url: Url.optional(),
});
export type Recipient = z.infer<typeof Recipient>;

export const RecipientsFile = z.strictObject({
  recipients: z.array(Recipient),
});

export const System = z.strictObject({
  id: Id,
  name: nonEmpty,
  description: LocalisedText.optional(),
  hosting_country: CountryCode.optional().describe('Where the system is hosted.'),
  operated_by: Id.optional().describe('The processor operating the system, if any (a recipient id).'),
  datasets: z.array(nonEmpty).optional().describe('Dataset files describing its tables and fields (relative to the register folder).'),
});
export type System = z.infer<typeof System>;

export const SystemsFile = z.strictObject({
  systems: z.array(System),
});

// ---------------------------------------------------------------------------
// activities/<id>.yaml
// ---------------------------------------------------------------------------

export const Source = z.strictObject({
  kind: z.enum(SOURCE_KINDS),
  explanation: LocalisedText.optional().describe('Art. 14(2)(f): where the data comes from, in words.'),
  categories: z
    .array(nonEmpty)
    .optional()
    .describe('Art. 14(1)(d): the data categories (fideslang codes of the activity\'s data_categories) that come from this source; absent: all of them.'),
});
export type Source = z.infer<typeof Source>;

export const LegalBasis = z.strictObject({
  basis: z.enum(LEGAL_BASES),
  interest: LocalisedText.optional().describe('Art. 13(1)(d): the legitimate interest pursued (legitimate_interests).'),
  withdrawal_method: LocalisedText.optional().describe('Art. 7(3), Art. 13(2)(c): how consent is withdrawn (consent).'),
  law: LocalisedText.optional().describe('The law that imposes the obligation (legal_obligation) or the task (public_task).'),
});
export type LegalBasis = z.infer<typeof LegalBasis>;

export const Purpose = z.strictObject({
  id: Id.optional(),
  description: LocalisedText,
  data_use: nonEmpty.optional().describe('fideslang data use, e.g. essential.service, marketing.communications.email.'),
  legal_basis: z.enum(LEGAL_BASES).optional().describe('Art. 13(1)(c): the legal basis of this purpose (one of the activity\'s legal_bases).'),
});
export type Purpose = z.infer<typeof Purpose>;

export const DataCategory = z.strictObject({
  category: nonEmpty.describe('fideslang data category, e.g. user.contact.email.'),
  label: LocalisedText.optional(),
  special_category: z.enum(SPECIAL_CATEGORIES).optional().describe('Art. 9(1): the special category this data is or may reveal.'),
  criminal: z.boolean().optional().describe('Art. 10: data relating to criminal convictions and offences.'),
  incidental: z.boolean().optional().describe('True when the special category may appear only incidentally (e.g. opinions in a video).'),
  possibly_special: z
    .boolean()
    .optional()
    .describe('True when the data may reveal an Art. 9(1) category and the DPO has not decided which, or whether: a lint finding asks them to; the notice asserts nothing.'),
});
export type DataCategory = z.infer<typeof DataCategory>;

export const DataSubjectCategory = z.strictObject({
  category: nonEmpty.optional().describe('fideslang data subject, e.g. customer, prospect, job_applicant.'),
  label: LocalisedText,
  vulnerable: z.boolean().optional().describe('Children and other vulnerable people (EDPB DPIA criterion).'),
});
export type DataSubjectCategory = z.infer<typeof DataSubjectCategory>;

export const SpecialCategoryCondition = z.strictObject({
  condition: z.enum(SPECIAL_CATEGORY_CONDITIONS),
  explanation: LocalisedText.optional(),
});

export const Transfer = z.strictObject({
  recipient: Id.optional().describe('The recipient outside the EEA (a recipient id).'),
  country: CountryCode.optional().describe('The third country (ISO 3166-1 alpha-2), or the international organisation\'s name.'),
  international_organisation: nonEmpty.optional(),
  mechanism: z.enum(TRANSFER_MECHANISMS).optional(),
  scc_module: z.int().min(1, 'SCC modules are numbered 1 to 4').max(4, 'SCC modules are numbered 1 to 4').optional().describe('SCC module of Decision (EU) 2021/914: 1 C2C, 2 C2P, 3 P2P, 4 P2C.'),
  derogation: z.enum(DEROGATIONS).optional(),
  safeguards: LocalisedText.optional().describe('Art. 30(1)(e), 49(6): the safeguards for compelling-interest transfers, and where to read them.'),
  documentation_url: Url.optional(),
});
export type Transfer = z.infer<typeof Transfer>;

export const Retention = z.strictObject({
  categories: z.array(nonEmpty).optional().describe('Data categories this rule covers (fideslang codes); absent means all the activity\'s categories.'),
  duration: IsoDuration.optional().describe('ISO 8601 duration.'),
  starts_from: LocalisedText.optional().describe('The event the period starts from (e.g. "end of the contract", "last contact").'),
  criteria: LocalisedText.optional().describe('Art. 13(2)(a): the criteria, where no fixed duration can be given.'),
  end_action: z.enum(END_ACTIONS).optional(),
  /** For archive: the statutory period and the law that imposes it. */
  archive: z
    .strictObject({
      duration: IsoDuration,
      statute: LocalisedText,
    })
    .optional(),
});
export type Retention = z.infer<typeof Retention>;

export const SecurityMeasure = z.strictObject({
  kind: z.enum(SECURITY_MEASURE_KINDS),
  description: LocalisedText.optional(),
});

export const AutomatedDecision = z.strictObject({
  description: LocalisedText,
  logic: LocalisedText.optional().describe('Art. 13(2)(f): meaningful information about the logic involved.'),
  consequences: LocalisedText.optional().describe('Art. 13(2)(f): significance and envisaged consequences.'),
  legal_or_similar_effect: z.boolean().describe('Art. 22(1): a decision with legal or similarly significant effect.'),
  profiling: z.boolean().optional(),
  safeguards: LocalisedText.optional().describe('Art. 22(3): human intervention, expressing one\'s view, contesting.'),
  exception: z
    .enum(AUTOMATED_DECISION_EXCEPTIONS)
    .optional()
    .describe('Art. 22(2): what allows a decision with legal or similarly significant effects (legitimate interests does not).'),
  law: LocalisedText.optional().describe('Art. 22(2)(b): the law that authorises the decision and lays down the safeguards (exception: law).'),
});

export const Dpia = z.strictObject({
  status: z.enum(DPIA_STATUSES),
  reference: nonEmpty.optional(),
  date: IsoDate.optional(),
  summary: LocalisedText.optional().describe('Why no DPIA is needed, or what it concluded.'),
});

export const Provision = z.strictObject({
  requirement: z.enum(PROVISION_REQUIREMENTS),
  consequences: LocalisedText.optional().describe('Art. 13(2)(e): the consequences of not providing the data.'),
});

export const Activity = z.strictObject({
  id: Id,
  name: LocalisedText,
  description: LocalisedText.optional(),
  role: z.enum(ROLES).default('controller'),
  controllers: z.array(ControllerParty).optional().describe('Art. 30(2)(a): the controllers we process for (role: processor).'),
  joint_controllers: z.array(Party).optional().describe('Art. 26: the joint controllers (role: joint_controller).'),
  sources: z.array(Source).optional().describe('Art. 13 (from the person) or Art. 14 (from elsewhere, with the source).'),
  operations: z.array(z.enum(OPERATIONS)).optional().describe('Art. 4(2).'),
  purposes: z.array(Purpose).optional().describe('Art. 30(1)(b), Art. 13(1)(c).'),
  legal_bases: z.array(LegalBasis).optional().describe('Art. 6(1): the legal bases relied on; each purpose names its own.'),
  data_categories: z.array(DataCategory).optional().describe('Art. 30(1)(c).'),
  special_category_conditions: listOrNone(SpecialCategoryCondition)
    .optional()
    .describe('Art. 9(2): the conditions for processing special categories; none: the activity processes no special-category data.'),
  data_subjects: z.array(DataSubjectCategory).optional().describe('Art. 30(1)(c).'),
  recipients: z.array(Id).optional().describe('Art. 30(1)(d): recipient ids from recipients.yaml.'),
  transfers: listOrNone(Transfer).optional().describe('Art. 30(1)(e), Art. 13(1)(f): transfers outside the EEA; none: there are none; absent: not stated.'),
  retention: z.array(Retention).optional().describe('Art. 30(1)(f), Art. 5(1)(e).'),
  security_measures: z.array(SecurityMeasure).optional().describe('Art. 30(1)(g), Art. 32.'),
  automated_decisions: listOrNone(AutomatedDecision).optional().describe('Art. 13(2)(f), Art. 22; none: the activity involves none; absent: not stated.'),
  provision: Provision.optional().describe('Art. 13(2)(e).'),
  dpia: Dpia.optional().describe('Art. 35.'),
  dpia_criteria: z.array(z.enum(DPIA_CRITERIA)).optional().describe('EDPB criteria that apply beyond what the linter infers from the rest of the activity.'),
  systems: z.array(Id).optional().describe('System ids from systems.yaml.'),
  created: IsoDate.optional(),
  updated: IsoDate.optional(),
});
export type Activity = z.infer<typeof Activity>;

/** The whole register as the rest of the product sees it. */
export interface Register {
  organisation: Organisation;
  activities: Activity[];
  recipients: Recipient[];
  systems: System[];
}

/** The schema of each file kind, by the name it is published under in `schema/`. */
export const FILE_SCHEMAS = {
  organisation: Organisation,
  activity: Activity,
  recipients: RecipientsFile,
  systems: SystemsFile,
} as const;
export type FileKind = keyof typeof FILE_SCHEMAS;
