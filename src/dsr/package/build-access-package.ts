/**
 * Builds the access package (Art. 15) from what the request collected, the datasets that describe
 * each system, and the register. Pure and deterministic: no clock, no I/O; the same input gives the
 * same package.
 *
 * The three parts of EDPB Guidelines 01/2022 (section 2.2):
 *   1. confirmation: personal data concerning the person is processed when any record was found;
 *   2. the copy (Art. 15(3)): records grouped by the register system the dataset is linked to (or by
 *      the dataset when it names none), then by table; each field labelled with its data categories;
 *   3. the processing information (Art. 15(1)(a)-(h), 15(2)): from the register activities whose
 *      `systems` include a system holding the data, plus the rights and the complaint (Art. 77).
 *
 * Nothing is invented: what the register does not say is not said, and without a register part 3
 * says plainly that the information is missing. Warnings (collections not reached, systems that
 * have not answered, data no activity explains) are kept with the package so the person and the
 * DPO see what the answer may miss.
 */
import type { Dataset, ValueFormat } from '../../dataset/model.js';
import { dataCategoryLabel, specialCategoryOf, isCriminalDataCategory } from '../../reference/taxonomy.js';
import { countryName, isEea } from '../../reference/transfers.js';
import { term, terms, type Vocabulary } from '../../reference/vocabulary.js';
import { describeDuration } from '../../register/export/localise.js';
import type { Activity, Language, LocalisedText, Organisation, PostalAddress, Recipient, Register, Retention, System, Transfer } from '../../register/schema.js';
import { NOTICE_STRINGS } from '../../notice/build-notice.js';
import type { CollectedCollection, CollectedData, CollectedField } from '../collected.js';
import {
  ACCESS_PACKAGE_KIND,
  ACCESS_PACKAGE_VERSION,
  type AccessPackage,
  type ActivityInfo,
  type Country,
  type Labelled,
  type PackageField,
  type PackageFormat,
  type PackageSystem,
  type PackageTable,
  type Processing,
  type SystemInfo,
} from './access-package.js';
import { reviewProcessing, type ProcessingReview } from '../processing-review.js';
import { fill, PACKAGE_STRINGS, type PackageStrings } from './i18n.js';
import { rowOf } from './values.js';

export interface AccessPackageContext {
  /** The datasets the request was planned from (names, descriptions, system links). */
  datasets: readonly Dataset[];
  /** The register of processing activities: the source of part 3. */
  register?: Register;
  /** The controller, when no register gives it (with a register, its organisation is the controller). */
  controller?: { name: string; address?: string; email?: string };
  lang: Language;
}

export function buildAccessPackage(collected: CollectedData, context: AccessPackageContext): AccessPackage {
  const ctx = new Context(context);
  const review = context.register ? reviewProcessing(collected, context.datasets, context.register) : undefined;
  const data = copyOfTheData(ctx, collected.collections, review);
  const records = data.reduce((n, s) => n + s.tables.reduce((m, t) => m + t.rows.length, 0), 0);
  const holding = data.filter((s) => s.tables.some((t) => t.rows.length > 0));
  const tables = holding.reduce((n, s) => n + s.tables.filter((t) => t.rows.length > 0).length, 0);
  const controller = controllerOf(ctx);

  // Art. 15(1): the confirmation comes first, whatever else the answer holds. Data an earlier
  // erasure kept under a legal hold is still processed (Art. 17(3)).
  const held = collected.erasures.some((e) => e.kept.some((k) => k.reason === 'legal-hold' && k.rows > 0));
  const processed = records > 0 || held;
  const s = ctx.s;
  const statement = processed
    ? controller
      ? fill(s.confirmation_yes_controller, { controller: controller.name })
      : s.confirmation_yes
    : fill(s.confirmation_no, { searched: collected.collections.length });

  const processing = processingInformation(ctx, holding, processed, review);
  return {
    kind: ACCESS_PACKAGE_KIND,
    version: ACCESS_PACKAGE_VERSION,
    lang: ctx.lang,
    requestId: collected.requestId,
    collectedAt: collected.collectedAt,
    ...(controller ? { controller } : {}),
    identities: Object.entries(collected.identities).map(([type, value]) => ({ type, value })),
    confirmation: { processed, statement, records, tables, systems: holding.length, tablesSearched: collected.collections.length },
    data,
    ...(collected.erasures.length > 0 ? { erasures: collected.erasures.map((e) => ({ ...e, kept: e.kept.map((k) => ({ ...k })) })) } : {}),
    processing,
    warnings: [...collected.warnings, ...ctx.warnings],
    partlyInOtherLanguage: ctx.usedOtherLanguage,
  };
}

// ---------------------------------------------------------------------------
// Context: wording, register look-ups, localised texts
// ---------------------------------------------------------------------------

class Context {
  readonly lang: Language;
  readonly s: PackageStrings;
  readonly register: Register | undefined;
  readonly defaultLang: Language;
  readonly datasets: Map<string, Dataset>;
  readonly systems: Map<string, System>;
  readonly recipients: Map<string, Recipient>;
  readonly warnings: string[] = [];
  usedOtherLanguage = false;

  constructor(readonly input: AccessPackageContext) {
    this.lang = input.lang;
    this.s = PACKAGE_STRINGS[input.lang];
    this.register = input.register;
    this.defaultLang = input.register?.organisation.default_language ?? input.lang;
    this.datasets = new Map(input.datasets.map((d) => [d.key, d]));
    this.systems = new Map((input.register?.systems ?? []).map((sys) => [sys.id, sys]));
    this.recipients = new Map((input.register?.recipients ?? []).map((r) => [r.id, r]));
  }

  get notice() {
    return NOTICE_STRINGS[this.lang];
  }

  /** A register text in the package's language, else the default language, else any; noted when not ours. */
  loc(t: LocalisedText): string;
  loc(t: LocalisedText | undefined): string | undefined;
  loc(t: LocalisedText | undefined): string | undefined {
    if (t === undefined) return undefined;
    if (typeof t === 'string') {
      if (this.defaultLang !== this.lang) this.usedOtherLanguage = true;
      return t;
    }
    const own = t[this.lang];
    if (own !== undefined) return own;
    this.usedOtherLanguage = true;
    return t[this.defaultLang] ?? Object.values(t).find((v): v is string => typeof v === 'string') ?? '';
  }

  labelled(vocabulary: Vocabulary, code: string): Labelled {
    const t = term(vocabulary, code);
    return t.article ? { code, label: t.label[this.lang], article: t.article } : { code, label: t.label[this.lang] };
  }

  /** "Consent (Art. 6(1)(a) GDPR)" in the notice's article style. */
  withArticle(l: Labelled): string {
    if (!l.article) return l.label;
    const m = /^Art\. (\d+(?:\(\w+\))*)$/.exec(l.article);
    if (!m) return `${l.label} (${l.article})`;
    const number = this.notice.article_style === 'dots' ? m[1]!.replace(/\((\w+)\)/g, '.$1') : m[1]!;
    return `${l.label} (${this.notice.article_gdpr.replace('{article}', number)})`;
  }

  country(code: string): Country {
    return { code, name: countryName(code, this.lang), outsideEea: !isEea(code) };
  }

  address(a: PostalAddress): string {
    const city = a.postal_code ? `${a.postal_code} ${a.city}` : a.city;
    return [...a.lines, city, countryName(a.country, this.lang)].join(', ');
  }

  /** The dataset's label of a collection ("dataset.collection"), in the package's language. */
  collectionLabel(id: string): string | undefined {
    const dot = id.indexOf('.');
    const label = this.datasets.get(id.slice(0, dot))?.collections.find((c) => c.name === id.slice(dot + 1))?.label;
    return label === undefined ? undefined : this.loc(label);
  }

  /** The activities whose `systems` include the system (Art. 30(1): the link from data to its processing). */
  activitiesOf(systemId: string): Activity[] {
    return (this.register?.activities ?? []).filter((a) => a.systems?.includes(systemId));
  }

  /**
   * A data category's label: the register's own for this system, else our plain label in the
   * package's language (reference/data/data-category-labels.json), else the code.
   */
  categoryLabel(code: string, activities: readonly Activity[]): string {
    for (const a of activities) {
      const dc = (a.data_categories ?? []).find((c) => c.category === code && c.label !== undefined);
      if (dc) return this.loc(dc.label!);
    }
    return dataCategoryLabel(code, this.lang) ?? code;
  }
}

function controllerOf(ctx: Context): AccessPackage['controller'] {
  const org: Organisation | undefined = ctx.register?.organisation;
  if (!org) return ctx.input.controller ? { ...ctx.input.controller } : undefined;
  const dpo = org.dpo ? [org.dpo.name, org.dpo.email].filter((v): v is string => v !== undefined).join(', ') : '';
  return {
    name: org.name,
    ...(org.address ? { address: ctx.address(org.address) } : {}),
    ...(org.contact?.email ? { email: org.contact.email } : {}),
    ...(org.contact?.phone ? { phone: org.contact.phone } : {}),
    ...(org.contact?.url ? { url: org.contact.url } : {}),
    ...(dpo ? { dpo } : {}),
  };
}

// ---------------------------------------------------------------------------
// Part 2: the copy of the data
// ---------------------------------------------------------------------------

/** The system a collection's data belongs to: the register system its dataset names, else the dataset. */
function systemKeyOf(ctx: Context, c: CollectedCollection): { kind: 'system' | 'dataset'; id: string } {
  const system = c.system ?? ctx.datasets.get(c.dataset)?.system;
  return system ? { kind: 'system', id: system } : { kind: 'dataset', id: c.dataset };
}

function copyOfTheData(ctx: Context, collections: readonly CollectedCollection[], review: ProcessingReview | undefined): PackageSystem[] {
  const bySystem = new Map<string, PackageSystem>();
  for (const c of collections) {
    if (c.rows.length === 0 && c.withheld.length === 0) continue;
    const key = systemKeyOf(ctx, c);
    const mapKey = `${key.kind}:${key.id}`;
    let system = bySystem.get(mapKey);
    if (!system) {
      system = newSystem(ctx, key);
      bySystem.set(mapKey, system);
    }
    const dataset = ctx.datasets.get(c.dataset);
    const activities = key.kind === 'system' ? ctx.activitiesOf(key.id) : [];
    const names = c.fields.map((f) => f.name);
    system.tables.push({
      dataset: c.dataset,
      ...(dataset?.name ? { datasetName: dataset.name } : {}),
      table: c.collection,
      ...(c.label !== undefined ? { label: ctx.loc(c.label) } : {}),
      fields: distinctLabels(c.fields.map((f) => packageField(ctx, f, activities))),
      rows: c.rows.map((r) => rowOf(names, r)),
      ...(c.excluded.length > 0 ? { excluded: c.excluded.map((e) => ({ ...e })) } : {}),
      ...retentionOf(ctx, c, review),
      ...(c.withheld.length > 0
        ? {
            withheld: c.withheld.map((w) => ({
              reason: w.reason,
              fields: distinctLabels(w.fields.map((f) => packageField(ctx, f, activities))),
              rows: w.rows.map((r) => rowOf(w.fields.map((f) => f.name), r)),
            })),
          }
        : {}),
      ...(c.context.length > 0
        ? {
            context: c.context.map((x) => {
              const label = ctx.collectionLabel(x.catalogue);
              return {
                field: x.field,
                catalogue: x.catalogue,
                ...(label !== undefined ? { label } : {}),
                fields: distinctLabels(x.fields.map((f) => packageField(ctx, f, []))),
                rows: Object.fromEntries(Object.entries(x.rows).map(([k, r]) => [k, rowOf(x.fields.map((f) => f.name), r)])),
              };
            }),
          }
        : {}),
    });
  }
  return [...bySystem.values()];
}

function newSystem(ctx: Context, key: { kind: 'system' | 'dataset'; id: string }): PackageSystem {
  if (key.kind === 'system') {
    const sys = ctx.systems.get(key.id);
    const description = ctx.loc(sys?.description);
    return { id: key.id, kind: 'system', name: sys?.name ?? key.id, ...(description ? { description } : {}), tables: [] };
  }
  const dataset = ctx.datasets.get(key.id);
  return {
    id: key.id,
    kind: 'dataset',
    name: dataset?.name ?? key.id,
    ...(dataset?.description ? { description: dataset.description } : {}),
    tables: [],
  };
}

/**
 * A field as the copy describes it (Art. 12(1)): the dataset's label for it in the package's
 * language, else the labels of its categories, else its name; how its values read; whether it is
 * a technical identifier (a key, a reference to another row), which the readable copy shows apart.
 */
function packageField(ctx: Context, f: CollectedField, activities: readonly Activity[]): PackageField {
  const categories = f.categories.map((code) => ({ code, label: ctx.categoryLabel(code, activities) }));
  const labels = [...new Set(categories.map((c) => c.label))];
  const format = f.format ? packageFormat(ctx, f.format) : undefined;
  const technical = f.primaryKey ? 'key' : f.reference === true ? 'reference' : undefined;
  return {
    name: f.name,
    label: f.label !== undefined ? ctx.loc(f.label) : labels.length > 0 ? labels.join(', ') : f.name,
    categories,
    ...(f.provenance ? { provenance: f.provenance } : {}),
    ...(format ? { format } : {}),
    ...(technical ? { technical } : {}),
  };
}

/** Fields of one table with the same label are told apart by their name: a head must say which column it is. */
function distinctLabels(fields: PackageField[]): PackageField[] {
  const count = new Map<string, number>();
  for (const f of fields) count.set(f.label, (count.get(f.label) ?? 0) + 1);
  return fields.map((f) => (count.get(f.label)! > 1 && f.label !== f.name ? { ...f, label: `${f.label} (${f.name})` } : f));
}

function packageFormat(ctx: Context, format: ValueFormat): PackageFormat {
  if (format.type !== 'enum') return { ...format };
  return { type: 'enum', values: Object.fromEntries(Object.entries(format.values).map(([code, meaning]) => [code, ctx.loc(meaning)])) };
}

/**
 * Art. 15(1)(d) for this person's rows: until when each rule of the activities of the table's system
 * keeps them, from the date the dataset says the period starts at (`retention_start`).
 */
function retentionOf(ctx: Context, c: CollectedCollection, review: ProcessingReview | undefined): Pick<PackageTable, 'retention'> {
  const worked = review?.retention.get(`${c.dataset}.${c.collection}`);
  if (!worked || worked.length === 0) return {};
  const start = c.fields.find((f) => f.name === c.retentionStart);
  const startLabel = start?.label !== undefined ? ctx.loc(start.label) : (c.retentionStart ?? '');
  return {
    retention: worked.map((w) => {
      const activity = ctx.register!.activities.find((a) => a.id === w.activity)!;
      return {
        activity: ctx.loc(activity.name),
        rule: retentionInfo(ctx, activity, activity.retention![w.rule]!).text,
        startField: startLabel,
        until: w.until,
        past: w.past,
        ...(w.undated > 0 ? { undated: w.undated } : {}),
      };
    }),
  };
}

// ---------------------------------------------------------------------------
// Part 3: the processing information
// ---------------------------------------------------------------------------

function processingInformation(ctx: Context, data: readonly PackageSystem[], processed: boolean, review: ProcessingReview | undefined): Processing {
  const rights = rightsOf(ctx);
  const register = ctx.register;
  if (!register) {
    return {
      registerGiven: false,
      statement: ctx.s.processing_no_register,
      systems: [],
      activities: [],
      notSearched: [],
      ...rights,
    };
  }
  const systems: SystemInfo[] = [];
  const used = new Set<string>();
  for (const sys of data) {
    if (sys.kind === 'dataset') {
      ctx.warnings.push(fill(ctx.s.warn_no_system, { dataset: sys.id }));
      continue;
    }
    const described = ctx.systems.get(sys.id);
    const activities = ctx.activitiesOf(sys.id);
    for (const a of activities) used.add(a.id);
    const info: SystemInfo = { id: sys.id, name: sys.name, activities: activities.map((a) => a.id) };
    if (described?.hosting_country) info.hostedIn = ctx.country(described.hosting_country);
    const operator = described?.operated_by ? ctx.recipients.get(described.operated_by) : undefined;
    if (operator) info.operatedBy = ctx.loc(operator.name);
    if (!described) {
      info.note = fill(ctx.s.warn_system_unknown, { system: sys.id });
      ctx.warnings.push(info.note);
    }
    if (activities.length === 0) {
      const note = fill(ctx.s.warn_system_no_activity, { system: sys.name });
      info.note = info.note ? `${info.note} ${note}` : note;
      ctx.warnings.push(note);
    }
    systems.push(info);
  }
  const dataSystems = new Set(systems.map((sys) => sys.id));
  const activities = register.activities.filter((a) => used.has(a.id)).map((a) => activityInfo(ctx, a, dataSystems));
  // Data of the person no activity of its system declares: its purposes cannot be given (Art. 15(1)(a)).
  for (const flag of review?.flags ?? []) {
    if (flag.kind !== 'undeclared-category') continue;
    const table = data.flatMap((sys) => sys.tables).find((t) => `${t.dataset}.${t.table}` === flag.collection);
    const labels = flag.fields.map((f) => table?.fields.find((x) => x.name === f.field)?.label ?? f.field);
    ctx.warnings.push(fill(ctx.s.warn_undeclared, { data: labels.join(ctx.notice.list_separator), system: ctx.systems.get(flag.system)?.name ?? flag.system }));
  }
  // The search covers every system (EDPB Guidelines 01/2022): those no dataset describes are named.
  const notSearched = (review?.notSearched ?? []).map((sys) => ({ id: sys.id, name: sys.name }));
  if (notSearched.length > 0) ctx.warnings.push(fill(ctx.s.warn_not_searched, { systems: notSearched.map((sys) => sys.name).join(ctx.notice.list_separator) }));
  return {
    registerGiven: true,
    ...(processed ? {} : { statement: ctx.s.processing_no_data }),
    systems,
    activities,
    notSearched,
    ...rights,
  };
}

function activityInfo(ctx: Context, a: Activity, dataSystems: ReadonlySet<string>): ActivityInfo {
  const bases = a.legal_bases ?? [];
  const onlyBasis = bases.length === 1 ? bases[0]!.basis : undefined;
  const linked = [a];
  return {
    id: a.id,
    name: ctx.loc(a.name),
    ...optional('description', ctx.loc(a.description)),
    role: ctx.labelled('role', a.role),
    controllers: (a.role === 'processor' ? (a.controllers ?? []) : a.role === 'joint_controller' ? (a.joint_controllers ?? []) : []).map((p) => p.name),
    systems: (a.systems ?? []).filter((id) => dataSystems.has(id)),
    // Art. 15(1)(a), Art. 13(1)(c): each purpose with its legal basis.
    purposes: (a.purposes ?? []).map((p) => {
      const basis = p.legal_basis ?? onlyBasis;
      return basis ? { description: ctx.loc(p.description), legalBasis: ctx.labelled('legal_basis', basis) } : { description: ctx.loc(p.description) };
    }),
    legalBases: bases.map((b) => ({
      basis: ctx.labelled('legal_basis', b.basis),
      ...optional('interest', ctx.loc(b.interest)),
      ...optional('withdrawal', ctx.loc(b.withdrawal_method)),
      ...optional('law', ctx.loc(b.law)),
    })),
    // Art. 15(1)(b), with the Art. 9 and Art. 10 categories marked.
    dataCategories: (a.data_categories ?? []).map((dc) => {
      const special = dc.special_category ?? specialCategoryOf(dc.category);
      return {
        code: dc.category,
        label: dc.label ? ctx.loc(dc.label) : ctx.categoryLabel(dc.category, linked),
        ...(special ? { specialCategory: ctx.labelled('special_category', special) } : {}),
        criminal: dc.criminal === true || isCriminalDataCategory(dc.category),
      };
    }),
    recipients: recipientsOf(ctx, a.recipients ?? []),
    retention: (a.retention ?? []).map((r) => retentionInfo(ctx, a, r)),
    // Art. 15(1)(g): any available information on the source, where not collected from the person.
    sources: (a.sources ?? []).map((src) => ({
      kind: ctx.labelled('source_kind', src.kind),
      ...optional('explanation', ctx.loc(src.explanation)),
      notFromYou: src.kind !== 'data_subject',
    })),
    transfers: (a.transfers ?? []).map((t) => transferInfo(ctx, t)),
    // Art. 15(1)(h): meaningful information about the logic, significance and consequences.
    automatedDecisions: (a.automated_decisions ?? []).map((d) => ({
      description: ctx.loc(d.description),
      ...optional('logic', ctx.loc(d.logic)),
      ...optional('consequences', ctx.loc(d.consequences)),
      legalOrSimilarEffect: d.legal_or_similar_effect,
      profiling: d.profiling === true,
      ...optional('safeguards', ctx.loc(d.safeguards)),
    })),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/**
 * Art. 15(1)(c): the recipients, "in particular recipients in third countries". The sub-processors
 * a listed processor engaged receive the data too (Art. 28(2),(4)), so they are named after it.
 */
function recipientsOf(ctx: Context, ids: readonly string[]): ActivityInfo['recipients'] {
  const chosen: Recipient[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const r = ctx.recipients.get(id);
    if (r && !seen.has(r.id)) {
      seen.add(r.id);
      chosen.push(r);
    }
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of ctx.register?.recipients ?? []) {
      if (!seen.has(r.id) && r.sub_processor_of && seen.has(r.sub_processor_of)) {
        seen.add(r.id);
        chosen.push(r);
        grew = true;
      }
    }
  }
  return chosen.map((r) => {
    const parent = r.sub_processor_of ? ctx.recipients.get(r.sub_processor_of) : undefined;
    return {
      id: r.id,
      name: ctx.loc(r.name),
      kind: ctx.labelled('recipient_kind', r.kind),
      ...(r.country ? { country: ctx.country(r.country) } : {}),
      ...(parent ? { subProcessorOf: ctx.loc(parent.name) } : {}),
    };
  });
}

function retentionInfo(ctx: Context, a: Activity, r: Retention): ActivityInfo['retention'][number] {
  const s = ctx.s;
  const parts: string[] = [];
  if (r.duration) {
    const duration = describeDuration(r.duration, ctx.lang);
    parts.push(r.starts_from ? fill(s.retention_duration_from, { duration, event: ctx.loc(r.starts_from) }) : duration);
  }
  if (r.criteria) parts.push(fill(s.retention_criteria, { text: ctx.loc(r.criteria) }));
  if (r.end_action === 'archive' && r.archive) {
    parts.push(fill(s.retention_archive, { duration: describeDuration(r.archive.duration, ctx.lang), statute: ctx.loc(r.archive.statute) }));
  } else if (r.end_action) {
    parts.push({ delete: s.retention_end_delete, anonymise: s.retention_end_anonymise, archive: s.retention_end_archive }[r.end_action]);
  }
  const text = parts.join(ctx.notice.semicolon);
  if (!r.categories || r.categories.length === 0) return { text };
  const own = new Map((a.data_categories ?? []).map((dc) => [dc.category, dc]));
  const categories = r.categories.map((code) => {
    const dc = own.get(code);
    return dc?.label ? ctx.loc(dc.label) : ctx.categoryLabel(code, [a]);
  });
  return { categories, text };
}

/** Art. 15(2): the appropriate safeguards of a transfer to a third country (Art. 46), or its ground. */
function transferInfo(ctx: Context, t: Transfer): ActivityInfo['transfers'][number] {
  const recipient = t.recipient ? ctx.recipients.get(t.recipient) : undefined;
  let detail: string | undefined;
  if (t.mechanism === 'scc' && t.scc_module !== undefined) detail = term('scc_module', String(t.scc_module)).label[ctx.lang];
  if (t.mechanism === 'derogation' && t.derogation) detail = ctx.withArticle(ctx.labelled('derogation', t.derogation));
  return {
    ...(recipient ? { recipient: ctx.loc(recipient.name) } : t.recipient ? { recipient: t.recipient } : {}),
    ...(t.country ? { country: ctx.country(t.country) } : {}),
    ...optional('internationalOrganisation', t.international_organisation),
    ...(t.mechanism ? { mechanism: ctx.labelled('transfer_mechanism', t.mechanism) } : {}),
    ...optional('detail', detail),
    ...optional('safeguards', ctx.loc(t.safeguards)),
    ...optional('documentationUrl', t.documentation_url),
  };
}

/**
 * Art. 15(1)(e)-(f): the rights the person has, and the complaint to the supervisory authority.
 * The rights are those of the Regulation (the reference vocabulary, with the notice's wording); how
 * to exercise them and the authority come from the organisation, when a register is given.
 */
function rightsOf(ctx: Context): Pick<Processing, 'rights' | 'exercise' | 'complaint'> {
  // The rights of the Regulation; national additions (the French post-mortem directives) are left
  // to the privacy notice, which knows the controller's law.
  const rights = terms('right')
    .filter((r) => r.article?.startsWith('Art. '))
    .map((r) => ({
      code: r.code,
      label: r.label[ctx.lang],
      ...(r.article ? { article: r.article } : {}),
      ...(r.description ? { description: r.description[ctx.lang] } : {}),
    }));
  const org = ctx.register?.organisation;
  const channels = (org?.rights_channels ?? []).map((c) => {
    const value = [c.value, c.address ? ctx.address(c.address) : undefined].filter((v): v is string => v !== undefined).join(', ');
    return { kind: ctx.labelled('rights_channel_kind', c.kind), ...optional('value', value || undefined), ...optional('label', ctx.loc(c.label)) };
  });
  const sa = org?.supervisory_authority;
  return {
    rights,
    exercise: { channels, ...optional('conditions', ctx.loc(org?.statements?.rights)) },
    complaint: {
      text: ctx.notice.complaints_intro,
      ...optional('statement', ctx.loc(org?.statements?.complaints)),
      ...(sa ? { authority: { name: sa.name, ...optional('address', sa.address ? ctx.address(sa.address) : undefined), ...optional('url', sa.url) } } : {}),
    },
  };
}
