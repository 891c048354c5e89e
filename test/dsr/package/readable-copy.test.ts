/**
 * A copy a person can read (Art. 12(1)), on the example shop in a real SQLite database: Alice's
 * access package in French and in English. Column heads say what each column holds in the
 * package's language (the dataset's labels, else the categories' plain labels), amounts and dates
 * read in the person's locale, codes by their meaning, and keys, references and database names sit
 * in an appendix. The JSON keeps every value as stored. The processing information is about her
 * data: the activities of every system her rows were found in, the systems not searched, retention
 * worked out from her rows' dates, and flags for the DPO in the evidence and in `dsr plan`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../../src/config/config.js';
import { loadDatasetsOrThrow } from '../../../src/dataset/load-datasets.js';
import type { AccessPackage } from '../../../src/dsr/package/access-package.js';
import { buildAccessPackage } from '../../../src/dsr/package/build-access-package.js';
import { writeAccessPackageHtml } from '../../../src/dsr/package/write-html.js';
import { writeAccessPackageJson } from '../../../src/dsr/package/write-json.js';
import { runRequest, type RequestOutcome } from '../../../src/dsr/run-request.js';
import type { Register } from '../../../src/register/schema.js';
import { openStore, type Store } from '../../../src/store/open-store.js';
import { htmlStructureProblems } from '../../notice/check-html-structure.js';
import { ROOT } from '../../helpers/cli.js';
import { openTestConnections } from '../open-test-connections.js';
import { loadAcme } from './fixtures.js';

const EXAMPLE = path.join(ROOT, 'examples/acme-shop/datasets');
const { datasets } = await loadDatasetsOrThrow(EXAMPLE);

let dir: string;
let store: Store;
let register: Register;
let outcome: RequestOutcome;
let shopFile: string;
const packages = {} as Record<'en' | 'fr', { pkg: AccessPackage; html: string }>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'opendpo-readable-'));
  const file = path.join(dir, 'shop.db');
  const db = new SqliteDatabase(file);
  db.exec(readFileSync(path.join(EXAMPLE, 'seed.sql'), 'utf8'));
  db.close();
  store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
  register = await loadAcme();
  outcome = await runRequest({
    kind: 'access',
    identities: { email: 'alice.martin@example.com' },
    datasets,
    store,
    register,
    connect: () => openTestConnections([{ name: 'shop', type: 'sqlite', url: `sqlite:${file}`, datasets: ['shop'] }]),
  });
  shopFile = file;
  for (const lang of ['en', 'fr'] as const) {
    const pkg = buildAccessPackage(outcome.collected, { datasets, register, lang });
    packages[lang] = { pkg, html: writeAccessPackageHtml(pkg) };
  }
});

afterAll(async () => {
  if (process.env.DUMP_HTML) for (const lang of ['en', 'fr'] as const) (await import('node:fs')).writeFileSync(`${process.env.DUMP_HTML}/alice.${lang}.html`, packages[lang].html);
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The text of a table's cells, row by row, tags removed and entities read back. */
function tableRows(html: string, caption: string): string[][] {
  const start = html.indexOf(`<caption>${caption}</caption>`);
  expect(start, `table "${caption}"`).toBeGreaterThan(-1);
  const table = html.slice(start, html.indexOf('</table>', start));
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      c[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .trim(),
    ),
  );
}

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('the readable copy of the example shop (SQLite)', () => {
  it('in French: French column heads, amounts in euros, dates in words, codes by their meaning', () => {
    const { html, pkg } = packages.fr;
    expect(htmlStructureProblems(html)).toEqual([]);
    const orders = tableRows(html, 'Commandes');
    expect(orders[0]).toEqual(['N°', 'Commandé le', 'Instructions de livraison', 'Montant de la commande']);
    expect(orders.slice(1).map((r) => r.map(nbsp))).toEqual([
      ['1', '3 février 2025 à 10:15', 'Leave with the caretaker', '58,00 €'],
      ['2', '17 mai 2025 à 21:40', '(aucune valeur)', '15,00 €'],
    ]);
    const customer = tableRows(html, 'Compte client');
    expect(customer[0]).toEqual(['N°', 'Adresse électronique', 'Numéro de téléphone', 'Prénom', 'Nom', 'Date de naissance', 'Niveau de fidélité', 'Compte créé le']);
    expect(customer[1]).toEqual(['1', 'alice.martin@example.com', '+33612345678', 'Alice', 'Martin', '12 avril 1988', 'Or (gold)', '1 juin 2024 à 09:30']);
    // A catalogue's descriptive fields beside the order line pointing at it, named after the catalogue.
    const lines = tableRows(html, 'Lignes de commande');
    expect(lines[0]).toEqual(['N°', 'Quantité', 'Produit : nom', 'Produit : prix']);
    expect(lines.slice(1).map((r) => r.map(nbsp))).toEqual([
      ['1', '2', 'Linen tote bag', '29,00 €'],
      ['2', '1', 'Ceramic mug', '15,00 €'],
    ]);
    expect(tableRows(html, 'Abonnement à la lettre d&#39;information')[1]).toEqual(['1', 'alice.martin@example.com', '1 juin 2024 à 09:31', 'non']);
    // No English taxonomy label, no database name in a column head of the copy.
    const copy = html.slice(html.indexOf('<h2 id="data">'), html.indexOf('<h2 id="processing">'));
    expect(copy).not.toMatch(/User Contact|Operations Data|Private Content|Unique ID/);
    expect(copy).not.toMatch(/<th scope="col">[^<]*\((street|id|total_cents|customer_id)\)<\/th>/);
    expect(copy).not.toMatch(/total_cents|customer_id|order_id/);
    expect(pkg.partlyInOtherLanguage).toBe(false);
  });

  it('in French: keys, references and database names are in the appendix, by record number', () => {
    const { html } = packages.fr;
    const h2 = [...html.matchAll(/<h2 id="([^"]+)">/g)].map((m) => m[1]);
    expect(h2.at(-1)).toBe('appendix');
    expect(html).toContain('<h2 id="appendix">Annexe : identifiants techniques</h2>');
    const orders = tableRows(html, 'Commandes : table orders de Online shop database (Online shop (Nimbus Commerce))');
    expect(orders).toEqual([
      ['N°', 'Numéro de commande (id, clé)', 'Numéro de client (customer_id, référence)'],
      ['1', '1', '1'],
      ['2', '2', '1'],
    ]);
    const lines = tableRows(html, 'Lignes de commande : table order_item de Online shop database (Online shop (Nimbus Commerce))');
    expect(lines[0]).toEqual(['N°', 'Numéro de commande (order_id, clé)', 'Ligne (line_no, clé)', 'Numéro de produit (product_id, référence)']);
    expect(html).toContain('Colonnes de cette table dans le système : Commandé le : ordered_at, Instructions de livraison : delivery_note, Montant de la commande : total_cents.');
  });

  it('in English: the same copy in English words and British formats', () => {
    const { html } = packages.en;
    expect(htmlStructureProblems(html)).toEqual([]);
    const orders = tableRows(html, 'Orders');
    expect(orders[0]).toEqual(['No.', 'Ordered on', 'Delivery instructions', 'Order total']);
    expect(orders[1]!.map(nbsp)).toEqual(['1', '3 February 2025 at 10:15', 'Leave with the caretaker', '€58.00']);
    expect(tableRows(html, 'Customer account')[1]).toContain('12 April 1988');
    expect(tableRows(html, 'Order lines')[0]).toEqual(['No.', 'Quantity', 'Product: name', 'Product: price']);
    expect(html).toContain('<h2 id="appendix">Appendix: technical identifiers</h2>');
    expect(tableRows(html, 'Addresses: table address of Online shop database (Online shop (Nimbus Commerce))')[0]).toEqual([
      'No.',
      'Address number (id, key)',
      'Customer number (customer_id, reference)',
    ]);
  });

  it('the JSON keeps every value as stored, with the label and format beside it', () => {
    const json = JSON.parse(writeAccessPackageJson(packages.fr.pkg)) as AccessPackage;
    const orders = json.data.flatMap((s) => s.tables).find((t) => t.table === 'orders')!;
    expect(orders.label).toBe('Commandes');
    expect(orders.rows[0]).toMatchObject({ id: 1, customer_id: 1, total_cents: 5800, ordered_at: '2025-02-03 10:15:00' });
    expect(orders.fields.find((f) => f.name === 'total_cents')).toMatchObject({ label: 'Montant de la commande', format: { type: 'money', currency: 'EUR', scale: 2 } });
    expect(orders.fields.find((f) => f.name === 'id')!.technical).toBe('key');
    expect(orders.fields.find((f) => f.name === 'customer_id')!.technical).toBe('reference');
    const customer = json.data.flatMap((s) => s.tables).find((t) => t.table === 'customer')!;
    expect(customer.fields.find((f) => f.name === 'loyalty_tier')!.format).toEqual({ type: 'enum', values: { gold: 'Or', standard: 'Standard' } });
    expect(customer.rows[0]!.loyalty_tier).toBe('gold');
  });
});

describe('the processing information is about Alice\'s data (SQLite)', () => {
  it('lists the activities of every system her rows were found in, and only those', () => {
    const { pkg } = packages.en;
    expect(pkg.processing.systems.map((sys) => sys.id).sort()).toEqual(['accounting', 'emailing', 'fraud-engine', 'helpdesk', 'shop']);
    expect(pkg.processing.activities.map((a) => a.id).sort()).toEqual([
      'accounting',
      'customer-accounts',
      'customer-orders',
      'customer-support',
      'fraud-prevention',
      'newsletter',
      'prospects',
    ]);
    // Art. 15(1)(h): the fraud checks of her orders bring the automated decision with its logic.
    const fraud = pkg.processing.activities.find((a) => a.id === 'fraud-prevention')!;
    expect(fraud.automatedDecisions[0]).toMatchObject({ legalOrSimilarEffect: true, logic: expect.stringContaining('Above 80 points out of 100 the order is cancelled') });
    // Art. 15(2): the transfers of the systems holding her data, with their safeguards.
    expect(pkg.processing.activities.find((a) => a.id === 'customer-support')!.transfers[0]).toMatchObject({ country: { code: 'US', outsideEea: true }, mechanism: { code: 'scc' } });
    expect(pkg.processing.activities.find((a) => a.id === 'newsletter')!.transfers[0]).toMatchObject({ country: { code: 'US' }, mechanism: { code: 'adequacy' } });
    const html = packages.fr.html;
    expect(html).toContain('Au-delà de 80 points sur 100');
    expect(html).toContain('<h3 id="activity-accounting">Comptabilité et facturation</h3>');
  });

  it('names the systems of the register no dataset describes as not searched', () => {
    expect(packages.en.pkg.processing.notSearched.map((sys) => sys.id)).toEqual(['payment-gateway', 'audience', 'payroll', 'hr-drive']);
    expect(packages.en.pkg.warnings).toContain(
      'These systems of the register were not searched for this answer, as no description of their data is available: PayFlow payment page and dashboard, Mesure Audience, Payroll software (Paie Services), HR shared drive.',
    );
    expect(packages.fr.html).toContain('demandez-nous de les consulter si vous le souhaitez');
  });

  it('works out retention from her rows\' own dates, and says which rows are past it', () => {
    const tables = packages.en.pkg.data.flatMap((sys) => sys.tables);
    // RiskScore keeps scores six months from the order: her two checks (February and May 2025) are past it.
    expect(tables.find((t) => t.table === 'fraud_check')!.retention).toEqual([
      { activity: 'Payment fraud prevention', rule: '6 months from the order; then deleted', startField: 'Checked on', until: '2025-11-17', past: 2 },
    ]);
    // Invoices: six months from the close of the year, then archived nine and a half years.
    expect(tables.find((t) => t.table === 'invoice')!.retention).toEqual([
      expect.objectContaining({ activity: 'Accounting and invoicing', startField: 'Issued on', until: '2035-05-17', past: 0 }),
    ]);
    // No dated start: nothing worked out.
    expect(tables.find((t) => t.table === 'orders')!.retention).toBeUndefined();
    expect(nbsp(packages.fr.html).replace(/&#39;/g, "'")).toContain(
      "Lutte contre la fraude au paiement : 6 mois (point de départ : la commande) ; puis supprimées. Compté à partir de « Contrôlée le », vos enregistrements sont conservés au plus tard jusqu'au 17 novembre 2025. 2 d'entre eux sont conservés au-delà de cette durée : c'est signalé au délégué à la protection des données.",
    );
  });

  it('flags to the DPO the data no activity declares and the rows past their retention, in the evidence, without a value', async () => {
    const steps = (await store.requests.steps(outcome.request.id)).filter((s) => s.kind === 'review');
    expect(steps.map((s) => [s.collection, s.detail?.kind])).toEqual([
      [null, 'not-searched'],
      ['shop.customer', 'undeclared-category'],
      ['shop.newsletter_subscription', 'undeclared-category'],
      ['shop.fraud_check', 'past-retention'],
    ]);
    expect(steps[1]!.note).toContain('birth_date (user.demographic.date_of_birth)');
    expect(steps[2]!.note).toContain('subscribed_at (user.privacy_preferences)');
    expect(steps[3]).toMatchObject({ rowsFound: 2, note: expect.stringContaining('held past every retention period') });
    expect(JSON.stringify(steps)).not.toMatch(/alice|Alice|1988|2025-0/);
    expect(outcome.warnings).toEqual(expect.arrayContaining([expect.stringContaining('shop.customer: data no activity of system "shop" declares')]));
    // The person is told the purpose of that data is not given.
    expect(packages.en.pkg.warnings).toContain('No processing activity of Online shop (Nimbus Commerce) lists this data of yours, so its purpose is not given here: Date of birth.');
  });

  it('dsr plan names the systems not searched and the flags, from the same register', async () => {
    const { dryRun, formatDryRun } = await import('../../../src/dsr/dry-run.js');
    const connections = await openTestConnections([{ name: 'shop', type: 'sqlite', url: `sqlite:${shopFile}`, datasets: ['shop'] }]);
    try {
      const report = await dryRun({ kind: 'access', identities: { email: 'alice.martin@example.com' }, datasets, connections, register });
      expect(report.processing!.notSearched).toEqual(['payment-gateway', 'audience', 'payroll', 'hr-drive']);
      expect(report.processing!.flags.map((f) => [f.kind, f.collection])).toEqual([
        ['undeclared-category', 'shop.customer'],
        ['undeclared-category', 'shop.newsletter_subscription'],
        ['past-retention', 'shop.fraud_check'],
      ]);
      const text = formatDryRun(report);
      expect(text).toContain('For the DPO (the register against the person\'s data):');
      expect(text).toContain('systems of the register that no dataset describes were not searched: payment-gateway, audience, payroll, hr-drive');
      expect(text).not.toMatch(/alice\.martin|1988/);
    } finally {
      await connections.close();
    }
  });
});
