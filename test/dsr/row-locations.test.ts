/**
 * An erasure writes the rows its search found where the search found them (PostgreSQL's ctid), so
 * a person's rows, spread over a table, cost no primary-key lookup each; the keys alone still say
 * which rows are written. Here another writer moves one of the planned rows between the plan and
 * the writes (an UPDATE gives a PostgreSQL row a new address): the row is still erased, by its key,
 * no other row is touched, and the evidence counts every row once. The same run on SQLite and
 * MariaDB, which have no such address, gives the same end state.
 */
import { describe, expect, it } from 'vitest';
import type { Collection, Dataset, DatasetField, Reference } from '../../src/dataset/model.js';
import type { StoredWrite } from '../../src/dsr/erasure/execute-erasure.js';
import { runRequest } from '../../src/dsr/run-request.js';
import type { Store } from '../../src/store/open-store.js';
import { TARGETS, type Target } from './foreign-schemas/targets.js';
import { openTestConnections } from './open-test-connections.js';
import { withTargetAndStore } from './target-and-store.js';

const at = { file: 'shop.yaml', line: 1, column: 1 };
const field = (name: string, extra: Partial<DatasetField> = {}): DatasetField => ({ name, categories: ['system.operations'], primaryKey: false, references: [], readOnly: false, at, ...extra });
const toCustomer: Reference = { dataset: 'shop', collection: 'customer', field: 'id', direction: 'from', otherSubject: false, at };
const collection = (name: string, fields: DatasetField[], strategy: 'delete' | 'mask'): Collection => ({
  name,
  fields,
  erasure: { strategy },
  skip: false,
  after: [],
  eraseAfter: [],
  at,
});
const datasets: Dataset[] = [
  {
    key: 'shop',
    format: 'opendpo',
    at,
    collections: [
      collection('customer', [field('id', { primaryKey: true }), field('email', { identity: 'email', categories: ['user.contact.email'] }), field('name', { categories: ['user.name'] })], 'mask'),
      collection('orders', [field('id', { primaryKey: true }), field('customer_id', { references: [toCustomer] }), field('note', { categories: ['user.content'] })], 'delete'),
    ],
  },
];

// More people than one statement searches at once: the batch is searched step by step, which reads addresses.
const PEOPLE = 20;
const emailOf = (i: number) => `p${i}@example.com`;
const SCHEMA = [
  'CREATE TABLE customer (id INTEGER PRIMARY KEY, email VARCHAR(100), name VARCHAR(100));',
  'CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer (id), note VARCHAR(100));',
  ...Array.from({ length: PEOPLE + 1 }, (_, i) => `INSERT INTO customer VALUES (${i + 1}, '${emailOf(i + 1)}', 'Name ${i + 1}');`),
  ...Array.from({ length: PEOPLE + 1 }, (_, i) => `INSERT INTO orders VALUES (${100 + 2 * i}, ${i + 1}, 'a'), (${101 + 2 * i}, ${i + 1}, 'b');`),
].join('\n');

for (const t of TARGETS) {
  const available = await t.available();
  describe.runIf(available)(`an erasure writing rows where its search found them, on ${t.name}`, () => {
    let target: Target;
    let store: Store;
    withTargetAndStore(
      () => t.create(SCHEMA),
      (made) => ({ target, store } = made),
    );

    it('erases a row another writer moved after the plan, by its key, touches no other row, and counts each row once', async () => {
      let planned: StoredWrite[] = [];
      let requestId = '';
      const outcome = await runRequest({
        kind: 'erasure',
        identities: { email: emailOf(1) },
        batch: Array.from({ length: PEOPLE - 1 }, (_, i) => ({ email: emailOf(i + 2) })),
        datasets,
        store,
        connect: () => openTestConnections([{ name: 'shop', type: target.type, url: target.url, datasets: ['shop'] }]),
        fault: async (point) => {
          if (point.at !== 'before-transaction') return;
          // The plan is stored: read it, then another writer changes two planned rows (a new row
          // version, at a new address, on PostgreSQL) and one row nobody asked about.
          requestId = (await store.requests.list()).at(-1)!.id;
          planned = (await store.requests.work(requestId)).flatMap((w) => JSON.parse(w.operationsJson) as StoredWrite[]);
          await target.exec(`UPDATE customer SET name = 'Renamed' WHERE id = 3; UPDATE orders SET note = 'moved' WHERE id = 104; UPDATE customer SET name = 'Other' WHERE id = ${PEOPLE + 1};`);
        },
      });
      expect(outcome.request.status).toBe('completed');
      expect(outcome.request.id).toBe(requestId);

      // The plan carries an address per row where the database has them, none elsewhere.
      const byTable = new Map(planned.map((op) => [op.table.name, op]));
      expect(byTable.get('customer')!.keys).toHaveLength(PEOPLE);
      expect(byTable.get('orders')!.keys).toHaveLength(2 * PEOPLE);
      for (const op of planned) {
        if (t.name === 'PostgreSQL') {
          expect(op.locations).toHaveLength(op.keys.length);
          for (const l of op.locations!) expect(l).toMatch(/^\(\d+,\d+\)$/);
        } else {
          expect(op.locations).toBeUndefined();
        }
      }

      const customers = (await target.rows('customer')).map((r) => [Number(r.id), r.email, r.name]);
      expect(customers).toEqual([
        ...Array.from({ length: PEOPLE }, (_, i) => [i + 1, null, null]),
        [PEOPLE + 1, emailOf(PEOPLE + 1), 'Other'],
      ]);
      const orders = (await target.rows('orders')).map((r) => [Number(r.id), Number(r.customer_id), r.note]);
      expect(orders).toEqual([
        [100 + 2 * PEOPLE, PEOPLE + 1, 'a'],
        [101 + 2 * PEOPLE, PEOPLE + 1, 'b'],
      ]);

      // Every row counted once: the rows found where they were read and the rows found by key add up.
      const steps = await store.requests.steps(outcome.request.id);
      const changed = (kind: string, collectionId: string) => steps.filter((s) => s.kind === kind && s.collection === collectionId).reduce((n, s) => n + s.rowsChanged, 0);
      expect(changed('update', 'shop.customer')).toBe(PEOPLE);
      expect(changed('delete', 'shop.orders')).toBe(2 * PEOPLE);
    });
  });
}
