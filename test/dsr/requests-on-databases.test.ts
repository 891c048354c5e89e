/**
 * Every kind of request on the example shop (examples/acme-shop/datasets: its dataset file and
 * seed.sql), on each real database: SQLite, PostgreSQL and MariaDB. One suite, three databases.
 */
import { describe, expect, it } from 'vitest';
import { valueKey } from '../../src/connectors/value-key.js';
import { loadDatasetsOrThrow } from '../../src/dataset/load-datasets.js';
import type { Dataset } from '../../src/dataset/model.js';
import { runRequest } from '../../src/dsr/run-request.js';
import type { Store } from '../../src/store/open-store.js';
import { openTestConnections } from './open-test-connections.js';
import { EXAMPLE, TARGETS, type Target } from './shop-targets.js';
import { withTargetAndStore } from './target-and-store.js';

const ALICE = { email: 'alice.martin@example.com' };
const { datasets } = await loadDatasetsOrThrow(EXAMPLE);

for (const t of TARGETS) {
  describe.runIf(await t.available())(`requests on the example shop in ${t.name}`, () => {
    let target: Target;
    let store: Store;
    const run = (kind: 'access' | 'erasure' | 'rectification' | 'restriction', identities: Record<string, string>, extra: object = {}) =>
      runRequest({
        kind,
        identities,
        datasets: datasets as Dataset[],
        store,
        connect: () => openTestConnections([{ name: 'shop', type: target.type, url: target.url, datasets: ['shop'] }]),
        ...extra,
      });

    withTargetAndStore(t.create, (made) => ({ target, store } = made));

    it('access finds Alice\'s rows everywhere, and never the staff member assigned to her tickets', async () => {
      const outcome = await run('access', ALICE);
      const count = Object.fromEntries(outcome.collected.collections.map((c) => [c.collection, c.rows.length]));
      expect(count).toMatchObject({ customer: 1, address: 2, orders: 2, order_item: 2, invoice: 2, support_ticket: 2, newsletter_subscription: 1 });
      expect(count.staff ?? 0).toBe(0);
      // The product catalogue is not Alice's records: the product's name is shown beside her order line.
      expect(count.product).toBeUndefined();
      const lines = outcome.collected.collections.find((c) => c.collection === 'order_item')!;
      expect(lines.context).toEqual([expect.objectContaining({ field: 'product_id', catalogue: 'shop.product' })]);
      expect(lines.context[0]!.fields.map((f) => f.name)).toEqual(['name', 'price_cents']);
      expect(lines.rows.map((r) => lines.context[0]!.rows[valueKey(r.product_id!)]?.name).sort()).toEqual(['Ceramic mug', 'Linen tote bag']);
      const customer = outcome.collected.collections.find((c) => c.collection === 'customer')!;
      expect(customer.rows[0]).toMatchObject({ email: 'alice.martin@example.com', first_name: 'Alice' });
      expect(JSON.stringify(outcome.collected)).not.toMatch(/Sophie|Karim|bruno|chloe/i);
      // One database, references that do not loop: the whole search was one statement.
      const selects = (await store.requests.steps(outcome.request.id)).filter((x) => x.kind === 'select');
      expect(selects.map((x) => x.note?.split(';')[0])).toEqual(selects.map(() => 'one statement searched every collection'));
      expect(selects.find((x) => x.collection === 'shop.product')?.note).toContain('context (not the person\'s records)');
    });

    it('rectification changes only the named field of the person\'s rows', async () => {
      const before = await target.rows('customer');
      const outcome = await run('rectification', { email: 'bruno.petit@example.com' }, { changes: { 'customer.last_name': 'Petit-Dupont' } });
      expect(outcome.request.status).toBe('completed');
      const after = await target.rows('customer');
      expect(after[1]).toEqual({ ...before[1], last_name: 'Petit-Dupont' });
      expect([after[0], after[2]]).toEqual([before[0], before[2]]);
    });

    it('restriction is recorded in the store and sets the declared flag', async () => {
      await run('restriction', { email: 'chloe.durand@example.com' });
      expect(await store.requests.isRestricted('email', 'chloe.durand@example.com')).toBe(true);
      expect(await store.requests.isRestricted('email', 'alice.martin@example.com')).toBe(false);
      const flags = (await target.rows('newsletter_subscription')).map((r) => r.processing_restricted);
      expect(flags).toEqual([0, 1, 0]);
    });

    it('erasure masks or deletes Alice\'s data in an order the foreign keys accept, keeps invoices under legal hold, and leaves everyone else as they were', async () => {
      const tables = ['customer', 'address', 'orders', 'order_item', 'invoice', 'fraud_check', 'support_ticket', 'newsletter_subscription', 'staff', 'product'];
      const before = Object.fromEntries(await Promise.all(tables.map(async (name) => [name, await target.rows(name)] as const)));
      const outcome = await run('erasure', ALICE);
      expect(outcome.request.status).toBe('completed');
      const after = Object.fromEntries(await Promise.all(tables.map(async (name) => [name, await target.rows(name)] as const)));

      const alice = after.customer!.find((r) => r.id === 1)!;
      expect(alice).toMatchObject({ phone_number: null, first_name: 'erased', last_name: 'erased', birth_date: null, loyalty_tier: null });
      expect(alice.email).toMatch(/^[A-Za-z0-9]{24}$/);
      expect(after.address!.map((r) => r.customer_id)).toEqual([2, 3]);
      expect(after.orders!.filter((r) => r.id === 1 || r.id === 2)).toEqual([
        expect.objectContaining({ customer_id: null, ordered_at: null, delivery_note: null, total_cents: 5800 }),
        expect.objectContaining({ customer_id: null, ordered_at: null, delivery_note: null, total_cents: 1500 }),
      ]);
      expect(after.invoice).toEqual(before.invoice);
      expect(after.support_ticket!.filter((r) => r.id === 1 || r.id === 3)).toEqual([
        expect.objectContaining({ customer_id: null, topic: null, message: '[erased]', agent_id: 1 }),
        expect.objectContaining({ customer_id: null, topic: null, message: '[erased]', agent_id: 2 }),
      ]);
      expect(after.newsletter_subscription!.map((r) => r.id)).toEqual([2, 3]);
      // The fraud checks of Alice's orders are deleted; those of the others' orders stay.
      expect(after.fraud_check!.map((r) => r.order_id)).toEqual([3, 4]);
      expect(JSON.stringify([after.customer, after.address, after.orders, after.support_ticket, after.newsletter_subscription])).not.toMatch(/alice|Alice|Martin|Lyon|caretaker|parcel/);
      // The staff and the other customers: exactly as before.
      expect(after.staff).toEqual(before.staff);
      expect(after.product).toEqual(before.product);
      for (const name of ['customer', 'orders', 'support_ticket']) {
        expect(after[name]!.filter((r) => !isAlices(name, r))).toEqual(before[name]!.filter((r) => !isAlices(name, r)));
      }
      expect(outcome.kept).toContainEqual(expect.objectContaining({ node: 'shop.invoice', reason: 'legal-hold', rows: 2 }));
      expect(outcome.kept).toContainEqual(expect.objectContaining({ node: 'shop.orders', reason: 'legal-hold', fields: ['total_cents'] }));
      const steps = await store.requests.steps(outcome.request.id);
      expect(steps.filter((s) => s.kind === 'delete').map((s) => s.collection).sort()).toEqual(['shop.address', 'shop.fraud_check', 'shop.newsletter_subscription']);
      expect(steps.find((s) => s.kind === 'kept' && s.collection === 'shop.invoice')?.note).toContain('Art. 17(3)(b)');

      // Running it again finds nothing more to do and changes nothing.
      const again = await run('erasure', ALICE);
      expect(again.request.id).not.toBe(outcome.request.id);
      expect(Object.fromEntries(await Promise.all(tables.map(async (name) => [name, await target.rows(name)] as const)))).toEqual(after);
    });
  });
}

function isAlices(table: string, row: Record<string, unknown>): boolean {
  if (table === 'customer') return row.id === 1;
  if (table === 'orders') return row.id === 1 || row.id === 2;
  return row.id === 1 || row.id === 3;
}
