/**
 * Whose rows a request found (src/dsr/boundary.ts), decided purely from the rows found and the one
 * fact read from the databases (which found rows a row outside the request leads to): the person's
 * own, shared with someone else, or another person's (Art. 15(4), Art. 17).
 */
import { describe, expect, it } from 'vitest';
import type { Row } from '../../src/connectors/connector.js';
import type { Collection, Dataset, DatasetField, Reference } from '../../src/dataset/model.js';
import { classifyRows, edgeId, ownRows, withheldRows, type OutsideLinks } from '../../src/dsr/boundary.js';
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
});
const OUTSIDE: OutsideLinks = new Map([[edge('orders', 'address_id', 'address', 'id'), new Set(['v:1'])]]);

const labels = (boundary: ReturnType<typeof classifyRows>) =>
  Object.fromEntries([...boundary].map(([node, rows]) => [node.replace('shop.', ''), Object.fromEntries([...rows].map(([k, v]) => [JSON.parse(k)[0].slice(2), v]))]));

describe('whose rows a request found', () => {
  const boundary = classifyRows({ graph, found: FOUND, identities: { email: [ANN] }, outside: OUTSIDE });

  it('a row found through the person\'s identity is theirs; one naming someone else is theirs; the rest by what leads to it', () => {
    expect(labels(boundary)).toEqual({
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
    });
  });

  it('catalogue rows are nobody\'s records: not classified, never copied as the person\'s', () => {
    expect(boundary.has('shop.city')).toBe(false);
    expect(ownRows(boundary, FOUND.get('shop.city')!).size).toBe(0);
    expect(withheldRows(boundary, FOUND.get('shop.city')!)).toEqual({ shared: [], 'other-person': [] });
  });

  it('the copy holds the own rows; the others are withheld by reason', () => {
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
});
