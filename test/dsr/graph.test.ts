import { beforeEach, describe, expect, it } from 'vitest';
import type { Collection, Dataset, DatasetField, Reference } from '../../src/dataset/model.js';
import { buildRequestGraph, withoutContext } from '../../src/dsr/plan/graph.js';

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

// Graphs are built in each test, not when the suite is collected: mutation testing (StrykerJS)
// activates a mutant for the tests only.
describe('the request graph', () => {
  let graph: ReturnType<typeof buildRequestGraph>;
  beforeEach(() => {
    graph = buildRequestGraph([shop], ['email']);
  });

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

  it('knows which edges point at a row and which look rows up from it', () => {
    expect(graph.edges.map((e) => `${e.from} -> ${e.to}: ${e.kind}`)).toEqual([
      'shop.customer -> shop.orders: looked-up',
      'shop.orders -> shop.address: points-at',
      'shop.customer -> shop.ticket: looked-up',
    ]);
  });

  it('makes no edge of a reference to a collection no dataset declares, whichever its direction', () => {
    const dangling: Dataset = {
      ...shop,
      collections: [
        ...shop.collections,
        collection('note', [field('id'), field('customer_id', { references: [ref('customer', 'from')] }), field('ghost_id', { references: [ref('ghost', 'to')] }), field('phantom_id', { references: [ref('phantom', 'from')] })]),
      ],
    };
    const g = buildRequestGraph([dangling], ['email']);
    const touching = [...g.edges, ...g.blocked].filter((e) => [e.from, e.to].some((id) => id === 'shop.ghost' || id === 'shop.phantom'));
    expect(touching).toEqual([]);
    expect(g.edges.map((e) => `${e.from} -> ${e.to}`)).toContain('shop.customer -> shop.note');
  });

  it('reports collections with personal data that nothing reaches, as warnings', () => {
    expect(graph.unreachable.map((n) => n.id)).toEqual(['shop.legacy']);
    expect(buildRequestGraph([shop], ['email', 'phone_number']).unreachable).toEqual([]);
  });
});

describe('catalogues: context, not the person\'s records', () => {
  // A Sakila-like shop: the customer points at their store, which has its own address and manager;
  // an address points at its city; a rental points at a film copy, which points at its store.
  const sakila: Dataset = {
    key: 'shop',
    format: 'opendpo',
    at,
    collections: [
      collection('customer', [field('id'), field('email', { identity: 'email', categories: ['user.contact.email'] }), field('store_id', { references: [ref('store', 'to')] }), field('address_id', { references: [ref('address', 'to')] })], { subject: 'customer' }),
      collection('store', [field('id'), field('address_id', { references: [ref('address', 'to')] }), field('manager_id', { references: [ref('staff', 'to', true)] })]),
      collection('address', [field('id'), field('street', { categories: ['user.contact.address.street'] }), field('city_id', { references: [ref('city', 'to')] })]),
      collection('city', [field('id'), field('name', { categories: ['user.contact.address.city'] })], { catalogue: true }),
      collection('rental', [field('id'), field('customer_id', { references: [ref('customer', 'from')] }), field('inventory_id', { references: [ref('inventory', 'to')] })]),
      collection('inventory', [field('id'), field('store_id', { references: [ref('store', 'to')] }), field('film_id', { references: [ref('film', 'to')] })]),
      collection('film', [field('id'), field('title')]),
      collection('staff', [field('id'), field('email', { identity: 'email', categories: ['user.contact.email'] })], { subject: 'employee' }),
      // Looked up from the person's rental: the person's records, whatever its fields.
      collection('rental_note', [field('id'), field('rental_id', { references: [ref('rental', 'from')] })]),
    ],
  };
  let graph: ReturnType<typeof buildRequestGraph>;
  beforeEach(() => {
    graph = buildRequestGraph([sakila], ['email']);
  });

  it('a declared catalogue, and a collection without personal data that only points-at references reach, are context', () => {
    expect([...graph.context].sort()).toEqual(['shop.city', 'shop.film', 'shop.inventory', 'shop.store']);
  });

  it('nothing is followed out of a catalogue: the store\'s address and the film copy\'s store are not the customer\'s', () => {
    const followed = graph.edges.map((e) => `${e.from}.${e.fromField} -> ${e.to}`);
    expect(followed).not.toContain('shop.store.address_id -> shop.address');
    expect(followed).not.toContain('shop.inventory.film_id -> shop.film');
    expect(graph.blocked.filter((e) => e.reason === 'context').map((e) => `${e.from}.${e.fromField} -> ${e.to}`).sort()).toEqual([
      'shop.inventory.film_id -> shop.film',
      'shop.inventory.store_id -> shop.store',
      'shop.store.address_id -> shop.address',
    ]);
    // The film is reached through a catalogue only: not reached at all.
    expect(graph.reachable).not.toContain('shop.film');
    expect(graph.reachable).toEqual(expect.arrayContaining(['shop.store', 'shop.inventory', 'shop.city', 'shop.rental_note']));
  });

  it('a request that copies nothing searches without the context: no catalogue reached, no edge into one', () => {
    const bare = withoutContext(graph);
    expect(bare.reachable.filter((id) => graph.context.has(id))).toEqual([]);
    expect([...bare.reachable].sort()).toEqual([...graph.reachable].filter((id) => !graph.context.has(id)).sort());
    expect(bare.edges.filter((e) => graph.context.has(e.to))).toEqual([]);
    // The edges between the person's records stay; the full graph had edges into catalogues.
    const followed = bare.edges.map((e) => `${e.from} -> ${e.to}`);
    expect(followed).toEqual(expect.arrayContaining(['shop.customer -> shop.rental', 'shop.rental -> shop.rental_note', 'shop.customer -> shop.address']));
    expect(bare.edges.length).toBe(graph.edges.filter((e) => !graph.context.has(e.to)).length);
    expect(graph.edges.some((e) => graph.context.has(e.to))).toBe(true);
    expect(bare.seeds).toEqual(graph.seeds);
  });

  it('a catalogue is never entered through an identity, and a collection an identity enters is never context', () => {
    const withEmail: Dataset = { ...sakila, collections: sakila.collections.map((c) => (c.name === 'city' ? { ...c, fields: [...c.fields, field('email', { identity: 'email' })] } : c)) };
    expect(buildRequestGraph([withEmail], ['email']).seeds.map((s) => s.node)).not.toContain('shop.city');
    const legacy: Dataset = { ...sakila, collections: [...sakila.collections, collection('legacy', [field('id'), field('email', { identity: 'email' }), field('film_id', { references: [ref('film', 'to')] })])] };
    expect(buildRequestGraph([legacy], ['email']).context.has('shop.legacy')).toBe(false);
  });

  it('a collection looked up only from a catalogue becomes context once the catalogue\'s references are no longer followed', () => {
    // The product is context (the order points at it). Its images are looked up from the product,
    // and the order points at the image it showed: once the product's references are blocked, the
    // image is reached only by the order pointing at it, a catalogue row too, not the person's.
    const catalogue: Dataset = {
      key: 'shop',
      format: 'opendpo',
      at,
      collections: [
        collection('customer', [field('id'), field('email', { identity: 'email', categories: ['user.contact.email'] })], { subject: 'customer' }),
        collection('orders', [field('id'), field('customer_id', { references: [ref('customer', 'from')] }), field('product_id', { references: [ref('product', 'to')] }), field('image_id', { references: [ref('product_image', 'to')] })]),
        collection('product', [field('id'), field('name')]),
        collection('product_image', [field('id'), field('product_id', { references: [ref('product', 'from')] }), field('url')]),
      ],
    };
    const g = buildRequestGraph([catalogue], ['email']);
    expect([...g.context].sort()).toEqual(['shop.product', 'shop.product_image']);
    expect(g.blocked.filter((e) => e.reason === 'context').map((e) => `${e.from} -> ${e.to}`)).toEqual(['shop.product -> shop.product_image']);
  });
});

describe('what the graph leaves out', () => {
  let graph: ReturnType<typeof buildRequestGraph>;
  beforeEach(() => {
    graph = buildRequestGraph(
    [
      {
        key: 'shop',
        format: 'opendpo',
        at,
        collections: [
          collection('customer', [field('id'), field('email', { identity: 'email', categories: ['user.contact.email'] }), field('country_id', { references: [ref('country', 'to')] })], { subject: 'customer' }),
          // Referrals name the customer who referred someone (both ways), another person: only looking the referrals up is followed.
          collection('referral', [field('id'), field('referrer_id', { references: [ref('customer', 'both', true)] })]),
          // Skipped, though it has an identity, personal data and a reference of its own.
          collection('archive', [field('id'), field('email', { identity: 'email', categories: ['user.contact.email'] }), field('customer_id', { references: [ref('customer', 'to')] })], { skip: true }),
          // A reference to a collection no dataset declares is no edge (the loader reports it).
          collection('wishlist', [field('id'), field('customer_id', { references: [ref('customer', 'from')] }), field('gift_id', { references: [ref('gift', 'to')] })]),
          collection('country', [field('id'), field('name', { categories: ['user.contact.address.country'] })], { catalogue: true }),
          // A catalogue nothing points at, with a personal-looking column: not a warning.
          collection('region', [field('id'), field('name', { categories: ['user.contact.address.state'] })], { catalogue: true }),
        ],
      },
    ],
    ['email'],
  );
  });

  it('a skipped collection is never a seed, and its references are blocked both ways', () => {
    expect(graph.seeds.map((s) => s.node)).toEqual(['shop.customer']);
    expect(graph.blocked.map((e) => [`${e.from} -> ${e.to}`, e.reason])).toEqual([
      ['shop.referral -> shop.customer', 'other-subject'],
      ['shop.archive -> shop.customer', 'skipped'],
    ]);
  });

  it('another person\'s reference is not entered, but what it lets look up is followed', () => {
    expect(graph.edges.map((e) => `${e.from}.${e.fromField} -> ${e.to}.${e.toField}`)).toEqual([
      'shop.customer.country_id -> shop.country.id',
      'shop.customer.id -> shop.referral.referrer_id',
      'shop.customer.id -> shop.wishlist.customer_id',
    ]);
    expect(graph.reachable).toEqual(['shop.customer', 'shop.country', 'shop.referral', 'shop.wishlist']);
  });

  it('catalogues and skipped collections are never reported as unreached', () => {
    expect(graph.unreachable).toEqual([]);
    expect([...graph.context].sort()).toEqual(['shop.country', 'shop.region']);
  });
});
