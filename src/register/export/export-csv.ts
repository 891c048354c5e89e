/**
 * The register as a CNIL-style sheet: one row per processing activity, with the columns of the
 * CNIL register template (the common sheet's controller, DPO and representative repeated on each
 * row, then the activity sheet: reference, dates, actors, purposes, data categories with their
 * retention, sensitive data, data subjects, recipients, transfers, security measures), so a DPO
 * can hand it to an auditor or open it in a spreadsheet. Art. 30(1)(a)-(g), 30(2).
 *
 * Format: RFC 4180 (CRLF line ends, fields quoted when needed), a header row, UTF-8 with a byte
 * order mark so that Excel opens accented French text correctly. Lists inside a cell are one
 * item per line. Cells that a spreadsheet would run as a formula (starting with = + - @) are
 * prefixed with an apostrophe (CSV injection, OWASP).
 *
 * Pure: a Register in, the file's text out.
 */
import { stringify } from 'csv-stringify/sync';
import { countryName } from '../../reference/transfers.js';
import { specialCategoryOf, isCriminalDataCategory, taxonomyName } from '../../reference/taxonomy.js';
import { term } from '../../reference/vocabulary.js';
import { isOwnProcessing } from '../lint/activity-facts.js';
import type { Activity, Contact, DataCategory, Language, Party, PostalAddress, Recipient, Register, Retention } from '../schema.js';
import { describeDuration, localise } from './localise.js';

type Column =
  | 'reference'
  | 'activity'
  | 'description'
  | 'created'
  | 'updated'
  | 'controller'
  | 'dpo'
  | 'representative'
  | 'joint_controllers'
  | 'role'
  | 'controllers'
  | 'main_purpose'
  | 'sub_purposes'
  | 'legal_bases'
  | 'sources'
  | 'data_categories'
  | 'sensitive'
  | 'sensitive_details'
  | 'data_subjects'
  | 'recipients_internal'
  | 'recipients_processors'
  | 'recipients_third_parties'
  | 'recipients_authorities'
  | 'transfer_recipients'
  | 'transfer_countries'
  | 'transfer_safeguards'
  | 'transfer_documentation'
  | 'retention'
  | 'security_measures'
  | 'dpia';

/** Column headers, in the order of the CNIL template. */
export const CSV_COLUMNS: readonly { key: Column; en: string; fr: string }[] = [
  { key: 'reference', en: 'Reference', fr: 'Référence' },
  { key: 'activity', en: 'Processing activity', fr: 'Nom du traitement' },
  { key: 'description', en: 'Description', fr: 'Description' },
  { key: 'created', en: 'Created on', fr: 'Date de création' },
  { key: 'updated', en: 'Last updated on', fr: 'Dernière mise à jour' },
  { key: 'controller', en: 'Controller (name, address, contact)', fr: 'Responsable du traitement (nom, adresse, contact)' },
  { key: 'dpo', en: 'Data protection officer', fr: 'Délégué à la protection des données' },
  { key: 'representative', en: 'Representative in the Union', fr: "Représentant dans l'Union" },
  { key: 'joint_controllers', en: 'Joint controllers', fr: 'Responsables conjoints' },
  { key: 'role', en: 'Role of the organisation', fr: "Rôle de l'organisme" },
  { key: 'controllers', en: 'Controllers on whose behalf the processing is carried out (Art. 30(2))', fr: 'Responsables pour le compte desquels le traitement est effectué (art. 30.2)' },
  { key: 'main_purpose', en: 'Main purpose (legal basis)', fr: 'Finalité principale (base légale)' },
  { key: 'sub_purposes', en: 'Sub-purposes (legal basis)', fr: 'Sous-finalités (base légale)' },
  { key: 'legal_bases', en: 'Legal bases', fr: 'Bases légales' },
  { key: 'sources', en: 'Source of the data', fr: 'Source des données' },
  { key: 'data_categories', en: 'Categories of personal data (retention)', fr: 'Catégories de données personnelles (durée de conservation)' },
  { key: 'sensitive', en: 'Sensitive data', fr: 'Données sensibles' },
  { key: 'sensitive_details', en: 'Sensitive data: which, and the condition (Art. 9(2), Art. 10)', fr: 'Données sensibles : lesquelles, et la condition (art. 9.2, art. 10)' },
  { key: 'data_subjects', en: 'Categories of data subjects', fr: 'Catégories de personnes concernées' },
  { key: 'recipients_internal', en: 'Recipients: internal departments', fr: 'Destinataires : services internes' },
  { key: 'recipients_processors', en: 'Recipients: processors', fr: 'Destinataires : sous-traitants' },
  { key: 'recipients_third_parties', en: 'Recipients: third parties and partners', fr: 'Destinataires : tiers et partenaires' },
  { key: 'recipients_authorities', en: 'Recipients: public authorities', fr: 'Destinataires : autorités publiques' },
  { key: 'transfer_recipients', en: 'Transfers outside the EU: recipient', fr: 'Transferts hors UE : destinataire' },
  { key: 'transfer_countries', en: 'Transfers outside the EU: country', fr: 'Transferts hors UE : pays' },
  { key: 'transfer_safeguards', en: 'Transfers outside the EU: safeguard', fr: 'Transferts hors UE : garanties' },
  { key: 'transfer_documentation', en: 'Transfers outside the EU: documentation', fr: 'Transferts hors UE : documentation' },
  { key: 'retention', en: 'Retention periods', fr: 'Durées de conservation' },
  { key: 'security_measures', en: 'Security measures', fr: 'Mesures de sécurité' },
  { key: 'dpia', en: 'Data protection impact assessment', fr: "Analyse d'impact (AIPD)" },
];

const WORDS = {
  yes: { en: 'Yes', fr: 'Oui' },
  no: { en: 'No', fr: 'Non' },
  allData: { en: 'All data', fr: 'Toutes les données' },
  from: { en: 'from', fr: 'point de départ' },
  then: { en: 'then', fr: 'puis' },
  for: { en: 'for', fr: 'pendant' },
  none: { en: '—', fr: '—' },
  // The register declares there are none (transfers: none), or says nothing (decision 0027).
  declaredNone: { en: 'None', fr: 'Aucun' },
  notStated: { en: 'Not stated', fr: 'Non précisé' },
  dpa: { en: 'processing agreement', fr: 'contrat de sous-traitance' },
  condition: { en: 'condition', fr: 'condition' },
  noCondition: { en: 'no condition stated', fr: 'aucune condition indiquée' },
  criminal: { en: 'Criminal convictions and offences', fr: 'Condamnations pénales et infractions' },
  incidental: { en: 'incidental', fr: 'incidente' },
  interest: { en: 'interest', fr: 'intérêt' },
  withdrawal: { en: 'withdrawal', fr: 'retrait' },
  law: { en: 'law', fr: 'texte' },
  module: { en: 'module', fr: 'module' },
} as const;

/** The register as a CSV sheet in `lang`, with a byte order mark. */
export function exportCsv(register: Register, lang: Language): string {
  const ctx = new Context(register, lang);
  const rows = register.activities.map((a) => activityRow(a, ctx));
  return stringify(rows, {
    bom: true,
    header: true,
    record_delimiter: 'windows',
    columns: CSV_COLUMNS.map((c) => ({ key: c.key, header: c[lang] })),
    // RFC 4180: a field holding a line break must be quoted, whatever the record delimiter.
    quoted_match: /[\r\n]/,
    cast: { string: neutraliseFormula },
  });
}

class Context {
  readonly fallback: Language;
  private readonly recipients: Map<string, Recipient>;
  constructor(
    readonly register: Register,
    readonly lang: Language,
  ) {
    this.fallback = register.organisation.default_language;
    this.recipients = new Map(register.recipients.map((r) => [r.id, r]));
  }
  text(t: Parameters<typeof localise>[0]): string {
    return localise(t, this.lang, this.fallback) ?? '';
  }
  word(w: keyof typeof WORDS): string {
    return WORDS[w][this.lang];
  }
  /** "label: value", with the French space before the colon. */
  labelled(w: keyof typeof WORDS, value: string): string {
    return this.labelled2(this.word(w), value);
  }
  labelled2(label: string, value: string): string {
    return `${label}${this.lang === 'fr' ? ' : ' : ': '}${value}`;
  }
  recipient(id: string): Recipient | undefined {
    return this.recipients.get(id);
  }
  /** "Label (Art. x)" for a vocabulary code. */
  termWithArticle(...args: Parameters<typeof term>): string {
    const t = term(...args);
    return t.article ? `${t.label[this.lang]} (${t.article})` : t.label[this.lang];
  }
  country(code: string): string {
    return countryName(code, this.lang);
  }
}

function activityRow(a: Activity, ctx: Context): Record<Column, string> {
  const org = ctx.register.organisation;
  const [main, ...subs] = a.purposes ?? [];
  const purposeLine = (p: NonNullable<Activity['purposes']>[number]) => {
    const basis = p.legal_basis ?? (a.legal_bases?.length === 1 ? a.legal_bases[0]!.basis : undefined);
    return `${ctx.text(p.description)}${basis ? ` — ${ctx.termWithArticle('legal_basis', basis)}` : ''}`;
  };
  const byKind = (kinds: Recipient['kind'][]) =>
    lines(
      (a.recipients ?? [])
        .map((id) => ctx.recipient(id))
        .filter((r): r is Recipient => r !== undefined && kinds.includes(r.kind))
        .map((r) => recipientLine(r, ctx)),
    );
  const transfers = a.transfers ?? [];
  const dash = ctx.word('none');
  return {
    reference: a.id,
    activity: ctx.text(a.name),
    description: ctx.text(a.description),
    created: a.created ?? '',
    updated: a.updated ?? '',
    controller: controllerCell(ctx),
    dpo: org.dpo ? contactLines(org.dpo, ctx) : '',
    representative: org.representative ? partyLines([org.representative], ctx) : '',
    joint_controllers: partyLines(a.joint_controllers ?? [], ctx),
    role: term('role', a.role).label[ctx.lang],
    controllers: partyLines(a.controllers ?? [], ctx),
    main_purpose: main ? purposeLine(main) : '',
    sub_purposes: lines(subs.map(purposeLine)),
    legal_bases: lines(
      (a.legal_bases ?? []).map((l) => {
        const details = [
          l.interest ? ctx.labelled('interest', ctx.text(l.interest)) : undefined,
          l.law ? ctx.labelled('law', ctx.text(l.law)) : undefined,
          l.withdrawal_method ? ctx.labelled('withdrawal', ctx.text(l.withdrawal_method)) : undefined,
        ].filter(Boolean);
        return `${ctx.termWithArticle('legal_basis', l.basis)}${details.length > 0 ? ` — ${details.join('; ')}` : ''}`;
      }),
    ),
    sources: lines((a.sources ?? []).map((s) => (s.explanation ? ctx.labelled2(term('source_kind', s.kind).label[ctx.lang], ctx.text(s.explanation)) : term('source_kind', s.kind).label[ctx.lang]))),
    data_categories: lines(
      (a.data_categories ?? []).map((c) => {
        const rule = retentionFor(a, c.category);
        return `${categoryLabel(c, ctx)}${rule ? ` — ${retentionText(rule, ctx)}` : ''}`;
      }),
    ),
    // "No" only where the data categories are given: without them the register says nothing.
    sensitive: sensitiveOf(a).length > 0 ? ctx.word('yes') : a.data_categories === undefined ? ctx.word('notStated') : ctx.word('no'),
    sensitive_details: sensitiveDetails(a, ctx),
    data_subjects: lines((a.data_subjects ?? []).map((s) => `${ctx.text(s.label)}${s.category ? ` (${s.category})` : ''}`)),
    recipients_internal: byKind(['internal']),
    recipients_processors: byKind(['processor']),
    recipients_third_parties: byKind(['third_party', 'joint_controller']),
    recipients_authorities: byKind(['public_authority']),
    transfer_recipients: a.transfers === undefined ? (isOwnProcessing(a) ? ctx.word('notStated') : '') : transfers.length === 0 ? ctx.word('declaredNone') : lines(
      transfers.map((t) => {
        const r = t.recipient ? ctx.recipient(t.recipient) : undefined;
        return r ? ctx.text(r.name) : (t.recipient ?? dash);
      }),
    ),
    transfer_countries: lines(transfers.map((t) => (t.country ? ctx.country(t.country) : (t.international_organisation ?? dash)))),
    transfer_safeguards: lines(
      transfers.map((t) => {
        if (!t.mechanism) return dash;
        const parts = [ctx.termWithArticle('transfer_mechanism', t.mechanism)];
        if (t.scc_module) parts.push(term('scc_module', String(t.scc_module)).label[ctx.lang]);
        if (t.derogation) parts.push(ctx.termWithArticle('derogation', t.derogation));
        if (t.safeguards) parts.push(ctx.text(t.safeguards));
        return parts.join(' — ');
      }),
    ),
    transfer_documentation: lines(transfers.map((t) => t.documentation_url ?? dash)),
    retention: lines(
      (a.retention ?? []).map((r) => {
        const scope = r.categories ? r.categories.map((code) => categoryName(code, a, ctx)).join(', ') : ctx.word('allData');
        return ctx.labelled2(scope, retentionText(r, ctx));
      }),
    ),
    security_measures: lines(
      (a.security_measures ?? []).map((m) => {
        const label = term('security_measure_kind', m.kind).label[ctx.lang];
        return m.description ? ctx.labelled2(label, ctx.text(m.description)) : label;
      }),
    ),
    dpia: a.dpia
      ? [term('dpia_status', a.dpia.status).label[ctx.lang], a.dpia.reference, a.dpia.date, a.dpia.summary ? ctx.text(a.dpia.summary) : undefined]
          .filter(Boolean)
          .join(' — ')
      : '',
  };
}

function controllerCell(ctx: Context): string {
  const org = ctx.register.organisation;
  const head = [org.name, org.legal_form].filter(Boolean).join(', ');
  return lines([
    head,
    org.registration ? `${org.registration.register} ${org.registration.number}` : '',
    org.address ? addressLine(org.address, ctx) : '',
    ...(org.contact ? [contactLines(org.contact, ctx)] : []),
  ]);
}

function contactLines(c: Contact, ctx: Context): string {
  return lines([c.name ?? '', c.address ? addressLine(c.address, ctx) : '', c.email ?? '', c.phone ?? '', c.url ?? '']);
}

function partyLines(parties: readonly Party[], ctx: Context): string {
  return lines(parties.map((p) => [p.name, p.contact?.email, p.contact?.address ? addressLine(p.contact.address, ctx) : undefined].filter(Boolean).join(', ')));
}

function addressLine(a: PostalAddress, ctx: Context): string {
  return [...a.lines, [a.postal_code, a.city].filter(Boolean).join(' '), ctx.country(a.country)].join(', ');
}

function recipientLine(r: Recipient, ctx: Context): string {
  const extra = [r.country ? ctx.country(r.country) : undefined, r.dpa_reference ? ctx.labelled('dpa', r.dpa_reference) : undefined].filter(Boolean);
  return `${ctx.text(r.name)}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
}

function categoryLabel(c: DataCategory, ctx: Context): string {
  const label = c.label ? ctx.text(c.label) : taxonomyName('data_category', c.category);
  return label ? `${label} (${c.category})` : c.category;
}

function categoryName(code: string, a: Activity, ctx: Context): string {
  const c = (a.data_categories ?? []).find((x) => x.category === code);
  return c ? categoryLabel(c, ctx) : code;
}

/** The rule that covers a category: the one naming it, otherwise the activity-wide one. */
function retentionFor(a: Activity, category: string): Retention | undefined {
  const rules = a.retention ?? [];
  return rules.find((r) => r.categories?.includes(category)) ?? rules.find((r) => r.categories === undefined);
}

function retentionText(r: Retention, ctx: Context): string {
  const parts: string[] = [];
  // "5 ans à compter de le dernier contact" is not French: the starting event goes in brackets there.
  const start = r.starts_from ? (ctx.lang === 'fr' ? ctx.labelled('from', ctx.text(r.starts_from)) : `${ctx.word('from')} ${ctx.text(r.starts_from)}`) : undefined;
  if (r.duration) parts.push(`${describeDuration(r.duration, ctx.lang)}${start ? (ctx.lang === 'fr' ? ` (${start})` : ` ${start}`) : ''}`);
  else if (start) parts.push(start);
  if (r.criteria) parts.push(ctx.text(r.criteria));
  if (r.end_action) {
    const end = term('end_action', r.end_action).label[ctx.lang].toLowerCase();
    const archive = r.archive ? ` ${ctx.word('for')} ${describeDuration(r.archive.duration, ctx.lang)} (${ctx.text(r.archive.statute)})` : '';
    parts.push(`${ctx.word('then')} ${end}${archive}`);
  }
  return parts.join(', ');
}

/** Art. 9(1) and Art. 10 data: flagged in the register, or known from its fideslang code. */
function sensitiveOf(a: Activity): { category: DataCategory; special?: string; criminal: boolean }[] {
  return (a.data_categories ?? []).flatMap((c) => {
    const special = c.special_category ?? specialCategoryOf(c.category);
    const criminal = c.criminal === true || isCriminalDataCategory(c.category);
    return special || criminal ? [{ category: c, special, criminal }] : [];
  });
}

function sensitiveDetails(a: Activity, ctx: Context): string {
  const found = sensitiveOf(a);
  if (found.length === 0) return '';
  const items = found.map(({ category, special, criminal }) => {
    const kind = special ? ctx.termWithArticle('special_category', special) : `${ctx.word('criminal')} (Art. 10)`;
    const incidental = category.incidental ? `, ${ctx.word('incidental')}` : '';
    return ctx.labelled2(kind, `${categoryLabel(category, ctx)}${criminal && special ? `, ${ctx.word('criminal')} (Art. 10)` : ''}${incidental}`);
  });
  const conditions = (a.special_category_conditions ?? []).map(
    (c) => ctx.labelled('condition', `${ctx.termWithArticle('special_category_condition', c.condition)}${c.explanation ? ` — ${ctx.text(c.explanation)}` : ''}`),
  );
  return lines([...items, ...(conditions.length > 0 ? conditions : found.some((f) => f.special) ? [ctx.labelled('condition', ctx.word('noCondition'))] : [])]);
}

/** One item per line inside a cell; empty items dropped. */
function lines(items: readonly string[]): string {
  return items.filter((s) => s.trim() !== '').join('\n');
}

/** CSV injection: a cell a spreadsheet would evaluate is made text with a leading apostrophe. */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
