/**
 * Fides dataset files import as they are: Fides' own example (read in place from
 * ../shared/fixtures/fides) loads into the model with Fides' meaning, and every Fides masking
 * strategy maps to opendpo's or is refused with its place.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIDES_HMAC_KEY } from '../../src/dataset/fides.js';
import { loadDatasets } from '../../src/dataset/load-datasets.js';
import type { Collection, Dataset, DatasetField } from '../../src/dataset/model.js';
import { ROOT } from '../helpers/cli.js';
import { REQUIRE_FIXTURES } from '../helpers/services.js';
import { datasetsFolder } from './temp-datasets.js';

const FIXTURES = path.resolve(ROOT, '../shared/fixtures/fides');
const FIXTURE_FILE = path.join(FIXTURES, 'postgres_example_test_dataset.yml');
const haveFixtures = existsSync(FIXTURE_FILE);
if (!haveFixtures) {
  const message = `the Fides fixtures are missing at ${FIXTURES}`;
  if (REQUIRE_FIXTURES) throw new Error(`${message}, and OPENDPO_REQUIRE_FIXTURES=1 requires them`);
  console.warn(`SKIPPED: Fides fixture tests: ${message} (set OPENDPO_REQUIRE_FIXTURES=1 to make this an error)`);
}

const collection = (d: Dataset, name: string): Collection => {
  const c = d.collections.find((x) => x.name === name);
  expect(c, `collection ${name}`).toBeDefined();
  return c!;
};
const field = (c: Collection, name: string): DatasetField => {
  const f = c.fields.find((x) => x.name === name);
  expect(f, `field ${c.name}.${name}`).toBeDefined();
  return f!;
};

describe.runIf(haveFixtures)('the Fides example dataset (ethyca/fides postgres_example_test_dataset.yml)', () => {
  it('loads with no error; its one deprecated category is a warning with the replacement', async () => {
    const { datasets, connections, problems } = await loadDatasets(FIXTURES);
    expect(connections).toBeUndefined();
    expect(problems).toEqual([
      expect.objectContaining({
        rule: 'dataset/deprecated-category',
        severity: 'warning',
        suggestion: 'user.device.sensor',
        file: FIXTURE_FILE,
        line: 92,
        column: 31,
      }),
    ]);
    expect(datasets.map((d) => [d.key, d.format, d.name])).toEqual([['postgres_example_test_dataset', 'fides', 'Postgres Example Test Dataset']]);
    expect(datasets[0]!.collections.map((c) => c.name)).toEqual([
      'address',
      'customer',
      'employee',
      'login',
      'orders',
      'order_item',
      'payment_card',
      'product',
      'report',
      'service_request',
      'visit',
    ]);
  });

  it('keeps identities, primary keys, references with their direction, and masking overrides', async () => {
    const { datasets } = await loadDatasets(FIXTURES);
    const d = datasets[0]!;
    const key = 'postgres_example_test_dataset';

    const email = field(collection(d, 'customer'), 'email');
    expect(email).toMatchObject({ identity: 'email', categories: ['user.contact.email'], primaryKey: false, readOnly: false, references: [] });
    expect(email.masking).toBeUndefined();
    expect(email.provenance).toBeUndefined(); // Fides has no provenance
    expect(field(collection(d, 'customer'), 'id')).toMatchObject({ primaryKey: true, categories: ['user.unique_id'] });
    expect(field(collection(d, 'customer'), 'address_id').references).toEqual([
      { dataset: key, collection: 'address', field: 'id', direction: 'to', otherSubject: false, at: { file: FIXTURE_FILE, line: 29, column: 19 } },
    ]);

    expect(field(collection(d, 'login'), 'customer_id').references).toEqual([
      { dataset: key, collection: 'customer', field: 'id', direction: 'from', otherSubject: false, at: expect.objectContaining({ line: 84, column: 19 }) },
    ]);
    expect(field(collection(d, 'login'), 'time').categories).toEqual(['user.sensor']);

    expect(field(collection(d, 'employee'), 'name').masking).toEqual({ strategy: 'fixed', value: 'testing', suffix: '-test' });
    expect(field(collection(d, 'employee'), 'email').identity).toBe('email');

    const serviceRequest = collection(d, 'service_request');
    expect(field(serviceRequest, 'alt_email').identity).toBe('email');
    expect(field(serviceRequest, 'email')).toMatchObject({ identity: 'email', categories: ['system.operations'] });
    expect(field(serviceRequest, 'employee_id').references[0]).toMatchObject({ collection: 'employee', field: 'id', direction: 'from' });

    // A Fides collection has no subject, no legal hold, no restriction flag; it is masked, not deleted.
    for (const c of d.collections) {
      expect(c).toMatchObject({ erasure: { strategy: 'mask' }, skip: false, after: [], eraseAfter: [] });
      expect(c.subject).toBeUndefined();
      expect(c.legalHold).toBeUndefined();
    }
  });

  it('keeps the exact place of every element', async () => {
    const { datasets } = await loadDatasets(FIXTURES);
    const d = datasets[0]!;
    expect(d.at).toMatchObject({ line: 2, column: 5 });
    expect(d.at.file).toBe(FIXTURE_FILE);
    expect(collection(d, 'address').at).toMatchObject({ line: 6, column: 9 });
    expect(field(collection(d, 'address'), 'city').at).toMatchObject({ line: 8, column: 13 });
    expect(field(collection(d, 'employee'), 'name').at).toMatchObject({ line: 67, column: 13 });
  });
});

describe('Fides masking strategies and collection metadata', () => {
  const fidesFile = (fieldMeta: string, collectionMeta = '') => `dataset:
  - fides_key: app
    collections:
      - name: person
${collectionMeta}        fields:
          - name: id
            data_categories: [user.unique_id]
            fides_meta:
              primary_key: true
          - name: secret
            data_categories: [user.name]
            fides_meta:
${fieldMeta}`;

  it('maps null_rewrite, hash, hmac, random_string_rewrite and string_rewrite', async () => {
    const cases: [string, unknown][] = [
      ['              masking_strategy_override: { strategy: null_rewrite }\n', { strategy: 'null' }],
      ['              masking_strategy_override: { strategy: hash }\n', { strategy: 'hmac', key: FIDES_HMAC_KEY }],
      ['              length: 40\n              masking_strategy_override: { strategy: hmac, configuration: { algorithm: SHA-256 } }\n', { strategy: 'hmac', key: FIDES_HMAC_KEY, length: 40 }],
      ['              masking_strategy_override: { strategy: random_string_rewrite }\n', { strategy: 'random_string', length: 30 }],
      ['              length: 12\n              masking_strategy_override: { strategy: random_string_rewrite, configuration: { length: 20 } }\n', { strategy: 'random_string', length: 12 }],
      [
        '              masking_strategy_override: { strategy: string_rewrite, configuration: { rewrite_value: x, format_preservation: { prefix: a-, suffix: -b } } }\n',
        { strategy: 'fixed', value: 'x', prefix: 'a-', suffix: '-b' },
      ],
    ];
    for (const [meta, expected] of cases) {
      const dir = await datasetsFolder({ 'app.yml': fidesFile(meta) });
      const { datasets, problems } = await loadDatasets(dir);
      expect(problems, meta).toEqual([]);
      expect(datasets[0]!.collections[0]!.fields[1]!.masking, meta).toEqual(expected);
    }
  });

  it('warns that format_preservation is not applied to hash and hmac', async () => {
    const dir = await datasetsFolder({
      'a.yml': fidesFile('              masking_strategy_override: { strategy: hash, configuration: { format_preservation: { suffix: "@masked" } } }\n'),
    });
    const { datasets, problems } = await loadDatasets(dir);
    expect(datasets[0]!.collections[0]!.fields[1]!.masking).toEqual({ strategy: 'hmac', key: FIDES_HMAC_KEY });
    expect(problems).toEqual([expect.objectContaining({ rule: 'dataset/fides-ignored', severity: 'warning', line: 13 })]);
  });

  it('refuses aes_encrypt and unknown strategies, naming the place', async () => {
    const dir = await datasetsFolder({
      'a.yml': fidesFile('              masking_strategy_override: { strategy: aes_encrypt, configuration: { mode: GCM } }\n'),
    });
    const { datasets, problems } = await loadDatasets(dir);
    expect(datasets).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ rule: 'dataset/fides-unsupported', severity: 'error', file: path.join(dir, 'a.yml'), line: 13, message: expect.stringContaining('aes_encrypt is not supported') }),
    ]);

    const dir2 = await datasetsFolder({ 'a.yml': fidesFile('              masking_strategy_override: { strategy: random_string_rewrit }\n') });
    expect((await loadDatasets(dir2)).problems).toEqual([
      expect.objectContaining({ rule: 'dataset/fides-unsupported', line: 13, suggestion: 'random_string_rewrite' }),
    ]);
  });

  it('reads collection fides_meta: delete, skip_processing, after, erase_after; and fidesops_meta, the older name', async () => {
    const dir = await datasetsFolder({
      'app.yml': `dataset:
  - fides_key: app
    fides_meta:
      after: [base]
    collections:
      - name: person
        fides_meta:
          masking_strategy_override: { strategy: delete }
          skip_processing: true
          after: [app.other]
          erase_after: [base.thing]
        fields:
          - name: id
            data_categories: [user.unique_id]
            fidesops_meta:
              primary_key: true
              read_only: true
              references:
                - { dataset: app, field: other.id }
      - name: other
        fields:
          - name: id
            data_categories: [system.operations]
  - fides_key: base
    collections:
      - name: thing
        fields:
          - name: id
            data_categories: [system.operations]
`,
    });
    const { datasets, problems } = await loadDatasets(dir);
    expect(problems).toEqual([]);
    const person = datasets[0]!.collections[0]!;
    expect(person).toMatchObject({ erasure: { strategy: 'delete' }, skip: true, eraseAfter: ['base.thing'] });
    // Dataset-level after spreads to every collection of the dataset.
    expect(person.after).toEqual(['app.other', 'base.thing']);
    expect(datasets[0]!.collections[1]!.after).toEqual(['base.thing']);
    // Fides: a reference without a direction may be followed either way.
    expect(person.fields[0]).toMatchObject({ primaryKey: true, readOnly: true, references: [{ dataset: 'app', collection: 'other', field: 'id', direction: 'both' }] });
  });

  it('accepts the Fides keys opendpo does not use, and refuses a misspelt one with a did-you-mean', async () => {
    const dir = await datasetsFolder({
      'app.yml': `dataset:
  - fides_key: app
    organization_fides_key: default_organization
    tags: [prod]
    meta: { owner: shop team }
    data_qualifier: aggregated.anonymized
    retention: No retention
    collections:
      - name: person
        description: People
        data_categories: [user]
        fields:
          - name: id
            description: key
            data_qualifier: identified
            data_uses: [essential]
            fides_meta:
              primary_key: true
              data_type: integer
              length: 10
              custom_request_field: site_id
          - name: email
            data_categories: [user.contact.email]
            fides_mta:
              identity: email
`,
    });
    const { datasets, problems } = await loadDatasets(dir);
    expect(datasets).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ rule: 'dataset/unknown-key', line: 24, column: 13, suggestion: 'fides_meta', message: expect.stringContaining('did you mean "fides_meta"') }),
    ]);
  });

  it('refuses nested fields (document databases) with their place', async () => {
    const dir = await datasetsFolder({
      'app.yml': `dataset:
  - fides_key: app
    collections:
      - name: person
        fields:
          - name: profile
            fields:
              - name: email
                data_categories: [user.contact.email]
`,
    });
    const { problems } = await loadDatasets(dir);
    expect(problems).toEqual([expect.objectContaining({ rule: 'dataset/fides-unsupported', line: 8, message: expect.stringContaining('nested fields') })]);
  });
});
