/**
 * Writes a synthetic but realistic register of N processing activities (for benchmarks): every
 * activity has purposes with bases, categories, subjects, recipients, a transfer, retention per
 * category and security measures, in English and French, like a real register of a large group.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';

const USES = ['essential.service', 'marketing.communications.email', 'analytics.reporting', 'employment.recruitment', 'finance', 'operations'];
const CATEGORIES = ['user.contact.email', 'user.name', 'user.contact.address.postal_code', 'user.device.ip_address', 'user.behavior.purchase_history', 'user.financial.bank_account'];
const SUBJECTS = ['customer', 'prospect', 'employee', 'supplier_vendor'];

export async function generateRegister(dir: string, activities: number): Promise<void> {
  await mkdir(path.join(dir, 'activities'), { recursive: true });
  const recipientCount = Math.max(10, Math.ceil(activities / 10));
  await writeFile(
    path.join(dir, 'organisation.yaml'),
    stringify({
      id: 'bench-group',
      name: 'Bench Group SA',
      legal_form: 'Société anonyme',
      registration: { register: 'RCS Paris', number: '000 000 000' },
      address: { lines: ['1 rue de la Paix'], postal_code: '75002', city: 'Paris', country: 'FR' },
      contact: { email: 'contact@bench.example' },
      dpo: { email: 'dpo@bench.example' },
      supervisory_authority: { name: 'CNIL', country: 'FR', url: 'https://www.cnil.fr' },
      rights_channels: [{ kind: 'email', value: 'dpo@bench.example' }],
      cookie_policy_url: 'https://bench.example/cookies',
      default_language: 'en',
      languages: ['en', 'fr'],
      statements: { provision: { en: 'Some data is needed to provide the service.', fr: 'Certaines données sont nécessaires au service.' } },
    }),
  );
  const recipients = Array.from({ length: recipientCount }, (_, i) => ({
    id: `vendor-${i}`,
    name: { en: `Vendor ${i}`, fr: `Prestataire ${i}` },
    kind: 'processor',
    country: i % 7 === 0 ? 'US' : 'FR',
    dpa_reference: `DPA-${i}`,
    ...(i % 7 === 0 ? { dpf_certified: true } : {}),
  }));
  await writeFile(path.join(dir, 'recipients.yaml'), stringify({ recipients }));
  await writeFile(path.join(dir, 'systems.yaml'), stringify({ systems: [{ id: 'erp', name: 'ERP', hosting_country: 'FR' }] }));
  const writes: Promise<void>[] = [];
  for (let n = 0; n < activities; n++) {
    const id = `activity-${String(n).padStart(5, '0')}`;
    const vendor = (k: number) => `vendor-${(n + k) % recipientCount}`;
    const usVendor = `vendor-${7 * (n % Math.ceil(recipientCount / 7))}`;
    const recipients = [...new Set([vendor(1), vendor(2), usVendor])];
    // Every vendor in the US (every seventh) is a declared transfer, under the DPF adequacy decision.
    const transfers = recipients
      .filter((r) => Number(r.slice('vendor-'.length)) % 7 === 0)
      .map((r) => ({ recipient: r, country: 'US', mechanism: 'adequacy' }));
    const activity = {
      id,
      name: { en: `Processing activity ${n}`, fr: `Traitement ${n}` },
      role: 'controller',
      sources: [{ kind: 'data_subject', explanation: { en: 'Given by the person.', fr: 'Fournies par la personne.' } }],
      operations: ['collection', 'recording', 'storage', 'use', 'erasure'],
      purposes: [
        { id: 'main', description: { en: `Main purpose ${n}`, fr: `Finalité principale ${n}` }, data_use: USES[n % USES.length], legal_basis: 'contract' },
        { id: 'secondary', description: { en: `Secondary purpose ${n}`, fr: `Finalité secondaire ${n}` }, data_use: USES[(n + 1) % USES.length], legal_basis: 'legitimate_interests' },
      ],
      legal_bases: [
        { basis: 'contract' },
        { basis: 'legitimate_interests', interest: { en: 'Improving our service.', fr: 'Améliorer notre service.' } },
      ],
      data_categories: [0, 1, 2].map((k) => ({ category: CATEGORIES[(n + k) % CATEGORIES.length], label: { en: `Category ${k}`, fr: `Catégorie ${k}` } })),
      data_subjects: [{ category: SUBJECTS[n % SUBJECTS.length], label: { en: 'People', fr: 'Personnes' } }],
      recipients,
      transfers: transfers.length > 0 ? transfers : 'none',
      retention: [{ duration: 'P1Y', starts_from: { en: 'end of the contract', fr: 'la fin du contrat' }, end_action: 'delete' }],
      security_measures: [{ kind: 'access_control' }, { kind: 'encryption' }],
      provision: { requirement: 'contractual', consequences: { en: 'No service without it.', fr: 'Pas de service sans elles.' } },
      systems: ['erp'],
      automated_decisions: 'none',
    };
    writes.push(writeFile(path.join(dir, 'activities', `${id}.yaml`), stringify(activity)));
  }
  await Promise.all(writes);
}
