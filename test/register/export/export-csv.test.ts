import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, exportCsv } from '../../../src/register/export/export-csv.js';
import { loadRegister } from '../../../src/register/load.js';
import type { Register } from '../../../src/register/schema.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/registers');

async function fixture(name: string): Promise<Register> {
  const { loaded, problems } = await loadRegister(path.join(FIXTURES, name));
  expect(problems).toEqual([]);
  return loaded!.register;
}

/** A strict RFC 4180 reader, so the test does not trust the writer it checks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') throw new Error(`bare line break outside quotes at ${i}`);
    else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) throw new Error('the last record does not end with CRLF');
  return rows;
}

function table(csv: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(csv.replace(/^\uFEFF/, ''));
  return rows.map((r) => {
    expect(r).toHaveLength(header!.length);
    return Object.fromEntries(header!.map((h, i) => [h, r[i]!]));
  });
}

describe('exportCsv', () => {
  it('writes RFC 4180 with a BOM, a header row in the language, and one row per activity', async () => {
    const csv = exportCsv(await fixture('diff-after'), 'fr');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [header] = parseCsv(csv.slice(1));
    expect(header).toEqual(CSV_COLUMNS.map((c) => c.fr));
    const rows = table(csv);
    expect(rows.map((r) => r['Référence'])).toEqual(['newsletter', 'orders', 'recruitment']);
  });

  it('fills the CNIL columns from the register, with labels from the reference vocabulary', async () => {
    const [newsletter, orders] = table(exportCsv(await fixture('diff-after'), 'fr'));
    expect(newsletter!['Nom du traitement']).toBe("Lettre d'information");
    expect(newsletter!['Date de création']).toBe('2024-01-15');
    expect(newsletter!['Responsable du traitement (nom, adresse, contact)']).toBe(
      "Acme Test SAS, SAS\nRCS Paris 123 456 789\n12 rue de l'Exemple, 75011 Paris, France\ncontact@acme-test.example",
    );
    expect(newsletter!['Délégué à la protection des données']).toContain('privacy-officer@acme-test.example');
    expect(newsletter!['Finalité principale (base légale)']).toBe('Envoi de la lettre hebdomadaire — Consentement (Art. 6(1)(a))');
    expect(newsletter!['Sous-finalités (base légale)']).toBe('Adapter les offres de la lettre aux achats passés — Intérêt légitime (Art. 6(1)(f))');
    expect(newsletter!['Bases légales']).toContain('Consentement (Art. 6(1)(a)) — retrait : Le lien de désinscription de chaque message');
    expect(newsletter!['Catégories de données personnelles (durée de conservation)']).toBe(
      'Adresse électronique (user.contact.email) — 5 ans (point de départ : le dernier contact), puis suppression',
    );
    expect(newsletter!['Données sensibles']).toBe('Non');
    expect(newsletter!['Destinataires : sous-traitants']).toBe('Hébergeur Exemple (France, contrat de sous-traitance : DPA-2024-01)\nMailer Inc. (États-Unis)');
    expect(newsletter!['Transferts hors UE : destinataire']).toBe('Mailer Inc.');
    expect(newsletter!['Transferts hors UE : pays']).toBe('États-Unis');
    expect(newsletter!['Transferts hors UE : garanties']).toBe(
      'Clauses contractuelles types adoptées par la Commission (Art. 46(2)(c)) — Module 2 : de responsable du traitement à sous-traitant',
    );
    expect(newsletter!['Transferts hors UE : documentation']).toBe('https://acme-test.example/privacy/scc-mailer');
    expect(newsletter!['Mesures de sécurité']).toBe('Chiffrement : TLS in transit');

    expect(orders!['Destinataires : services internes']).toBe('Service comptabilité');
    expect(orders!['Destinataires : autorités publiques']).toBe('Administration fiscale (France)');
    expect(orders!['Durées de conservation']).toBe(
      'Nom (user.name), Adresse postale (user.contact.address) : 3 ans (point de départ : la fin du contrat), puis suppression\n' +
        "Factures (user.financial) : 10 ans (point de départ : la clôture de l'exercice), puis archivage intermédiaire pendant 10 ans (Code de commerce, art. L123-22)",
    );
    expect(orders!["Analyse d'impact (AIPD)"]).toBe('Non requise');
  });

  it('writes English labels with --lang en', async () => {
    const [newsletter] = table(exportCsv(await fixture('diff-after'), 'en'));
    expect(newsletter!['Processing activity']).toBe('Newsletter');
    expect(newsletter!['Main purpose (legal basis)']).toBe('Sending the weekly newsletter — Consent (Art. 6(1)(a))');
    expect(newsletter!['Transfers outside the EU: country']).toBe('United States');
    expect(newsletter!['Retention periods']).toBe('All data: 5 years from the last contact, then deletion');
  });

  it('says which sensitive data is processed and under which Art. 9(2) condition', () => {
    const register: Register = {
      organisation: { id: 'clinic', name: 'Clinic', default_language: 'en' },
      recipients: [],
      systems: [],
      activities: [
        {
          id: 'patients',
          name: 'Patients',
          role: 'processor',
          controllers: [{ name: 'Hospital A', contact: { email: 'dpo@hospital-a.example' } }],
          data_categories: [{ category: 'user.health_and_medical', label: 'Medical records' }, { category: 'user.name' }],
          special_category_conditions: [{ condition: 'health_or_social_care' }],
        },
        { id: 'videos', name: 'Event videos', role: 'controller', data_categories: [{ category: 'user.content', special_category: 'political_opinions', incidental: true }] },
      ],
    };
    const [patients, videos] = table(exportCsv(register, 'en'));
    expect(patients!['Sensitive data']).toBe('Yes');
    expect(patients!['Sensitive data: which, and the condition (Art. 9(2), Art. 10)']).toBe(
      'Data concerning health (Art. 9(1)): Medical records (user.health_and_medical)\n' +
        'condition: Preventive or occupational medicine, medical diagnosis, health or social care (Art. 9(2)(h))',
    );
    expect(patients!['Role of the organisation']).toBe('Processor');
    expect(patients!['Controllers on whose behalf the processing is carried out (Art. 30(2))']).toBe('Hospital A, dpo@hospital-a.example');
    expect(videos!['Sensitive data: which, and the condition (Art. 9(2), Art. 10)']).toBe(
      'Political opinions (Art. 9(1)): User Content (user.content), incidental\ncondition: no condition stated',
    );
  });

  it('tells a transfer or a sensitive category declared absent from one the register does not state', () => {
    const activity = (id: string, extra: Partial<Register['activities'][number]>): Register['activities'][number] => ({ id, name: id, role: 'controller', ...extra });
    const register: Register = {
      organisation: { id: 'shop', name: 'Shop', default_language: 'en' },
      recipients: [],
      systems: [],
      activities: [
        activity('declared', { transfers: [], data_categories: [{ category: 'user.name' }] }),
        activity('silent', {}),
        activity('hosted', { role: 'processor', controllers: [{ name: 'Client' }] }),
      ],
    };
    const [declared, silent, hosted] = table(exportCsv(register, 'en'));
    const recipients = 'Transfers outside the EU: recipient';
    expect([declared![recipients], silent![recipients], hosted![recipients]]).toEqual(['None', 'Not stated', '']);
    expect([declared!['Sensitive data'], silent!['Sensitive data']]).toEqual(['No', 'Not stated']);
    const [declaredFr] = table(exportCsv(register, 'fr'));
    expect(Object.values(declaredFr!)).toContain('Aucun');
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    const register: Register = {
      organisation: { id: 'x', name: '=HYPERLINK("http://evil.example","click")', default_language: 'en' },
      recipients: [],
      systems: [],
      activities: [{ id: 'a', name: '+cmd|calc', role: 'controller', purposes: [{ description: '@SUM(1+1)' }] }],
    };
    const [row] = table(exportCsv(register, 'en'));
    expect(row!['Processing activity']).toBe("'+cmd|calc");
    expect(row!['Controller (name, address, contact)']).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(row!['Main purpose (legal basis)']).toBe("'@SUM(1+1)");
  });
});
