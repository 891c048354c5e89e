/**
 * The access package said in sentences, once, for every writer: the HTML document and the CSV
 * archive show the same words (as the privacy notice's HTML and Markdown do). Plain text only:
 * each writer escapes or neutralises it for its own format. Pure.
 */
import { NOTICE_STRINGS } from '../../notice/build-notice.js';
import type { Language } from '../../register/schema.js';
import type { AccessPackage, ActivityInfo, Country, Labelled, PackageTable } from './access-package.js';
import { formatValue } from './format-value.js';
import { fill, PACKAGE_STRINGS, type PackageStrings } from './i18n.js';

export interface Item {
  label: string;
  lines: string[];
}

export const stringsOf = (lang: Language): PackageStrings => PACKAGE_STRINGS[lang];

/** "Consent (Art. 6(1)(a) GDPR)" / "Consentement (art. 6.1.a du RGPD)", as the notice writes it. */
export function withArticle(l: Labelled, lang: Language): string {
  if (!l.article) return l.label;
  const n = NOTICE_STRINGS[lang];
  const m = /^Art\. (\d+(?:\(\w+\))*)$/.exec(l.article);
  if (!m) return `${l.label} (${l.article})`;
  const number = n.article_style === 'dots' ? m[1]!.replace(/\((\w+)\)/g, '.$1') : m[1]!;
  return `${l.label} (${n.article_gdpr.replace('{article}', number)})`;
}

export function countryText(c: Country, lang: Language): string {
  return c.outsideEea ? fill(PACKAGE_STRINGS[lang].country_outside_eea, { country: c.name }) : c.name;
}

/** The title of the package: names the controller when known. */
export function titleOf(pkg: AccessPackage): string {
  const s = PACKAGE_STRINGS[pkg.lang];
  return pkg.controller ? fill(s.title_with_controller, { controller: pkg.controller.name }) : s.title;
}

export function identitiesText(pkg: AccessPackage): string {
  const sep = NOTICE_STRINGS[pkg.lang].list_separator;
  return fill(PACKAGE_STRINGS[pkg.lang].identities, { identities: pkg.identities.map((i) => `${i.type}${NOTICE_STRINGS[pkg.lang].colon}${i.value}`).join(sep) });
}

export function countsText(pkg: AccessPackage): string {
  const c = pkg.confirmation;
  return fill(PACKAGE_STRINGS[pkg.lang].confirmation_counts, { records: c.records, tables: c.tables, systems: c.systems, searched: c.tablesSearched });
}

/** The controller's identity and contact, one line each. */
export function controllerLines(pkg: AccessPackage): string[] {
  const c = pkg.controller;
  if (!c) return [];
  const n = NOTICE_STRINGS[pkg.lang];
  const lines = [c.address ? `${c.name}, ${c.address}` : c.name];
  if (c.email) lines.push(fill(n.contact_email, { value: c.email }));
  if (c.phone) lines.push(fill(n.contact_phone, { value: c.phone }));
  if (c.url) lines.push(fill(n.contact_web, { value: c.url }));
  if (c.dpo) lines.push(`${n.h_dpo}${n.colon}${c.dpo}`);
  return lines;
}

/** What the register says about one activity, item by item, leaving out what it does not say. */
export function activityItems(pkg: AccessPackage, a: ActivityInfo): Item[] {
  const lang = pkg.lang;
  const s = PACKAGE_STRINGS[lang];
  const n = NOTICE_STRINGS[lang];
  const items: Item[] = [];
  const add = (label: string, lines: string[]) => {
    if (lines.length > 0) items.push({ label, lines });
  };
  const systemNames = new Map(pkg.processing.systems.map((sys) => [sys.id, sys.name]));
  add(s.row_systems, a.systems.map((id) => systemNames.get(id) ?? id));
  if (a.role.code === 'processor') {
    add(s.row_role, [a.controllers.length > 0 ? fill(n.role_processor, { controllers: a.controllers.join(n.list_separator) }) : n.role_processor_unnamed]);
  } else if (a.role.code === 'joint_controller') {
    add(s.row_role, [a.controllers.length > 0 ? fill(n.role_joint, { parties: a.controllers.join(n.list_separator) }) : n.role_joint_unnamed]);
  }
  add(
    s.row_purposes,
    a.purposes.map((p) => (p.legalBasis ? fill(n.purpose_with_basis, { purpose: p.description, basis: withArticle(p.legalBasis, lang) }) : p.description)),
  );
  add(
    s.row_legal_bases,
    a.legalBases.map((b) => {
      const parts = [withArticle(b.basis, lang)];
      if (b.interest) parts.push(fill(n.basis_interest, { text: b.interest }));
      if (b.withdrawal) parts.push(fill(n.basis_withdrawal, { text: b.withdrawal }));
      if (b.law) parts.push(fill(n.basis_law, { text: b.law }));
      return parts.join('. ');
    }),
  );
  add(
    s.row_categories,
    a.dataCategories.map((c) => {
      const marks: string[] = [];
      if (c.specialCategory) marks.push(fill(n.special_category_mark, { category: withArticle(c.specialCategory, lang) }));
      if (c.criminal) marks.push(n.criminal_mark);
      return marks.length > 0 ? `${c.label} (${marks.join(n.semicolon)})` : c.label;
    }),
  );
  add(s.row_recipients, recipientLines(pkg, a));
  add(
    s.row_retention,
    a.retention.map((r) => (r.categories ? fill(s.retention_for_categories, { categories: r.categories.join(n.list_separator), rule: r.text }) : r.text)),
  );
  add(
    s.row_sources,
    a.sources.map((src) => {
      const line = src.explanation ? fill(n.source_kind_with_explanation, { kind: src.kind.label, explanation: src.explanation }) : src.kind.label;
      return src.notFromYou ? `${line} (${s.source_not_from_you})` : line;
    }),
  );
  add(s.row_transfers, a.transfers.map((t) => transferLine(pkg, t)));
  add(
    s.row_automated,
    a.automatedDecisions.flatMap((d) => [
      d.description,
      ...(d.legalOrSimilarEffect ? [n.automated_legal_effect] : []),
      ...(d.profiling ? [n.automated_profiling] : []),
      ...(d.logic ? [fill(n.automated_logic, { text: d.logic })] : []),
      ...(d.consequences ? [fill(n.automated_consequences, { text: d.consequences })] : []),
      ...(d.safeguards ? [fill(n.automated_safeguards, { text: d.safeguards })] : []),
    ]),
  );
  return items;
}

/** Recipients grouped by kind, each with its country, third countries said as such (Art. 15(1)(c)). */
function recipientLines(pkg: AccessPackage, a: ActivityInfo): string[] {
  const lang = pkg.lang;
  const n = NOTICE_STRINGS[lang];
  const byKind = new Map<string, { label: string; names: string[] }>();
  for (const r of a.recipients) {
    let name = r.subProcessorOf ? fill(n.sub_processor_of, { name: r.name, processor: r.subProcessorOf }) : r.name;
    if (r.country) name = fill(n.recipient_in_country, { name, country: countryText(r.country, lang) });
    const entry = byKind.get(r.kind.code) ?? { label: r.kind.label, names: [] };
    entry.names.push(name);
    byKind.set(r.kind.code, entry);
  }
  return [...byKind.values()].map((e) => fill(n.recipients_group, { kind: e.label, names: e.names.join(n.list_separator) }));
}

function transferLine(pkg: AccessPackage, t: ActivityInfo['transfers'][number]): string {
  const lang = pkg.lang;
  const s = PACKAGE_STRINGS[lang];
  const n = NOTICE_STRINGS[lang];
  const place = t.country ? t.country.name : t.internationalOrganisation;
  const head = t.recipient ? fill(s.transfer_to, { recipient: place ? `${t.recipient} (${place})` : t.recipient }) : (place ?? '');
  const details: string[] = [];
  if (t.mechanism) details.push(t.detail ? `${withArticle(t.mechanism, lang)} — ${t.detail}` : withArticle(t.mechanism, lang));
  if (t.safeguards) details.push(t.safeguards);
  if (t.documentationUrl) details.push(fill(n.documentation, { url: t.documentationUrl }));
  if (details.length === 0) return head || n.not_stated;
  return head ? `${head}${n.colon}${details.join(n.semicolon)}` : details.join(n.semicolon);
}

/** One line per right: "Right to erasure (Art. 17 GDPR): You can ask us to erase...". */
export function rightLines(pkg: AccessPackage): { label: string; description?: string }[] {
  return pkg.processing.rights.map((r) => {
    const label = r.article ? withArticle({ code: r.code, label: r.label, article: r.article }, pkg.lang) : r.label;
    return r.description ? { label, description: r.description } : { label };
  });
}

/** How to exercise the rights: the organisation's channels, one line each. */
export function channelLines(pkg: AccessPackage): string[] {
  const n = NOTICE_STRINGS[pkg.lang];
  return pkg.processing.exercise.channels.map((c) => {
    const line = c.value ? `${c.kind.label}${n.colon}${c.value}` : c.kind.label;
    return c.label ? `${line} (${c.label})` : line;
  });
}

export function authorityLines(pkg: AccessPackage): string[] {
  const a = pkg.processing.complaint.authority;
  if (!a) return [];
  const n = NOTICE_STRINGS[pkg.lang];
  const lines = [fill(n.complaints_authority, { name: a.name })];
  if (a.address) lines.push(fill(n.authority_address, { address: a.address }));
  if (a.url) lines.push(fill(n.authority_url, { url: a.url }));
  return lines;
}

/** Art. 15(1)(d) for one table of the copy: until when each rule keeps the person's records, from their own dates. */
export function tableRetentionLines(pkg: AccessPackage, table: PackageTable): string[] {
  const s = PACKAGE_STRINGS[pkg.lang];
  return (table.retention ?? []).map((r) => {
    const parts = [fill(s.retention_worked_out, { activity: r.activity, rule: r.rule, field: r.startField, until: formatValue(r.until, { type: 'date' }, pkg.lang) })];
    if (r.past > 0) parts.push(fill(s.retention_past, { past: r.past }));
    if (r.undated) parts.push(fill(s.retention_undated, { undated: r.undated }));
    return parts.join(' ');
  });
}
