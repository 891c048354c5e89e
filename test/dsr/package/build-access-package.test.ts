/**
 * The access package (Art. 15) built from hand-made collected data, model datasets and the
 * acme-shop register: the three parts of EDPB Guidelines 01/2022 are there and say what the
 * register says, and nothing the register does not say.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AccessPackage, type ActivityInfo } from '../../../src/dsr/package/access-package.js';
import { buildAccessPackage } from '../../../src/dsr/package/build-access-package.js';
import type { Register } from '../../../src/register/schema.js';
import { collectedData, collectedNothing, DATASETS, EMAIL, loadAcme } from './fixtures.js';

let acme: Register;
beforeAll(async () => {
  acme = await loadAcme();
});

const activity = (pkg: AccessPackage, id: string): ActivityInfo => {
  const a = pkg.processing.activities.find((x) => x.id === id);
  if (!a) throw new Error(`no activity ${id} in the package`);
  return a;
};

describe('access package: the three parts', () => {
  it('part 1, confirmation: yes when any record was found, with the counts', () => {
    const pkg = buildAccessPackage(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
    expect(AccessPackage.safeParse(pkg).success).toBe(true);
    expect(pkg.requestId).toBe('req-0001');
    expect(pkg.collectedAt).toBe('2026-11-28T09:30:00.000Z');
    expect(pkg.identities).toEqual([{ type: 'email', value: EMAIL }]);
    expect(pkg.controller).toMatchObject({ name: 'Acme Boutique SAS', email: 'contact@acme-boutique.example', dpo: 'Claire Martin, dpo@acme-boutique.example' });
    expect(pkg.confirmation).toEqual({
      processed: true,
      statement: 'Yes: Acme Boutique SAS processes personal data concerning you.',
      records: 6,
      tables: 5,
      systems: 4,
      tablesSearched: 6,
    });
  });

  it('part 1, confirmation: no when nothing was found, and no processing to describe', () => {
    const pkg = buildAccessPackage(collectedNothing(), { datasets: DATASETS, register: acme, lang: 'en' });
    expect(pkg.confirmation.processed).toBe(false);
    expect(pkg.confirmation.statement).toBe('No: no personal data concerning you was found in the 6 tables searched with the identities you gave.');
    expect(pkg.data).toEqual([]);
    expect(pkg.processing.activities).toEqual([]);
    expect(pkg.processing.statement).toBe('As no personal data concerning you was found, there is no processing of it to describe.');
    // The rights are the person's whatever was found.
    expect(pkg.processing.rights.map((r) => r.code)).toContain('erasure');
  });

  it('part 2, the copy: grouped by register system (or dataset), then table, fields labelled with their categories', () => {
    const pkg = buildAccessPackage(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
    expect(pkg.data.map((s) => [s.kind, s.id, s.name])).toEqual([
      ['system', 'shop', 'Online shop (Nimbus Commerce)'],
      ['system', 'emailing', 'Mailwave'],
      ['system', 'fraud-engine', 'RiskScore'],
      ['dataset', 'legacy', 'Old CRM export'],
    ]);
    // The table where nothing was found (tickets) is searched but not copied.
    expect(pkg.data.flatMap((s) => s.tables.map((t) => `${t.dataset}.${t.table}`))).toEqual(['shop.customer', 'shop.orders', 'mailing.subscriber', 'fraud.score', 'legacy.notes']);

    const shop = pkg.data[0]!;
    expect(shop.description).toBe('Product catalogue, customer accounts, orders and returns.');
    const customer = shop.tables[0]!;
    expect(customer.datasetName).toBe('Web shop database');
    // Labels: the register's own label for the category in an activity of this system first
    // (customer-accounts comes first), else the category's plain label (not fideslang's "User ..." name).
    expect(customer.fields.map((f) => [f.name, f.label])).toEqual([
      ['id', 'Identifier'],
      ['email', 'Email address (also the sign-in identifier)'],
      ['name', 'First and last name'],
      ['segment', 'Observed behaviour'],
      ['last_ip', 'IP address'],
      ['phone', 'Phone number, for the carrier'],
    ]);
    // The key is a technical identifier: the readable copy shows it in its appendix.
    expect(customer.fields[0]!.technical).toBe('key');
    expect(customer.fields[1]).toEqual({
      name: 'email',
      label: 'Email address (also the sign-in identifier)',
      categories: [{ code: 'user.contact.email', label: 'Email address (also the sign-in identifier)' }],
      provenance: 'provided',
    });
    expect(customer.rows).toEqual([{ id: 42, email: EMAIL, name: 'Jeanne Dupont', segment: 'loyal', last_ip: '203.0.113.7', phone: '+33 6 12 34 56 78' }]);
    // Dates become ISO 8601 text; numbers stay numbers, with their sign.
    expect(shop.tables[1]!.rows[0]).toEqual({ id: 1001, customer_id: 42, total: 59.9, discount: -5, placed_at: '2026-10-01T12:00:00.000Z' });
    // A null stays null.
    expect(pkg.data[3]!.tables[0]!.rows).toEqual([{ email: EMAIL, note: null }]);
  });

  it('part 3: the activities linked to each system holding data, and only those', () => {
    const pkg = buildAccessPackage(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
    const proc = pkg.processing;
    expect(proc.registerGiven).toBe(true);
    expect(proc.statement).toBeUndefined();
    expect(proc.systems).toEqual([
      {
        id: 'shop',
        name: 'Online shop (Nimbus Commerce)',
        activities: ['customer-accounts', 'customer-orders', 'prospects'],
        hostedIn: { code: 'FR', name: 'France', outsideEea: false },
        operatedBy: 'Nimbus Commerce SAS',
      },
      {
        id: 'emailing',
        name: 'Mailwave',
        activities: ['newsletter', 'prospects'],
        hostedIn: { code: 'US', name: 'United States', outsideEea: true },
        operatedBy: 'Mailwave Inc.',
      },
      {
        id: 'fraud-engine',
        name: 'RiskScore',
        activities: ['fraud-prevention'],
        hostedIn: { code: 'FR', name: 'France', outsideEea: false },
        operatedBy: 'RiskScore SAS',
      },
    ]);
    // Register order; the helpdesk (nothing found), payment, accounting, payroll... are not described.
    expect(proc.activities.map((a) => a.id)).toEqual(['customer-accounts', 'customer-orders', 'fraud-prevention', 'newsletter', 'prospects']);
    expect(activity(pkg, 'prospects').systems).toEqual(['shop', 'emailing']);
  });

  it('part 3: purposes with their legal basis and article, categories, recipients with third countries, retention', () => {
    const pkg = buildAccessPackage(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
    const newsletter = activity(pkg, 'newsletter');
    expect(newsletter.name).toBe('Newsletter');
    expect(newsletter.purposes[0]).toEqual({
      description: 'Send you our newsletter and offers by email',
      legalBasis: { code: 'consent', label: 'Consent', article: 'Art. 6(1)(a)' },
    });
    expect(newsletter.legalBases).toHaveLength(1);
    expect(newsletter.legalBases[0]!.basis).toEqual({ code: 'consent', label: 'Consent', article: 'Art. 6(1)(a)' });
    expect(newsletter.legalBases[0]!.withdrawal).toMatch(/^Click the unsubscribe link/);
    expect(newsletter.dataCategories.map((c) => c.label)).toEqual(['Email address', 'First name (optional)', 'Whether our emails are opened and which links are clicked']);
    // Art. 15(1)(c): the recipient in a third country is said to be one.
    expect(newsletter.recipients).toEqual([
      { id: 'marketing', name: 'Marketing', kind: { code: 'internal', label: 'Internal department', article: 'Art. 4(9)' } },
      {
        id: 'mailwave',
        name: 'Mailwave Inc.',
        kind: { code: 'processor', label: 'Processor', article: 'Art. 28' },
        country: { code: 'US', name: 'United States', outsideEea: true },
      },
    ]);
    // Art. 15(2): the transfer and its safeguard.
    expect(newsletter.transfers).toEqual([
      {
        recipient: 'Mailwave Inc.',
        country: { code: 'US', name: 'United States', outsideEea: true },
        mechanism: { code: 'adequacy', label: expect.any(String), article: 'Art. 45' },
        documentationUrl: 'https://www.dataprivacyframework.gov/list',
      },
    ]);
    expect(newsletter.retention).toEqual([
      {
        text: '3 years from your last contact with us (an order, a click in one of our emails), or at once when you unsubscribe; then deleted',
      },
    ]);

    const orders = activity(pkg, 'customer-orders');
    expect(orders.retention[0]).toEqual({ categories: ['Phone number, for the carrier'], text: '3 months from delivery of the order; then deleted' });
    expect(orders.retention[1]!.text).toMatch(/^2 years from delivery of the order .*; then archived for 3 years \(Code civil, art\. 2224/);
    expect(orders.sources).toEqual([
      {
        kind: { code: 'data_subject', label: 'Collected from the data subject', article: 'Art. 13' },
        explanation: 'Collected from you when you place an order on our website.',
        notFromYou: false,
      },
    ]);
    expect(orders.automatedDecisions).toEqual([]);
  });

  it('part 3: automated decisions with their logic and consequences (Art. 15(1)(h))', () => {
    const pkg = buildAccessPackage(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
    const [decision] = activity(pkg, 'fraud-prevention').automatedDecisions;
    expect(decision).toMatchObject({ legalOrSimilarEffect: true, profiling: true });
    expect(decision!.logic).toMatch(/^The score adds up fixed weights/);
    expect(decision!.consequences).toMatch(/^Your order is cancelled/);
    expect(decision!.safeguards).toMatch(/^You can obtain a review/);
  });

  it('part 3: a source other than the person is marked (Art. 15(1)(g))', () => {
    const register: Register = {
      ...acme,
      activities: acme.activities.map((a) =>
        a.id === 'prospects' ? { ...a, sources: [...(a.sources ?? []), { kind: 'third_party', explanation: { en: 'Rented list from ListCo', fr: 'Liste louée à ListCo' } }] } : a,
      ),
    };
    const pkg = buildAccessPackage(collectedData(), { datasets: DATASETS, register, lang: 'en' });
    expect(activity(pkg, 'prospects').sources.at(-1)).toEqual({
      kind: { code: 'third_party', label: 'Obtained from a third party', article: 'Art. 14' },
      explanation: 'Rented list from ListCo',
      notFromYou: true,
    });
  });

  it('part 3: the rights (Art. 15-22, 7(3), 77) and how to exercise them, and the supervisory authority', () => {
    const pkg = buildAccessPackage(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
    const rights = pkg.processing.rights;
    expect(rights.map((r) => r.code)).toEqual(['access', 'rectification', 'erasure', 'restriction', 'notification', 'portability', 'objection', 'automated_decisions', 'withdraw_consent', 'complaint']);
    expect(rights.find((r) => r.code === 'erasure')).toMatchObject({ label: 'Right to erasure', article: 'Art. 17' });
    expect(pkg.processing.exercise.channels.map((c) => c.kind.code)).toEqual(['web', 'email', 'post']);
    expect(pkg.processing.exercise.channels[1]).toEqual({
      kind: expect.objectContaining({ code: 'email' }),
      value: 'dpo@acme-boutique.example',
      label: 'Email to our data protection officer',
    });
    expect(pkg.processing.complaint.text).toMatch(/right to lodge a complaint with a supervisory authority/);
    expect(pkg.processing.complaint.authority).toEqual({
      name: "Commission nationale de l'informatique et des libertés (CNIL)",
      address: '3 Place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, France',
      url: 'https://www.cnil.fr',
    });
  });

  it('warnings: those of the collection, then the data no register activity explains', () => {
    const pkg = buildAccessPackage(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
    expect(pkg.warnings).toEqual([
      'The system "payment-gateway" has not answered yet (pending).',
      'The data of the dataset "legacy" is not linked to a system of the register: no processing information can be given for it.',
      // Categories of the person's rows no activity of their system lists: their purpose cannot be given.
      'No processing activity of Online shop (Nimbus Commerce) lists this data of yours, so its purpose is not given here: Observed behaviour, IP address.',
      'No processing activity of Online shop (Nimbus Commerce) lists this data of yours, so its purpose is not given here: Identifier.',
      'No processing activity of RiskScore lists this data of yours, so its purpose is not given here: Observed behaviour.',
      // Systems of the register no dataset describes were not searched.
      'These systems of the register were not searched for this answer, as no description of their data is available: PayFlow payment page and dashboard, Mesure Audience, Accounting software (Rhône Conseil), Payroll software (Paie Services), HR shared drive.',
    ]);

    // A system the register does not describe, and a system no activity uses.
    const register: Register = { ...acme, activities: acme.activities.filter((a) => a.id !== 'fraud-prevention') };
    const datasets = DATASETS.map((d) => (d.key === 'mailing' ? { ...d, system: 'mystery' } : d));
    const collected = collectedData();
    collected.collections = collected.collections.map((c) => (c.dataset === 'mailing' ? { ...c, system: 'mystery' } : c));
    const other = buildAccessPackage(collected, { datasets, register, lang: 'en' });
    expect(other.warnings).toContain('The system "mystery" is not described in the register.');
    expect(other.warnings).toContain('The register names no processing activity for the system "RiskScore": no processing information can be given for its data.');
    expect(other.processing.systems.find((s) => s.id === 'mystery')).toMatchObject({ name: 'mystery', activities: [] });
  });

  it('without a register, part 3 says so plainly and invents nothing', () => {
    const pkg = buildAccessPackage(collectedData(), { datasets: DATASETS, controller: { name: 'Acme Boutique SAS' }, lang: 'en' });
    expect(AccessPackage.safeParse(pkg).success).toBe(true);
    expect(pkg.controller).toEqual({ name: 'Acme Boutique SAS' });
    expect(pkg.confirmation.processed).toBe(true);
    expect(pkg.processing.registerGiven).toBe(false);
    expect(pkg.processing.statement).toMatch(/^No register of processing activities was available/);
    expect(pkg.processing.systems).toEqual([]);
    expect(pkg.processing.activities).toEqual([]);
    expect(pkg.processing.exercise.channels).toEqual([]);
    expect(pkg.processing.complaint.authority).toBeUndefined();
    // The copy is still grouped by the system the dataset names, even undescribed; labels are the categories' plain ones.
    expect(pkg.data.map((s) => s.name)).toEqual(['shop', 'emailing', 'fraud-engine', 'Old CRM export']);
    expect(pkg.data[0]!.tables[0]!.fields[1]!.label).toBe('Email address');
    expect(pkg.warnings).toEqual(['The system "payment-gateway" has not answered yet (pending).']);
  });

  it('in French: the package wording, the register texts and the vocabulary labels are French', () => {
    const pkg = buildAccessPackage(collectedData(), { datasets: DATASETS, register: acme, lang: 'fr' });
    expect(pkg.lang).toBe('fr');
    expect(pkg.confirmation.statement).toBe('Oui : Acme Boutique SAS traite des données personnelles vous concernant.');
    expect(pkg.data[0]!.tables[0]!.fields[1]!.label).toBe('Adresse électronique (aussi identifiant de connexion)');
    const newsletter = activity(pkg, 'newsletter');
    expect(newsletter.name).toBe("Lettre d'information");
    expect(newsletter.purposes[0]!.legalBasis).toEqual({ code: 'consent', label: 'Consentement', article: 'Art. 6(1)(a)' });
    expect(newsletter.recipients[1]!.country).toEqual({ code: 'US', name: 'États-Unis', outsideEea: true });
    expect(activity(pkg, 'customer-orders').retention[0]!.text).toBe('3 mois (point de départ : la livraison de la commande) ; puis supprimées');
    // Categories without a register label read in French too (fideslang names them in English only).
    expect(pkg.data[0]!.tables[0]!.fields.map((f) => f.label)).toEqual([
      'Identifiant',
      'Adresse électronique (aussi identifiant de connexion)',
      'Nom et prénom',
      'Comportement observé',
      'Adresse IP',
      'Numéro de téléphone, pour le transporteur',
    ]);
    expect(JSON.stringify(pkg.data)).not.toMatch(/User Contact|Operations Data|Observed Behavior/);
    // The register gives every text in French: nothing is left in another language.
    expect(pkg.partlyInOtherLanguage).toBe(false);
  });

  it('is deterministic: the same input gives the same package', () => {
    const a = buildAccessPackage(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
    const b = buildAccessPackage(collectedData(), { datasets: DATASETS, register: acme, lang: 'en' });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
