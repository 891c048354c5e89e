/**
 * The access package and the portability export as a zip of CSV files (ADR 0012), for a person who
 * wants their data in a spreadsheet:
 *   access:      README.txt, processing.csv (confirmation and processing information),
 *                then <system>/<table>.csv for each table holding records;
 *   portability: README.txt, <dataset>/<table>.csv for each exported table, left-out.csv.
 *
 * CSV as the register export writes it (ADR 0010): RFC 4180 with CRLF line ends and a header row,
 * UTF-8 with a byte order mark, and a text cell a spreadsheet would run as a formula (starting with
 * = + - @, a tab or a carriage return) prefixed with an apostrophe (CSV injection, OWASP). Numbers
 * are written as numbers, so a negative amount keeps its sign. The header row gives the field names;
 * README.txt says what each column holds.
 *
 * File names come from table and system names, which may hold anything: each path segment is
 * reduced to letters, digits, dot, dash and underscore, and made unique, so nothing can climb out of
 * the archive or overwrite another file. Entries carry the collection time as their date, so the
 * same package always gives the same bytes. Pure: a package in, the archive's bytes out.
 */
import { stringify } from 'csv-stringify/sync';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { PortabilityExport } from '../portability.js';
import type { AccessPackage } from './access-package.js';
import { NOTICE_STRINGS } from '../../notice/build-notice.js';
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
import { fill, formatInstant, PACKAGE_STRINGS } from './i18n.js';
import { cellCsvText, type CellValue } from './values.js';
import { neutraliseFormula } from '../../register/export/export-csv.js';

export function writeAccessPackageZip(pkg: AccessPackage): Uint8Array {
  const s = PACKAGE_STRINGS[pkg.lang];
  const names = new UniqueNames(['README.txt', 'processing.csv']);
  const files: [string, string][] = [];
  const listing: string[] = [s.readme_file_readme, s.readme_file_processing];
  for (const sys of pkg.data) {
    const dir = names.segment(sys.id, 'system');
    const inDir = new UniqueNames();
    for (const table of sys.tables) {
      const file = `${dir}/${inDir.segment(table.table, 'table')}.csv`;
      files.push([file, tableCsv(table.fields.map((f) => f.name), table.rows)]);
      listing.push(
        fill(s.readme_file_table, {
          file,
          table: table.table,
          system: sys.name,
          records: table.rows.length,
          columns: table.fields.map((f) => (f.label === f.name ? f.name : `${f.name} (${f.label})`)).join(', '),
        }),
      );
    }
  }

  const readme = [titleOf(pkg), '', fill(s.request, { id: pkg.requestId, date: formatInstant(pkg.collectedAt, pkg.lang) }), ...controllerLines(pkg), ''];
  readme.push(s.h_confirmation, pkg.confirmation.statement, countsText(pkg));
  if (pkg.identities.length > 0) readme.push(identitiesText(pkg));
  readme.push('');
  if (pkg.warnings.length > 0) readme.push(s.readme_warnings, ...pkg.warnings.map((w) => `- ${w}`), '');
  if (pkg.processing.statement) readme.push(s.h_processing, pkg.processing.statement, '');
  if (pkg.partlyInOtherLanguage) readme.push(s.partly_other_language, '');
  readme.push(s.readme_files, ...listing.map((l) => `- ${l}`), '', s.readme_format, s.readme_apostrophe, s.readme_values);

  return zip(pkg.collectedAt, [['README.txt', textFile(readme)], ['processing.csv', processingCsv(pkg)], ...files]);
}

export function writePortabilityZip(exp: PortabilityExport): Uint8Array {
  const s = PACKAGE_STRINGS[exp.lang];
  const names = new UniqueNames(['README.txt', 'left-out.csv']);
  const files: [string, string][] = [];
  const listing: string[] = [s.readme_file_readme];
  for (const d of exp.datasets) {
    const dir = names.segment(d.dataset, 'dataset');
    const inDir = new UniqueNames();
    for (const c of d.collections) {
      const file = `${dir}/${inDir.segment(c.collection, 'table')}.csv`;
      files.push([file, tableCsv(c.fields.map((f) => f.name), c.rows)]);
      listing.push(fill(s.port_readme_file_table, { file, table: c.collection, dataset: d.name ?? d.dataset, records: c.rows.length }));
    }
  }
  listing.push(s.port_readme_file_left_out);
  const leftOut = csv([
    [s.port_csv_dataset, s.port_csv_collection, s.port_csv_field, s.port_csv_reason, s.port_csv_explanation],
    ...exp.leftOut.map((l) => [l.dataset, l.collection, l.field ?? '', l.reason, l.explanation]),
  ]);
  const readme = [
    s.port_title,
    '',
    fill(s.request, { id: exp.requestId, date: formatInstant(exp.collectedAt, exp.lang) }),
    '',
    exp.statement,
    '',
    s.readme_files,
    ...listing.map((l) => `- ${l}`),
    '',
    s.readme_format,
    s.readme_apostrophe,
    s.readme_values,
  ];
  return zip(exp.collectedAt, [['README.txt', textFile(readme)], ...files, ['left-out.csv', leftOut]]);
}

/** A table's records under a header of field names, values in the fields' order. */
function tableCsv(fields: readonly string[], rows: readonly Record<string, CellValue>[]): string {
  return csv([fields as string[], ...rows.map((r) => fields.map((f) => cellCsvText(Object.hasOwn(r, f) ? r[f]! : null)))]);
}

/** The confirmation and part 3, one statement per row: part, system, activity, item, details. */
function processingCsv(pkg: AccessPackage): string {
  const s = PACKAGE_STRINGS[pkg.lang];
  const proc = pkg.processing;
  const rows: string[][] = [[s.csv_part, s.csv_system, s.csv_activity, s.csv_item, s.csv_details]];
  const c1 = s.part_confirmation;
  rows.push([c1, '', '', s.item_processed, pkg.confirmation.processed ? s.yes : s.no], [c1, '', '', s.item_statement, pkg.confirmation.statement]);
  const p3 = s.part_processing;
  if (proc.statement) rows.push([p3, '', '', s.item_statement, proc.statement]);
  for (const sys of proc.systems) {
    if (sys.hostedIn) rows.push([p3, sys.name, '', s.item_hosted, countryText(sys.hostedIn, pkg.lang)]);
    if (sys.operatedBy) rows.push([p3, sys.name, '', s.item_operated, sys.operatedBy]);
    if (sys.note) rows.push([p3, sys.name, '', s.item_note, sys.note]);
  }
  for (const sys of proc.notSearched) rows.push([p3, sys.name, '', s.item_not_searched, s.not_searched_intro]);
  for (const a of proc.activities) {
    for (const item of activityItems(pkg, a)) for (const line of item.lines) rows.push([p3, '', a.name, item.label, line]);
  }
  for (const sys of pkg.data) {
    for (const table of sys.tables) for (const line of tableRetentionLines(pkg, table)) rows.push([p3, sys.name, '', s.item_retention, `${table.label ?? table.table}${NOTICE_STRINGS[pkg.lang].colon}${line}`]);
  }
  const r = s.part_rights;
  for (const right of rightLines(pkg)) rows.push([r, '', '', right.label, right.description ?? '']);
  for (const line of channelLines(pkg)) rows.push([r, '', '', s.item_exercise, line]);
  if (proc.exercise.conditions) rows.push([r, '', '', s.item_exercise, proc.exercise.conditions]);
  rows.push([r, '', '', s.h_complaint, proc.complaint.text]);
  if (proc.complaint.statement) rows.push([r, '', '', s.h_complaint, proc.complaint.statement]);
  for (const line of authorityLines(pkg)) rows.push([r, '', '', s.item_authority, line]);
  return csv(rows);
}

function csv(rows: (string | number)[][]): string {
  return stringify(rows, {
    bom: true,
    record_delimiter: 'windows',
    // RFC 4180: a field holding a line break must be quoted, whatever the record delimiter.
    quoted_match: /[\r\n]/,
    cast: { string: neutraliseFormula },
  });
}

/** A text file for any editor: UTF-8 with a byte order mark, CRLF line ends. */
function textFile(lines: readonly string[]): string {
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Path segments safe in any file system and unique (case-insensitively) within their folder. */
class UniqueNames {
  private readonly taken: Set<string>;
  /** `reserved`: the names of the files beside the folders (README.txt...), never used for a folder. */
  constructor(reserved: readonly string[] = []) {
    this.taken = new Set(reserved.map((r) => r.toLowerCase()));
  }
  segment(name: string, fallback: string): string {
    const base =
      name
        .normalize('NFKD')
        .replace(/[^A-Za-z0-9._-]+/g, '_')
        .replace(/^[._-]+/, '')
        .slice(0, 80) || fallback;
    let candidate = base;
    for (let i = 2; this.taken.has(candidate.toLowerCase()); i++) candidate = `${base}-${i}`;
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}

/** DOS dates in a zip start in 1980; an unreadable collection time falls back to that. */
function zip(collectedAt: string, files: readonly [string, string][]): Uint8Array {
  const at = new Date(collectedAt);
  const mtime = Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1980 ? new Date(Date.UTC(1980, 0, 1)) : at;
  const entries: Zippable = {};
  for (const [name, content] of files) entries[name] = [strToU8(content), { mtime }];
  return zipSync(entries, { level: 6, mtime });
}
