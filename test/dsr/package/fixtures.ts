/**
 * Hand-made inputs for the access package and portability tests: datasets built as model objects,
 * the acme-shop register loaded from examples/, and what a request collected from them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import type { Row } from '../../../src/connectors/connector.js';
import type { Collection, Dataset, DatasetField, Provenance } from '../../../src/dataset/model.js';
import type { CollectedCollection, CollectedData } from '../../../src/dsr/collected.js';
import { loadRegister } from '../../../src/register/load.js';
import type { Register } from '../../../src/register/schema.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const ACME_DIR = path.join(ROOT, 'examples/acme-shop');

export async function loadAcme(): Promise<Register> {
  const { loaded, problems } = await loadRegister(ACME_DIR);
  if (!loaded || problems.some((p) => p.severity === 'error')) throw new Error(`acme-shop does not load: ${problems.map((p) => p.message).join('; ')}`);
  return loaded.register;
}

const at = { file: 'datasets/test.yaml', line: 1, column: 1 };

interface FieldSpec {
  name: string;
  categories: string[];
  provenance?: Provenance;
  identity?: string;
  primaryKey?: boolean;
}

const field = (f: FieldSpec): DatasetField => ({
  name: f.name,
  categories: f.categories,
  ...(f.identity ? { identity: f.identity } : {}),
  primaryKey: f.primaryKey ?? false,
  references: [],
  ...(f.provenance ? { provenance: f.provenance } : {}),
  readOnly: false,
  at,
});

const collection = (name: string, fields: FieldSpec[], subject?: string): Collection => ({
  name,
  ...(subject ? { subject } : {}),
  fields: fields.map(field),
  erasure: { strategy: 'mask' },
  skip: false,
  after: [],
  eraseAfter: [],
  at,
});

const dataset = (key: string, name: string | undefined, system: string | undefined, collections: Collection[]): Dataset => ({
  key,
  ...(name ? { name } : {}),
  ...(system ? { system } : {}),
  format: 'opendpo',
  collections,
  at,
});

/** The shop's customers and orders (system "shop": activities based on contract, and prospects on legitimate interests). */
export const CUSTOMER_FIELDS: FieldSpec[] = [
  { name: 'id', categories: ['user.unique_id'], provenance: 'observed', primaryKey: true },
  { name: 'email', categories: ['user.contact.email'], provenance: 'provided', identity: 'email' },
  { name: 'name', categories: ['user.name'], provenance: 'provided' },
  { name: 'segment', categories: ['user.behavior'], provenance: 'inferred' },
  { name: 'last_ip', categories: ['user.device.ip_address'], provenance: 'observed' },
  { name: 'phone', categories: ['user.contact.phone_number'] },
];
export const ORDER_FIELDS: FieldSpec[] = [
  { name: 'id', categories: ['system.operations'], primaryKey: true },
  { name: 'customer_id', categories: ['user.unique_id'], provenance: 'observed' },
  { name: 'total', categories: ['user.behavior.purchase_history'], provenance: 'provided' },
  { name: 'discount', categories: ['user.behavior.purchase_history'], provenance: 'derived' },
  { name: 'placed_at', categories: ['user.behavior.purchase_history'], provenance: 'observed' },
];

export const DATASETS: Dataset[] = [
  dataset('shop', 'Web shop database', 'shop', [collection('customer', CUSTOMER_FIELDS, 'customer'), collection('orders', ORDER_FIELDS)]),
  // system "emailing": the newsletter, based on consent, lists user.contact.email, user.name.first and user.behavior.
  dataset('mailing', undefined, 'emailing', [
    collection('subscriber', [
      { name: 'email', categories: ['user.contact.email'], provenance: 'provided', identity: 'email' },
      { name: 'first_name', categories: ['user.name.first'], provenance: 'provided' },
      { name: 'clicks', categories: ['user.behavior.browsing_history'], provenance: 'observed' },
    ]),
  ]),
  // system "fraud-engine": fraud prevention, based on legitimate interests only.
  dataset('fraud', 'RiskScore export', 'fraud-engine', [
    collection('score', [
      { name: 'email', categories: ['user.contact.email'], provenance: 'provided', identity: 'email' },
      { name: 'score', categories: ['user.behavior'], provenance: 'derived' },
    ]),
  ]),
  // Linked to no register system.
  dataset('legacy', 'Old CRM export', undefined, [collection('notes', [{ name: 'email', categories: ['user.contact.email'], provenance: 'provided', identity: 'email' }, { name: 'note', categories: ['user'] }])]),
  // Searched, nothing found.
  dataset('tickets', undefined, 'helpdesk', [collection('ticket', [{ name: 'email', categories: ['user.contact.email'], provenance: 'provided', identity: 'email' }])]),
];

function collected(datasetKey: string, collectionName: string, rows: Row[]): CollectedCollection {
  const d = DATASETS.find((x) => x.key === datasetKey)!;
  const c = d.collections.find((x) => x.name === collectionName)!;
  return {
    dataset: d.key,
    collection: c.name,
    ...(d.system ? { system: d.system } : {}),
    fields: c.fields.map((f) => ({
      name: f.name,
      categories: f.categories,
      ...(f.provenance ? { provenance: f.provenance } : {}),
      ...(f.identity ? { identity: f.identity } : {}),
      primaryKey: f.primaryKey,
      declared: true,
    })),
    rows,
    excluded: [],
    withheld: [],
    context: [],
  };
}

export const EMAIL = 'jeanne@example.com';

export function collectedData(overrides: { customer?: Row[]; warnings?: string[] } = {}): CollectedData {
  return {
    requestId: 'req-0001',
    collectedAt: '2026-11-28T09:30:00.000Z',
    identities: { email: EMAIL },
    erasures: [],
    collections: [
      collected('shop', 'customer', overrides.customer ?? [{ id: 42, email: EMAIL, name: 'Jeanne Dupont', segment: 'loyal', last_ip: '203.0.113.7', phone: '+33 6 12 34 56 78' }]),
      collected('shop', 'orders', [
        { id: 1001, customer_id: 42, total: 59.9, discount: -5, placed_at: new Date('2026-10-01T12:00:00Z') },
        { id: 1002, customer_id: 42, total: 12.5, discount: 0, placed_at: new Date('2026-10-15T08:30:00Z') },
      ]),
      collected('mailing', 'subscriber', [{ email: EMAIL, first_name: 'Jeanne', clicks: 3 }]),
      collected('fraud', 'score', [{ email: EMAIL, score: 12 }]),
      collected('legacy', 'notes', [{ email: EMAIL, note: null }]),
      collected('tickets', 'ticket', []),
    ],
    warnings: overrides.warnings ?? ['The system "payment-gateway" has not answered yet (pending).'],
  };
}

/** Nothing found anywhere. */
export function collectedNothing(): CollectedData {
  const base = collectedData();
  return { ...base, collections: base.collections.map((c) => ({ ...c, rows: [] })), warnings: [] };
}

/** The archive's files as text, byte order mark kept (a default TextDecoder would drop it). */
export function unzip(bytes: Uint8Array): Map<string, string> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
  return new Map(Object.entries(unzipSync(bytes)).map(([name, content]) => [name, decoder.decode(content)]));
}

/** RFC 4180 reader for the tests: quoted fields, doubled quotes, CRLF records, a leading BOM. */
export function parseCsv(text: string): string[][] {
  if (!text.startsWith('\uFEFF')) throw new Error('no byte order mark');
  const s = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) throw new Error('the last record has no CRLF');
  return rows;
}
