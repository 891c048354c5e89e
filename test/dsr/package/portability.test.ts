/**
 * Portability (Art. 20): only provided and observed fields, only from systems used by an activity
 * based on consent or contract, only categories such an activity covers; everything else is listed
 * as left out with its reason. Written as JSON and as a zip of CSVs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { writePortabilityZip } from '../../../src/dsr/package/write-csv-zip.js';
import { writePortabilityJson } from '../../../src/dsr/package/write-json.js';
import { buildPortabilityExport, categoryCovers, isPortabilityBasis, PortabilityExport } from '../../../src/dsr/portability.js';
import type { Activity, Register } from '../../../src/register/schema.js';
import { collectedData, DATASETS, EMAIL, loadAcme, parseCsv, unzip } from './fixtures.js';

let acme: Register;
beforeAll(async () => {
  acme = await loadAcme();
});

const leftOutOf = (exp: PortabilityExport) => exp.leftOut.map((l) => `${l.dataset}.${l.collection}${l.field ? `.${l.field}` : ''}: ${l.reason}`);

describe('portability export', () => {
  it('keeps provided and observed fields of consent/contract systems whose categories are covered', () => {
    const exp = buildPortabilityExport(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
    expect(PortabilityExport.safeParse(exp).success).toBe(true);
    expect(exp.statement).toMatch(/^This export holds the personal data concerning you that you provided to us/);
    expect(exp.datasets.map((d) => ({ dataset: d.dataset, system: d.system, collections: d.collections.map((c) => [c.collection, c.fields.map((f) => f.name)]) }))).toEqual([
      {
        dataset: 'shop',
        system: 'shop',
        collections: [
          ['customer', ['email', 'name']],
          ['orders', ['total', 'placed_at']],
        ],
      },
      // user.behavior (newsletter) covers user.behavior.browsing_history.
      { dataset: 'mailing', system: 'emailing', collections: [['subscriber', ['email', 'first_name', 'clicks']]] },
    ]);
    expect(exp.datasets[0]!.collections[0]!.rows).toEqual([{ email: EMAIL, name: 'Jeanne Dupont' }]);
    expect(exp.datasets[0]!.collections[1]!.rows).toEqual([
      { total: 59.9, placed_at: '2026-10-01T12:00:00.000Z' },
      { total: 12.5, placed_at: '2026-10-15T08:30:00.000Z' },
    ]);
    expect(exp.datasets[1]!.collections[0]!.fields[2]).toEqual({ name: 'clicks', categories: ['user.behavior.browsing_history'], provenance: 'observed' });
    expect(exp.activities.map((a) => [a.id, a.legalBases.map((b) => b.code), a.systems])).toEqual([
      ['customer-accounts', ['contract'], ['shop']],
      ['customer-orders', ['contract'], ['shop']],
      ['newsletter', ['consent'], ['emailing']],
    ]);
  });

  it('lists every field and table left out, with the reason', () => {
    const exp = buildPortabilityExport(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
    expect(leftOutOf(exp)).toEqual([
      // The customer id is observed, but no contract activity of the shop lists user.unique_id.
      'shop.customer.id: category_not_covered',
      'shop.customer.segment: provenance_inferred',
      'shop.customer.last_ip: category_not_covered',
      'shop.customer.phone: provenance_undeclared',
      'shop.orders.id: provenance_undeclared',
      'shop.orders.customer_id: category_not_covered',
      'shop.orders.discount: provenance_derived',
      // Fraud prevention rests on legitimate interests only.
      'fraud.score: no_consent_or_contract',
      'legacy.notes: no_system',
    ]);
    const fraud = exp.leftOut.find((l) => l.dataset === 'fraud')!;
    expect(fraud.explanation).toBe('No processing activity using the system "fraud-engine" is based on consent or on a contract (Art. 20(1)(a) GDPR).');
    expect(exp.leftOut.find((l) => l.reason === 'provenance_derived')!.explanation).toMatch(/^Derived data \(computed from other data\) is not data you provided/);
    // Nothing was found in the helpdesk: nothing to leave out there.
    expect(exp.leftOut.some((l) => l.dataset === 'tickets')).toBe(false);
  });

  it('an activity that lists no data categories covers every field of its systems', () => {
    const register: Register = {
      ...acme,
      activities: acme.activities.map((a) => (a.id === 'customer-orders' ? { ...a, data_categories: undefined } : a)),
    };
    const exp = buildPortabilityExport(collectedData(), { datasets: DATASETS, register, lang: 'en' });
    expect(exp.datasets[0]!.collections[0]!.fields.map((f) => f.name)).toEqual(['id', 'email', 'name', 'last_ip']);
    expect(leftOutOf(exp).filter((l) => l.startsWith('shop.'))).toEqual([
      'shop.customer.segment: provenance_inferred',
      'shop.customer.phone: provenance_undeclared',
      'shop.orders.id: provenance_undeclared',
      'shop.orders.discount: provenance_derived',
    ]);
  });

  it('without a register nothing qualifies, and the export says why', () => {
    const exp = buildPortabilityExport(collectedData(), { datasets: DATASETS, lang: 'en' });
    expect(exp.datasets).toEqual([]);
    expect(exp.activities).toEqual([]);
    expect(exp.statement).toBe(
      'Nothing can be exported: without a register of processing activities it cannot be established which processing is based on consent or on a contract (Art. 20(1)(a) GDPR).',
    );
    expect(leftOutOf(exp)).toEqual(['shop.customer: no_register', 'shop.orders: no_register', 'mailing.subscriber: no_register', 'fraud.score: no_register', 'legacy.notes: no_register']);
  });

  it('with a register but nothing that qualifies, says so', () => {
    const register: Register = { ...acme, activities: acme.activities.filter((a) => !isPortabilityBasis(a)) };
    const exp = buildPortabilityExport(collectedData(), { datasets: DATASETS, register, lang: 'fr' });
    expect(exp.datasets).toEqual([]);
    expect(exp.statement).toMatch(/^Aucune donnée ne relève de la portabilité/);
    expect(exp.leftOut.find((l) => l.dataset === 'shop')!.explanation).toBe(
      'Aucune activité de traitement utilisant le système « shop » n\'est fondée sur le consentement ou sur un contrat (art. 20.1.a du RGPD).',
    );
  });

  it('the basis: consent, contract, or explicit consent for special categories (Art. 20(1)(a))', () => {
    const base: Activity = { id: 'x', name: 'X', role: 'controller' };
    expect(isPortabilityBasis({ ...base, legal_bases: [{ basis: 'consent' }] })).toBe(true);
    expect(isPortabilityBasis({ ...base, legal_bases: [{ basis: 'legitimate_interests' }, { basis: 'contract' }] })).toBe(true);
    expect(isPortabilityBasis({ ...base, legal_bases: [{ basis: 'legal_obligation' }] })).toBe(false);
    expect(isPortabilityBasis({ ...base, purposes: [{ description: 'p', legal_basis: 'contract' }] })).toBe(true);
    expect(isPortabilityBasis({ ...base, special_category_conditions: [{ condition: 'explicit_consent' }] })).toBe(true);
    expect(isPortabilityBasis(base)).toBe(false);
    expect(categoryCovers('user.contact', 'user.contact.email')).toBe(true);
    expect(categoryCovers('user.contact', 'user.contact')).toBe(true);
    expect(categoryCovers('user.contact', 'user.contactless')).toBe(false);
    expect(categoryCovers('user.contact.email', 'user.contact')).toBe(false);
  });

  it('JSON parses back to the export and matches the schema', () => {
    const exp = buildPortabilityExport(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
    const back: unknown = JSON.parse(writePortabilityJson(exp));
    expect(back).toEqual(exp);
    expect(PortabilityExport.parse(back)).toEqual(exp);
  });

  it('the zip holds one CSV per exported table that parses back to the rows, and left-out.csv', () => {
    const exp = buildPortabilityExport(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
    const files = unzip(writePortabilityZip(exp));
    expect([...files.keys()]).toEqual(['README.txt', 'shop/customer.csv', 'shop/orders.csv', 'mailing/subscriber.csv', 'left-out.csv']);
    expect(parseCsv(files.get('shop/customer.csv')!)).toEqual([
      ['email', 'name'],
      [EMAIL, 'Jeanne Dupont'],
    ]);
    expect(parseCsv(files.get('shop/orders.csv')!)).toEqual([
      ['total', 'placed_at'],
      ['59.9', '2026-10-01T12:00:00.000Z'],
      ['12.5', '2026-10-15T08:30:00.000Z'],
    ]);
    expect(parseCsv(files.get('mailing/subscriber.csv')!)).toEqual([
      ['email', 'first_name', 'clicks'],
      [EMAIL, 'Jeanne', '3'],
    ]);
    const leftOut = parseCsv(files.get('left-out.csv')!);
    expect(leftOut[0]).toEqual(['Dataset', 'Table', 'Field', 'Reason', 'Explanation']);
    expect(leftOut.slice(1).map((r) => r.slice(0, 4))).toEqual(exp.leftOut.map((l) => [l.dataset, l.collection, l.field ?? '', l.reason]));
    const readme = files.get('README.txt')!;
    expect(readme).toContain(exp.statement);
    expect(readme).toContain('- shop/customer.csv: table customer of the dataset Web shop database. Records: 1.');
    expect(readme).toContain('- left-out.csv:');
  });

  it('without a register the zip holds only README.txt and left-out.csv, and says why', () => {
    const exp = buildPortabilityExport(collectedData(), { datasets: DATASETS, lang: 'en' });
    const files = unzip(writePortabilityZip(exp));
    expect([...files.keys()]).toEqual(['README.txt', 'left-out.csv']);
    expect(files.get('README.txt')).toContain('Nothing can be exported: without a register of processing activities');
  });
});
