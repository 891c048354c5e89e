import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderNotice } from '../../src/notice/render-notice.js';
import { loadRegister } from '../../src/register/load.js';
import type { Activity, Register } from '../../src/register/schema.js';
import { terms } from '../../src/reference/vocabulary.js';
import { htmlStructureProblems } from './check-html-structure.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/registers/notice-sample');

let register: Register;
beforeAll(async () => {
  const { loaded, problems } = await loadRegister(FIXTURE);
  expect(problems).toEqual([]);
  register = loaded!.register;
});

const clone = (r: Register): Register => structuredClone(r);
const activity = (r: Register, id: string): Activity => r.activities.find((a) => a.id === id)!;
/** The text of an HTML page without tags or entities, to assert on what a reader sees. */
const visible = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<\/?(p|li|ul|dt|dd|dl|td|th|tr|caption|h[1-6])(\s[^>]*)?>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');

describe('renderNotice: the information Art. 13 and 14 require (English)', () => {
  let html: string;
  let text: string;
  beforeAll(() => {
    html = renderNotice(register, { lang: 'en', format: 'html' });
    text = visible(html);
  });

  it('identifies the controller, with legal form, registration and address (Art. 13(1)(a))', () => {
    expect(text).toContain(
      'The controller of your personal data is Lumen Books, SAS, registered with RCS Lyon under number 901 234 567, whose registered office is at 12 rue des Imprimeurs, 69002 Lyon, France.',
    );
  });

  it('gives the DPO contact details, as links (Art. 13(1)(b))', () => {
    expect(text).toContain('Our data protection officer is Claire Martin.');
    expect(html).toContain('<a href="mailto:dpo@lumen-books.example">dpo@lumen-books.example</a>');
    expect(text).toContain('By post: Délégué à la protection des données, 12 rue des Imprimeurs, 69002 Lyon, France');
  });

  it('names the representative (Art. 27) and the joint controllers with the essence of the arrangement (Art. 26(2))', () => {
    expect(text).toContain('Our representative in the European Union (Art. 27 GDPR) is Lumen Books UK Ltd.');
    expect(text).toContain('Lyon book fair: Association Lyon Lit — Essence of the arrangement: The association handles registrations');
  });

  it('explains the processor role and names the controller we act for (Art. 28, 30(2))', () => {
    expect(text).toContain('Processor (Art. 28 GDPR): we process this data on behalf of Éditions du Rhône, who decides why and how it is processed.');
    expect(html).toContain('mailto:privacy@editions-rhone.example');
  });

  it('defines the GDPR terms correctly: the controller decides, the processor acts on its behalf', () => {
    expect(text).toContain('Controller The person or organisation that determines the purposes and means of the processing (Art. 4(7) GDPR).');
    expect(text).toContain('Processor A person or organisation that processes personal data on behalf of the controller (Art. 4(8) GDPR).');
    for (const word of ['Personal data', 'Processing', 'Recipient', 'Data subject', 'Legal basis', 'Retention period', 'Data protection officer (DPO)']) {
      expect(html).toContain(`<dt>${word}</dt>`);
    }
  });

  it('groups activities by source of the data, in the seed order (Art. 13 then Art. 14)', () => {
    const h2 = [...html.matchAll(/<h2 id="([^"]+)">/g)].map((m) => m[1]);
    const you = h2.indexOf('data-collected-from-you');
    const third = h2.indexOf('data-collected-from-third-parties');
    const pub = h2.indexOf('data-collected-from-public-sources');
    expect(you).toBeGreaterThan(-1);
    expect(third).toBe(you + 1);
    expect(pub).toBe(third + 1);
    // An activity with two sources is described once, under the first, with both sources; the
    // later group points to it.
    expect(html).toContain('id="data-collected-from-you-recruitment"');
    expect(html).not.toContain('id="data-collected-from-third-parties-recruitment"');
    expect(html.match(/How we process your data: Recruitment</g)).toHaveLength(1);
    expect(html).toMatch(/Also concerned, described above: <a href="#data-collected-from-you-recruitment">Recruitment<\/a>\./);
    // Art. 14(1)(d): per source, the categories that come from it.
    expect(text).toContain('Obtained from a third party: recruitment agencies that forward your CV with your agreement. Data concerned: Identity.');
    expect(text).toContain('Obtained from publicly accessible sources: reviews published on blogs and social networks');
  });

  it('gives each purpose with its legal basis, the legitimate interest pursued, the withdrawal method and the law (Art. 13(1)(c)-(d), 13(2)(c))', () => {
    expect(text).toContain('Managing orders, deliveries and returns — legal basis: performance of a contract (Art. 6(1)(b) GDPR)');
    expect(text).toContain('Keeping invoices — legal basis: legal obligation (Art. 6(1)(c) GDPR)');
    expect(text).toContain('Law: French Commercial Code, article L123-22');
    expect(text).toContain('Legitimate interest pursued: Preventing payment fraud that would cost us and our customers money');
    expect(text).toContain('You can withdraw your consent at any time: click the unsubscribe link at the bottom of every newsletter');
    // A purpose of an activity with a single basis takes that basis.
    expect(text).toContain('Sending our monthly newsletter about new books — legal basis: consent (Art. 6(1)(a) GDPR)');
  });

  it('lists the operations, the data categories with special categories and criminal data marked, and the people concerned', () => {
    expect(text).toContain('Collection, recording, storage, consultation, use, disclosure by transmission, erasure');
    expect(text).toContain('Disability information you choose to give (may incidentally reveal a special category of data: data concerning health (Art. 9(1) GDPR))');
    expect(text).toContain('(data relating to criminal convictions and offences (Art. 10 GDPR))');
    expect(text).toContain('Obligations in the field of employment, social security and social protection law (Art. 9(2)(b) GDPR): adapting interviews');
    // A category without a label is named from the taxonomy, never left as a code.
    expect(text).toContain('IP Address');
    expect(text).not.toContain('user.device.ip_address');
    expect(text).toContain('People concerned Customers paying online');
  });

  it('names the recipients from recipients.yaml, grouped by kind, with sub-processors and never an unused recipient (Art. 13(1)(e))', () => {
    expect(text).toContain('Internal department: Customer service team, Accounting team');
    expect(text).toContain('Processor: ShopCloud Inc.');
    expect(text).toContain('Third party: Rapide Livraison');
    expect(text).toContain('Public authority: Tax authorities');
    expect(text).toContain('Backup Vault Pty, sub-processor of Smith & Mailer Ltd (Australia)');
    expect(text).not.toContain('Never Used Ltd');
    expect(text).toContain('Your data may also be disclosed to public authorities that have a legal right to request it.');
  });

  it('lists each transfer with recipient, country name and safeguard with its article (Art. 13(1)(f))', () => {
    const table = html.slice(html.indexOf('<caption>Transfers outside the EEA and their safeguards</caption>'));
    // The same transfer recorded on two activities is one row naming both.
    expect(table).toContain(
      '<th scope="row"><a href="#data-collected-from-you-customer-orders">Orders and deliveries</a>, <a href="#data-collected-from-you-fraud-screening">Payment fraud screening</a></th><td>ShopCloud Inc.</td><td>United States</td><td><ul><li>Adequacy decision (Art. 45 GDPR)</li>',
    );
    expect(table).toContain('<td>Backup Vault Pty</td><td>Australia</td><td>Standard contractual clauses adopted by the Commission (Art. 46(2)(c) GDPR) — Module 3: processor to processor</td>');
    expect(text).toContain('each transfer is covered by a safeguard listed below');
  });

  it('gives retention periods with their start, end action and statutory archive (Art. 13(2)(a))', () => {
    expect(text).toContain('3 years from the last order; then deleted');
    expect(text).toContain('Order and invoice details: 1 year from the end of the financial year; then archived for 10 years (French Commercial Code, article L123-22)');
    expect(text).toContain('criteria: Until the chargeback period of the card scheme has ended; then deleted');
    expect(text).toContain('6 months from the answer');
    expect(text).toContain('1 month from the end of the fair; then anonymised');
    expect(text).toContain('Data is kept no longer than needed for each purpose, plus the statutory limitation periods.');
  });

  it('describes every right of the vocabulary, and says which activities the limited rights concern', () => {
    for (const right of terms('right')) {
      expect(html).toContain(`<dt>${right.label.en.replace(/'/g, '&#39;')} (`);
      expect(text).toContain(right.description!.en.replace(/\s+/g, ' '));
    }
    expect(text).toContain('This applies to: Payment fraud screening, Book reviews monitoring.');
    expect(text).toContain('This applies to: Lyon book fair, Newsletter.');
  });

  it('says exactly how to exercise the rights: channels, free of charge, identity only on doubt, one month (Art. 12)', () => {
    expect(html).toContain('Email: <a href="mailto:privacy@lumen-books.example">privacy@lumen-books.example</a>');
    expect(html).toContain('Online form: <a href="https://lumen-books.example/privacy/requests">https://lumen-books.example/privacy/requests</a> (request form)');
    expect(text).toContain('Post: Lumen Books – Privacy, 12 rue des Imprimeurs, 69002 Lyon, France');
    expect(text).toContain('69002 Lyon, France To help us find your data, tell us which of our services you use. Exercising your rights is free of charge.');
    expect(text).toContain('only when we have reasonable doubts about it (Art. 12(6) GDPR)');
    expect(text).toContain('We answer within one month of receiving your request.');
  });

  it('gives the consequence of not providing the data, per activity and in general (Art. 13(2)(e))', () => {
    expect(text).toContain('Orders and deliveries: requirement necessary to enter into a contract. Without your name and address we cannot deliver your order.');
    expect(text).toContain('Newsletter: voluntary. You will not receive the newsletter.');
    expect(text).toContain('Fields marked with an asterisk in our forms are required.');
  });

  it('explains automated decisions with their logic, consequences and safeguards (Art. 13(2)(f), 22)', () => {
    expect(text).toContain('Payment fraud screening: An order with a high fraud score is refused automatically');
    expect(text).toContain("Logic involved: The score weighs the match between billing and delivery country, the card's country");
    expect(text).toContain('Significance and envisaged consequences for you: The order is not placed');
    expect(text).toContain('Your safeguards: You can ask our customer service to have a person review the decision');
    // Art. 22(2): the exception it rests on, and under a contract the Art. 22(3) safeguards in law.
    expect(text).toContain('Ground for this decision: necessary for entering into, or performing, a contract with you (Art. 22(2)(a) GDPR).');
    expect(text).toContain('You can obtain human intervention on our part, express your point of view and contest the decision (Art. 22(3) GDPR).');
    const byLaw = clone(register);
    Object.assign(activity(byLaw, 'fraud-screening').automated_decisions![0]!, { exception: 'law', law: 'Code monétaire et financier, art. L561-5' });
    const law = visible(renderNotice(byLaw, { lang: 'fr', format: 'html' }));
    expect(law).toContain("Fondement de cette décision : autorisée par le droit de l'Union ou d'un État membre (art. 22.2.b du RGPD). Texte applicable : Code monétaire et financier, art. L561-5.");
    expect(law).not.toContain('art. 22.3 du RGPD');
  });

  it('describes security once per measure, the cookie policy, and the complaint to the supervisory authority (Art. 13(2)(d), 77)', () => {
    expect(text).toContain('We protect your data against loss, alteration and unauthorised access.');
    expect(text.match(/Role-based access to order data/g)).toHaveLength(1);
    expect(text).toContain('Encryption: TLS in transit, encrypted database at rest');
    // Clauses that already end a sentence are not followed by a semicolon.
    expect(text).toContain('Logging: Every score is logged. Access to applications is logged');
    expect(html).toContain('<a href="https://lumen-books.example/cookies">https://lumen-books.example/cookies</a>');
    expect(text).toContain('you have the right to lodge a complaint with a supervisory authority');
    expect(text).toContain('alleged infringement (Art. 77 GDPR). You can also contact our DPO first; we will try to solve the problem with you. The competent supervisory authority is CNIL.');
    expect(text).toContain('Address: 3 Place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, France');
    expect(html).toContain('<a href="https://www.cnil.fr">https://www.cnil.fr</a>');
  });

  it('is an accessible page: lang, one h1, no skipped level, captions and scoped headers, working anchors', () => {
    expect(htmlStructureProblems(html)).toEqual([]);
    expect(htmlStructureProblems(renderNotice(register, { lang: 'fr', format: 'html' }))).toEqual([]);
  });
});

describe('renderNotice: French', () => {
  it('reads as a French DPO writes it', () => {
    const text = visible(renderNotice(register, { lang: 'fr', format: 'html' }));
    expect(text).toContain('Le responsable du traitement de vos données personnelles est Lumen Books');
    expect(text).toContain('Notre délégué à la protection des données est Claire Martin.');
    expect(text).toContain('Sous-traitant (art. 28 du RGPD) : nous traitons ces données pour le compte d’Éditions du Rhône'.replace('’', "'"));
    expect(text).toContain('Destinataires Service interne : Service client, Service comptabilité');
    expect(text).toContain('Durée de conservation • 3 ans à compter de la dernière commande ; puis supprimées'.replace('• ', ''));
    expect(text).toContain('2 ans à compter du dernier contact avec vous');
    expect(text).toContain("Droit d'opposition (art. 21 du RGPD)");
    expect(text).toContain('Base légale Intérêt légitime (art. 6.1.f du RGPD)');
    expect(text).toContain("Vous pouvez retirer votre consentement à tout moment : cliquez sur le lien de désinscription");
    expect(text).toContain("Réclamation auprès de l'autorité de contrôle");
    expect(text).toContain('Autorité de contrôle compétente : CNIL.');
    expect(text).toContain('États-Unis');
    expect(text).toContain('Clauses contractuelles types adoptées par la Commission (art. 46.2.c du RGPD) — Module 3 : de sous-traitant à sous-traitant');
    expect(text).toContain("Date d'entrée en vigueur : 1er novembre 2026");
  });

  it('marks text without a French translation with its language in HTML, and leaves it as is in Markdown', () => {
    const html = renderNotice(register, { lang: 'fr', format: 'html' });
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<h3 id="data-collected-from-you-fraud-screening"><span lang="en">Payment fraud screening</span></h3>');
    expect(html).toContain('Intérêt légitime poursuivi : <span lang="en">Preventing payment fraud that would cost us and our customers money</span>');
    expect(html).toContain("Certaines parties de cette politique n'existent que dans une autre langue".replace("'", '&#39;'));
    // Translated texts are not marked.
    expect(html).not.toContain('<span lang="en">Commandes et livraisons</span>');
    expect(html).not.toContain('<span lang="fr">');
    const md = renderNotice(register, { lang: 'fr', format: 'md' });
    expect(md).toContain('### Payment fraud screening\n');
    expect(md).not.toContain('lang=');
  });

  it('marks French-only text in the English notice', () => {
    const r = clone(register);
    activity(r, 'newsletter').name = { fr: "Lettre d'information" };
    const html = renderNotice(r, { lang: 'en', format: 'html' });
    expect(html).toContain('<span lang="fr">Lettre d&#39;information</span>');
    expect(html).toContain('Parts of this notice are only available in another language');
    expect(renderNotice(register, { lang: 'en', format: 'html' })).not.toContain('Parts of this notice are only available');
  });
});

describe('renderNotice: escaping', () => {
  const hostile = '<script>alert("x")</script> & \'quoted\' | pipe\nnew line # [link](javascript:alert(1)) $& $1';
  let r: Register;
  beforeAll(() => {
    r = clone(register);
    r.organisation.name = hostile;
    r.organisation.cookie_policy_url = 'javascript:alert(1)';
    const a = activity(r, 'customer-orders');
    a.name = hostile;
    a.purposes![0]!.description = hostile;
    r.recipients.find((x) => x.id === 'carrier')!.name = hostile;
    a.data_subjects![0]!.label = { en: `- ${hostile}`, fr: hostile };
  });

  it('escapes every register text in HTML and never links a javascript: URL', () => {
    const html = renderNotice(r, { lang: 'en', format: 'html' });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; | pipe');
    expect(html).toContain('<title>Privacy notice of &lt;script&gt;');
    // Replacement patterns in register text are text, not instructions.
    expect(html).toContain('javascript:alert(1)) $&amp; $1</title>');
    expect(htmlStructureProblems(html)).toEqual([]);
  });

  it('escapes Markdown so register text can neither become markup nor break a table', () => {
    const md = renderNotice(r, { lang: 'en', format: 'md' });
    expect(md).not.toContain('<script>');
    expect(md).not.toMatch(/[^\\]\]\(javascript:/);
    expect(md).toContain('\\<script\\>alert("x")\\</script\\> \\& \'quoted\' \\| pipe new line \\# \\[link\\](javascript:alert(1))');
    // Every row of every table has as many cells as its header.
    const lines = md.split('\n');
    const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('| ---')) continue;
      const width = cells(lines[i - 1]!);
      for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) expect(cells(lines[j]!), lines[j]).toBe(width);
    }
    // Headings come only from the notice, never from a newline or # in register text.
    const headings = lines.filter((l) => /^#{1,6} /.test(l));
    expect(headings.every((h) => !h.includes('new line') || h.includes('\\#'))).toBe(true);
  });
});

describe('renderNotice: nothing invented', () => {
  it('says "none" only where the register declares none: no transfer, no automated decision', () => {
    const r = clone(register);
    for (const a of r.activities) {
      a.transfers = [];
      a.automated_decisions = [];
    }
    delete r.organisation.statements!.transfers;
    delete r.organisation.cookie_policy_url;
    const text = visible(renderNotice(r, { lang: 'en', format: 'html' }));
    expect(text).toContain('Your personal data is not transferred outside the European Economic Area (EEA).');
    expect(text).toContain('None of the processing described in this notice involves decisions based solely on automated processing');
    expect(text).not.toContain('not stated');
    expect(text).not.toContain('Cookies');
  });

  it('shows what the register does not state as not stated, never as a negative: transfers, automated decisions, retention, sources', () => {
    const r = clone(register);
    for (const a of r.activities) {
      delete a.transfers;
      delete a.automated_decisions;
      delete a.retention;
    }
    delete activity(r, 'customer-orders').sources;
    delete r.organisation.statements!.transfers;
    delete r.organisation.statements!.retention;
    const text = visible(renderNotice(r, { lang: 'en', format: 'html' }));
    expect(text).not.toContain('not transferred outside');
    expect(text).not.toContain('None of the processing');
    expect(text).toContain('The register does not state whether data is transferred outside the European Economic Area (EEA).');
    expect(text).toContain('The register does not state whether the activities described in this notice involve decisions based solely on automated processing.');
    expect(text).toContain('The register gives no retention period for the activities described in this notice.');
    expect(text).toMatch(/How we process your data: Orders and deliveries Item Details Source of the data not stated /);
    expect(text).toMatch(/Retention period not stated/);
    // One activity silent, the others declaring none: the silent one is named, nothing is said of all.
    const one = clone(register);
    for (const a of one.activities) a.automated_decisions = [];
    delete activity(one, 'newsletter').automated_decisions;
    const named = visible(renderNotice(one, { lang: 'en', format: 'html' }));
    expect(named).toContain('The register does not state whether the following activities involve decisions based solely on automated processing: Newsletter.');
    expect(named).not.toContain('None of the processing');
  });

  it('gives a processor activity no legal basis and no rights that depend on one: the controller answers, with our help (Art. 28(3)(e))', () => {
    const r = clone(register);
    // Even a purpose that names a basis: it is the controller's to give.
    activity(r, 'publisher-support').purposes![0]!.legal_basis = 'contract';
    const html = renderNotice(r, { lang: 'en', format: 'html' });
    const at = html.indexOf('id="data-collected-from-third-parties-publisher-support"');
    expect(at).toBeGreaterThan(-1);
    const support = html.slice(at, html.indexOf('</table>', at));
    expect(support).toContain('Requests about your rights concerning this data go to the controller; we help them answer (Art. 28(3)(e) GDPR).');
    expect(support).not.toContain('Legal basis');
    expect(support).not.toContain('legal basis:');
    const rights = visible(html.slice(html.indexOf('id="rights"')));
    expect(rights).toContain('This applies to:');
    expect(rights).not.toContain('Reader support for partner publishers');
  });

  it('is one document: one introduction, the organisation\'s own where it wrote one; its recipients statement before the list it introduces', () => {
    const html = renderNotice(register, { lang: 'en', format: 'html' });
    const text = visible(html);
    expect(text).toContain('We sell books online and in our Lyon shop.');
    expect(text).not.toContain('This notice explains how Lumen Books processes');
    const bare = clone(register);
    delete bare.organisation.statements!.introduction;
    expect(visible(renderNotice(bare, { lang: 'en', format: 'html' }))).toContain('This notice explains how Lumen Books processes your personal data');
    const recipients = text.slice(text.indexOf('Recipients of your data'));
    expect(recipients.indexOf('Your data may also be disclosed to public authorities')).toBeLessThan(recipients.indexOf('Depending on the activity'));
    // Each section id once.
    const ids = [...html.matchAll(/<h[23] id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names data the register only flags as possibly special in its own words, asserting no special category', () => {
    const r = clone(register);
    activity(r, 'customer-orders').data_categories!.push({ category: 'user.content', label: 'Opinions expressed', possibly_special: true });
    const text = visible(renderNotice(r, { lang: 'en', format: 'html' }));
    expect(text).toContain('Opinions expressed');
    expect(text).not.toMatch(/Opinions expressed \(/);
  });

  it('renders a register with only a name: no invented controller details, DPO or channels', () => {
    const bare: Register = { organisation: { id: 'x', name: 'Bare Org', default_language: 'en' }, activities: [], recipients: [], systems: [] };
    const html = renderNotice(bare, { lang: 'en', format: 'html' });
    const text = visible(html);
    expect(text).toContain('The controller of your personal data is Bare Org.');
    expect(html).not.toContain('id="dpo"');
    expect(text).toContain('The register names no channel for exercising your rights.');
    expect(text).toContain('The register names no recipient of your data.');
    expect(text).not.toContain('The competent supervisory authority');
    expect(htmlStructureProblems(html)).toEqual([]);
  });

  it('does not guess the legal basis of a purpose when the activity has several and the purpose names none', () => {
    const r = clone(register);
    delete activity(r, 'customer-orders').purposes![0]!.legal_basis;
    const text = visible(renderNotice(r, { lang: 'en', format: 'html' }));
    expect(text).toContain('Managing orders, deliveries and returns Keeping invoices — legal basis: legal obligation');
    expect(text).not.toContain('Managing orders, deliveries and returns — legal basis');
  });
});

describe('renderNotice: determinism and size', () => {
  it('gives the same output for the same register, and a timestamp only when asked', () => {
    const a = renderNotice(register, { lang: 'en', format: 'html' });
    expect(renderNotice(clone(register), { lang: 'en', format: 'html' })).toBe(a);
    expect(a).not.toMatch(/Generated on/);
    const stamped = renderNotice(register, { lang: 'en', format: 'md', generatedAt: '2026-11-28T01:00:00Z' });
    expect(stamped).toContain('Generated on 28 November 2026 from the register of processing activities.');
  });

  // How fast is `npm run bench:register`'s to measure (docs/BENCHMARKS.md), not a test's to assert.
  it('renders every one of 1,000 activities, in both formats', () => {
    const big = clone(register);
    const templates = register.activities;
    big.activities = Array.from({ length: 1000 }, (_, i) => ({ ...structuredClone(templates[i % templates.length]!), id: `activity-${i}` }));
    const html = renderNotice(big, { lang: 'en', format: 'html' });
    const md = renderNotice(big, { lang: 'en', format: 'md' });
    expect(html.match(/<h3 id="data-collected-from/g)!.length).toBeGreaterThanOrEqual(1000);
    expect(md.length).toBeGreaterThan(100_000);
  });
});
