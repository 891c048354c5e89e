/**
 * An erasure reads the personal data it uses and nothing more (Art. 5(1)(c), data minimisation; and
 * on a large batch, about half the columns the database would send): the keys, identities and
 * references that find and tell apart the person's rows, and the values a keyed hash is made from.
 * What it sets to null, to a fixed value or to a random string, or deletes, it never reads, and
 * still masks. An access reads every column.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import type { DatabaseConnector, SearchStep, TableShape } from '../../src/connectors/connector.js';
import type { Collection, Dataset, DatasetField, Reference } from '../../src/dataset/model.js';
import { unusedValues } from '../../src/dsr/erasure/plan-erasure.js';
import { runRequest, type RunRequestInput } from '../../src/dsr/run-request.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { openTestConnections } from './open-test-connections.js';

const at = { file: 'shop.yaml', line: 1, column: 1 };
const field = (name: string, extra: Partial<DatasetField> = {}): DatasetField => ({ name, categories: ['system.operations'], primaryKey: false, references: [], readOnly: false, at, ...extra });
const toCustomer: Reference = { dataset: 'shop', collection: 'customer', field: 'id', direction: 'from', otherSubject: false, at };
const collection = (name: string, fields: DatasetField[], strategy: 'delete' | 'mask'): Collection => ({ name, fields, erasure: { strategy }, skip: false, after: [], eraseAfter: [], at });
const datasets: Dataset[] = [
  {
    key: 'shop',
    format: 'opendpo',
    at,
    collections: [
      collection(
        'customer',
        [
          field('id', { primaryKey: true }),
          field('email', { identity: 'email', categories: ['user.contact.email'] }),
          field('name', { categories: ['user.name'] }),
          field('nick', { categories: ['user.name'], masking: { strategy: 'hmac', key: { env: 'OPENDPO_TEST_HMAC' } } }),
          field('city', { categories: ['user.contact.address.city'], masking: { strategy: 'fixed', value: 'erased' } }),
          field('plan', {}),
          // A real foreign key points at it (voucher.customer_code): read, so the plan can tell whether a row to delete is still pointed at.
          field('code', { categories: ['user.unique_id'] }),
        ],
        'mask',
      ),
      collection('orders', [field('id', { primaryKey: true }), field('customer_id', { references: [toCustomer] }), field('note', { categories: ['user.content'] })], 'delete'),
    ],
  },
];

describe('the columns an erasure reads', () => {
  let dir: string;
  let store: Store;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'opendpo-erasure-reads-'));
    store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
    const file = path.join(dir, 'shop.db');
    const db = new SqliteDatabase(file);
    db.exec(`CREATE TABLE customer (id INTEGER PRIMARY KEY, email TEXT, name TEXT, nick TEXT, city TEXT, plan TEXT, code TEXT UNIQUE);
             CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer (id), note TEXT);
             CREATE TABLE voucher (id INTEGER PRIMARY KEY, customer_code TEXT REFERENCES customer (code));
             INSERT INTO customer VALUES (1, 'ann@example.com', 'Ann', 'annie', 'Lyon', 'gold', 'A1'), (2, 'bob@example.com', 'Bob', 'bobby', 'Nice', 'free', 'B2');
             INSERT INTO orders VALUES (10, 1, 'ring twice'), (11, 1, NULL), (12, 2, 'bob''s');`);
    db.close();
    url = `sqlite:${file}`;
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a request, recording the columns of every read it sends (one statement per table, or a whole search). */
  const reading = async (kind: RunRequestInput['kind'], email: string) => {
    const read = new Map<string, Set<string>>();
    const note = (table: string, columns: readonly string[]) => {
      if (!read.has(table)) read.set(table, new Set());
      for (const c of columns) read.get(table)!.add(c);
    };
    const outcome = await runRequest({
      kind,
      identities: { email },
      datasets,
      store,
      secretFor: () => 'the-key',
      connect: async () => {
        const open = await openTestConnections([{ name: 'shop', type: 'sqlite', url, datasets: ['shop'] }]);
        const inner = open.database('shop');
        const recording: DatabaseConnector = {
          type: inner.type,
          label: inner.label,
          introspect: (o) => inner.introspect(o),
          render: (s) => inner.render(s),
          close: () => inner.close(),
          transaction: (fn) => inner.transaction(fn),
          run: (s) => {
            if (s.kind === 'select') note(s.table.name, s.columns);
            return inner.run(s);
          },
          ...(inner.search
            ? {
                search: (steps: readonly SearchStep[]) => {
                  for (const st of steps) note(st.table.name, st.columns);
                  return inner.search!(steps);
                },
              }
            : {}),
        };
        return { ...open, database: () => recording };
      },
    });
    expect(outcome.request.status).toBe('completed');
    return Object.fromEntries([...read].map(([t, cols]) => [t, [...cols].sort()]));
  };

  it('an access reads every column; an erasure only keys, identities, references, what a real foreign key points at and what a keyed hash needs, and masks the rest all the same', async () => {
    expect(await reading('access', 'bob@example.com')).toEqual({
      customer: ['city', 'code', 'email', 'id', 'name', 'nick', 'plan'],
      orders: ['customer_id', 'id', 'note'],
    });
    expect(await reading('erasure', 'ann@example.com')).toEqual({
      customer: ['code', 'email', 'id', 'nick'],
      orders: ['customer_id', 'id'],
    });
    const db = new SqliteDatabase(url.slice('sqlite:'.length), { readonly: true });
    try {
      const ann = db.prepare('SELECT * FROM customer WHERE id = 1').get() as Record<string, unknown>;
      expect(ann.email).toBeNull();
      expect(ann.name).toBeNull();
      expect(ann.city).toBe('erased');
      expect(ann.plan).toBe('gold');
      // The keyed hash of what the field held: it was read.
      expect(ann.nick).toMatch(/^[0-9a-f]{64}$/);
      expect(db.prepare('SELECT id FROM orders ORDER BY id').all()).toEqual([{ id: 12 }]);
      expect(db.prepare('SELECT name, nick, city FROM customer WHERE id = 2').get()).toEqual({ name: 'Bob', nick: 'bobby', city: 'Nice' });
    } finally {
      db.close();
    }
  });

  it('what a real foreign key points at is read only in the table it points at, not in another table with a column of the same name', () => {
    const shape = (name: string, foreignKeys: TableShape['foreignKeys'] = []): TableShape => ({ name, columns: [], primaryKey: ['id'], foreignKeys });
    const tables = [shape('customer'), shape('voucher', [{ columns: ['customer_code'], references: { name: 'customer', columns: ['code'] } }]), shape('orders')];
    const personal = (name: string) => field(name, { categories: ['user.unique_id'] });
    const orders = collection('orders', [field('id', { primaryKey: true }), personal('code'), personal('note')], 'delete');
    const customer = collection('customer', [field('id', { primaryKey: true }), personal('code'), personal('note')], 'mask');
    expect([...unusedValues(orders, { name: 'orders' }, tables)].sort()).toEqual(['code', 'note']);
    expect([...unusedValues(customer, { name: 'customer' }, tables)]).toEqual(['note']);
    // A collection with no table found in the database: nothing there can point at it.
    expect([...unusedValues(customer, undefined, tables)].sort()).toEqual(['code', 'note']);
  });
});
