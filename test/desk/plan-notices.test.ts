/**
 * Which recipients a completed rectification, erasure or restriction is told to (Art. 19), on the
 * example shop's register and datasets: those of the activities of the systems the change touched,
 * the operators of those systems; every activity's when carried out by hand without datasets; a
 * route's channel or a person; the categories the change concerned; the subject reference an HMAC
 * the recipient can compute, never the identity.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetsOrThrow, type LoadDatasetsResult } from '../../src/dataset/load-datasets.js';
import { planNotices, recipientsLine, subjectReference } from '../../src/desk/notices/plan-notices.js';
import { NotificationRoutes } from '../../src/notify/routes-schema.js';
import { loadRegister } from '../../src/register/load.js';
import type { Register } from '../../src/register/schema.js';
import { EXAMPLE } from '../dsr/shop-targets.js';
import { ROOT } from '../helpers/cli.js';

let register: Register;
let loaded: LoadDatasetsResult;
const now = new Date('2026-03-12T09:30:00Z');

beforeAll(async () => {
  register = (await loadRegister(`${ROOT}/examples/acme-shop`)).loaded!.register;
  loaded = await loadDatasetsOrThrow(EXAMPLE);
});

const routes = NotificationRoutes.parse({
  routes: {
    'nimbus-commerce': { webhook: { url: 'https://hooks.nimbus.example/art19', secret_env: 'NIMBUS_SECRET' }, subject_ref: { identity: 'email', key_env: 'NIMBUS_REF' } },
    'colis-express': { email: { to: 'dpo@colis-express.example', language: 'fr' } },
    mailwave: { nats: {} },
  },
});

describe('planNotices', () => {
  it('tells, for an erasure in the shop\'s customer table, the recipients of the activities of the shop system and its operator, by route or by hand', () => {
    const rows = planNotices({
      register,
      action: 'erasure',
      datasets: loaded.datasets,
      changed: [{ dataset: 'shop', collection: 'customer', categories: ['user.contact.email', 'user.name'] }],
      routes,
      now,
    });
    const byRecipient = Object.fromEntries(rows.map((r) => [r.recipient_id, r]));
    // customer-accounts, customer-orders and prospects run on the shop system; nimbus-commerce operates it.
    expect(Object.keys(byRecipient).sort()).toEqual(['colis-express', 'customer-service', 'logistics', 'mailwave', 'marketing', 'nimbus-commerce', 'relais-colis'].sort());
    expect(byRecipient['nimbus-commerce']).toMatchObject({ channel: 'webhook', state: 'pending', next_attempt_at: now.toISOString(), deliveries: 0, action: 'erasure' });
    expect(byRecipient['colis-express']).toMatchObject({ channel: 'email', state: 'pending' });
    expect(byRecipient.mailwave).toMatchObject({ channel: 'nats', state: 'pending' });
    expect(byRecipient['customer-service']).toMatchObject({ channel: 'by_hand', state: 'by_hand', next_attempt_at: null });
    // Not the payroll's or accounting's recipients: the change did not touch their systems.
    expect(byRecipient['paie-services']).toBeUndefined();
    expect(byRecipient['cabinet-comptable']).toBeUndefined();
    for (const r of rows) {
      const categories = JSON.parse(r.categories_json) as string[];
      expect(categories.length, r.recipient_id).toBeGreaterThan(0);
      for (const c of categories) expect(c === 'user' || c.startsWith('user.'), `${r.recipient_id}: ${c}`).toBe(true);
      expect(new Set(rows.map((x) => x.id)).size).toBe(rows.length);
    }
    // The operator of the shop holds the customer table: told of the categories the erasure concerned.
    expect(JSON.parse(byRecipient['nimbus-commerce']!.categories_json)).toEqual(expect.arrayContaining(['user.contact.email']));
    expect(JSON.parse(byRecipient['nimbus-commerce']!.categories_json)).not.toContain('user.financial');
  });

  it('tells the recipients of the helpdesk only when the change touched the support tickets', () => {
    const tickets = planNotices({ register, action: 'restriction', datasets: loaded.datasets, changed: [{ dataset: 'shop', collection: 'support_ticket', categories: ['user.contact.email'] }], now });
    expect(tickets.map((r) => r.recipient_id).sort()).toEqual(['customer-service', 'helpdesk-cloud']);
    expect(tickets.every((r) => r.channel === 'by_hand')).toBe(true);
    expect(planNotices({ register, action: 'erasure', datasets: loaded.datasets, changed: [], now })).toEqual([]);
  });

  it('tells, for a change carried out by hand, the recipients of every activity of the datasets\' systems, or of the whole register without datasets', () => {
    const withDatasets = planNotices({ register, action: 'rectification', datasets: loaded.datasets, now }).map((r) => r.recipient_id);
    expect(withDatasets).toEqual(expect.arrayContaining(['nimbus-commerce', 'helpdesk-cloud', 'riskscore', 'cabinet-comptable', 'mailwave']));
    expect(withDatasets).not.toContain('paie-services');
    const everything = planNotices({ register, action: 'rectification', datasets: [], now }).map((r) => r.recipient_id);
    expect(everything).toEqual(expect.arrayContaining(['paie-services', 'social-security-bodies', 'nimbus-commerce']));
  });

  it('names the person by the route\'s subject reference only when asked', () => {
    const rows = planNotices({
      register,
      action: 'erasure',
      datasets: loaded.datasets,
      changed: [{ dataset: 'shop', collection: 'customer', categories: ['user.contact.email'] }],
      routes,
      subjectRef: (id) => (id === 'nimbus-commerce' ? subjectReference('k'.repeat(32), 'email', 'Zoé.Durand@Example.org ') : undefined),
      now,
    });
    const ref = rows.find((r) => r.recipient_id === 'nimbus-commerce')!.subject_ref!;
    expect(ref).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(ref).toBe(subjectReference('k'.repeat(32), 'email', 'zoé.durand@example.org'));
    expect(ref).not.toBe(subjectReference('l'.repeat(32), 'email', 'zoé.durand@example.org'));
    expect(rows.filter((r) => r.subject_ref !== null)).toHaveLength(1);
  });
});

describe('recipientsLine', () => {
  it('says in the request\'s language how many recipients are told, and nothing when none', () => {
    expect(recipientsLine('en', 0)).toEqual([]);
    expect(recipientsLine('en', 3)[0]).toContain('the 3 recipients');
    expect(recipientsLine('fr', 1)[0]).toContain('le destinataire');
  });
});
