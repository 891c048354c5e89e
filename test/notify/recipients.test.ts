/**
 * Who is told, and how (Art. 19), on the acme-shop example: the recipients of the activities the
 * person's data fall under, the operators of the systems the change was made in, sub-processors;
 * routed by notifications.yaml or told by hand, none dropped.
 */
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDatasets } from '../../src/dataset/load-datasets.js';
import type { Dataset } from '../../src/dataset/model.js';
import { recipientsToTell, routesWithoutRecipient } from '../../src/notify/recipients.js';
import { NotificationRoutes } from '../../src/notify/routes-schema.js';
import { loadRegister } from '../../src/register/load.js';
import type { Register } from '../../src/register/schema.js';

const EXAMPLE = path.resolve('examples/acme-shop');

let register: Register;
let datasets: Dataset[];
beforeAll(async () => {
  const { loaded, problems } = await loadRegister(EXAMPLE);
  expect(problems).toEqual([]);
  register = loaded!.register;
  const ds = await loadDatasets(path.join(EXAMPLE, 'datasets'));
  expect(ds.problems.filter((p) => p.severity === 'error')).toEqual([]);
  datasets = ds.datasets;
});

const routes = (yaml: string) => NotificationRoutes.parse(loadYaml(yaml));

const NOTIFICATIONS = routes(`
routes:
  nimbus-commerce:
    webhook: { url: https://hooks.nimbus-commerce.example/opendpo, secret_env: NIMBUS_ART19_SECRET }
  colis-express:
    email: { to: dpo@colis-express.example, language: fr }
  riskscore:
    nats: { subject: riskscore.art19 }
  mailwave:
    nats: {}
`);

describe('recipientsToTell on acme-shop', () => {
  it('tells every recipient of the activities, in the order of recipients.yaml, by hand when no route is given', () => {
    const result = recipientsToTell(register, ['customer-orders']);
    expect(result.unknownActivities).toEqual([]);
    expect(result.undescribed).toEqual([]);
    expect(result.recipients.map((r) => [r.id, r.kind, r.country, r.reach.channel])).toEqual([
      ['customer-service', 'internal', undefined, 'by_hand'],
      ['logistics', 'internal', undefined, 'by_hand'],
      ['nimbus-commerce', 'processor', 'FR', 'by_hand'],
      ['colis-express', 'processor', 'FR', 'by_hand'],
      ['relais-colis', 'processor', 'FR', 'by_hand'],
    ]);
    const colis = result.recipients.find((r) => r.id === 'colis-express')!;
    expect(colis.name).toEqual({ en: 'Colis Express SAS', fr: 'Colis Express SAS' });
    expect(colis.receivedThrough).toEqual({ activities: ['customer-orders'], systems: [], processors: [] });
    expect(colis.categories).toContain('user.contact.address');
    expect(colis.note).toBeUndefined();
    // Internal teams are listed too, with what the person telling them should know.
    expect(result.recipients[0]!.note).toMatch(/own team/);
  });

  it('gives each recipient its route from notifications.yaml', () => {
    const result = recipientsToTell(register, ['customer-orders', 'fraud-prevention', 'newsletter'], undefined, NOTIFICATIONS);
    const reach = Object.fromEntries(result.recipients.map((r) => [r.id, r.reach]));
    expect(reach).toEqual({
      'customer-service': { channel: 'by_hand' },
      logistics: { channel: 'by_hand' },
      marketing: { channel: 'by_hand' },
      'nimbus-commerce': { channel: 'webhook', url: 'https://hooks.nimbus-commerce.example/opendpo', secretEnv: 'NIMBUS_ART19_SECRET' },
      'colis-express': { channel: 'email', to: 'dpo@colis-express.example', language: 'fr' },
      'relais-colis': { channel: 'by_hand' },
      mailwave: { channel: 'nats' },
      riskscore: { channel: 'nats', subject: 'riskscore.art19' },
    });
    // A recipient named by two activities is told once, with both.
    expect(result.recipients.filter((r) => r.id === 'customer-service')).toHaveLength(1);
    expect(result.recipients.find((r) => r.id === 'customer-service')!.receivedThrough.activities).toEqual(['customer-orders', 'fraud-prevention']);
    expect(result.recipients.find((r) => r.id === 'mailwave')).toMatchObject({ country: 'US', receivedThrough: { activities: ['newsletter'] } });
  });

  it('adds the operators of the systems the change was carried out in, with the categories held there', () => {
    const result = recipientsToTell(register, ['customer-accounts'], datasets);
    const byId = new Map(result.recipients.map((r) => [r.id, r]));
    // customer-accounts names nimbus-commerce; the shop database also serves the accounting, fraud,
    // support and newsletter systems, whose operators hold those tables' data.
    expect([...byId.keys()]).toEqual(['customer-service', 'nimbus-commerce', 'mailwave', 'helpdesk-cloud', 'riskscore', 'cabinet-comptable']);
    expect(byId.get('nimbus-commerce')!.receivedThrough).toEqual({ activities: ['customer-accounts'], systems: ['shop'], processors: [] });
    expect(byId.get('mailwave')!.receivedThrough).toEqual({ activities: [], systems: ['emailing'], processors: [] });
    expect(byId.get('mailwave')!.categories.every((c) => c.startsWith('user.'))).toBe(true);
    expect(byId.get('mailwave')!.categories).toContain('user.contact.email');
  });

  it('follows sub-processors at any depth, and names public authorities with Art. 4(9) in mind', () => {
    const withSubs: Register = {
      ...register,
      recipients: [
        ...register.recipients,
        { id: 'cloud-host', name: 'Cloud Host GmbH', kind: 'processor', country: 'DE', sub_processor_of: 'payflow' },
        { id: 'backup-vault', name: 'Backup Vault BV', kind: 'processor', country: 'NL', sub_processor_of: 'cloud-host' },
        { id: 'unrelated-sub', name: 'Unrelated', kind: 'processor', sub_processor_of: 'mailwave' },
      ],
    };
    const result = recipientsToTell(withSubs, ['payment', 'accounting']);
    const ids = result.recipients.map((r) => r.id);
    expect(ids).toEqual(['customer-service', 'management', 'payflow', 'cabinet-comptable', 'tax-authority', 'cloud-host', 'backup-vault']);
    const backup = result.recipients.find((r) => r.id === 'backup-vault')!;
    expect(backup.receivedThrough).toEqual({ activities: [], systems: [], processors: ['cloud-host'] });
    expect(backup.categories).toEqual(result.recipients.find((r) => r.id === 'payflow')!.categories);
    expect(result.recipients.find((r) => r.id === 'tax-authority')!.note).toMatch(/Art\. 4\(9\)/);
  });

  it('names activity ids it does not know and recipient ids recipients.yaml does not describe, never dropping them', () => {
    const broken: Register = {
      ...register,
      activities: register.activities.map((a) => (a.id === 'newsletter' ? { ...a, recipients: [...(a.recipients ?? []), 'ghost-agency'] } : a)),
    };
    const result = recipientsToTell(broken, ['newsletter', 'no-such-activity', 'newsletter']);
    expect(result.unknownActivities).toEqual(['no-such-activity']);
    expect(result.undescribed).toEqual([{ id: 'ghost-agency', activities: ['newsletter'] }]);
    expect(result.recipients.map((r) => r.id)).toEqual(['marketing', 'mailwave']);
  });

  it('returns nothing to tell for no activity', () => {
    expect(recipientsToTell(register, [])).toEqual({ recipients: [], undescribed: [], unknownActivities: [] });
  });
});

describe('notifications.yaml', () => {
  const refused = (yaml: string) => {
    const parsed = NotificationRoutes.safeParse(loadYaml(yaml));
    expect(parsed.success).toBe(false);
    return parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
  };

  it('refuses a secret written in the file, an http URL beyond this machine, two channels for one recipient', () => {
    expect(refused('routes: { payflow: { webhook: { url: "https://x.example", secret: "s3cr3t" } } }')).toMatch(/secret/);
    expect(refused('routes: { payflow: { webhook: { url: "https://x.example", secret_env: "lower-case" } } }')).toMatch(/environment variable/);
    expect(refused('routes: { payflow: { webhook: { url: "http://hooks.payflow.example/", secret_env: "S" } } }')).toMatch(/https: URL/);
    expect(refused('routes: { payflow: { webhook: { url: "https://u:p@hooks.payflow.example/", secret_env: "S" } } }')).toMatch(/user name or password/);
    expect(refused('routes: { payflow: { email: { to: "a@b.example" }, nats: {} } }')).toMatch(/exactly one/);
    expect(refused('routes: { payflow: {} }')).toMatch(/exactly one/);
    expect(refused('routes: { payflow: { email: { to: "not an address" } } }')).toMatch(/email/);
    expect(refused('routes: { payflow: { nats: { subject: "a.*" } } }')).toMatch(/wildcards/);
    expect(refused('routes: { PayFlow: { nats: {} } }')).toMatch(/lowercase/);
    expect(routes('routes: { payflow: { webhook: { url: "http://127.0.0.1:8080/hook", secret_env: "S" } } }').routes.payflow).toEqual({
      channel: 'webhook',
      url: 'http://127.0.0.1:8080/hook',
      secretEnv: 'S',
    });
  });

  it('names routes for recipients the register does not have, with the closest id', () => {
    const typo = routes('routes: { colis-expres: { email: { to: "dpo@colis.example" } }, payflow: { nats: {} }, nobody-at-all: { nats: {} } }');
    expect(routesWithoutRecipient(register, typo)).toEqual([{ id: 'colis-expres', suggestion: 'colis-express' }, { id: 'nobody-at-all' }]);
    expect(routesWithoutRecipient(register, NOTIFICATIONS)).toEqual([]);
  });
});
