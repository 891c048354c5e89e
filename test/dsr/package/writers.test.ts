/**
 * The three writers of the access package: JSON (the published shape), a zip of CSVs that really
 * unzips and parses back to the rows, and one accessible, self-contained HTML document.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AccessPackage, accessPackageJsonSchema } from '../../../src/dsr/package/access-package.js';
import { buildAccessPackage } from '../../../src/dsr/package/build-access-package.js';
import { writeAccessPackageZip } from '../../../src/dsr/package/write-csv-zip.js';
import { writeAccessPackageHtml } from '../../../src/dsr/package/write-html.js';
import { writeAccessPackageJson } from '../../../src/dsr/package/write-json.js';
import type { Register } from '../../../src/register/schema.js';
import { htmlStructureProblems } from '../../notice/check-html-structure.js';
import { collectedData, DATASETS, EMAIL, loadAcme, parseCsv, unzip } from './fixtures.js';

let acme: Register;
let pkg: AccessPackage;
beforeAll(async () => {
  acme = await loadAcme();
  pkg = buildAccessPackage(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
});

describe('access package as JSON', () => {
  it('parses back to the package and matches the published schema', () => {
    const json = writeAccessPackageJson(pkg);
    expect(json.endsWith('}\n')).toBe(true);
    const back: unknown = JSON.parse(json);
    expect(back).toEqual(pkg);
    expect(AccessPackage.parse(back)).toEqual(pkg);
    // The top-level keys come in the documented order, whatever the run.
    expect(Object.keys(back as object)).toEqual([
      'kind',
      'version',
      'lang',
      'requestId',
      'collectedAt',
      'controller',
      'identities',
      'confirmation',
      'data',
      'processing',
      'warnings',
      'partlyInOtherLanguage',
    ]);
  });

  it('has a JSON Schema generated from the zod schema', () => {
    const schema = accessPackageJsonSchema() as { type: string; required: string[]; properties: Record<string, unknown> };
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['confirmation', 'data', 'processing', 'warnings']));
    expect(Object.keys(schema.properties)).toContain('identities');
  });

  it('refuses to write a package that is not of the published shape, naming where, not what', () => {
    const broken = { ...pkg, confirmation: { ...pkg.confirmation, records: -1 } } as AccessPackage;
    expect(() => writeAccessPackageJson(broken)).toThrow(/does not match its published shape at confirmation\.records/);
  });
});

describe('access package as a zip of CSVs', () => {
  it('unzips to README.txt, processing.csv and one CSV per table under its system', () => {
    const files = unzip(writeAccessPackageZip(pkg));
    expect([...files.keys()]).toEqual([
      'README.txt',
      'processing.csv',
      'shop/customer.csv',
      'shop/orders.csv',
      'emailing/subscriber.csv',
      'fraud-engine/score.csv',
      'legacy/notes.csv',
    ]);
    for (const [name, text] of files) expect(text.startsWith('\uFEFF'), name).toBe(true);
  });

  it('each table CSV parses back to the rows, header first', () => {
    const files = unzip(writeAccessPackageZip(pkg));
    for (const system of pkg.data) {
      for (const table of system.tables) {
        const rows = parseCsv(files.get(`${system.id}/${table.table}.csv`)!);
        const names = table.fields.map((f) => f.name);
        expect(rows[0]).toEqual(names);
        const expected = table.rows.map((r) =>
          names.map((n) => {
            const v = r[n];
            return v === null || v === undefined ? '' : typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
          }),
        );
        expect(rows.slice(1)).toEqual(expected);
      }
    }
    // The phone number starts with "+": a spreadsheet would take it for a formula.
    expect(parseCsv(files.get('shop/customer.csv')!)[1]![5]).toBe("'+33 6 12 34 56 78");
    // A negative number stays a number.
    expect(parseCsv(files.get('shop/orders.csv')!)[1]![3]).toBe('-5');
  });

  it('processing.csv holds the confirmation, the processing information and the rights', () => {
    const rows = parseCsv(unzip(writeAccessPackageZip(pkg)).get('processing.csv')!);
    expect(rows[0]).toEqual(['Part', 'System', 'Activity', 'Item', 'Details']);
    expect(rows).toContainEqual(['1. Confirmation', '', '', 'Personal data processed', 'Yes']);
    expect(rows).toContainEqual(['3. Processing', 'Mailwave', '', 'Hosted in', 'United States, outside the European Economic Area']);
    expect(rows).toContainEqual([
      '3. Processing',
      '',
      'Newsletter',
      'Purposes',
      'Send you our newsletter and offers by email — legal basis: Consent (Art. 6(1)(a) GDPR)',
    ]);
    expect(rows).toContainEqual(['3. Processing', '', 'Newsletter', 'Recipients', 'Processor: Mailwave Inc. (United States, outside the European Economic Area)']);
    expect(rows).toContainEqual([
      '3. Processing',
      '',
      'Newsletter',
      'Transfers outside the European Economic Area',
      'To Mailwave Inc. (United States): Adequacy decision (Art. 45 GDPR); More information: https://www.dataprivacyframework.gov/list',
    ]);
    expect(rows.some((r) => r[2] === 'Payment fraud prevention' && r[3] === 'Automated decision-making')).toBe(true);
    expect(rows.some((r) => r[0] === 'Rights' && r[3] === 'Right to erasure (Art. 17 GDPR)')).toBe(true);
    expect(rows).toContainEqual(['Rights', '', '', 'Supervisory authority', "The competent supervisory authority is Commission nationale de l'informatique et des libertés (CNIL)."]);
    for (const r of rows) expect(r).toHaveLength(5);
  });

  it('README.txt gives the confirmation, the warnings and what each file holds', () => {
    const readme = unzip(writeAccessPackageZip(pkg)).get('README.txt')!;
    expect(readme).toContain('Yes: Acme Boutique SAS processes personal data concerning you.\r\n');
    expect(readme).toContain('- The system "payment-gateway" has not answered yet (pending).\r\n');
    expect(readme).toContain('- shop/customer.csv: table customer of Online shop (Nimbus Commerce). Records: 1. Columns: id (Identifier), email (Email address (also the sign-in identifier))');
    expect(readme).toContain('apostrophe');
  });

  it('the same package gives the same bytes', () => {
    expect(Buffer.from(writeAccessPackageZip(pkg)).equals(Buffer.from(writeAccessPackageZip(pkg)))).toBe(true);
  });

  it('without a register, processing.csv says so', () => {
    const bare = buildAccessPackage(collectedData(), { datasets: DATASETS, lang: 'fr' });
    const files = unzip(writeAccessPackageZip(bare));
    const rows = parseCsv(files.get('processing.csv')!);
    expect(rows[0]).toEqual(['Partie', 'Système', 'Traitement', 'Élément', 'Détail']);
    expect(rows.find((r) => r[0] === '3. Traitement')![4]).toMatch(/^Aucun registre des activités de traitement n'était disponible/);
    expect(files.get('README.txt')).toContain("Aucun registre des activités de traitement n'était disponible");
  });
});

describe('access package as HTML', () => {
  it.each(['en', 'fr'] as const)('is one accessible, self-contained document (%s)', (lang) => {
    const html = writeAccessPackageHtml(buildAccessPackage(collectedData(), { datasets: DATASETS, register: acme, lang }));
    expect(htmlStructureProblems(html)).toEqual([]);
    expect(html).toContain(`<html lang="${lang}">`);
    // No script, no external resource: everything is inline.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|@import|url\(/i);
    expect(html).toMatch(/@media print/);
  });

  it('gives the three parts in order, one table per collection, the activities and the rights', () => {
    const html = writeAccessPackageHtml(pkg);
    const h2 = [...html.matchAll(/<h2 id="([^"]+)">/g)].map((m) => m[1]);
    expect(h2).toEqual(['toc', 'confirmation', 'warnings', 'data', 'processing', 'appendix']);
    const h3 = [...html.matchAll(/<h3 id="([^"]+)">([^<]*)</g)].map((m) => `${m[1]}: ${m[2]}`);
    expect(h3).toEqual([
      'system-1: Online shop (Nimbus Commerce)',
      'system-2: Mailwave',
      'system-3: RiskScore',
      'system-4: Old CRM export',
      'activity-customer-accounts: Customer accounts',
      'activity-customer-orders: Customer orders and delivery',
      'activity-fraud-prevention: Payment fraud prevention',
      'activity-newsletter: Newsletter',
      'activity-prospects: Commercial prospecting',
      'rights: Your rights',
      'complaint: Complaint to the supervisory authority',
    ]);
    expect(html).toContain('<caption>Table customer (Web shop database)</caption>');
    // Column heads say what the column holds, not its name in the database.
    expect(html).toContain('<th scope="col">Email address (also the sign-in identifier)</th>');
    expect(html).not.toContain('(email)</th>');
    expect(html).toContain(`<td>${EMAIL}</td>`);
    expect(html).toContain('<td>(no value)</td>');
    expect(html).toContain('<strong>Yes: Acme Boutique SAS processes personal data concerning you.</strong>');
    expect(html).toContain('<caption>Where your data is held</caption>');
    expect(html).toContain('<dt>Right to erasure (Art. 17 GDPR)</dt>');
    expect(html).toContain('The competent supervisory authority is Commission nationale de l&#39;informatique et des libertés (CNIL).');
  });

  it('without a register says plainly that the processing information is missing', () => {
    const html = writeAccessPackageHtml(buildAccessPackage(collectedData(), { datasets: DATASETS, lang: 'en' }));
    expect(htmlStructureProblems(html)).toEqual([]);
    expect(html).toContain('<p>No register of processing activities was available when this answer was prepared');
    expect(html).not.toContain('activity-');
  });

  it('when nothing was found, says no and copies nothing', () => {
    const none = buildAccessPackage({ ...collectedData(), collections: [] }, { datasets: DATASETS, register: acme, lang: 'en' });
    const html = writeAccessPackageHtml(none);
    expect(htmlStructureProblems(html)).toEqual([]);
    expect(html).toContain('<strong>No: no personal data concerning you was found in the 0 tables searched');
    expect(html).toContain('There is no data to copy: none was found.');
    expect(html).not.toContain('<caption>Table ');
  });
});
