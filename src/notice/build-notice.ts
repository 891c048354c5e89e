/**
 * What the privacy notice says, built from the register: the information Art. 13 and Art. 14
 * require, in the shape of the seed notice (who we are, definitions, one table per activity grouped
 * by the source of the data, then retention, rights, provision, security, cookies, transfers and
 * complaints). Pure: the same register gives the same document.
 *
 * Nothing is invented: a section with nothing in the register is left out, or says plainly that
 * nothing is recorded. Fixed wording lives in ./i18n; labels of codes come from the reference
 * vocabulary.
 */
import {
  RECIPIENT_KINDS,
  SECURITY_MEASURE_KINDS,
  SOURCE_KINDS,
  type Activity,
  type Contact,
  type DataCategory,
  type Language,
  type LegalBasis,
  type LegalBasisCode,
  type LocalisedText,
  type Organisation,
  type Party,
  type PostalAddress,
  type Recipient,
  type Register,
  type Retention,
  type Transfer,
} from '../register/schema.js';
import { isOwnProcessing } from '../register/lint/activity-facts.js';
import { specialCategoryOf, taxonomyName } from '../reference/taxonomy.js';
import { countryName } from '../reference/transfers.js';
import { term, terms, type Term, type Vocabulary } from '../reference/vocabulary.js';
import { en, type NoticeStrings } from './i18n/en.js';
import { fr } from './i18n/fr.js';
import { para, text, type Block, type Inline, type NoticeDocument, type Section } from './notice-document.js';

export const NOTICE_STRINGS: Readonly<Record<Language, NoticeStrings>> = { en, fr };

type SourceKind = (typeof SOURCE_KINDS)[number];
type GroupKey = SourceKind | 'unstated';

const GROUP_SLUG: Record<GroupKey, string> = {
  data_subject: 'data-collected-from-you',
  third_party: 'data-collected-from-third-parties',
  public: 'data-collected-from-public-sources',
  unstated: 'other-processing',
};

export interface BuildOptions {
  lang: Language;
  generatedAt?: string;
}

/** Builds the notice document of a register in one language. */
export function buildNotice(register: Register, opts: BuildOptions): NoticeDocument {
  const ctx = new NoticeContext(register, opts.lang);
  const org = register.organisation;

  const groups = groupBySource(register.activities);
  const sections: Section[] = [
    introductionSection(ctx, org),
    whoSection(ctx, org, register.activities),
    definitionsSection(ctx),
    ...groups.map((g) => sourceSection(ctx, g.key, g.activities)),
    recipientsSection(ctx, org, register),
    retentionSection(ctx, org, register.activities),
    rightsSection(ctx, org, register.activities),
    provisionSection(ctx, org, register.activities),
    automatedSection(ctx, register.activities),
    securitySection(ctx, org, register.activities),
    ...(org.cookie_policy_url ? [cookiesSection(ctx, org.cookie_policy_url)] : []),
    transfersSection(ctx, org, register.activities),
    complaintsSection(ctx, org),
  ];

  // A section with nothing to say is left out (the automated decisions of a processor-only register).
  const said = sections.filter((x) => x.blocks.length > 0 || x.sections.length > 0);

  const preamble: Block[] = [];
  if (org.effective_date) preamble.push(para(...ctx.fill(ctx.s.effective_date, { date: ctx.formatDate(org.effective_date) })));
  // Set while building: a text shown in another language than the notice's.
  if (ctx.usedOtherLanguage) preamble.push(para(text(ctx.s.translation_note)));

  const footer: Block[] = opts.generatedAt
    ? [para(...ctx.fill(ctx.s.generated_at, { date: ctx.formatDate(opts.generatedAt) }))]
    : [];

  return {
    lang: opts.lang,
    title: ctx.fill(ctx.s.title_with_org, { organisation: org.name }).map((i) => (i.t === 'strong' ? '' : i.text)).join(''),
    preamble,
    sections: said,
    skipLink: ctx.s.skip_link,
    tocTitle: ctx.s.toc,
    footer,
  };
}

// ---------------------------------------------------------------------------
// Context: wording, localised texts, labels
// ---------------------------------------------------------------------------

class NoticeContext {
  readonly s: NoticeStrings;
  readonly defaultLang: Language;
  /** Recipients by id, built once (the notice of 1,000 activities looks them up thousands of times). */
  readonly recipients: Map<string, Recipient>;
  /** Where each activity is first shown, for links from the later sections. */
  readonly anchors = new Map<string, string>();
  usedOtherLanguage = false;
  private readonly dateFormat: Intl.DateTimeFormat;

  constructor(
    readonly register: Register,
    readonly lang: Language,
  ) {
    this.s = NOTICE_STRINGS[lang];
    this.defaultLang = register.organisation.default_language ?? 'en';
    this.recipients = new Map(register.recipients.map((r) => [r.id, r]));
    // en-GB: "1 November 2026", the way a European notice writes dates.
    this.dateFormat = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'long', timeZone: 'UTC' });
  }

  /** A localised text as inline content, marked with its language when no translation exists. */
  loc(t: LocalisedText | undefined): Inline[] {
    if (t === undefined) return [];
    const { value, lang } = this.pick(t);
    if (lang === this.lang) return [text(value)];
    this.usedOtherLanguage = true;
    return [text(value, lang)];
  }

  /** A localised text that may hold several paragraphs (separated by blank lines). */
  paragraphs(t: LocalisedText | undefined): Block[] {
    if (t === undefined) return [];
    const { value, lang } = this.pick(t);
    if (lang !== this.lang) this.usedOtherLanguage = true;
    return value
      .split(/\n[ \t]*\n/)
      .map((p) => p.trim())
      .filter((p) => p.length > 0)
      .map((p) => para(text(p, lang === this.lang ? undefined : lang)));
  }

  private pick(t: LocalisedText): { value: string; lang: Language } {
    if (typeof t === 'string') return { value: t, lang: this.defaultLang };
    const own = t[this.lang];
    if (own !== undefined) return { value: own, lang: this.lang };
    const fallback = t[this.defaultLang];
    if (fallback !== undefined) return { value: fallback, lang: this.defaultLang };
    for (const [lang, value] of Object.entries(t) as [Language, string | undefined][]) {
      if (value !== undefined) return { value, lang };
    }
    return { value: '', lang: this.lang };
  }

  /** Fills `{name}` placeholders of a fixed sentence with inline content. */
  fill(template: string, vars: Record<string, Inline[] | string>): Inline[] {
    const out: Inline[] = [];
    const re = /\{(\w+)\}/g;
    let last = 0;
    for (let m = re.exec(template); m; m = re.exec(template)) {
      if (m.index > last) out.push(text(template.slice(last, m.index)));
      const v = vars[m[1]!];
      if (v === undefined) out.push(text(m[0]));
      else if (typeof v === 'string') out.push(text(v));
      else out.push(...v);
      last = re.lastIndex;
    }
    if (last < template.length) out.push(text(template.slice(last)));
    return this.lang === 'fr' ? contractFrench(out) : out;
  }

  join(parts: Inline[][], separator = this.s.list_separator): Inline[] {
    const out: Inline[] = [];
    parts.forEach((p, i) => {
      if (i > 0) out.push(text(separator));
      out.push(...p);
    });
    return out;
  }

  /** Joins clauses with a semicolon, or a space after one that already ends a sentence. */
  joinClauses(parts: Inline[][]): Inline[] {
    const out: Inline[] = [];
    parts.forEach((p, i) => {
      if (i > 0) {
        out.push(text(endsSentence(out) ? ' ' : this.s.semicolon));
      }
      out.push(...p);
    });
    return out;
  }

  term(vocabulary: Vocabulary, code: string): Term {
    return term(vocabulary, code);
  }

  label(vocabulary: Vocabulary, code: string): string {
    return term(vocabulary, code).label[this.lang];
  }

  /** "Consent (Art. 6(1)(a) GDPR)" / "Consentement (art. 6.1.a du RGPD)". */
  labelWithArticle(vocabulary: Vocabulary, code: string): string {
    const t = term(vocabulary, code);
    return t.article ? `${t.label[this.lang]} (${this.article(t.article)})` : t.label[this.lang];
  }

  /** A GDPR article reference from the vocabulary ("Art. 6(1)(a)") in the notice's style. */
  article(ref: string): string {
    const m = /^Art\. (\d+(?:\(\w+\))*)$/.exec(ref);
    if (!m) return ref; // not a plain GDPR article (e.g. French law): shown as given
    const number = this.s.article_style === 'dots' ? m[1]!.replace(/\((\w+)\)/g, '.$1') : m[1]!;
    return this.s.article_gdpr.replace('{article}', number);
  }

  country(code: string): string {
    return countryName(code, this.lang);
  }

  formatDate(value: string): string {
    const d = new Date(value);
    if (Number.isNaN(d.getTime())) return value;
    const formatted = this.dateFormat.format(d);
    // French writes the first of a month as an ordinal: "1er novembre 2026" (Intl gives "1 novembre").
    return this.lang === 'fr' ? formatted.replace(/^1 /, '1er ') : formatted;
  }

  /** "3 years and 6 months" from P3Y6M. */
  duration(iso: string): string {
    const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(iso);
    if (!m) return iso;
    const units: [string | undefined, string, string][] = [
      [m[1], this.s.unit_year, this.s.unit_years],
      [m[2], this.s.unit_month, this.s.unit_months],
      [m[3], this.s.unit_week, this.s.unit_weeks],
      [m[4], this.s.unit_day, this.s.unit_days],
    ];
    const parts = units.filter(([n]) => n !== undefined).map(([n, one, many]) => `${n} ${Number(n) === 1 ? one : many}`);
    if (parts.length <= 1) return parts[0] ?? iso;
    return `${parts.slice(0, -1).join(this.s.list_separator)} ${this.s.and} ${parts.at(-1)}`;
  }

  address(a: PostalAddress): string {
    const city = a.postal_code ? `${a.postal_code} ${a.city}` : a.city;
    return [...a.lines, city, this.country(a.country)].join(', ');
  }

  recipientName(r: Recipient): Inline[] {
    return this.loc(r.name);
  }

  activityLink(a: Activity): Inline[] {
    const anchor = this.anchors.get(a.id);
    const name = this.loc(a.name);
    if (!anchor || name.length !== 1) return name;
    const only = name[0] as Extract<Inline, { t: 'text' }>;
    return [only.lang ? { t: 'link', href: `#${anchor}`, text: only.text, lang: only.lang } : { t: 'link', href: `#${anchor}`, text: only.text }];
  }
}

/**
 * French contracts "de le" into "du", "à les" into "aux", and elides "de" before a vowel, also
 * across a placeholder ("à compter de {event}" with "le dernier contact" → "à compter du dernier
 * contact"; "pour le compte de {name}" with "Éditions du Rhône" → "d'Éditions du Rhône").
 */
function contractFrench(parts: Inline[]): Inline[] {
  for (let i = 0; i + 1 < parts.length; i++) {
    const a = parts[i]!;
    const b = parts[i + 1]!;
    if (a.t !== 'text' || a.lang) continue;
    const next = b.t === 'strong' ? b.children[0] : b;
    if (!next || next.t === 'strong' || next.lang) continue;
    const m = /(^|\s)(de|à) $/.exec(a.text);
    if (!m) continue;
    const article = /^(le|les) /.exec(next.text);
    if (article) {
      const merged = m[2] === 'de' ? (article[1] === 'le' ? 'du ' : 'des ') : article[1] === 'le' ? 'au ' : 'aux ';
      a.text = a.text.slice(0, a.text.length - m[2]!.length - 1) + merged;
      next.text = next.text.slice(article[0].length);
    } else if (m[2] === 'de' && elides(next.text)) {
      a.text = `${a.text.slice(0, a.text.length - 3)}d'`;
    }
  }
  return parts;
}

/** Whether inline content already ends a sentence (register text often does). */
function endsSentence(parts: readonly Inline[]): boolean {
  const last = parts[parts.length - 1];
  return last !== undefined && last.t !== 'strong' && /[.!?…]$/.test(last.text);
}

/** Ends a sentence built from register text with a full stop, unless it ends with one already. */
function endSentence(parts: Inline[]): Inline[] {
  return endsSentence(parts) ? parts : [...parts, text('.')];
}

/**
 * Whether "de" elides before this word: a vowel, or an h that is not aspirated ("d'Hélène", "d'hôtel",
 * but "de Hollande", "de hauts"). The aspirated h is a property of each word: the common ones, and
 * the names a register is likely to hold, are listed.
 */
function elides(word: string): boolean {
  if (/^[aeiouyàâäéèêëîïôöùûüæœ]/i.test(word)) return true;
  if (!/^h/i.test(word)) return false;
  return !H_ASPIRE.test(word);
}

const H_ASPIRE = /^h(a(che|ie|ine|ll|lte|mac|meau|nche|ndicap|ngar|nter|rce|rd|reng|ricot|sard|te|ut|vre)|ibou|i[ée]rarch|o(ckey|llande|llandais|mard|nte|ngrie|ngrois|ors|ublon|uss|usse)|u(blot|lot|mour|rl|tte)|éros|ernie|éron|être|errer|aut)/i;

/**
 * A label of ours in the middle of a sentence (after a colon, in a list): no capital, as French and
 * English write it, unless the label starts with an acronym or a name ("EU-US Data Privacy Framework").
 */
const lowerFirst = (s: string) => (/^\p{Lu}\p{Ll}/u.test(s) ? s.charAt(0).toLocaleLowerCase() + s.slice(1) : s);

/** Our own wording continuing a sentence ("Name: by email: …"): its first letter in lower case. */
function lowerFirstInline(parts: Inline[]): Inline[] {
  const [first, ...rest] = parts;
  if (first === undefined || first.t !== 'text') return parts;
  return [{ ...first, text: lowerFirst(first.text) }, ...rest];
}

/** One paragraph for one item, a list for several. */
function listOrPara(items: Inline[][]): Block[] {
  if (items.length === 0) return [];
  if (items.length === 1) return [para(...items[0]!)];
  return [{ t: 'ul', items }];
}

function section(id: string, title: string, blocks: Block[], sections: Section[] = [], level: 2 | 3 = 2): Section {
  return { id, level, title: [text(title)], blocks, sections };
}

function contactItems(ctx: NoticeContext, c: Contact | undefined): Inline[][] {
  if (!c) return [];
  const items: Inline[][] = [];
  if (c.email) items.push(ctx.fill(ctx.s.contact_email, { value: [{ t: 'link', href: `mailto:${c.email}`, text: c.email }] }));
  if (c.address) items.push(ctx.fill(ctx.s.contact_post, { value: ctx.address(c.address) }));
  if (c.phone) items.push(ctx.fill(ctx.s.contact_phone, { value: [phoneLink(c.phone)] }));
  if (c.url) items.push(ctx.fill(ctx.s.contact_web, { value: [{ t: 'link', href: c.url, text: c.url }] }));
  return items;
}

function phoneLink(phone: string): Inline {
  const digits = phone.replace(/[^\d+]/g, '');
  return digits.length >= 3 ? { t: 'link', href: `tel:${digits}`, text: phone } : text(phone);
}

function partyNames(ctx: NoticeContext, parties: readonly Party[]): Inline[] {
  return ctx.join(parties.map((p) => [text(p.name)]));
}

// ---------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------

function introductionSection(ctx: NoticeContext, org: Organisation): Section {
  // One introduction: the organisation's own where it wrote one (it says the same and more).
  const own = ctx.paragraphs(org.statements?.introduction);
  return section('introduction', ctx.s.h_introduction, own.length > 0 ? own : [para(...ctx.fill(ctx.s.intro_fixed, { organisation: org.name }))]);
}

function whoSection(ctx: NoticeContext, org: Organisation, activities: readonly Activity[]): Section {
  // Art. 13(1)(a): the identity and contact details of the controller.
  const identity: Inline[] = ctx.fill(ctx.s.controller_is, { name: [{ t: 'strong', children: [text(org.name)] }] });
  if (org.legal_form) identity.push(...ctx.fill(ctx.s.controller_legal_form, { legal_form: org.legal_form }));
  if (org.registration) {
    identity.push(...ctx.fill(ctx.s.controller_registration, { register: org.registration.register, number: org.registration.number }));
  }
  if (org.address) identity.push(...ctx.fill(ctx.s.controller_address, { address: ctx.address(org.address) }));
  identity.push(text('.'));
  const blocks: Block[] = [para(...identity)];
  const contact = contactItems(ctx, org.contact);
  if (contact.length > 0) blocks.push(para(text(ctx.s.controller_contact)), { t: 'ul', items: contact });

  const subsections: Section[] = [];
  // Art. 13(1)(b): the contact details of the data protection officer.
  if (org.dpo) {
    const feminine = org.dpo.addressed_as === 'feminine';
    const dpo: Block[] = [];
    if (org.dpo.name) dpo.push(para(...ctx.fill(feminine ? ctx.s.dpo_named_feminine : ctx.s.dpo_named, { name: org.dpo.name })));
    const items = contactItems(ctx, org.dpo);
    if (items.length > 0) dpo.push(para(text(feminine ? ctx.s.dpo_intro_feminine : ctx.s.dpo_intro)), { t: 'ul', items });
    if (dpo.length > 0) subsections.push(section('dpo', feminine ? ctx.s.h_dpo_feminine : ctx.s.h_dpo, dpo, [], 3));
  }
  // Art. 13(1)(a), Art. 27: the representative of a controller established outside the Union.
  if (org.representative) {
    const rep = org.representative;
    const blocks: Block[] = [para(...ctx.fill(ctx.s.representative_is, { name: rep.name }))];
    const items = contactItems(ctx, rep.contact);
    if (items.length > 0) blocks.push({ t: 'ul', items });
    subsections.push(section('representative', ctx.s.h_representative, blocks, [], 3));
  }
  // Art. 26(2): the essence of the arrangement is made available to the data subject.
  const joint = activities.filter((a) => a.role === 'joint_controller' && (a.joint_controllers?.length ?? 0) > 0);
  if (joint.length > 0) {
    const items = joint.map((a) => {
      const parties = a.joint_controllers ?? [];
      const line = ctx.fill(ctx.s.joint_item, { activity: ctx.loc(a.name), parties: partyNames(ctx, parties) });
      for (const p of parties) {
        if (p.arrangement) line.push(text(' — '), ...ctx.fill(ctx.s.arrangement, { text: ctx.loc(p.arrangement) }));
      }
      return line;
    });
    subsections.push(section('joint-controllers', ctx.s.h_joint_controllers, [para(text(ctx.s.joint_intro)), { t: 'ul', items }], [], 3));
  }
  const processed = activities.filter((a) => a.role === 'processor');
  if (processed.length > 0) {
    const items = processed.map((a) =>
      (a.controllers?.length ?? 0) > 0
        ? ctx.fill(ctx.s.processor_item, { activity: ctx.loc(a.name), parties: partyNames(ctx, a.controllers ?? []) })
        : ctx.loc(a.name),
    );
    subsections.push(section('processor', ctx.s.h_processor_for, [para(text(ctx.s.processor_intro)), { t: 'ul', items }], [], 3));
  }
  return section('who', ctx.s.h_who, blocks, subsections);
}

function definitionsSection(ctx: NoticeContext): Section {
  const s = ctx.s;
  const pairs: [string, string][] = [
    [s.def_personal_data, s.def_personal_data_text],
    [s.def_processing, s.def_processing_text],
    [s.def_controller, s.def_controller_text],
    [s.def_processor, s.def_processor_text],
    [s.def_recipient, s.def_recipient_text],
    [s.def_data_subject, s.def_data_subject_text],
    [s.def_legal_basis, s.def_legal_basis_text],
    [s.def_retention, s.def_retention_text],
    [s.def_dpo, s.def_dpo_text],
  ];
  return section('definitions', s.h_definitions, [
    para(text(s.definitions_intro)),
    { t: 'dl', items: pairs.map(([term, def]) => ({ term: [text(term)], details: [para(text(def))] })) },
  ]);
}

function groupBySource(activities: readonly Activity[]): { key: GroupKey; activities: Activity[] }[] {
  const byKey = new Map<GroupKey, Activity[]>();
  for (const a of activities) {
    const kinds = new Set((a.sources ?? []).map((s) => s.kind));
    if (kinds.size === 0) kinds.add('unstated' as SourceKind);
    for (const k of kinds as Set<GroupKey>) {
      const list = byKey.get(k) ?? [];
      list.push(a);
      byKey.set(k, list);
    }
  }
  const order: GroupKey[] = [...SOURCE_KINDS, 'unstated'];
  return order.filter((k) => byKey.has(k)).map((k) => ({ key: k, activities: byKey.get(k)! }));
}

function sourceSection(ctx: NoticeContext, key: GroupKey, activities: readonly Activity[]): Section {
  const s = ctx.s;
  const title = { data_subject: s.h_source_data_subject, third_party: s.h_source_third_party, public: s.h_source_public, unstated: s.h_source_unstated }[key];
  const intro = {
    data_subject: s.source_intro_data_subject,
    third_party: s.source_intro_third_party,
    public: s.source_intro_public,
    unstated: s.source_intro_unstated,
  }[key];
  const slug = GROUP_SLUG[key];
  // An activity with several kinds of source is described once, under the first; the later groups
  // point to it.
  const described = activities.filter((a) => ctx.anchors.has(a.id));
  const subsections = activities
    .filter((a) => !ctx.anchors.has(a.id))
    .map((a) => {
      const id = `${slug}-${a.id}`;
      ctx.anchors.set(a.id, id);
      return activitySection(ctx, a, id);
    });
  const blocks: Block[] = [para(text(intro))];
  if (described.length > 0) blocks.push(para(...ctx.fill(described.length === 1 ? s.source_also_one : s.source_also_many, { activities: ctx.join(described.map((a) => ctx.activityLink(a))) })));
  return section(slug, title, blocks, subsections);
}

/** One activity, as the seed's table row: source, operations, purposes, data, basis, people, recipients. */
function activitySection(ctx: NoticeContext, a: Activity, id: string): Section {
  const s = ctx.s;
  const rows: [string, Block[]][] = [];
  const own = isOwnProcessing(a);
  // A gap of the register is shown, never filled in: a notice published with lint errors says
  // what it does not know (Art. 13, 14: the information is given, or its absence is visible).
  const notStated = (): Block[] => [para(text(s.row_not_stated))];

  // Art. 14(2)(f): the source, and where it is publicly accessible.
  const sources = a.sources ?? [];
  if (sources.length === 0) rows.push([s.row_source, notStated()]);
  if (sources.length > 0) {
    rows.push([
      s.row_source,
      listOrPara(
        sources.map((src) => {
          const line = src.explanation
            ? ctx.fill(s.source_kind_with_explanation, { kind: ctx.label('source_kind', src.kind), explanation: ctx.loc(src.explanation) })
            : [text(ctx.label('source_kind', src.kind))];
          // Art. 14(1)(d): the categories that come from this source, where the register says.
          if (!src.categories || src.categories.length === 0) return line;
          return [...endSentence(line), text(' '), ...ctx.fill(s.source_categories, { categories: ctx.join(src.categories.map((code) => categoryLabel(ctx, a, code))) })];
        }),
      ),
    ]);
  }
  const role = roleBlocks(ctx, a);
  if (role.length > 0) rows.push([s.row_role, role]);
  if (a.operations && a.operations.length > 0) {
    const labels = a.operations.map((op, i) => (i === 0 ? ctx.label('operation', op) : lowerFirst(ctx.label('operation', op))));
    rows.push([s.row_operations, [para(text(labels.join(s.list_separator)))]]);
  }
  // Art. 13(1)(c): the purposes and the legal basis of each.
  // A processor's legal basis is its controller's to state (Art. 28): not given here.
  const bases = own ? (a.legal_bases ?? []) : [];
  if (!a.purposes || a.purposes.length === 0) rows.push([s.row_purposes, notStated()]);
  if (a.purposes && a.purposes.length > 0) {
    const only = bases.length === 1 ? bases[0]!.basis : undefined;
    rows.push([
      s.row_purposes,
      listOrPara(
        a.purposes.map((p) => {
          const basis: LegalBasisCode | undefined = own ? (p.legal_basis ?? only) : undefined;
          return basis
            ? ctx.fill(s.purpose_with_basis, { purpose: ctx.loc(p.description), basis: lowerFirst(ctx.labelWithArticle('legal_basis', basis)) })
            : ctx.loc(p.description);
        }),
      ),
    ]);
  }
  if (bases.length > 0) rows.push([s.row_legal_bases, listOrPara(bases.map((b) => basisLine(ctx, b)))]);
  else if (own) rows.push([s.row_legal_bases, notStated()]);
  // Art. 9(2): the condition that allows special categories of data.
  if (a.special_category_conditions && a.special_category_conditions.length > 0) {
    rows.push([
      s.row_special_conditions,
      listOrPara(
        a.special_category_conditions.map((c) => {
          const line: Inline[] = [text(ctx.labelWithArticle('special_category_condition', c.condition))];
          if (c.explanation) line.push(text(ctx.s.colon), ...ctx.loc(c.explanation));
          return line;
        }),
      ),
    ]);
  }
  // Art. 14(1)(d): the categories of personal data.
  if (a.data_categories && a.data_categories.length > 0) {
    rows.push([s.row_data_categories, listOrPara(a.data_categories.map((dc) => dataCategoryLine(ctx, dc)))]);
  } else rows.push([s.row_data_categories, notStated()]);
  if (a.data_subjects && a.data_subjects.length > 0) {
    rows.push([s.row_data_subjects, listOrPara(a.data_subjects.map((d) => ctx.loc(d.label)))]);
  }
  // Art. 13(1)(e): the recipients or categories of recipients.
  const recipients = recipientGroups(ctx, a.recipients ?? []);
  if (recipients.length > 0) rows.push([s.row_recipients, listOrPara(recipients)]);
  // Art. 13(2)(a): the retention period, or the criteria used to determine it.
  if (a.retention && a.retention.length > 0) {
    rows.push([s.row_retention, listOrPara(a.retention.map((r) => retentionLine(ctx, a, r)))]);
  } else if (own) {
    rows.push([s.row_retention, ctx.register.organisation.statements?.retention ? [para(text(s.retention_not_stated_general))] : notStated()]);
  }

  const table: Block = {
    t: 'table',
    caption: ctx.fill(s.table_caption, { activity: ctx.loc(a.name) }),
    columns: [[text(s.col_item)], [text(s.col_details)]],
    rowHeaders: true,
    rows: rows.map(([header, cell]) => [[para(text(header))], cell]),
  };
  return { id, level: 3, title: ctx.loc(a.name), blocks: [...ctx.paragraphs(a.description), table], sections: [] };
}

function roleBlocks(ctx: NoticeContext, a: Activity): Block[] {
  if (a.role === 'processor') {
    const controllers = a.controllers ?? [];
    if (controllers.length === 0) return [para(text(ctx.s.role_processor_unnamed)), para(text(ctx.s.processor_requests))];
    const blocks: Block[] = [para(...ctx.fill(controllers.length === 1 ? ctx.s.role_processor : ctx.s.role_processor_many, { controllers: partyNames(ctx, controllers) }))];
    const contacts = controllers.flatMap((c) => {
      const items = contactItems(ctx, c.contact);
      return items.length > 0 ? [[text(`${c.name}${ctx.s.colon}`), ...lowerFirstInline(ctx.joinClauses(items))]] : [];
    });
    if (contacts.length > 0) blocks.push({ t: 'ul', items: contacts });
    blocks.push(para(text(ctx.s.processor_requests)));
    return blocks;
  }
  if (a.role === 'joint_controller') {
    const parties = a.joint_controllers ?? [];
    if (parties.length === 0) return [para(text(ctx.s.role_joint_unnamed))];
    const blocks: Block[] = [para(...ctx.fill(ctx.s.role_joint, { parties: partyNames(ctx, parties) }))];
    for (const p of parties) if (p.arrangement) blocks.push(para(...ctx.fill(ctx.s.arrangement, { text: ctx.loc(p.arrangement) })));
    return blocks;
  }
  return [];
}

function basisLine(ctx: NoticeContext, b: LegalBasis): Inline[] {
  const line: Inline[] = [{ t: 'strong', children: [text(ctx.labelWithArticle('legal_basis', b.basis))] }];
  // Art. 13(1)(d): the legitimate interest pursued; Art. 13(2)(c), 7(3): withdrawing consent.
  if (b.interest) line.push(text('. '), ...ctx.fill(ctx.s.basis_interest, { text: ctx.loc(b.interest) }));
  if (b.withdrawal_method) line.push(text('. '), ...ctx.fill(ctx.s.basis_withdrawal, { text: ctx.loc(b.withdrawal_method) }));
  if (b.law) line.push(text('. '), ...ctx.fill(ctx.s.basis_law, { text: ctx.loc(b.law) }));
  return line;
}

function dataCategoryLine(ctx: NoticeContext, dc: DataCategory): Inline[] {
  const line: Inline[] = dc.label ? ctx.loc(dc.label) : categoryName(ctx, dc.category);
  const special = dc.special_category ?? specialCategoryOf(dc.category);
  const marks: Inline[][] = [];
  if (special) {
    const label = ctx.labelWithArticle('special_category', special);
    marks.push(ctx.fill(dc.incidental ? ctx.s.special_category_incidental : ctx.s.special_category_mark, { category: lowerFirst(label) }));
  }
  if (dc.criminal) marks.push([text(ctx.s.criminal_mark)]);
  if (marks.length > 0) line.push(text(' ('), ...ctx.join(marks, ctx.s.semicolon), text(')'));
  return line;
}

/** A category of an activity by its code: the activity's label for it, else the fideslang name. */
function categoryLabel(ctx: NoticeContext, a: Activity, code: string): Inline[] {
  const dc = (a.data_categories ?? []).find((c) => c.category === code);
  return dc?.label ? ctx.loc(dc.label) : categoryName(ctx, code);
}

/** A data category without a label: the fideslang name (English), else its code. */
function categoryName(ctx: NoticeContext, code: string): Inline[] {
  const name = taxonomyName('data_category', code);
  if (name === undefined) return [text(code)];
  if (ctx.lang === 'en') return [text(name)];
  ctx.usedOtherLanguage = true;
  return [text(name, 'en')];
}

/** Recipients of one activity, grouped by kind in the order of the format. */
function recipientGroups(ctx: NoticeContext, ids: readonly string[]): Inline[][] {
  const byKind = new Map<Recipient['kind'], Inline[][]>();
  for (const id of ids) {
    const r = ctx.recipients.get(id);
    if (!r) continue; // an undefined reference: lint reports it (ref/undefined-recipient)
    const list = byKind.get(r.kind) ?? [];
    list.push(ctx.recipientName(r));
    byKind.set(r.kind, list);
  }
  return RECIPIENT_KINDS.filter((k) => byKind.has(k)).map((k) =>
    ctx.fill(ctx.s.recipients_group, { kind: ctx.label('recipient_kind', k), names: ctx.join(byKind.get(k)!) }),
  );
}

function retentionLine(ctx: NoticeContext, a: Activity, r: Retention): Inline[] {
  const s = ctx.s;
  const parts: Inline[][] = [];
  if (r.duration) {
    parts.push(
      r.starts_from
        ? ctx.fill(s.retention_duration_from, { duration: ctx.duration(r.duration), event: ctx.loc(r.starts_from) })
        : ctx.fill(s.retention_duration, { duration: ctx.duration(r.duration) }),
    );
  }
  if (r.criteria) parts.push(ctx.fill(s.retention_criteria, { text: ctx.loc(r.criteria) }));
  if (r.end_action === 'archive' && r.archive) {
    parts.push(ctx.fill(s.retention_archive, { duration: ctx.duration(r.archive.duration), statute: ctx.loc(r.archive.statute) }));
  } else if (r.end_action) {
    parts.push([text({ delete: s.retention_end_delete, anonymise: s.retention_end_anonymise, archive: s.retention_end_archive }[r.end_action])]);
  }
  const rule = ctx.joinClauses(parts);
  if (!r.categories || r.categories.length === 0) return rule;
  const categories = r.categories.map((code) => categoryLabel(ctx, a, code));
  return ctx.fill(s.retention_for_categories, { categories: ctx.join(categories), rule });
}

function recipientsSection(ctx: NoticeContext, org: Organisation, register: Register): Section {
  const used = new Set<string>();
  for (const a of register.activities) for (const id of a.recipients ?? []) if (ctx.recipients.has(id)) used.add(id);
  // Art. 28(2),(4): sub-processors of a recipient also receive the data.
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of register.recipients) {
      if (!used.has(r.id) && r.sub_processor_of && used.has(r.sub_processor_of)) {
        used.add(r.id);
        grew = true;
      }
    }
  }
  const blocks: Block[] = [];
  const subsectionsItems: Block[] = [];
  const kindTitle: Record<Recipient['kind'], string> = {
    internal: ctx.s.recipient_kind_internal,
    processor: ctx.s.recipient_kind_processor,
    third_party: ctx.s.recipient_kind_third_party,
    public_authority: ctx.s.recipient_kind_public_authority,
    joint_controller: ctx.s.recipient_kind_joint_controller,
  };
  for (const kind of RECIPIENT_KINDS) {
    const list = register.recipients.filter((r) => r.kind === kind && used.has(r.id));
    if (list.length === 0) continue;
    const items = list.map((r) => recipientLine(ctx, r));
    subsectionsItems.push({ t: 'dl', items: [{ term: [text(kindTitle[kind])], details: [{ t: 'ul', items }] }] });
  }
  // The organisation's own statement first: it introduces the list ("as listed below").
  blocks.push(...ctx.paragraphs(org.statements?.authorities));
  if (subsectionsItems.length > 0) blocks.push(para(text(ctx.s.recipients_intro)), ...mergeDl(subsectionsItems));
  else if (!org.statements?.authorities) blocks.push(para(text(ctx.s.recipients_none)));
  return section('recipients', ctx.s.h_recipients, blocks);
}

function mergeDl(blocks: Block[]): Block[] {
  const items = blocks.flatMap((b) => (b.t === 'dl' ? b.items : []));
  return items.length > 0 ? [{ t: 'dl', items }] : [];
}

function recipientLine(ctx: NoticeContext, r: Recipient): Inline[] {
  let line: Inline[] = ctx.recipientName(r);
  if (r.sub_processor_of) {
    const parent = ctx.recipients.get(r.sub_processor_of);
    if (parent) line = ctx.fill(ctx.s.sub_processor_of, { name: line, processor: ctx.recipientName(parent) });
  }
  if (r.country) line = ctx.fill(ctx.s.recipient_in_country, { name: line, country: ctx.country(r.country) });
  if (r.description) line.push(text(' — '), ...ctx.loc(r.description));
  return line;
}

function retentionSection(ctx: NoticeContext, org: Organisation, activities: readonly Activity[]): Section {
  const blocks: Block[] = [para(text(ctx.s.retention_intro)), ...ctx.paragraphs(org.statements?.retention)];
  const items = activities
    .filter((a) => (a.retention?.length ?? 0) > 0)
    .map((a) =>
      ctx.fill(ctx.s.activity_item, { activity: ctx.activityLink(a), text: ctx.joinClauses((a.retention ?? []).map((r) => retentionLine(ctx, a, r))) }),
    );
  if (items.length > 0) blocks.push({ t: 'ul', items });
  else if (!org.statements?.retention) blocks.push(para(text(ctx.s.retention_none)));
  return section('retention', ctx.s.h_retention, blocks);
}

/** The activities a right is limited to, by legal basis (Art. 20(1), 21(1), 7(3)). */
function activitiesWithBasis(activities: readonly Activity[], codes: readonly LegalBasisCode[]): Activity[] {
  // Where we are a processor, the controller answers for these rights (Art. 28(3)(e)).
  return activities.filter((a) => isOwnProcessing(a) && (a.legal_bases ?? []).some((b) => codes.includes(b.basis)));
}

function rightsSection(ctx: NoticeContext, org: Organisation, activities: readonly Activity[]): Section {
  const limitedTo: Partial<Record<string, Activity[]>> = {
    portability: activitiesWithBasis(activities, ['consent', 'contract']),
    objection: activitiesWithBasis(activities, ['legitimate_interests', 'public_task']),
    withdraw_consent: activitiesWithBasis(activities, ['consent']),
  };
  const items = terms('right').map((r) => {
    const details: Block[] = [];
    if (r.description) details.push(para(text(r.description[ctx.lang])));
    const concerned = limitedTo[r.code];
    if (concerned && concerned.length > 0) {
      details.push(para(...ctx.fill(concerned.length === 1 ? ctx.s.right_applies_to : ctx.s.right_applies_to_many, { activities: ctx.join(concerned.map((a) => ctx.activityLink(a))) })));
    }
    const label = r.article ? `${r.label[ctx.lang]} (${ctx.article(r.article)})` : r.label[ctx.lang];
    return { term: [text(label)], details };
  });
  return section('rights', ctx.s.h_rights, [para(text(ctx.s.rights_intro)), { t: 'dl', items }], [exerciseSection(ctx, org)]);
}

/** Art. 12(2)-(6): how to exercise the rights, at no cost, with identity checks only on reasonable doubt. */
function exerciseSection(ctx: NoticeContext, org: Organisation): Section {
  const blocks: Block[] = [];
  const channels = org.rights_channels ?? [];
  if (channels.length > 0) {
    const items = channels.map((c) => {
      const kind = ctx.label('rights_channel_kind', c.kind);
      const value: Inline[] = [];
      if (c.kind === 'email' && c.value) value.push({ t: 'link', href: `mailto:${c.value}`, text: c.value });
      else if (c.kind === 'web' && c.value) value.push({ t: 'link', href: c.value, text: c.value });
      else if (c.kind === 'phone' && c.value) value.push(phoneLink(c.value));
      else if (c.value) value.push(text(c.value));
      if (c.address) value.push(text(value.length > 0 ? `, ${ctx.address(c.address)}` : ctx.address(c.address)));
      const line: Inline[] = [text(`${kind}${ctx.s.colon}`), ...value];
      if (c.label) line.push(text(' ('), ...ctx.loc(c.label), text(')'));
      return line;
    });
    blocks.push(para(text(ctx.s.exercise_intro)), { t: 'ul', items });
  } else if (org.dpo && (org.dpo.email || org.dpo.address || org.dpo.url || org.dpo.phone)) {
    blocks.push(para(text(org.dpo.addressed_as === 'feminine' ? ctx.s.exercise_dpo_feminine : ctx.s.exercise_dpo)));
  } else {
    blocks.push(para(text(ctx.s.exercise_none)));
  }
  // The organisation's own conditions come first; the Art. 12 guarantees are always stated.
  blocks.push(...ctx.paragraphs(org.statements?.rights));
  blocks.push(para(text(ctx.s.exercise_free)), para(text(ctx.s.exercise_identity)), para(text(ctx.s.exercise_delay)));
  return section('exercise-your-rights', ctx.s.h_exercise, blocks, [], 3);
}

function provisionSection(ctx: NoticeContext, org: Organisation, activities: readonly Activity[]): Section {
  const blocks: Block[] = [...ctx.paragraphs(org.statements?.provision)];
  const items = activities
    .filter((a) => a.provision)
    .map((a) => {
      const p = a.provision!;
      const requirement = lowerFirst(ctx.label('provision_requirement', p.requirement));
      const detail = p.consequences
        ? ctx.fill(ctx.s.provision_item_consequences, { requirement, consequences: ctx.loc(p.consequences) })
        : ctx.fill(ctx.s.provision_item, { requirement });
      return ctx.fill(ctx.s.activity_item, { activity: ctx.activityLink(a), text: detail });
    });
  if (items.length > 0) blocks.push(para(text(ctx.s.provision_intro)), { t: 'ul', items });
  if (blocks.length === 0) blocks.push(para(text(ctx.s.provision_none)));
  return section('provision', ctx.s.h_provision, blocks);
}

/** Art. 13(2)(f), 14(2)(g): automated decisions, with meaningful information about the logic. */
function automatedSection(ctx: NoticeContext, activities: readonly Activity[]): Section {
  const items: { term: Inline[]; details: Block[] }[] = [];
  for (const a of activities) {
    for (const d of a.automated_decisions ?? []) {
      const details: Block[] = [];
      if (d.legal_or_similar_effect) {
        details.push(para(text(ctx.s.automated_legal_effect)));
        // Art. 22(2): what allows it; 22(3): under a contract or consent, the person's safeguards.
        if (d.exception !== undefined) {
          const exception = ctx.fill(ctx.s.automated_exception, { exception: lowerFirst(ctx.labelWithArticle('automated_decision_exception', d.exception)) });
          if (d.exception === 'law' && d.law) exception.push(text(' '), ...endSentence(ctx.fill(ctx.s.basis_law, { text: ctx.loc(d.law) })));
          details.push(para(...exception));
          if (d.exception !== 'law') details.push(para(text(ctx.s.automated_art22_3)));
        }
      }
      if (d.profiling) details.push(para(text(ctx.s.automated_profiling)));
      if (d.logic) details.push(para(...ctx.fill(ctx.s.automated_logic, { text: ctx.loc(d.logic) })));
      if (d.consequences) details.push(para(...ctx.fill(ctx.s.automated_consequences, { text: ctx.loc(d.consequences) })));
      if (d.safeguards) details.push(para(...ctx.fill(ctx.s.automated_safeguards, { text: ctx.loc(d.safeguards) })));
      items.push({ term: ctx.fill(ctx.s.activity_item, { activity: ctx.activityLink(a), text: ctx.loc(d.description) }), details });
    }
  }
  // Only what the register states: "none" where every activity declares none, the activities it
  // is silent on named as such (Art. 13(2)(f): never a negative the register does not give).
  const own = activities.filter(isOwnProcessing);
  const unstated = own.filter((a) => a.automated_decisions === undefined);
  const declaredNone = own.filter((a) => a.automated_decisions !== undefined && a.automated_decisions.length === 0);
  const blocks: Block[] = [];
  if (items.length > 0) {
    blocks.push({ t: 'dl', items });
    if (declaredNone.length > 0 && unstated.length === 0) blocks.push(para(text(ctx.s.automated_none_others)));
  } else if (declaredNone.length > 0 && unstated.length === 0) blocks.push(para(text(ctx.s.automated_none)));
  if (unstated.length > 0 && unstated.length === own.length) blocks.push(para(text(ctx.s.automated_not_stated_all)));
  else if (unstated.length > 0) blocks.push(para(...ctx.fill(ctx.s.automated_not_stated, { activities: ctx.join(unstated.map((a) => ctx.activityLink(a))) })));
  return section('automated-decisions', ctx.s.h_automated, blocks);
}

function securitySection(ctx: NoticeContext, org: Organisation, activities: readonly Activity[]): Section {
  const blocks: Block[] = [...ctx.paragraphs(org.statements?.security)];
  // The same measure is usually recorded on many activities: say it once.
  const byKind = new Map<string, { seen: Set<string>; descriptions: Inline[][] }>();
  for (const a of activities) {
    for (const m of a.security_measures ?? []) {
      const entry = byKind.get(m.kind) ?? { seen: new Set<string>(), descriptions: [] };
      byKind.set(m.kind, entry);
      if (!m.description) continue;
      const d = ctx.loc(m.description);
      const key = d.map((i) => (i.t === 'text' ? i.text : '')).join('');
      if (entry.seen.has(key)) continue;
      entry.seen.add(key);
      entry.descriptions.push(d);
    }
  }
  const items = SECURITY_MEASURE_KINDS.filter((k) => byKind.has(k)).map((k) => {
    const { descriptions } = byKind.get(k)!;
    const label = ctx.label('security_measure_kind', k);
    return descriptions.length > 0 ? [text(`${label}${ctx.s.colon}`), ...ctx.joinClauses(descriptions)] : [text(label)];
  });
  if (items.length > 0) blocks.push(para(text(ctx.s.security_measures_intro)), { t: 'ul', items });
  if (blocks.length === 0) blocks.push(para(text(ctx.s.security_none)));
  return section('security', ctx.s.h_security, blocks);
}

function cookiesSection(ctx: NoticeContext, url: string): Section {
  return section('cookies', ctx.s.h_cookies, [para(...ctx.fill(ctx.s.cookies_text, { url: [{ t: 'link', href: url, text: url }] }))]);
}

/** Art. 13(1)(f): transfers to a third country, and the safeguards relied on. */
function transfersSection(ctx: NoticeContext, org: Organisation, activities: readonly Activity[]): Section {
  const s = ctx.s;
  const blocks: Block[] = [...ctx.paragraphs(org.statements?.transfers)];
  // The same transfer is often recorded on many activities: one row per transfer, naming them all.
  const byTransfer = new Map<string, { transfer: Transfer; activities: Activity[] }>();
  for (const a of activities) {
    for (const t of a.transfers ?? []) {
      const key = JSON.stringify([t.recipient, t.country, t.international_organisation, t.mechanism, t.scc_module, t.derogation, t.safeguards, t.documentation_url]);
      const entry = byTransfer.get(key);
      if (entry) {
        if (!entry.activities.includes(a)) entry.activities.push(a);
      } else byTransfer.set(key, { transfer: t, activities: [a] });
    }
  }
  const rows = [...byTransfer.values()].map((e) => transferRow(ctx, e.activities, e.transfer));
  if (rows.length > 0) {
    blocks.push(para(text(s.transfers_intro)), {
      t: 'table',
      caption: [text(s.transfers_caption)],
      columns: [[text(s.col_activity)], [text(s.col_recipient)], [text(s.col_country)], [text(s.col_safeguard)]],
      rowHeaders: true,
      rows,
    });
  }
  // Art. 13(1)(f): "no transfer" only where every activity declares none; silence is shown as such.
  const unstated = activities.filter((a) => isOwnProcessing(a) && a.transfers === undefined);
  if (rows.length === 0 && unstated.length === 0 && !org.statements?.transfers) blocks.push(para(text(s.transfers_none)));
  if (unstated.length > 0 && unstated.length === activities.filter(isOwnProcessing).length) blocks.push(para(text(s.transfers_not_stated_all)));
  else if (unstated.length > 0) blocks.push(para(...ctx.fill(s.transfers_not_stated, { activities: ctx.join(unstated.map((a) => ctx.activityLink(a))) })));
  return section('transfers', s.h_transfers, blocks);
}

function transferRow(ctx: NoticeContext, concerned: readonly Activity[], t: Transfer): Block[][] {
  const s = ctx.s;
  const recipient = t.recipient ? ctx.recipients.get(t.recipient) : undefined;
  const where = t.country ? ctx.country(t.country) : t.international_organisation;
  const safeguard: Inline[][] = [];
  if (t.mechanism) {
    const line: Inline[] = [text(ctx.labelWithArticle('transfer_mechanism', t.mechanism))];
    if (t.mechanism === 'scc' && t.scc_module !== undefined) line.push(text(` — ${ctx.label('scc_module', String(t.scc_module))}`));
    if (t.mechanism === 'derogation' && t.derogation) line.push(text(` — ${ctx.labelWithArticle('derogation', t.derogation)}`));
    safeguard.push(line);
  }
  if (t.safeguards) safeguard.push(ctx.loc(t.safeguards));
  if (t.documentation_url) safeguard.push(ctx.fill(s.documentation, { url: [{ t: 'link', href: t.documentation_url, text: t.documentation_url }] }));
  return [
    [para(...ctx.join(concerned.map((a) => ctx.activityLink(a))))],
    [para(...(recipient ? ctx.recipientName(recipient) : [text(s.not_stated)]))],
    [para(text(where ?? s.not_stated))],
    safeguard.length > 0 ? listOrPara(safeguard) : [para(text(s.not_stated))],
  ];
}

/** Art. 13(2)(d), Art. 77: the right to lodge a complaint, and with whom. */
function complaintsSection(ctx: NoticeContext, org: Organisation): Section {
  const blocks: Block[] = [para(text(ctx.s.complaints_intro)), ...ctx.paragraphs(org.statements?.complaints)];
  const sa = org.supervisory_authority;
  if (sa) {
    blocks.push(para(...ctx.fill(ctx.s.complaints_authority, { name: [{ t: 'strong', children: [text(sa.name)] }] })));
    const items: Inline[][] = [];
    if (sa.address) items.push(ctx.fill(ctx.s.authority_address, { address: ctx.address(sa.address) }));
    if (sa.url) items.push(ctx.fill(ctx.s.authority_url, { url: [{ t: 'link', href: sa.url, text: sa.url }] }));
    if (items.length > 0) blocks.push({ t: 'ul', items });
  }
  return section('complaints', ctx.s.h_complaints, blocks);
}
