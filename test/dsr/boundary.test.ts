/**
 * Whose rows a request found (src/dsr/boundary.ts), decided purely from the rows found and the one
 * fact read from the databases (which found rows a row outside the request leads to): the person's
 * own, shared with someone else, or another person's (Art. 15(4), Art. 17).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseConnector, Row, Statement } from '../../src/connectors/connector.js';
import { openDatabaseConnector } from '../../src/connectors/open-database-connector.js';
import type { Collection, Dataset, DatasetField, Reference } from '../../src/dataset/model.js';
import { classifyRows, edgeId, ownRows, readOutsideLinks, withheldRows, type OutsideLinks } from '../../src/dsr/boundary.js';
import { rowKey, type CollectedNode } from '../../src/dsr/execute/collect.js';
import { buildRequestGraph } from '../../src/dsr/plan/graph.js';

const ANN = 'ann@example.com';
const at = { file: 'shop.yaml', line: 1, column: 1 };
const field = (name: string, extra: Partial<DatasetField> = {}): DatasetField => ({ name, categories: ['system.operations'], primaryKey: false, references: [], readOnly: false, at, ...extra });
const ref = (collection: string, direction: Reference['direction']): Reference => ({ dataset: 'shop', collection, field: 'id', direction, otherSubject: false, at });
const from = (name: string, collection: string) => field(name, { references: [ref(collection, 'from')] });
const email = field('email', { identity: 'email', categories: ['user.contact.email'] });
const collection = (name: string, fields: DatasetField[], extra: Partial<Collection> = {}): Collection => ({ name, fields, erasure: { strategy: 'mask' }, skip: false, after: [], eraseAfter: [], at, ...extra });

const shop: Dataset = {
  key: 'shop',
  format: 'opendpo',
  at,
  collections: [
    collection('customer', [field('id'), email], { subject: 'customer' }),
    collection('orders', [field('id'), from('customer_id', 'customer'), field('address_id', { references: [ref('address', 'to')] })]),
    collection('address', [field('id'), field('street', { categories: ['user.contact.address.street'] }), field('city_id', { references: [ref('city', 'to')] })]),
    collection('city', [field('id'), field('name')], { catalogue: true }),
    collection('parcel', [field('id'), from('address_id', 'address')]),
    // Declared before the tickets and replies it hangs from: what another person's ticket leads to
    // reaches it in a second round of the propagation, not the first.
    collection('reaction', [field('id'), from('reply_id', 'reply'), field('emoji', { categories: ['user.content'] })]),
    collection('ticket', [field('id'), email, field('phone', { identity: 'phone_number' }), from('customer_id', 'customer'), from('address_id', 'address')]),
    collection('reply', [field('id'), from('ticket_id', 'ticket'), from('address_id', 'address'), field('body', { categories: ['user.content'] })]),
  ],
};
const graph = buildRequestGraph([shop], ['email']);

function found(rows: Record<string, Row[]>): Map<string, CollectedNode> {
  return new Map(
    Object.entries(rows).map(([name, list]) => {
      const node = graph.nodes.get(`shop.${name}`)!;
      const columns = Object.keys(list[0] ?? { id: null });
      return [node.id, { node, table: { name }, columns, key: ['id'], rows: new Map(list.map((r) => [rowKey(r, ['id'], columns), r])), statements: 1, durationMs: 0, searchedTogether: false }];
    }),
  );
}
const edge = (fromNode: string, fromField: string, to: string, toField: string) => {
  const e = graph.edges.find((x) => x.from === `shop.${fromNode}` && x.fromField === fromField && x.to === `shop.${to}` && x.toField === toField);
  if (e === undefined) throw new Error(`no edge ${fromNode}.${fromField} -> ${to}.${toField}`);
  return edgeId(e);
};

// Ann's customer row; her orders ship to addresses 1 and 2; Bob's order (outside the request) ships
// to address 1 too; tickets and replies hang from her customer row and from addresses.
const FOUND = found({
  customer: [{ id: 1, email: ANN }],
  orders: [
    { id: 10, customer_id: 1, address_id: 1 },
    { id: 11, customer_id: 1, address_id: 2 },
  ],
  address: [
    { id: 1, street: '1 rue A', city_id: 5 },
    { id: 2, street: '2 rue B', city_id: 5 },
  ],
  city: [{ id: 5, name: 'Lyon' }],
  parcel: [
    { id: 100, address_id: 1 },
    { id: 101, address_id: 2 },
  ],
  ticket: [
    { id: 20, email: ANN, phone: '+33 1', customer_id: 1, address_id: 1 },
    { id: 21, email: 'bob@example.com', phone: null, customer_id: 1, address_id: null },
    { id: 22, email: null, phone: '+33 9', customer_id: 1, address_id: null },
    { id: 23, email: null, phone: null, customer_id: null, address_id: 1 },
  ],
  reply: [
    { id: 200, ticket_id: 20, address_id: null, body: 'a' },
    { id: 201, ticket_id: 21, address_id: null, body: 'b' },
    { id: 202, ticket_id: 21, address_id: 1, body: 'c' },
    { id: 203, ticket_id: 20, address_id: 1, body: 'd' },
    { id: 204, ticket_id: 22, address_id: 2, body: 'e' },
  ],
  reaction: [
    { id: 300, reply_id: 201, emoji: '+1' },
    { id: 301, reply_id: 200, emoji: '+1' },
    { id: 302, reply_id: 203, emoji: '?' },
  ],
});
const OUTSIDE: OutsideLinks = new Map([[edge('orders', 'address_id', 'address', 'id'), new Set(['v:1'])]]);

const labels = (boundary: ReturnType<typeof classifyRows>) =>
  Object.fromEntries([...boundary].map(([node, rows]) => [node.replace('shop.', ''), Object.fromEntries([...rows].map(([k, v]) => [JSON.parse(k)[0].slice(2), v]))]));

// Computed in each test, not when the suite is collected: mutation testing (StrykerJS) activates a
// mutant for the tests only.
const classify = () => classifyRows({ graph, found: FOUND, identities: { email: [ANN] }, outside: OUTSIDE });

describe('whose rows a request found', () => {

  it('a row found through the person\'s identity is theirs; one naming someone else is theirs; the rest by what leads to it', () => {
    expect(labels(classify())).toEqual({
      customer: { 1: 'own' },
      orders: { 10: 'own', 11: 'own' },
      // Bob's order ships to address 1.
      address: { 1: 'shared', 2: 'own' },
      parcel: { 100: 'shared', 101: 'own' },
      // 20 is Ann's by her email though it hangs from a shared address; 21 names Bob; 22 names no one
      // (a phone number the request was not made with is not compared); 23 hangs from address 1 only.
      ticket: { 20: 'own', 21: 'other-person', 22: 'own', 23: 'shared' },
      // 202 is reached both from Bob's ticket and from the shared address: another person's wins.
      reply: { 200: 'own', 201: 'other-person', 202: 'other-person', 203: 'shared', 204: 'own' },
      // Two steps from Bob's ticket, or from the shared address: labelled as the reply they hang from.
      reaction: { 300: 'other-person', 301: 'own', 302: 'shared' },
    });
  });

  it('catalogue rows are nobody\'s records: not classified, never copied as the person\'s', () => {
    const boundary = classify();
    expect(boundary.has('shop.city')).toBe(false);
    expect(ownRows(boundary, FOUND.get('shop.city')!).size).toBe(0);
    expect(withheldRows(boundary, FOUND.get('shop.city')!)).toEqual({ shared: [], 'other-person': [] });
  });

  it('the copy holds the own rows; the others are withheld by reason', () => {
    const boundary = classify();
    expect([...ownRows(boundary, FOUND.get('shop.reply')!).values()].map((r) => r.id)).toEqual([200, 204]);
    const withheld = withheldRows(boundary, FOUND.get('shop.reply')!);
    expect({ shared: withheld.shared.map((r) => r.id), other: withheld['other-person'].map((r) => r.id) }).toEqual({ shared: [203], other: [201, 202] });
  });

  it('without a row outside the request leading in, nothing is shared; with every identity given, nobody else is named', () => {
    const alone = classifyRows({ graph, found: FOUND, identities: { email: [ANN, 'bob@example.com'] }, outside: new Map() });
    expect(new Set([...alone.values()].flatMap((rows) => [...rows.values()]))).toEqual(new Set(['own']));
  });

  it('an outside link on another value, or on another edge, shares nothing', () => {
    const elsewhere: OutsideLinks = new Map([
      [edge('orders', 'address_id', 'address', 'id'), new Set(['v:9'])],
      [edge('address', 'id', 'parcel', 'address_id'), new Set(['v:1', 'v:2'])],
    ]);
    const b = classifyRows({ graph, found: FOUND, identities: { email: [ANN] }, outside: elsewhere });
    expect(labels(b).address).toEqual({ 1: 'own', 2: 'own' });
    expect(labels(b).parcel).toEqual({ 100: 'shared', 101: 'shared' });
    expect(labels(b).ticket).toEqual({ 20: 'own', 21: 'other-person', 22: 'own', 23: 'own' });
  });

  it('a row reached two ways is shared when one of them leads from outside the request', () => {
    // Reply 204 hangs from Ann's ticket 22 and from her address 2; a row outside the request leads to
    // it along the address reference only.
    const one: OutsideLinks = new Map([[edge('address', 'id', 'reply', 'address_id'), new Set(['v:2'])]]);
    const b = classifyRows({ graph, found: FOUND, identities: { email: [ANN] }, outside: one });
    expect(labels(b).reply).toEqual({ 200: 'own', 201: 'other-person', 202: 'other-person', 203: 'own', 204: 'shared' });
  });
});

/**
 * The one fact read from the databases: which found rows a row outside the request leads to. On a
 * real SQLite file holding Ann's rows (as FOUND has them) and rows of Bob's outside the request.
 */
describe('which found rows a row outside the request leads to', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function readOn(foundRows: Map<string, CollectedNode>): Promise<{ outside: OutsideLinks; asked: string[] }> {
    const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-boundary-'));
    dirs.push(dir);
    const file = path.join(dir, 'shop.db');
    const db = new SqliteDatabase(file);
    db.exec(`
      create table customer (id integer primary key, email text);
      create table orders (id integer primary key, customer_id integer, address_id integer);
      create table address (id integer primary key, street text, city_id integer);
      create table city (id integer primary key, name text);
      create table parcel (id integer primary key, address_id integer);
      create table ticket (id integer primary key, email text, phone text, customer_id integer, address_id integer);
      create table reply (id integer primary key, ticket_id integer, address_id integer, body text);
      insert into customer values (1, '${ANN}'), (2, 'bob@example.com');
      -- Bob's order 12 ships to Ann's address 1; his address 3 is in Ann's city.
      insert into orders values (10, 1, 1), (11, 1, 2), (12, 2, 1);
      insert into address values (1, '1 rue A', 5), (2, '2 rue B', 5), (3, '3 rue C', 5);
      insert into city values (5, 'Lyon');
      insert into parcel values (100, 1), (101, 2), (102, 1);
      insert into ticket values (20, '${ANN}', '+33 1', 1, 1), (21, 'bob@example.com', null, 1, null), (22, null, '+33 9', 1, null), (23, null, null, null, 1), (24, null, null, 2, 2);
      insert into reply values (200, 20, null, 'a'), (201, 21, null, 'b'), (202, 21, 1, 'c'), (203, 20, 1, 'd'), (204, 22, 2, 'e'), (205, 24, 2, 'f');
    `);
    db.close();
    const connector = await openDatabaseConnector({ name: 'shop', type: 'sqlite', url: `sqlite:${file}` });
    const asked: string[] = [];
    const counting: DatabaseConnector = Object.assign(Object.create(connector) as DatabaseConnector, {
      run: (statement: Statement) => {
        asked.push(`${statement.table.name}.${statement.where.columns.join(',')}`);
        return connector.run(statement);
      },
    });
    try {
      const outside = await readOutsideLinks({ graph, found: foundRows, keyOf: () => ['id'], connectorFor: () => counting });
      return { outside, asked };
    } finally {
      await connector.close();
    }
  }
  const links = (outside: OutsideLinks) => Object.fromEntries([...outside].map(([id, values]) => [id.split('\u0000').join(' '), [...values].sort()]));

  it('reads the values a row outside the request holds, edge by edge, and asks nothing it can tell without the database', async () => {
    const { outside, asked } = await readOn(FOUND);
    // Bob's order 12 leads to address 1. Bob's parcel 102, ticket 24 and reply 205 lead to Ann's
    // addresses and tickets through her rows' own keys: a row leads there only from the found
    // address or ticket, so nothing is asked. The city is a catalogue: never asked about.
    expect(links(outside)).toEqual({ 'shop.orders address_id shop.address id': ['v:1'] });
    expect(asked).toEqual(['orders.address_id']);
  });

  it('asks about a key the found rows do not all hold: an order found another way whose customer was not found', async () => {
    // Bob's order 12 was reached through the address it ships to; his customer row was not found.
    const orders = FOUND.get('shop.orders')!;
    const withBobsOrder: CollectedNode = { ...orders, rows: new Map([...orders.rows, [rowKey({ id: 12 }, ['id'], ['id']), { id: 12, customer_id: 2, address_id: 1 }]]) };
    const { outside, asked } = await readOn(new Map([...FOUND, ['shop.orders', withBobsOrder]]));
    // Customer 2 is outside the request; address 1 is now led to by found orders only (10 and 12).
    expect(links(outside)).toEqual({ 'shop.customer id shop.orders customer_id': ['v:2'] });
    expect(asked).toEqual(['customer.id', 'orders.address_id']);
  });

  it('asks the source collection when it was not searched, and counts every row there as outside', async () => {
    const withoutOrders = new Map([...FOUND].filter(([id]) => id !== 'shop.orders'));
    const { outside, asked } = await readOn(withoutOrders);
    expect(links(outside)).toEqual({ 'shop.orders address_id shop.address id': ['v:1', 'v:2'] });
    expect(asked).toEqual(['orders.address_id']);
  });

  it('tells a found row of a collection without a key by the columns it was read with', async () => {
    const orders = FOUND.get('shop.orders')!;
    const keyless: CollectedNode = { ...orders, key: [], rows: new Map([...orders.rows.values()].map((r) => [rowKey(r, [], orders.columns), r])) };
    const { outside } = await readOn(new Map([...FOUND, ['shop.orders', keyless]]));
    expect(links(outside)).toEqual({ 'shop.orders address_id shop.address id': ['v:1'] });
  });

  it('asks nothing about values that are all empty, and records no edge that no row outside holds', async () => {
    const only = (entries: Array<[string, Row[]]>) =>
      new Map(entries.map(([name, rows]) => [`shop.${name}`, { ...FOUND.get(`shop.${name}`)!, rows: new Map(rows.map((r) => [rowKey(r, ['id'], Object.keys(r)), r])) }]));
    const nullKey = await readOn(only([['address', [{ id: null, street: 'x', city_id: 5 }]]]));
    expect(nullKey.asked).toEqual([]);
    expect(nullKey.outside.size).toBe(0);
    // Only Ann's order 11 ships to address 2: the edge is asked about and has no outside link.
    const alone = await readOn(only([['customer', [{ id: 1, email: ANN }]], ['orders', [...FOUND.get('shop.orders')!.rows.values()]], ['address', [{ id: 2, street: '2 rue B', city_id: 5 }]]]));
    expect(alone.asked).toEqual(['orders.address_id']);
    expect(alone.outside.size).toBe(0);
  });
});
