/**
 * A person's data can hold anything: markup, spreadsheet formulas, quotes, any Unicode, NUL bytes,
 * line breaks. Every writer shows it as data: escaped in HTML, neutralised (and otherwise exact) in
 * CSV, exact in JSON; and hostile table names cannot climb out of the zip.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../../src/connectors/connector.js';
import type { CollectedData } from '../../../src/dsr/collected.js';
import { buildAccessPackage } from '../../../src/dsr/package/build-access-package.js';
import { writeAccessPackageZip, writePortabilityZip } from '../../../src/dsr/package/write-csv-zip.js';
import { visibleControls, writeAccessPackageHtml } from '../../../src/dsr/package/write-html.js';
import { writeAccessPackageJson } from '../../../src/dsr/package/write-json.js';
import { buildPortabilityExport } from '../../../src/dsr/portability.js';
import type { Register } from '../../../src/register/schema.js';
import { htmlStructureProblems } from '../../notice/check-html-structure.js';
import { collectedData, DATASETS, loadAcme, parseCsv, unzip } from './fixtures.js';

const HOSTILE = {
  script: '<script>alert("x")</script>',
  formula: "=cmd|' /C calc'!A0",
  plus: '+SUM(A1:A2)',
  at: '@HYPERLINK("http://evil.example")',
  quotes: `"quoted", 'single' & ampersand`,
  unicode: 'Zoë Ünïcødé — 中文 🙂 \u202Eevil\u202C',
  nul: 'before\u0000after',
  lines: 'line one\r\nline two\nthree',
};

const TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'a', 'main', 'h1', 'h2', 'h3', 'p', 'nav', 'ul', 'li', 'section', 'strong', 'span', 'dl', 'dt', 'dd', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'footer']);
const unescapeHtml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

let acme: Register;
beforeAll(async () => {
  acme = await loadAcme();
});

/** The customer's row with hostile values in every text field, and a hostile identity. */
function hostileCollected(values: Record<string, string>): CollectedData {
  const customer: Row = { id: 42, email: values.script!, name: values.formula!, segment: values.quotes!, last_ip: values.unicode!, phone: values.nul! };
  const data = collectedData({ customer: [customer, { id: 43, email: values.plus!, name: values.at!, segment: values.lines!, last_ip: null, phone: '' }] });
  return { ...data, identities: { email: values.script! } };
}

describe('hostile values', () => {
  it('HTML: no markup from the data, values read back exactly, NUL shown as a symbol', () => {
    const html = writeAccessPackageHtml(buildAccessPackage(hostileCollected(HOSTILE), { datasets: DATASETS, register: acme, lang: 'en' }));
    expect(htmlStructureProblems(html)).toEqual([]);
    const body = html.replace(/<style>[\s\S]*?<\/style>/g, '');
    for (const m of body.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)) expect(TAGS.has(m[1]!), m[0]).toBe(true);
    expect(html).not.toContain('\u0000');
    const cells = [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => unescapeHtml(m[1]!));
    for (const v of Object.values(HOSTILE)) expect(cells).toContain(visibleControls(v));
    expect(cells).toContain('before\u2400after');
    expect(html).toContain('The request was made with: email: &lt;script&gt;');
  });

  it('CSV: formulas neutralised with an apostrophe, everything else exact, NUL kept', () => {
    const files = unzip(writeAccessPackageZip(buildAccessPackage(hostileCollected(HOSTILE), { datasets: DATASETS, register: acme, lang: 'en' })));
    const rows = parseCsv(files.get('shop/customer.csv')!);
    expect(rows[0]).toEqual(['id', 'email', 'name', 'segment', 'last_ip', 'phone']);
    expect(rows[1]).toEqual(['42', HOSTILE.script, `'${HOSTILE.formula}`, HOSTILE.quotes, HOSTILE.unicode, HOSTILE.nul]);
    expect(rows[2]).toEqual(['43', `'${HOSTILE.plus}`, `'${HOSTILE.at}`, HOSTILE.lines, '', '']);
    // Every cell a spreadsheet could run starts with the apostrophe.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('JSON: values exact', () => {
    const json = writeAccessPackageJson(buildAccessPackage(hostileCollected(HOSTILE), { datasets: DATASETS, register: acme, lang: 'en' }));
    const back = JSON.parse(json) as { data: { tables: { rows: Record<string, unknown>[] }[] }[]; identities: unknown };
    expect(back.data[0]!.tables[0]!.rows[0]).toEqual({ id: 42, email: HOSTILE.script, name: HOSTILE.formula, segment: HOSTILE.quotes, last_ip: HOSTILE.unicode, phone: HOSTILE.nul });
    expect(back.identities).toEqual([{ type: 'email', value: HOSTILE.script }]);
  });

  it('bigint, bytes and a column named __proto__ keep their value and their key', () => {
    const data = collectedData();
    data.collections = [
      {
        dataset: 'legacy',
        collection: 'blobs',
        fields: [
          { name: '__proto__', categories: ['user'], primaryKey: false, declared: true },
          { name: 'big', categories: ['user'], primaryKey: false, declared: true },
          { name: 'bytes', categories: ['user'], primaryKey: false, declared: true },
        ],
        rows: [JSON.parse('{"__proto__": "polluted?", "big": 1}') as Row],
        excluded: [],
        withheld: [],
        context: [],
      },
    ];
    data.collections[0]!.rows[0]!.big = 9007199254740993n;
    data.collections[0]!.rows[0]!.bytes = new Uint8Array([0, 255, 60]);
    const pkg = buildAccessPackage(data, { datasets: DATASETS, register: acme, lang: 'en' });
    const row = pkg.data[0]!.tables[0]!.rows[0]!;
    expect(Object.keys(row)).toEqual(['__proto__', 'big', 'bytes']);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    const back = JSON.parse(writeAccessPackageJson(pkg)) as { data: { tables: { rows: unknown[] }[] }[] };
    expect(JSON.stringify(back.data[0]!.tables[0]!.rows[0])).toBe('{"__proto__":"polluted?","big":"9007199254740993","bytes":{"base64":"AP88"}}');
    const html = writeAccessPackageHtml(pkg);
    expect(html).toContain('<td>binary data, 3 bytes (base64: AP88)</td>');
    expect(parseCsv(unzip(writeAccessPackageZip(pkg)).get('legacy/blobs.csv')!)).toEqual([
      ['__proto__', 'big', 'bytes'],
      ['polluted?', '9007199254740993', 'AP88'],
    ]);
  });

  it('zip: hostile table and system names become safe, distinct file names', () => {
    const data = collectedData();
    const base = data.collections.find((c) => c.collection === 'notes')!;
    data.collections = [
      { ...base, collection: '../../etc/passwd' },
      { ...base, collection: '..' },
      { ...base, collection: 'Notes' },
      { ...base, collection: 'notes' },
      { ...base, collection: 'C:\\Windows\\evil' },
      { ...base, dataset: 'README.txt', collection: 'x' },
    ];
    const pkg = buildAccessPackage(data, { datasets: DATASETS, lang: 'en' });
    const names = [...unzip(writeAccessPackageZip(pkg)).keys()];
    expect(names).toEqual(['README.txt', 'processing.csv', 'legacy/etc_passwd.csv', 'legacy/table.csv', 'legacy/Notes.csv', 'legacy/notes-2.csv', 'legacy/C_Windows_evil.csv', 'README.txt-2/x.csv']);
    for (const n of names) expect(n.split('/').every((seg) => seg !== '..' && seg !== '.' && !seg.includes('\\'))).toBe(true);
  });

  it('property: any text value survives each writer as data', () => {
    const unit = fc.constantFrom('<', '>', '&', '"', "'", '=', '+', '-', '@', '\t', '\r', '\n', ',', '\u0000', 'é', '🙂', 'a', ' ', '|');
    const value = fc.string({ unit, minLength: 0, maxLength: 30 });
    fc.assert(
      fc.property(value, value, (email, name) => {
        const data = collectedData({ customer: [{ id: 1, email, name, segment: null, last_ip: null, phone: null }] });
        const pkg = buildAccessPackage(data, { datasets: DATASETS, register: acme, lang: 'en' });
        // JSON exact.
        const back = JSON.parse(writeAccessPackageJson(pkg)) as { data: { tables: { rows: Record<string, unknown>[] }[] }[] };
        expect(back.data[0]!.tables[0]!.rows[0]).toMatchObject({ email, name });
        // CSV exact, or with the apostrophe where a spreadsheet would run it.
        const csv = parseCsv(unzip(writeAccessPackageZip(pkg)).get('shop/customer.csv')!);
        const shown = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
        expect(csv[1]!.slice(1, 3)).toEqual([shown(email), shown(name)]);
        // HTML: no tag, and the text reads back.
        const html = writeAccessPackageHtml(pkg);
        const body = html.replace(/<style>[\s\S]*?<\/style>/g, '');
        for (const m of body.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)) expect(TAGS.has(m[1]!), m[0]).toBe(true);
        const cells = [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => unescapeHtml(m[1]!));
        expect(cells).toContain(email === '' ? '' : visibleControls(email));
      }),
      { numRuns: 60 },
    );
  });

  it('portability CSV: neutralised the same way', () => {
    const exp = buildPortabilityExport(hostileCollected(HOSTILE), { datasets: DATASETS, register: acme, lang: 'en' });
    const rows = parseCsv(unzip(writePortabilityZip(exp)).get('shop/customer.csv')!);
    expect(rows).toEqual([
      ['email', 'name'],
      [HOSTILE.script, `'${HOSTILE.formula}`],
      [`'${HOSTILE.plus}`, `'${HOSTILE.at}`],
    ]);
  });
});
