/**
 * opendpo's own dataset format and connections.yaml: a folder using every key loads into exactly
 * the expected model, each element with its place.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionServing, isDatabaseConnection } from '../../src/dataset/connections.js';
import { loadDatasets } from '../../src/dataset/load-datasets.js';
import type { Dataset } from '../../src/dataset/model.js';
import { datasetsFolder } from './temp-datasets.js';

const SHOP = `# yaml-language-server: $schema=../schema/dataset.schema.json
dataset:
  key: shop
  name: Web shop database
  description: Customers and their orders.
  system: webshop
  collections:
    - name: customer
      schema: sales
      subject: customer
      erasure: mask
      restriction_flag: { field: restricted, value: true }
      skip: false
      after: [crm.contact]
      erase_after: [shop.orders]
      fields:
        - name: id
          primary_key: true
          categories: [user.unique_id]
        - name: email
          categories: [user.contact.email]
          identity: email
          provenance: provided
          masking: { strategy: hmac, key: { env: SHOP_HMAC_KEY }, length: 32 }
        - name: nickname
          categories: [user.name]
          provenance: observed
          masking: { strategy: fixed, value: x, prefix: "<", suffix: ">" }
        - name: score
          categories: [user.behavior]
          provenance: inferred
          masking: { strategy: null }
        - name: token
          categories: [user.authorization.credentials]
          provenance: derived
          masking: { strategy: random_string, length: 12 }
          read_only: true
        - name: vat_number
          categories: [user.financial]
          masking: { strategy: "null" }
          legal_hold: { reason: Tax records, article: Art. 17(3)(b) }
        - name: key_file_field
          categories: [user.unique_id]
          masking: { strategy: hmac, key: { file: secrets/hmac.key } }
        - name: referrer_id
          categories: [user.unique_id]
          references:
            - field: customer.id
              direction: to
              other_subject: true
        - name: restricted
          categories: [system.operations]
    - name: orders
      erasure: delete
      legal_hold: { reason: Invoices, article: Art. 17(3)(b), period: P10Y }
      fields:
        - name: id
          primary_key: true
          categories: [system.operations]
        - name: customer_id
          categories: [user.unique_id]
          references:
            - { field: customer.id, direction: from }
            - { field: contact.id, dataset: crm, direction: both }
`;

const CRM = `dataset:
  key: crm
  collections:
    - name: contact
      skip: true
      fields:
        - name: id
          primary_key: true
          categories: [user.unique_id]
`;

const CONNECTIONS = `register: ../register
connections:
  - name: shop-db
    type: postgres
    url: { env: SHOP_DATABASE_URL }
    datasets: [shop]
  - name: crm
    type: http
    url: https://crm.example.com/opendpo
    secret: { file: secrets/crm.key }
    timeout_ms: 5000
    datasets: [crm]
  - name: archive
    type: manual
    instructions: Ask the archivist to search the paper files.
    assignee: dpo@example.com
    datasets: [paper]
  - name: local
    type: sqlite
    url: sqlite:local.db
    datasets: [local]
  - name: legacy
    type: mysql
    url: { file: secrets/legacy-url }
    max_connections: 4
    datasets: [legacy]
`;

const small = (key: string) => `dataset:\n  key: ${key}\n  collections:\n    - name: t\n      fields:\n        - { name: id, primary_key: true, categories: [system.operations] }\n`;

async function folder(): Promise<{ root: string; dir: string }> {
  const root = await datasetsFolder({});
  const dir = path.join(root, 'datasets');
  await mkdir(dir);
  await mkdir(path.join(root, 'register'));
  await writeFile(path.join(root, 'register/organisation.yaml'), 'id: acme\nname: Acme\n');
  await writeFile(path.join(root, 'register/systems.yaml'), 'systems:\n  - id: webshop\n    name: Web shop\n  - id: crm-saas\n    name: CRM\n    datasets: [../datasets/crm.yaml]\n');
  const files: Record<string, string> = { 'shop.yaml': SHOP, 'crm.yaml': CRM, 'connections.yaml': CONNECTIONS, 'paper.yaml': small('paper'), 'local.yml': small('local'), 'legacy.yaml': small('legacy') };
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return { root, dir };
}

describe('the opendpo dataset format', () => {
  it('loads every key into the model', async () => {
    const { root, dir } = await folder();
    const { datasets, problems, registerDir } = await loadDatasets(dir);
    expect(problems).toEqual([]);
    expect(registerDir).toBe(path.join(root, 'register'));
    const file = path.join(dir, 'shop.yaml');
    const at = (line: number, column: number) => ({ file, line, column });
    const shop = datasets.find((d) => d.key === 'shop');
    expect(shop).toEqual({
      key: 'shop',
      name: 'Web shop database',
      description: 'Customers and their orders.',
      system: 'webshop',
      format: 'opendpo',
      at: at(3, 3),
      collections: [
        {
          name: 'customer',
          schema: 'sales',
          subject: 'customer',
          erasure: { strategy: 'mask' },
          restrictionFlag: { field: 'restricted', value: true },
          skip: false,
          after: ['crm.contact'],
          eraseAfter: ['shop.orders'],
          at: at(8, 7),
          fields: [
            { name: 'id', primaryKey: true, categories: ['user.unique_id'], references: [], readOnly: false, at: at(17, 11) },
            {
              name: 'email',
              primaryKey: false,
              categories: ['user.contact.email'],
              identity: 'email',
              provenance: 'provided',
              masking: { strategy: 'hmac', key: { env: 'SHOP_HMAC_KEY' }, length: 32 },
              references: [],
              readOnly: false,
              at: at(20, 11),
            },
            {
              name: 'nickname',
              primaryKey: false,
              categories: ['user.name'],
              provenance: 'observed',
              masking: { strategy: 'fixed', value: 'x', prefix: '<', suffix: '>' },
              references: [],
              readOnly: false,
              at: at(25, 11),
            },
            { name: 'score', primaryKey: false, categories: ['user.behavior'], provenance: 'inferred', masking: { strategy: 'null' }, references: [], readOnly: false, at: at(29, 11) },
            {
              name: 'token',
              primaryKey: false,
              categories: ['user.authorization.credentials'],
              provenance: 'derived',
              masking: { strategy: 'random_string', length: 12 },
              references: [],
              readOnly: true,
              at: at(33, 11),
            },
            {
              name: 'vat_number',
              primaryKey: false,
              categories: ['user.financial'],
              masking: { strategy: 'null' },
              legalHold: { reason: 'Tax records', article: 'Art. 17(3)(b)' },
              references: [],
              readOnly: false,
              at: at(38, 11),
            },
            {
              name: 'key_file_field',
              primaryKey: false,
              categories: ['user.unique_id'],
              // A relative secret file is relative to the dataset file.
              masking: { strategy: 'hmac', key: { file: path.join(dir, 'secrets/hmac.key') } },
              references: [],
              readOnly: false,
              at: at(42, 11),
            },
            {
              name: 'referrer_id',
              primaryKey: false,
              categories: ['user.unique_id'],
              references: [{ dataset: 'shop', collection: 'customer', field: 'id', direction: 'to', otherSubject: true, at: at(48, 15) }],
              readOnly: false,
              at: at(45, 11),
            },
            { name: 'restricted', primaryKey: false, categories: ['system.operations'], references: [], readOnly: false, at: at(51, 11) },
          ],
        },
        {
          name: 'orders',
          erasure: { strategy: 'delete' },
          legalHold: { reason: 'Invoices', article: 'Art. 17(3)(b)', period: 'P10Y' },
          skip: false,
          after: [],
          eraseAfter: [],
          at: at(53, 7),
          fields: [
            { name: 'id', primaryKey: true, categories: ['system.operations'], references: [], readOnly: false, at: at(57, 11) },
            {
              name: 'customer_id',
              primaryKey: false,
              categories: ['user.unique_id'],
              references: [
                { dataset: 'shop', collection: 'customer', field: 'id', direction: 'from', otherSubject: false, at: at(63, 15) },
                { dataset: 'crm', collection: 'contact', field: 'id', direction: 'both', otherSubject: false, at: at(64, 15) },
              ],
              readOnly: false,
              at: at(60, 11),
            },
          ],
        },
      ],
    } satisfies Dataset);
  });

  it('links a dataset to its register system, also when systems.yaml lists the dataset file', async () => {
    const { dir } = await folder();
    const { datasets } = await loadDatasets(dir);
    expect(Object.fromEntries(datasets.map((d) => [d.key, d.system ?? null]))).toEqual({ crm: 'crm-saas', legacy: null, local: null, paper: null, shop: 'webshop' });
    expect(datasets.find((d) => d.key === 'crm')!.collections[0]).toMatchObject({ skip: true, erasure: { strategy: 'mask' } });
  });

  it('reads connections.yaml: each kind of connection, secrets as references, never as values', async () => {
    const { dir } = await folder();
    const { connections } = await loadDatasets(dir);
    const file = path.join(dir, 'connections.yaml');
    expect(connections).toEqual({
      file,
      register: '../register',
      connections: [
        { name: 'shop-db', type: 'postgres', url: { env: 'SHOP_DATABASE_URL' }, datasets: ['shop'], at: { file, line: 3, column: 5 } },
        {
          name: 'crm',
          type: 'http',
          url: 'https://crm.example.com/opendpo',
          secret: { file: path.join(dir, 'secrets/crm.key') },
          timeoutMs: 5000,
          datasets: ['crm'],
          at: { file, line: 7, column: 5 },
        },
        { name: 'archive', type: 'manual', instructions: 'Ask the archivist to search the paper files.', assignee: 'dpo@example.com', datasets: ['paper'], at: { file, line: 13, column: 5 } },
        { name: 'local', type: 'sqlite', url: 'sqlite:local.db', datasets: ['local'], at: { file, line: 18, column: 5 } },
        { name: 'legacy', type: 'mysql', url: { file: path.join(dir, 'secrets/legacy-url') }, maxConnections: 4, datasets: ['legacy'], at: { file, line: 22, column: 5 } },
      ],
    });
    expect(connectionServing(connections, 'shop')?.name).toBe('shop-db');
    expect(connectionServing(connections, 'nothing')).toBeUndefined();
    expect(connections!.connections.filter(isDatabaseConnection).map((c) => c.name)).toEqual(['shop-db', 'local', 'legacy']);
  });

  it('applies the defaults: mask, not skipped, no order, not read-only, no references', async () => {
    const dir = await datasetsFolder({ 'a.yaml': small('a') });
    const { datasets, problems, connections, registerDir } = await loadDatasets(dir);
    expect(problems).toEqual([]);
    expect(connections).toBeUndefined();
    expect(registerDir).toBeUndefined();
    expect(datasets[0]!.collections[0]).toEqual({
      name: 't',
      erasure: { strategy: 'mask' },
      skip: false,
      after: [],
      eraseAfter: [],
      at: { file: path.join(dir, 'a.yaml'), line: 4, column: 7 },
      fields: [{ name: 'id', primaryKey: true, categories: ['system.operations'], references: [], readOnly: false, at: { file: path.join(dir, 'a.yaml'), line: 6, column: 11 } }],
    });
  });

  it('reads a native dataset and a Fides dataset side by side, with references between them', async () => {
    const dir = await datasetsFolder({
      'fides.yml': 'dataset:\n  - fides_key: Legacy_CRM\n    collections:\n      - name: person\n        fields:\n          - name: id\n            data_categories: [user.unique_id]\n            fides_meta: { primary_key: true }\n',
      'shop.yaml': `dataset:\n  key: shop\n  collections:\n    - name: c\n      fields:\n        - name: crm_id\n          categories: [user.unique_id]\n          references: [{ field: person.id, dataset: Legacy_CRM, direction: to }]\n`,
    });
    const { datasets, problems } = await loadDatasets(dir);
    expect(problems).toEqual([]);
    expect(datasets.map((d) => [d.key, d.format])).toEqual([
      ['Legacy_CRM', 'fides'],
      ['shop', 'opendpo'],
    ]);
  });
});

describe('what a dataset says for the access copy, identity matching and retention', () => {
  const FILE = `dataset:
  key: shop
  collections:
    - name: customer
      retention_start: last_order_on
      fields:
        - { name: id, primary_key: true, categories: [user.unique_id] }
        - name: email
          categories: [user.contact.email]
          identity: email
          identity_match: exact
          label: { en: Email address, fr: Adresse électronique }
        - name: password_hash
          categories: [user.authorization.credentials]
          exclude_from_copy: { reason: a password hash }
        - { name: balance, categories: [user.financial], format: { type: money, currency: EUR, scale: 2 } }
        - { name: total, categories: [user.financial], format: { type: money, currency: USD } }
        - { name: last_order_on, categories: [user.behavior], format: { type: date } }
        - { name: seen_at, categories: [user.behavior], format: { type: datetime } }
        - { name: vip, categories: [user.behavior], format: { type: boolean }, label: VIP }
        - { name: tier, categories: [user.behavior], format: { type: enum, values: { G: { en: gold, fr: or }, S: silver } } }
    - name: city
      catalogue: true
      fields:
        - { name: id, primary_key: true, categories: [system.operations] }
`;

  it('loads labels, formats, exclusions, identity matching, catalogues and the retention start into the model', async () => {
    const dir = await datasetsFolder({ 'shop.yaml': FILE });
    const { datasets, problems } = await loadDatasets(dir);
    expect(problems).toEqual([]);
    const [customer, city] = datasets[0]!.collections;
    expect(customer!.retentionStart).toBe('last_order_on');
    expect(customer!.catalogue).toBeUndefined();
    expect(city!.catalogue).toBe(true);
    const field = (name: string) => customer!.fields.find((f) => f.name === name)!;
    expect(field('email')).toMatchObject({ identity: 'email', identityMatch: 'exact', label: { en: 'Email address', fr: 'Adresse électronique' } });
    expect(field('password_hash').excludeFromCopy).toEqual({ reason: 'a password hash' });
    expect(field('balance').format).toEqual({ type: 'money', currency: 'EUR', scale: 2 });
    // A money amount stored as the amount itself: scale 0.
    expect(field('total').format).toEqual({ type: 'money', currency: 'USD', scale: 0 });
    expect(field('last_order_on').format).toEqual({ type: 'date' });
    expect(field('seen_at').format).toEqual({ type: 'datetime' });
    expect(field('vip')).toMatchObject({ format: { type: 'boolean' }, label: 'VIP' });
    expect(field('tier').format).toEqual({ type: 'enum', values: { G: { en: 'gold', fr: 'or' }, S: 'silver' } });
    expect(field('id').identityMatch).toBeUndefined();
    expect(field('id').excludeFromCopy).toBeUndefined();
  });

  it('refuses what cannot mean anything, at its place', async () => {
    const dir = await datasetsFolder({
      'shop.yaml': `dataset:
  key: shop
  collections:
    - name: customer
      retention_start: last_ordr
      fields:
        - { name: id, primary_key: true, categories: [user.unique_id], identity_match: case_insensitive }
        - { name: last_order, categories: [user.behavior] }
        - { name: amount, categories: [user.financial], format: { type: money, currency: euro } }
    - name: store
      catalogue: true
      subject: customer
      fields:
        - { name: id, primary_key: true, categories: [system.operations] }
`,
    });
    const { problems } = await loadDatasets(dir);
    expect(problems.map((p) => [p.rule, p.line])).toEqual([
      ['dataset/invalid', 9],
    ]);
    // The file with a schema error is left out whole; once it is fixed, the checks that need the
    // parsed collection report the rest.
    const fixed = await datasetsFolder({
      'shop.yaml': `dataset:
  key: shop
  collections:
    - name: customer
      retention_start: last_ordr
      fields:
        - { name: id, primary_key: true, categories: [user.unique_id], identity_match: case_insensitive }
        - { name: last_order, categories: [user.behavior] }
    - name: store
      catalogue: true
      subject: customer
      fields:
        - { name: id, primary_key: true, categories: [system.operations] }
`,
    });
    const second = await loadDatasets(fixed);
    expect(second.problems.map((p) => [p.rule, p.line, p.suggestion])).toEqual([
      ['dataset/retention-start-unknown-field', 5, 'last_order'],
      ['dataset/identity-match-without-identity', 7, undefined],
      ['dataset/catalogue-with-subject', 10, undefined],
    ]);
  });
});

describe('a collection whose data belongs to another register system', () => {
  it('keeps the collection\'s own system, and refuses one the register does not have, at its place', async () => {
    const { dir } = await folder();
    const collection = (system: string) =>
      `dataset:\n  key: shop\n  system: webshop\n  collections:\n    - name: newsletter\n      system: ${system}\n      fields:\n        - { name: id, primary_key: true, categories: [system.operations] }\n`;
    await writeFile(path.join(dir, 'shop.yaml'), collection('crm-saas'));
    const good = await loadDatasets(dir);
    expect(good.problems).toEqual([]);
    expect(good.datasets.find((d) => d.key === 'shop')!.collections[0]).toMatchObject({ name: 'newsletter', system: 'crm-saas' });

    await writeFile(path.join(dir, 'shop.yaml'), collection('crm-sas'));
    const bad = await loadDatasets(dir);
    expect(bad.problems.map((p) => [p.rule, path.basename(p.file), p.line, p.suggestion])).toEqual([['dataset/unknown-system', 'shop.yaml', 6, 'crm-saas']]);
  });
});
