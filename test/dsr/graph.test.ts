import { describe, expect, it } from 'vitest';
import type { Collection, Dataset, DatasetField, Reference } from '../../src/dataset/model.js';
import { buildRequestGraph } from '../../src/dsr/plan/graph.js';

const at = { file: 'shop.yaml', line: 3, column: 5 };
const field = (name: string, extra: Partial<DatasetField> = {}): DatasetField => ({ name, categories: ['system.operations'], primaryKey: false, references: [], readOnly: false, at, ...extra });
const ref = (collection: string, direction: Reference['direction'], otherSubject = false): Reference => ({ dataset: 'shop', collection, field: 'id', direction, otherSubject, at });
const collection = (name: string, fields: DatasetField[], extra: Partial<Collection> = {}): Collection => ({ name, fields, erasure: { strategy: 'mask' }, skip: false, after: [], eraseAfter: [], at, ...extra });

const shop: Dataset = {
  key: 'shop',
  format: 'opendpo',
  at,
  collections: [
    collection('customer', [field('id'), field('email', { identity: 'email', categories: ['user.contact.email'] }), field('referrer_id', { references: [ref('customer', 'to', true)] })], { subject: 'customer' }),
    collection('orders', [field('id'), field('customer_id', { references: [ref('customer', 'from')] }), field('address_id', { references: [ref('address', 'to')] })]),
    collection('address', [field('id'), field('street', { categories: ['user.contact.address.street'] })]),
    collection('ticket', [field('id'), field('customer_id', { references: [ref('customer', 'from')] }), field('agent_id', { references: [ref('staff', 'to')] })]),
    collection('staff', [field('id'), field('email', { identity: 'email', categories: ['user.contact.email'] })], { subject: 'employee' }),
    collection('legacy', [field('id'), field('phone', { identity: 'phone_number', categories: ['user.contact.phone_number'] })]),
    collection('audit', [field('id'), field('customer_id', { references: [ref('customer', 'from')] })], { skip: true }),
  ],
};

describe('the request graph', () => {
  const graph = buildRequestGraph([shop], ['email']);

  it('starts at the identity fields of the types given, in every collection that has one', () => {
    expect(graph.seeds).toEqual([
      { node: 'shop.customer', field: 'email', identity: 'email' },
      { node: 'shop.staff', field: 'email', identity: 'email' },
    ]);
  });

  it('follows references in the direction the values flow', () => {
    expect(graph.edges.map((e) => `${e.from}.${e.fromField} -> ${e.to}.${e.toField}`)).toEqual([
      'shop.customer.id -> shop.orders.customer_id',
      'shop.orders.address_id -> shop.address.id',
      'shop.customer.id -> shop.ticket.customer_id',
    ]);
    expect(graph.reachable).toEqual(['shop.customer', 'shop.staff', 'shop.orders', 'shop.ticket', 'shop.address']);
  });

  it('never enters another data subject\'s records through a reference, and says why', () => {
    expect(graph.blocked.map((e) => [`${e.from} -> ${e.to}`, e.reason])).toEqual([
      ['shop.customer -> shop.customer', 'other-subject'],
      ['shop.ticket -> shop.staff', 'subject-collection'],
      ['shop.customer -> shop.audit', 'skipped'],
    ]);
  });

  it('reports collections with personal data that nothing reaches, as warnings', () => {
    expect(graph.unreachable.map((n) => n.id)).toEqual(['shop.legacy']);
    expect(buildRequestGraph([shop], ['email', 'phone_number']).unreachable).toEqual([]);
  });
});
