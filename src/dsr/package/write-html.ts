/**
 * The access package as one self-contained HTML document a person can read and print: the three
 * parts in order (confirmation, copy of the data, processing information), in English or French.
 *
 * It is built as a document tree of the privacy notice (src/notice/notice-document.ts) and written
 * by the notice's HTML writer, so it has the same accessible structure and the same single place of
 * escaping: `lang` on the page, a skip link, one h1 and no skipped heading level, every table with a
 * caption and scoped headers, inline print-friendly CSS, no script and no external resource.
 * Control characters in the person's data (a NUL byte, an escape) are shown as visible symbols
 * rather than left for the browser to drop or replace.
 */
import { NOTICE_STRINGS } from '../../notice/build-notice.js';
import { para, text, type Block, type Inline, type NoticeDocument, type Section } from '../../notice/notice-document.js';
import { writeHtml } from '../../notice/write-html.js';
import type { AccessPackage, PackageField, PackageSystem, PackageTable } from './access-package.js';
import {
  activityItems,
  authorityLines,
  channelLines,
  controllerLines,
  countryText,
  countsText,
  identitiesText,
  rightLines,
  tableRetentionLines,
  titleOf,
} from './describe.js';
import { formatValue } from './format-value.js';
import { fill, formatInstant, PACKAGE_STRINGS } from './i18n.js';
import { cellKey, type CellValue } from './values.js';

/** Wide tables of data must wrap rather than run off the page; a column head breaks between words; the record number column stays narrow. */
const EXTRA_STYLE = `
td { overflow-wrap: anywhere; min-width: 7ch; }
th { overflow-wrap: break-word; hyphens: auto; }
section:has(> h2#data) tbody th, section:has(> h2#appendix) tbody th { width: 3rem; }
@media print { table { font-size: 9pt; } thead { display: table-header-group; } }
`.trim();

/**
 * C0 controls (except tab and line breaks) and DEL as their Unicode "control pictures" (U+2400-U+2421):
 * HTML forbids them in text, and a person should see that their data holds one.
 */
export function visibleControls(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => String.fromCharCode(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)));
}

const t = (s: string): Inline => text(visibleControls(s));
const p = (s: string): Block => para(t(s));
const ul = (lines: readonly string[]): Block => ({ t: 'ul', items: lines.map((l) => [t(l)]) });
const linesBlocks = (lines: readonly string[]): Block[] => (lines.length === 1 ? [p(lines[0]!)] : [ul(lines)]);

/** A register text that may hold several paragraphs (separated by blank lines). */
const paragraphs = (s: string | undefined): Block[] =>
  (s ?? '')
    .split(/\n[ \t]*\n/)
    .map((x) => x.trim())
    .filter((x) => x.length > 0)
    .map(p);

export function writeAccessPackageHtml(pkg: AccessPackage): string {
  const html = writeHtml(accessPackageDocument(pkg));
  return html.replace('</head>', `<style>\n${EXTRA_STYLE}\n</style>\n</head>`);
}

/** The document tree, for the HTML writer (and any other format that wants the same words). */
export function accessPackageDocument(pkg: AccessPackage): NoticeDocument {
  const s = PACKAGE_STRINGS[pkg.lang];
  const n = NOTICE_STRINGS[pkg.lang];
  const preamble: Block[] = [p(fill(s.request, { id: pkg.requestId, date: formatInstant(pkg.collectedAt, pkg.lang) }))];
  const controller = controllerLines(pkg);
  if (controller.length > 0) preamble.push(ul(controller));
  if (pkg.identities.length > 0) preamble.push(p(identitiesText(pkg)));
  if (pkg.partlyInOtherLanguage) preamble.push(p(s.partly_other_language));

  const sections: Section[] = [
    {
      id: 'confirmation',
      level: 2,
      title: [t(s.h_confirmation)],
      blocks: [para({ t: 'strong', children: [t(pkg.confirmation.statement)] }), p(countsText(pkg))],
      sections: [],
    },
  ];
  if (pkg.warnings.length > 0) {
    sections.push({ id: 'warnings', level: 2, title: [t(s.h_warnings)], blocks: [p(s.warnings_intro), ul(pkg.warnings)], sections: [] });
  }
  sections.push(dataSection(pkg), processingSection(pkg));
  if (pkg.data.some((sys) => sys.tables.some((table) => table.rows.length > 0))) sections.push(appendixSection(pkg));

  return {
    lang: pkg.lang,
    title: visibleControls(titleOf(pkg)),
    preamble,
    sections,
    skipLink: n.skip_link,
    tocTitle: n.toc,
    footer: [p(fill(s.footer, { id: pkg.requestId }))],
  };
}

function dataSection(pkg: AccessPackage): Section {
  const s = PACKAGE_STRINGS[pkg.lang];
  return {
    id: 'data',
    level: 2,
    title: [t(s.h_data)],
    blocks: [p(pkg.data.length > 0 ? s.data_intro : s.data_none)],
    sections: pkg.data.map((sys, i) => systemSection(pkg, sys, i)),
  };
}

function systemSection(pkg: AccessPackage, sys: PackageSystem, index: number): Section {
  const s = PACKAGE_STRINGS[pkg.lang];
  const blocks: Block[] = [];
  if (sys.description) blocks.push(...paragraphs(sys.description));
  if (sys.kind === 'dataset') blocks.push(p(fill(s.system_is_dataset, { dataset: sys.id })));
  for (const table of sys.tables) blocks.push(...tableBlocks(pkg, table));
  return { id: `system-${index + 1}`, level: 3, title: [t(sys.name)], blocks, sections: [] };
}

/**
 * One table of the copy as a person reads it (Art. 12(1)): each column named after what it holds,
 * values in the person's locale, the descriptive fields of the catalogue rows a record points at
 * beside it (the product's name on an order line). Keys and references, and the names of tables
 * and columns in the systems, are in the appendix, where the record number finds them again.
 */
function tableBlocks(pkg: AccessPackage, table: PackageTable): Block[] {
  const s = PACKAGE_STRINGS[pkg.lang];
  const blocks: Block[] = [];
  const shown = table.fields.filter((f) => f.technical === undefined);
  const beside = (table.context ?? []).flatMap((x) => x.fields.map((f) => ({ x, f })));
  if (table.rows.length > 0) {
    blocks.push({
      t: 'table',
      caption: [t(tableTitle(pkg, table))],
      columns: [[t(s.col_record)], ...shown.map((f) => [t(f.label)]), ...beside.map(({ x, f }) => [t(contextHeader(pkg, x, f))])],
      rowHeaders: true,
      rows: table.rows.map((row, i) => [
        [p(String(i + 1))],
        ...shown.map((f) => [p(formatValue(cell(row, f.name), f.format, pkg.lang))]),
        ...beside.map(({ x, f }) => {
          const target = x.rows[cellKey(cell(row, x.field))];
          return [p(target === undefined ? s.none : formatValue(cell(target, f.name), f.format, pkg.lang))];
        }),
      ]),
    });
  } else {
    blocks.push(p(fill(s.table_only_withheld, { table: tableTitle(pkg, table) })));
  }
  const kept = tableRetentionLines(pkg, table);
  if (kept.length > 0) blocks.push(p(s.retention_heading), ul(kept));
  const notes: string[] = [];
  const uncategorised = shown.filter((f) => f.categories.length === 0).map((f) => f.label);
  if (uncategorised.length > 0) notes.push(fill(s.note_uncategorised, { fields: uncategorised.join(NOTICE_STRINGS[pkg.lang].list_separator) }));
  for (const e of table.excluded ?? []) notes.push(fill(s.note_excluded, { field: e.field, reason: e.reason }));
  if (notes.length > 0) blocks.push(ul(notes));
  for (const w of table.withheld ?? []) {
    const fields = w.fields.filter((f) => f.technical === undefined);
    const intro = fill(w.reason === 'shared' ? s.withheld_shared : s.withheld_other_person, { count: w.rows.length });
    if (fields.length === 0) {
      blocks.push(p(intro));
      continue;
    }
    blocks.push(p(intro), {
      t: 'table',
      caption: [t(fill(s.withheld_caption, { table: tableTitle(pkg, table) }))],
      columns: fields.map((f) => [t(f.label)]),
      rowHeaders: false,
      rows: w.rows.map((row) => fields.map((f) => [p(formatValue(cell(row, f.name), f.format, pkg.lang))])),
    });
  }
  return blocks;
}

const cell = (row: Readonly<Record<string, CellValue>>, field: string): CellValue => (Object.hasOwn(row, field) ? row[field]! : null);

/** The table's name for people: the dataset's label, else its name in the system. */
function tableTitle(pkg: AccessPackage, table: PackageTable): string {
  return table.label ?? fill(PACKAGE_STRINGS[pkg.lang].table_caption, { table: table.table, dataset: table.datasetName ?? table.dataset });
}

/** "Product: name" for a catalogue's field shown beside the record pointing at it; just the label when the catalogue has none. */
function contextHeader(pkg: AccessPackage, x: NonNullable<PackageTable['context']>[number], f: PackageField): string {
  return x.label ? `${x.label}${NOTICE_STRINGS[pkg.lang].colon}${lowerFirst(f.label)}` : f.label;
}

const lowerFirst = (s: string) => (s.length > 1 && s.charAt(1) === s.charAt(1).toLowerCase() ? s.charAt(0).toLocaleLowerCase() + s.slice(1) : s);

/**
 * The appendix: per table, its name in the system and, per record of the copy (by its number), the
 * keys and references that link records together. They are the person's data too (Art. 15(3)).
 */
function appendixSection(pkg: AccessPackage): Section {
  const s = PACKAGE_STRINGS[pkg.lang];
  const blocks: Block[] = [p(s.appendix_intro)];
  for (const sys of pkg.data) {
    for (const table of sys.tables) {
      if (table.rows.length === 0) continue;
      const technical = table.fields.filter((f) => f.technical !== undefined);
      const where = fill(s.appendix_table, { title: tableTitle(pkg, table), system: sys.name, dataset: table.datasetName ?? table.dataset, table: table.table });
      if (technical.length === 0) {
        blocks.push(p(fill(s.appendix_no_identifiers, { where })));
        continue;
      }
      blocks.push({
        t: 'table',
        caption: [t(where)],
        columns: [[t(s.col_record)], ...technical.map((f) => [t(fill(s.appendix_column, { label: f.label, field: f.name, kind: f.technical === 'key' ? s.kind_key : s.kind_reference }))])],
        rowHeaders: true,
        rows: table.rows.map((row, i) => [[p(String(i + 1))], ...technical.map((f) => [p(formatValue(cell(row, f.name), undefined, pkg.lang))])]),
      });
      const names = table.fields.filter((f) => f.technical === undefined).map((f) => (f.label === f.name ? f.name : `${f.label}${NOTICE_STRINGS[pkg.lang].colon}${f.name}`));
      if (names.length > 0) blocks.push(p(fill(s.appendix_columns, { columns: names.join(NOTICE_STRINGS[pkg.lang].list_separator) })));
    }
  }
  return { id: 'appendix', level: 2, title: [t(s.h_appendix)], blocks, sections: [] };
}

function processingSection(pkg: AccessPackage): Section {
  const s = PACKAGE_STRINGS[pkg.lang];
  const n = NOTICE_STRINGS[pkg.lang];
  const proc = pkg.processing;
  const blocks: Block[] = [];
  if (proc.statement) blocks.push(p(proc.statement));
  if (proc.systems.length > 0) {
    const activityNames = new Map(proc.activities.map((a) => [a.id, a.name]));
    blocks.push(p(s.processing_intro), {
      t: 'table',
      caption: [t(s.systems_caption)],
      columns: [[t(s.col_system)], [t(s.col_hosted)], [t(s.col_operated)], [t(s.col_activities)]],
      rowHeaders: true,
      rows: proc.systems.map((sys) => [
        [p(sys.name)],
        [p(sys.hostedIn ? countryText(sys.hostedIn, pkg.lang) : s.none)],
        [p(sys.operatedBy ?? s.none)],
        sys.activities.length > 0 ? linesBlocks(sys.activities.map((id) => activityNames.get(id) ?? id)) : [p(sys.note ?? s.none)],
      ]),
    });
  }
  if (proc.notSearched.length > 0) blocks.push(p(s.not_searched_intro), ul(proc.notSearched.map((sys) => sys.name)));
  const sections: Section[] = proc.activities.map((a) => ({
    id: `activity-${a.id}`,
    level: 3,
    title: [t(a.name)],
    blocks: [
      ...paragraphs(a.description),
      {
        t: 'table',
        caption: [t(fill(s.activity_caption, { activity: a.name }))],
        columns: [[t(s.col_item)], [t(s.col_details)]],
        rowHeaders: true,
        rows: activityItems(pkg, a).map((item) => [[p(item.label)], linesBlocks(item.lines)]),
      },
    ],
    sections: [],
  }));

  // Art. 15(1)(e): the rights; Art. 12(2): how to exercise them.
  const rights: Block[] = [
    p(s.rights_intro),
    { t: 'dl', items: rightLines(pkg).map((r) => ({ term: [t(r.label)], details: r.description ? [p(r.description)] : [] })) },
  ];
  const channels = channelLines(pkg);
  if (channels.length > 0) rights.push(p(n.exercise_intro), ul(channels));
  rights.push(...paragraphs(proc.exercise.conditions));
  sections.push({ id: 'rights', level: 3, title: [t(s.h_rights)], blocks: rights, sections: [] });

  // Art. 15(1)(f), Art. 77: the complaint to the supervisory authority.
  const complaint: Block[] = [p(proc.complaint.text), ...paragraphs(proc.complaint.statement)];
  const authority = authorityLines(pkg);
  if (authority.length > 0) complaint.push(ul(authority));
  sections.push({ id: 'complaint', level: 3, title: [t(s.h_complaint)], blocks: complaint, sections: [] });

  return { id: 'processing', level: 2, title: [t(s.h_processing)], blocks, sections };
}
