/**
 * The writes an erasure decides (src/dsr/erasure/plan-erasure.ts), before any write, on real
 * SQLite databases: which of the person's rows are deleted and which masked, with which values,
 * in which order, and what is kept and why (Art. 17, 17(3)). The plan is what the request stores and
 * replays; these tests read it as the evidence and the work log would, on small schemas built to
 * make each rule decide.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Row } from '../../src/connectors/connector.js';
import type { Collection, Dataset, DatasetField, LegalHold, Reference } from '../../src/dataset/model.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';
import { drawBoundary } from '../../src/dsr/boundary.js';
import { dryRun } from '../../src/dsr/dry-run.js';
import type { EncodedValue } from '../../src/dsr/erasure/encode-value.js';
import type { ErasureOperation, ErasurePlan } from '../../src/dsr/erasure/plan-erasure.js';
import { collect } from '../../src/dsr/execute/collect.js';
import { withoutContext } from '../../src/dsr/plan/graph.js';
import { columnTypesOf, erasureReads, keysOf, planErasureOf, prepareRequest } from '../../src/dsr/run-request.js';
import { openTestConnections } from './open-test-connections.js';

const PERSON = 'ann@example.com';
const OTHER = 'bob@example.com';
const at = { file: 'shop.yaml', line: 7, column: 3 };
const HOLD: LegalHold = { reason: 'invoices are kept for the accounts', article: 'Art. 17(3)(b)', period: 'P10Y' };

const field = (name: string, extra: Partial<DatasetField> = {}): DatasetField => ({ name, categories: ['system.operations'], primaryKey: false, references: [], readOnly: false, at, ...extra });
const id = () => field('id', { primaryKey: true });
const email = (extra: Partial<DatasetField> = {}) => field('email', { identity: 'email', categories: ['user.contact.email'], ...extra });
const personal = (name: string, extra: Partial<DatasetField> = {}) => field(name, { categories: ['user.name'], ...extra });
const ref = (collection: string, direction: Reference['direction'] = 'from', otherSubject = false): Reference => ({ dataset: 'shop', collection, field: 'id', direction, otherSubject, at });
const refField = (name: string, collection: string, direction: Reference['direction'] = 'from') => field(name, { references: [ref(collection, direction)] });
const collection = (name: string, fields: DatasetField[], extra: Partial<Collection> = {}): Collection => ({
  name,
  fields,
  erasure: { strategy: 'mask' },
  skip: false,
  after: [],
  eraseAfter: [],
  at: { ...at, line: at.line + name.length },
  ...extra,
});
const shop = (...collections: Collection[]): Dataset[] => [{ key: 'shop', format: 'opendpo', at, collections }];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Plans the erasure of `identities` on a SQLite database made of `sql`, as a request does before writing. */
/** Where the search found a row (as PostgreSQL's ctid would say): SQLite gives none, so a test may say. */
type Locate = (node: string, row: Row) => string | undefined;

async function planOn(sql: string, datasets: Dataset[], identities: Record<string, string> = { email: PERSON }, locate?: Locate): Promise<ErasurePlan> {
  const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-plan-'));
  dirs.push(dir);
  const file = path.join(dir, 'shop.db');
  const db = new SqliteDatabase(file);
  db.exec(sql);
  db.close();
  const connections = await openTestConnections([{ name: 'shop', type: 'sqlite', url: `sqlite:${file}`, datasets: datasets.map((d) => d.key) }]);
  try {
    const prepared = await prepareRequest('erasure', identities, datasets, connections);
    const keyOf = keysOf(prepared);
    const connectorFor = (datasetKey: string) => connections.database(prepared.connectionOf(datasetKey));
    const values = Object.fromEntries(Object.entries(identities).map(([k, v]) => [k, [v]]));
    const found = await collect({ graph: withoutContext(prepared.graph), identities: values, connectorFor, keyOf, columnTypesOf: columnTypesOf(prepared), ...erasureReads(prepared) });
    if (locate !== undefined) {
      for (const c of found.values()) {
        for (const row of c.rows.values()) {
          const location = locate(c.node.id, row);
          if (location !== undefined) (c.locations ??= new Map()).set(row, location);
        }
      }
    }
    const boundary = await drawBoundary({ graph: prepared.graph, found, keyOf, connectorFor, identities: values });
    return await planErasureOf(prepared, found, boundary, connectorFor, () => 'the-hmac-key');
  } finally {
    await connections.close();
  }
}

const operations = (plan: ErasurePlan): ErasureOperation[] => plan.connections.flatMap((c) => c.operations);
/** Each write as "kind node: keys", in the order the plan runs them. */
const writes = (plan: ErasurePlan) => operations(plan).map((op) => `${op.kind} ${op.node}: ${op.keys.map((k) => k.join('/')).join(',')}`);
const setOf = (plan: ErasurePlan, node: string): Record<string, EncodedValue> | undefined => operations(plan).find((op) => op.node === node && op.kind === 'update')?.set;

describe('the writes an erasure decides', () => {
  it('masks the person\'s own rows with each field\'s strategy and deletes those of a collection that deletes, never another customer\'s', async () => {
    const plan = await planOn(
      `CREATE TABLE customer (id INTEGER PRIMARY KEY, email TEXT, name TEXT, nickname TEXT);
       CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer (id), note TEXT);
       INSERT INTO customer VALUES (1, '${PERSON}', 'Ann', 'annie'), (2, '${OTHER}', 'Bob', 'bobby');
       INSERT INTO orders VALUES (10, 1, 'gift'), (11, 1, NULL), (12, 2, 'Bob''s');`,
      shop(
        collection('customer', [id(), email(), personal('name', { masking: { strategy: 'fixed', value: 'erased', prefix: '<', suffix: '>' } }), personal('nickname')], { subject: 'customer' }),
        collection('orders', [id(), refField('customer_id', 'customer'), personal('note')], { erasure: { strategy: 'delete' } }),
      ),
    );
    expect(writes(plan)).toEqual(['update shop.customer: 1', 'delete shop.orders: 10,11']);
    // null is the default strategy; the email takes it too; the key is never masked.
    expect(setOf(plan, 'shop.customer')).toEqual({ email: null, name: '<erased>', nickname: null });
    expect(operations(plan)[0]!.keyColumns).toEqual(['id']);
    expect(plan.kept).toEqual([]);
  });

  it('an hmac strategy writes each row once with its own values, the key\'s HMAC-SHA-256 of each, cut to the length asked', async () => {
    const plan = await planOn(
      `CREATE TABLE customer (id INTEGER PRIMARY KEY, email TEXT, name TEXT, alias TEXT);
       INSERT INTO customer VALUES (1, '${PERSON}', 'Ann', NULL), (2, '${PERSON}', 'Anne', 'A');`,
      shop(
        collection('customer', [
          id(),
          email({ masking: { strategy: 'hmac', key: { env: 'K' } } }),
          personal('name', { masking: { strategy: 'hmac', key: { env: 'K' }, length: 12 } }),
          personal('alias', { masking: { strategy: 'fixed', value: 'x' } }),
        ]),
      ),
    );
    const hmac = (v: string) => createHmac('sha256', 'the-hmac-key').update(v, 'utf8').digest('hex');
    expect(operations(plan).map((op) => [op.keys, op.set])).toEqual([
      [[[1]], { email: hmac(PERSON), name: hmac('Ann').slice(0, 12), alias: 'x' }],
      [[[2]], { email: hmac(PERSON), name: hmac('Anne').slice(0, 12), alias: 'x' }],
    ]);
  });

  it('carries where the search found each row beside its key, in the keys\' order, only when it found every one\'s', async () => {
    const plan = await planOn(
      `CREATE TABLE customer (id INTEGER PRIMARY KEY, email TEXT, name TEXT, nick TEXT);
       CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer (id), note TEXT);
       CREATE TABLE visit (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer (id), note TEXT);
       INSERT INTO customer VALUES (1, '${PERSON}', 'Ann', 'annie'), (2, '${PERSON}', 'Anne', 'an');
       INSERT INTO orders VALUES (10, 1, 'a'), (11, 2, 'b'), (12, 1, 'c');
       INSERT INTO visit VALUES (20, 1, 'x'), (21, 2, 'y');`,
      shop(
        collection('customer', [id(), email(), personal('name'), personal('nick', { masking: { strategy: 'hmac', key: { env: 'K' } } })]),
        collection('orders', [id(), refField('customer_id', 'customer'), personal('note')], { erasure: { strategy: 'delete' } }),
        collection('visit', [id(), refField('customer_id', 'customer'), personal('note')]),
      ),
      { email: PERSON },
      // Visit 21's address is not known: its collection's writes carry none.
      (node, row) => (node === 'shop.visit' && row.id === 21 ? undefined : `(${node.length},${String(row.id)})`),
    );
    const located = operations(plan).map((op) => [op.kind, op.node, op.keys.map((k) => k[0]), op.locations]);
    expect(located).toEqual([
      // hmac: one write per row, each with its own address.
      ['update', 'shop.customer', [1], ['(13,1)']],
      ['update', 'shop.customer', [2], ['(13,2)']],
      ['update', 'shop.visit', [20, 21], undefined],
      // Each address stays with its key.
      ['delete', 'shop.orders', [10, 11, 12], ['(11,10)', '(11,11)', '(11,12)']],
    ]);
  });

  it('deletes children before their parents, by the databases\' real foreign keys whatever the names, then by the datasets\' references', async () => {
    const plan = await planOn(
      `CREATE TABLE z_customer (id INTEGER PRIMARY KEY, email TEXT);
       CREATE TABLE m_order (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES z_customer (id));
       CREATE TABLE a_line (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES m_order (id));
       CREATE TABLE b_note (id INTEGER PRIMARY KEY, customer_id INTEGER);
       INSERT INTO z_customer VALUES (1, '${PERSON}');
       INSERT INTO m_order VALUES (10, 1);
       INSERT INTO a_line VALUES (100, 10), (101, 10);
       INSERT INTO b_note VALUES (5, 1);`,
      shop(
        collection('z_customer', [id(), email()], { erasure: { strategy: 'delete' } }),
        collection('m_order', [id(), refField('customer_id', 'z_customer')], { erasure: { strategy: 'delete' } }),
        collection('a_line', [id(), refField('order_id', 'm_order')], { erasure: { strategy: 'delete' } }),
        // No real foreign key: the dataset's reference alone says the note goes first.
        collection('b_note', [id(), refField('customer_id', 'z_customer')], { erasure: { strategy: 'delete' } }),
      ),
    );
    expect(writes(plan)).toEqual(['delete shop.a_line: 100,101', 'delete shop.b_note: 5', 'delete shop.m_order: 10', 'delete shop.z_customer: 1']);
  });

  it('a dataset\'s reference alone puts the rows pointing first, though their name comes later', async () => {
    const plan = await planOn(
      `CREATE TABLE a_profile (id INTEGER PRIMARY KEY, email TEXT);
       CREATE TABLE b_avatar (id INTEGER PRIMARY KEY, profile_id INTEGER);
       INSERT INTO a_profile VALUES (1, '${PERSON}');
       INSERT INTO b_avatar VALUES (2, 1);`,
      shop(
        collection('a_profile', [id(), email()], { erasure: { strategy: 'delete' } }),
        collection('b_avatar', [id(), refField('profile_id', 'a_profile')], { erasure: { strategy: 'delete' } }),
      ),
    );
    expect(writes(plan)).toEqual(['delete shop.b_avatar: 2', 'delete shop.a_profile: 1']);
  });

  it('a reference to a third collection orders nothing between the other two', async () => {
    // The profile points at its photo, the avatar at the profile: avatar, profile, photo. Read as
    // "any reference orders", the profile's reference to the photo would put it before the avatar too.
    const plan = await planOn(
      `CREATE TABLE a_profile (id INTEGER PRIMARY KEY, email TEXT, photo_id INTEGER);
       CREATE TABLE b_avatar (id INTEGER PRIMARY KEY, profile_id INTEGER);
       CREATE TABLE c_photo (id INTEGER PRIMARY KEY, caption TEXT);
       INSERT INTO a_profile VALUES (1, '${PERSON}', 3);
       INSERT INTO b_avatar VALUES (2, 1);
       INSERT INTO c_photo VALUES (3, 'me');`,
      shop(
        collection('a_profile', [id(), email(), refField('photo_id', 'c_photo', 'to')], { erasure: { strategy: 'delete' } }),
        collection('b_avatar', [id(), refField('profile_id', 'a_profile')], { erasure: { strategy: 'delete' } }),
        collection('c_photo', [id(), personal('caption')], { erasure: { strategy: 'delete' } }),
      ),
    );
    expect(writes(plan)).toEqual(['delete shop.b_avatar: 2', 'delete shop.a_profile: 1', 'delete shop.c_photo: 3']);
  });

  it('Fides erase_after orders deletes the database does not constrain', async () => {
    const plan = await planOn(
      `CREATE TABLE a_login (id INTEGER PRIMARY KEY, email TEXT);
       CREATE TABLE b_profile (id INTEGER PRIMARY KEY, email TEXT);
       INSERT INTO a_login VALUES (1, '${PERSON}');
       INSERT INTO b_profile VALUES (2, '${PERSON}');`,
      shop(
        collection('a_login', [id(), email()], { erasure: { strategy: 'delete' }, eraseAfter: ['shop.b_profile'] }),
        collection('b_profile', [id(), email()], { erasure: { strategy: 'delete' } }),
      ),
    );
    expect(writes(plan)).toEqual(['delete shop.b_profile: 2', 'delete shop.a_login: 1']);
  });

  it('refuses deletes that real foreign keys chain in a cycle, naming each collection and its place, before any write', async () => {
    const attempt = planOn(
      `CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT, card_id INTEGER REFERENCES card (id));
       CREATE TABLE card (id INTEGER PRIMARY KEY, person_id INTEGER REFERENCES person (id));
       INSERT INTO person VALUES (1, '${PERSON}', NULL);
       INSERT INTO card VALUES (2, 1);`,
      shop(
        collection('person', [id(), email(), field('card_id')], { erasure: { strategy: 'delete' } }),
        collection('card', [id(), refField('person_id', 'person')], { erasure: { strategy: 'delete' } }),
      ),
    );
    await expect(attempt).rejects.toSatisfy((err: unknown) => isOpendpoError(err) && err.code === 'DATASET_INVALID');
    await expect(attempt).rejects.toThrow(/cycle among shop\.person \(shop\.yaml:13\), shop\.card \(shop\.yaml:11\).*Declare erasure: mask/);
  });

  it('a cycle of the datasets\' references alone is no obstacle: the database does not enforce it', async () => {
    const plan = await planOn(
      `CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT, card_id INTEGER);
       CREATE TABLE card (id INTEGER PRIMARY KEY, person_id INTEGER);
       INSERT INTO person VALUES (1, '${PERSON}', 2);
       INSERT INTO card VALUES (2, 1);`,
      shop(
        collection('person', [id(), email(), field('card_id', { references: [{ ...ref('card', 'to'), field: 'id' }] })], { erasure: { strategy: 'delete' } }),
        collection('card', [id(), refField('person_id', 'person')], { erasure: { strategy: 'delete' } }),
      ),
    );
    expect(writes(plan)).toEqual(['delete shop.card: 2', 'delete shop.person: 1']);
  });

  it('a row to delete that a real foreign key points at from a row that stays is masked instead; from a row deleted too, it is deleted', async () => {
    const plan = await planOn(
      `CREATE TABLE customer (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
       CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer (id), note TEXT);
       CREATE TABLE gift (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders (id), to_name TEXT);
       INSERT INTO customer VALUES (1, '${PERSON}', 'Ann');
       INSERT INTO orders VALUES (10, 1, 'a'), (11, 1, 'b'), (12, 1, 'c');
       -- Bob's gift row points at Ann's order 10 (the dataset does not know it); Ann's own order line points at 11.
       INSERT INTO gift VALUES (7, 10, 'Bob');
       CREATE TABLE line (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders (id));
       INSERT INTO line VALUES (70, 11);`,
      shop(
        collection('customer', [id(), email(), personal('name')]),
        collection('orders', [id(), refField('customer_id', 'customer'), personal('note')], { erasure: { strategy: 'delete' } }),
        collection('line', [id(), refField('order_id', 'orders')], { erasure: { strategy: 'delete' } }),
      ),
    );
    expect(writes(plan)).toEqual(['update shop.customer: 1', 'update shop.orders: 10', 'delete shop.line: 70', 'delete shop.orders: 11,12']);
    expect(setOf(plan, 'shop.orders')).toEqual({ note: null });
    // Masked, not kept: nothing to report.
    expect(plan.kept).toEqual([]);
  });

  it('masking a row to keep it keeps the rows it points at in turn, however long the chain', async () => {
    // Ann's messages 1..14, each replying to the one before; Bob's message 15 replies to her last.
    const rows = Array.from({ length: 14 }, (_, k) => `(${k + 1}, '${PERSON}', 'text ${k + 1}', ${k === 0 ? 'NULL' : k})`).join(', ');
    const plan = await planOn(
      `CREATE TABLE message (id INTEGER PRIMARY KEY, email TEXT, body TEXT, reply_to INTEGER REFERENCES message (id) ON DELETE CASCADE);
       INSERT INTO message VALUES ${rows}, (15, '${OTHER}', 'Bob''s answer', 14);`,
      shop(collection('message', [id(), email(), personal('body'), field('reply_to')], { erasure: { strategy: 'delete' } })),
    );
    // Deleting any of them would cascade, through the replies, into Bob's message.
    expect(writes(plan)).toEqual([`update shop.message: ${Array.from({ length: 14 }, (_, k) => k + 1).join(',')}`]);
  });

  it('a row whose key holds the person\'s identity is deleted, or kept whole when a row that stays points at it (masking the key would break it)', async () => {
    const plan = await planOn(
      `CREATE TABLE subscriber (email TEXT PRIMARY KEY, name TEXT);
       CREATE TABLE visit (email TEXT, at TEXT, page TEXT, PRIMARY KEY (email, at));
       CREATE TABLE referral (id INTEGER PRIMARY KEY, subscriber_email TEXT REFERENCES subscriber (email));
       INSERT INTO subscriber VALUES ('${PERSON}', 'Ann'), ('${OTHER}', 'Bob');
       INSERT INTO visit VALUES ('${PERSON}', '2024-01-01', '/a'), ('${PERSON}', '2024-01-02', '/b'), ('${OTHER}', '2024-01-01', '/c');
       INSERT INTO referral VALUES (1, '${PERSON}');`,
      shop(
        collection('subscriber', [field('email', { identity: 'email', categories: ['user.contact.email'], primaryKey: true }), personal('name')]),
        collection('visit', [field('email', { identity: 'email', categories: ['user.contact.email'], primaryKey: true }), field('at', { primaryKey: true }), personal('page')]),
      ),
    );
    expect(writes(plan)).toEqual([`delete shop.visit: ${PERSON}/2024-01-01,${PERSON}/2024-01-02`]);
    expect(plan.kept).toEqual([{ node: 'shop.subscriber', reason: 'referenced', rows: 1 }]);
  });

  it('a row whose key holds the person\'s identity beside another column is kept whole too when a row that stays points at it', async () => {
    const plan = await planOn(
      `CREATE TABLE device (email TEXT, n INTEGER, code TEXT UNIQUE, PRIMARY KEY (email, n));
       CREATE TABLE pairing (id INTEGER PRIMARY KEY, device_code TEXT REFERENCES device (code));
       INSERT INTO device VALUES ('${PERSON}', 1, 'd1'), ('${PERSON}', 2, 'd2');
       INSERT INTO pairing VALUES (1, 'd1');`,
      shop(collection('device', [field('email', { identity: 'email', categories: ['user.contact.email'], primaryKey: true }), field('n', { primaryKey: true }), field('code')], { erasure: { strategy: 'delete' } })),
    );
    expect(writes(plan)).toEqual([`delete shop.device: ${PERSON}/2`]);
    expect(plan.kept).toEqual([{ node: 'shop.device', reason: 'referenced', rows: 1 }]);
  });

  it('the column a real foreign key points at is read and compared though the dataset does not declare it', async () => {
    const plan = await planOn(
      `CREATE TABLE device (id INTEGER PRIMARY KEY, email TEXT, code TEXT UNIQUE);
       CREATE TABLE pairing (id INTEGER PRIMARY KEY, device_code TEXT REFERENCES device (code));
       INSERT INTO device VALUES (1, '${PERSON}', 'd1'), (2, '${PERSON}', 'd2');
       INSERT INTO pairing VALUES (1, 'd1');`,
      shop(collection('device', [id(), email()], { erasure: { strategy: 'delete' } })),
    );
    // Row 1 stays for the pairing that points at it, masked (its key holds no identity).
    expect(writes(plan)).toEqual(['update shop.device: 1', 'delete shop.device: 2']);
    expect(setOf(plan, 'shop.device')).toEqual({ email: null });
  });

  it('a field under a legal hold keeps its row: masked, not deleted, the held field left and reported with its hold', async () => {
    const plan = await planOn(
      `CREATE TABLE invoice (id INTEGER PRIMARY KEY, email TEXT, name TEXT, billing_address TEXT, issued TEXT);
       INSERT INTO invoice VALUES (1, '${PERSON}', 'Ann', '1 rue A', '2023-04-01'), (2, '${PERSON}', 'Ann', '1 rue A', '2024-02-29');`,
      shop(
        // A hold on a field the erasure would not touch anyway (not personal data) keeps nothing more.
        collection('invoice', [id(), email(), personal('name'), personal('billing_address', { legalHold: HOLD }), field('issued', { legalHold: HOLD })], {
          erasure: { strategy: 'delete' },
          retentionStart: 'issued',
        }),
      ),
    );
    expect(writes(plan)).toEqual(['update shop.invoice: 1,2']);
    expect(setOf(plan, 'shop.invoice')).toEqual({ email: null, name: null });
    expect(plan.kept).toEqual([{ node: 'shop.invoice', reason: 'legal-hold', rows: 2, fields: ['billing_address'], hold: HOLD, latestStart: '2024-02-29' }]);
  });

  it('a collection under a legal hold is kept whole, with the latest start of its retention when every row is dated', async () => {
    const sql = (second: string) =>
      `CREATE TABLE customer (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
       CREATE TABLE invoice (id INTEGER PRIMARY KEY, customer_id INTEGER, issued TEXT, amount TEXT);
       INSERT INTO customer VALUES (1, '${PERSON}', 'Ann');
       INSERT INTO invoice VALUES (1, 1, '2022-12-31', '10.00'), (2, 1, ${second}, '12.00'), (3, 1, '2021-01-01', '1.00');`;
    const datasets = shop(
      collection('customer', [id(), email(), personal('name')]),
      collection('invoice', [id(), refField('customer_id', 'customer'), field('issued'), personal('amount')], { legalHold: HOLD, retentionStart: 'issued', erasure: { strategy: 'delete' } }),
    );
    const dated = await planOn(sql(`'2023-06-30'`), datasets);
    expect(writes(dated)).toEqual(['update shop.customer: 1']);
    expect(dated.kept).toEqual([{ node: 'shop.invoice', reason: 'legal-hold', rows: 3, hold: HOLD, latestStart: '2023-06-30' }]);
    // One row without a date: no date can be given for the whole hold.
    const undated = await planOn(sql('NULL'), datasets);
    expect(undated.kept).toEqual([{ node: 'shop.invoice', reason: 'legal-hold', rows: 3, hold: HOLD }]);
  });

  it('rows shared with another person are kept and reported where they hold personal data; catalogues and skipped collections are never written', async () => {
    const plan = await planOn(
      `CREATE TABLE customer (id INTEGER PRIMARY KEY, email TEXT, name TEXT, city_id INTEGER);
       CREATE TABLE address (id INTEGER PRIMARY KEY, street TEXT);
       CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, address_id INTEGER, tracking TEXT);
       CREATE TABLE shipment (id INTEGER PRIMARY KEY, address_id INTEGER);
       CREATE TABLE city (id INTEGER PRIMARY KEY, name TEXT);
       CREATE TABLE audit (id INTEGER PRIMARY KEY, customer_id INTEGER, name TEXT);
       INSERT INTO customer VALUES (1, '${PERSON}', 'Ann', 1), (2, '${OTHER}', 'Bob', 1);
       INSERT INTO city VALUES (1, 'Lyon');
       INSERT INTO address VALUES (1, '1 rue A'), (2, '2 rue B');
       -- Ann's orders ship to address 1 and 2; Bob's order ships to address 1 too.
       INSERT INTO orders VALUES (10, 1, 1, 'T10'), (11, 1, 2, 'T11'), (12, 2, 1, 'T12');
       INSERT INTO shipment VALUES (1, 1), (2, 2);
       INSERT INTO audit VALUES (1, 1, 'Ann');`,
      shop(
        collection('customer', [id(), email(), personal('name'), field('city_id', { references: [{ ...ref('city', 'to') }] })], { subject: 'customer' }),
        collection('orders', [id(), refField('customer_id', 'customer'), field('address_id', { references: [ref('address', 'to')] }), personal('tracking')]),
        collection('address', [id(), personal('street')]),
        // Without personal data: its row found from the shared address is shared too, with nothing to report.
        collection('shipment', [id(), refField('address_id', 'address')]),
        collection('city', [id(), personal('name')], { catalogue: true }),
        collection('audit', [id(), refField('customer_id', 'customer'), personal('name')], { skip: true }),
      ),
    );
    expect(writes(plan)).toEqual(['update shop.customer: 1', 'update shop.orders: 10,11', 'update shop.address: 2']);
    expect(plan.kept).toEqual([{ node: 'shop.address', reason: 'shared', rows: 1 }]);
  });

  it('shared rows are reported wherever the collection holds personal data of any kind: fields to mask, a legal hold, rows to delete, an identity in its key', async () => {
    const plan = await planOn(
      `CREATE TABLE customer (id INTEGER PRIMARY KEY, email TEXT);
       CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, address_id INTEGER);
       CREATE TABLE address (id INTEGER PRIMARY KEY, label TEXT);
       CREATE TABLE a_note (id INTEGER PRIMARY KEY, address_id INTEGER, text TEXT);
       CREATE TABLE b_held (id INTEGER PRIMARY KEY, address_id INTEGER);
       CREATE TABLE c_deleted (id INTEGER PRIMARY KEY, address_id INTEGER);
       CREATE TABLE d_keyed (email TEXT PRIMARY KEY, address_id INTEGER);
       CREATE TABLE e_plain (id INTEGER PRIMARY KEY, address_id INTEGER);
       INSERT INTO customer VALUES (1, '${PERSON}'), (2, '${OTHER}');
       INSERT INTO orders VALUES (10, 1, 1), (11, 2, 1);
       INSERT INTO address VALUES (1, 'home');
       INSERT INTO a_note VALUES (1, 1, 'ring twice');
       INSERT INTO b_held VALUES (1, 1);
       INSERT INTO c_deleted VALUES (1, 1);
       INSERT INTO d_keyed VALUES ('carol@example.com', 1);
       INSERT INTO e_plain VALUES (1, 1);`,
      shop(
        collection('customer', [id(), email()], { subject: 'customer' }),
        collection('orders', [id(), refField('customer_id', 'customer'), field('address_id', { references: [ref('address', 'to')] })]),
        collection('address', [id(), personal('label')]),
        collection('a_note', [id(), refField('address_id', 'address'), personal('text')]),
        collection('b_held', [id(), refField('address_id', 'address')], { legalHold: HOLD }),
        collection('c_deleted', [id(), refField('address_id', 'address')], { erasure: { strategy: 'delete' } }),
        collection('d_keyed', [field('email', { identity: 'email', categories: ['system.operations'], primaryKey: true }), refField('address_id', 'address')]),
        collection('e_plain', [id(), refField('address_id', 'address')]),
      ),
    );
    // Bob's order ships to the same address: everything found from it is his too, and nothing of it is written.
    expect(writes(plan)).toEqual(['update shop.customer: 1']);
    expect([...plan.kept].sort((a, b) => a.node.localeCompare(b.node))).toEqual(['shop.a_note', 'shop.address', 'shop.b_held', 'shop.c_deleted', 'shop.d_keyed'].map((node) => ({ node, reason: 'shared', rows: 1 })));
  });

  it('an erasure that keeps every row writes nothing, in no database', async () => {
    const plan = await planOn(
      `CREATE TABLE invoice (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
       INSERT INTO invoice VALUES (1, '${PERSON}', 'Ann');`,
      shop(collection('invoice', [id(), email(), personal('name')], { legalHold: HOLD })),
    );
    expect(plan).toEqual({ connections: [], kept: [{ node: 'shop.invoice', reason: 'legal-hold', rows: 1, hold: HOLD }] });
  });

  it('the person\'s rows of a table that point at each other are deleted leaves first, not refused as a cycle', async () => {
    const plan = await planOn(
      `CREATE TABLE message (id INTEGER PRIMARY KEY, email TEXT, reply_to INTEGER REFERENCES message (id));
       INSERT INTO message VALUES (1, '${PERSON}', NULL), (2, '${PERSON}', 1), (3, '${PERSON}', 2), (4, '${OTHER}', NULL), (5, '${PERSON}', 1);`,
      shop(collection('message', [id(), email(), field('reply_to')], { erasure: { strategy: 'delete' } })),
    );
    expect(writes(plan)).toEqual(['delete shop.message: 3,5', 'delete shop.message: 2', 'delete shop.message: 1']);
  });

  it('two rows, a message and its reply, are two levels; a row replying to itself waits for nothing', async () => {
    const message = shop(collection('message', [id(), email(), field('reply_to')], { erasure: { strategy: 'delete' } }));
    const pair = await planOn(
      `CREATE TABLE message (id INTEGER PRIMARY KEY, email TEXT, reply_to INTEGER REFERENCES message (id));
       INSERT INTO message VALUES (1, '${PERSON}', NULL), (2, '${PERSON}', 1);`,
      message,
    );
    expect(writes(pair)).toEqual(['delete shop.message: 2', 'delete shop.message: 1']);
    const itself = await planOn(
      `CREATE TABLE message (id INTEGER PRIMARY KEY, email TEXT, reply_to INTEGER REFERENCES message (id));
       INSERT INTO message VALUES (1, '${PERSON}', 1), (2, '${PERSON}', NULL), (3, '${PERSON}', 2);`,
      message,
    );
    expect(writes(itself)).toEqual(['delete shop.message: 1,3', 'delete shop.message: 2']);
  });

  it('a table with two keys to itself orders its rows by both: a reply to one message quoting another goes before both', async () => {
    const plan = await planOn(
      `CREATE TABLE message (id INTEGER PRIMARY KEY, email TEXT, reply_to INTEGER REFERENCES message (id), quote_of INTEGER REFERENCES message (id));
       INSERT INTO message VALUES (1, '${PERSON}', NULL, NULL), (2, '${PERSON}', NULL, NULL), (3, '${PERSON}', 1, 2);`,
      shop(collection('message', [id(), email(), field('reply_to'), field('quote_of')], { erasure: { strategy: 'delete' } })),
    );
    expect(writes(plan)).toEqual(['delete shop.message: 3', 'delete shop.message: 1,2']);
  });

  it('only the table\'s keys to itself order its rows; a key to another table, or one with a null column, points at none of them', async () => {
    // orders.customer_code points at customer.code, a column orders does not have.
    const other = await planOn(
      `CREATE TABLE customer (code TEXT PRIMARY KEY);
       CREATE TABLE orders (id INTEGER PRIMARY KEY, email TEXT, customer_code TEXT REFERENCES customer (code));
       INSERT INTO customer VALUES ('c1');
       INSERT INTO orders VALUES (1, '${PERSON}', 'c1'), (2, '${PERSON}', 'c1');`,
      shop(collection('orders', [id(), email(), field('customer_code')], { erasure: { strategy: 'delete' } })),
    );
    expect(writes(other)).toEqual(['delete shop.orders: 1,2']);
    // A composite key to itself with a null column is not checked (MATCH SIMPLE): row 1 names
    // (t, NULL), which row 2 also holds, and still points at nothing.
    const partial = await planOn(
      `CREATE TABLE message (id INTEGER PRIMARY KEY, email TEXT, thread TEXT, pos INTEGER, ref_thread TEXT, ref_pos INTEGER,
         UNIQUE (thread, pos), FOREIGN KEY (ref_thread, ref_pos) REFERENCES message (thread, pos));
       INSERT INTO message VALUES (1, '${PERSON}', 't', NULL, 't', NULL), (2, '${PERSON}', 't', NULL, NULL, NULL);`,
      shop(collection('message', [id(), email(), field('thread'), field('pos'), field('ref_thread'), field('ref_pos')], { erasure: { strategy: 'delete' } })),
    );
    expect(writes(partial)).toEqual(['delete shop.message: 1,2']);
  });

  it('rows pointing at each other in a loop have their pointers cleared, then go together, after the rest', async () => {
    const plan = await planOn(
      `CREATE TABLE message (id INTEGER PRIMARY KEY, email TEXT, reply_to INTEGER REFERENCES message (id));
       INSERT INTO message VALUES (1, '${PERSON}', NULL), (2, '${PERSON}', NULL), (3, '${PERSON}', 1);
       UPDATE message SET reply_to = 2 WHERE id = 1; UPDATE message SET reply_to = 1 WHERE id = 2;`,
      shop(collection('message', [id(), email(), field('reply_to')], { erasure: { strategy: 'delete' } })),
    );
    // No order of deletes lets a loop go where the key is checked row by row (SQLite RESTRICT, InnoDB).
    expect(writes(plan)).toEqual(['update shop.message: 1,2', 'delete shop.message: 3', 'delete shop.message: 1,2']);
    expect(setOf(plan, 'shop.message')).toEqual({ reply_to: null });
  });

  it('an erasure reads no catalogue: nothing in it is the person\'s to erase, nor decides what is shared', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-plan-'));
    dirs.push(dir);
    const file = path.join(dir, 'shop.db');
    const db = new SqliteDatabase(file);
    db.exec(`CREATE TABLE customer (id INTEGER PRIMARY KEY, email TEXT, city_id INTEGER);
       CREATE TABLE city (id INTEGER PRIMARY KEY, name TEXT);
       INSERT INTO city VALUES (1, 'Lyon');
       INSERT INTO customer VALUES (1, '${PERSON}', 1), (2, '${OTHER}', 1);`);
    db.close();
    const datasets = shop(
      collection('customer', [id(), email(), field('city_id', { references: [ref('city', 'to')] })], { subject: 'customer' }),
      collection('city', [id(), personal('name')], { catalogue: true }),
    );
    const connections = await openTestConnections([{ name: 'shop', type: 'sqlite', url: `sqlite:${file}`, datasets: ['shop'] }]);
    try {
      const read = async (kind: 'access' | 'erasure') => (await dryRun({ kind, identities: { email: PERSON }, datasets, connections })).statements.filter((x) => x.phase !== 'write');
      // Access reads the city, to show its name beside the person's row; an erasure never does.
      expect((await read('access')).some((x) => x.sql.includes('"city"'))).toBe(true);
      expect((await read('erasure')).some((x) => x.sql.includes('"city"'))).toBe(false);
    } finally {
      await connections.close();
    }
  });
});
