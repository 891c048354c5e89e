/**
 * Rectification (Art. 16) and restriction (Art. 18) on the example shop, on each real database
 * (SQLite, PostgreSQL, MariaDB): legal holds refused with their reason and end, rows targeted by
 * key and only the person's own, a request that changes nothing saying so, the dry run, the input a
 * request is bound to; restrictions listed, lifted with the person informed, and the warning when the
 * data has no restriction flag; lifting clearing the flags on exactly the rows the restriction flagged
 * (by the keys it kept), leaving a flag changed since, one another restriction holds, and one whose
 * dataset declares no lifted value, and finishing after a database that did not answer.
 */
import { describe, expect, it } from 'vitest';
import { loadDatasetsOrThrow } from '../../src/dataset/load-datasets.js';
import type { Dataset } from '../../src/dataset/model.js';
import { dryRun } from '../../src/dsr/dry-run.js';
import { committedWrites } from '../../src/dsr/request-lifecycle.js';
import { leftText, liftRestriction, listRestrictions } from '../../src/dsr/restrictions.js';
import { runRequest, type RunRequestInput } from '../../src/dsr/run-request.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';
import type { Store } from '../../src/store/open-store.js';
import { openTestConnections } from './open-test-connections.js';
import { EXAMPLE, TARGETS, type Target } from './shop-targets.js';
import { withTargetAndStore } from './target-and-store.js';

const ALICE = { email: 'alice.martin@example.com' };
const BRUNO = { email: 'bruno.petit@example.com' };
const CHLOE = { email: 'chloe.durand@example.com' };
const CHLOE_PHONE = '+33698765432';
const today = new Date().toISOString().slice(0, 10);
const { datasets: shop } = await loadDatasetsOrThrow(EXAMPLE);

/** The shop's datasets with a collection changed (a variant a test needs). */
const withCollection = (name: string, change: (c: Dataset['collections'][number]) => Dataset['collections'][number]): Dataset[] =>
  shop.map((d) => ({ ...d, collections: d.collections.map((c) => (c.name === name ? change(c) : c)) }));

/** The error a promise rejects with (a failing request), or a failure of the test when it resolves. */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (isOpendpoError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('the request was expected to be refused');
}

for (const t of TARGETS) {
  describe.runIf(await t.available())(`rectification and restriction in ${t.name}`, () => {
    let target: Target;
    let store: Store;
    const run = (kind: 'rectification' | 'restriction', identities: Record<string, string>, extra: Partial<RunRequestInput> = {}) =>
      runRequest({
        kind,
        identities,
        datasets: shop as Dataset[],
        store,
        connect: () => openTestConnections([{ name: 'shop', type: target.type, url: target.url, datasets: ['shop'] }]),
        ...extra,
      });
    const shopConnection = () => openTestConnections([{ name: 'shop', type: target.type, url: target.url, datasets: ['shop'] }]);
    /** `dsr unrestrict`, the person told today by email. */
    const lift = (requestId: string, datasets: readonly Dataset[] = shop, connect = shopConnection) =>
      liftRestriction(store, requestId, { informedOn: today, informedBy: 'email', by: 'DPO' }, { datasets, connect });
    /** The restriction flag of each subscription (1, 2, 3: Alice's, Chloé's, Dominique's). */
    const flags = async (column = 'processing_restricted') => (await target.rows('newsletter_subscription')).map((r) => r[column]);
    const plan = async (identities: Record<string, string>, changes: Record<string, string>, where: Record<string, string[]> = {}, datasets: readonly Dataset[] = shop) => {
      const connections = await openTestConnections([{ name: 'shop', type: target.type, url: target.url, datasets: ['shop'] }]);
      try {
        return await dryRun({ kind: 'rectification', identities, datasets, connections, changes, where });
      } finally {
        await connections.close();
      }
    };

    withTargetAndStore(t.create, (made) => ({ target, store } = made));

    it('refuses to rectify a field under a legal hold, naming the hold, the field and until when; nothing is written', async () => {
      // Invoices dated by their issue date: the hold runs 10 years from the latest of Alice's (2025-05-17).
      const dated = withCollection('invoice', (c) => ({ ...c, retentionStart: 'issued_on' }));
      const before = { customer: await target.rows('customer'), invoice: await target.rows('invoice') };
      const changes = { 'invoice.billing_name': 'Alice Martin-Leroy', 'customer.last_name': 'Martin-Leroy' };

      const dry = await plan(ALICE, changes, {}, dated);
      expect(dry.refused).toEqual([expect.objectContaining({ collection: 'shop.invoice', reason: 'legal-hold', field: 'billing_name', rows: 2, until: '2035-05-17' })]);
      expect(dry.statements.filter((s) => s.phase === 'write')).toEqual([]);

      const held = await refusal(run('rectification', ALICE, { datasets: dated, changes }));
      expect(held.code).toBe('REQUEST_REFUSED');
      expect(held.message).toContain(
        "shop.invoice.billing_name is under a legal hold on 2 of the person's row(s) (Art. 17(3)(b): Invoices are kept 10 years under accounting law (Code de commerce, art. L123-22)), until 2035-05-17",
      );
      expect(held.message).not.toContain('Martin-Leroy');
      expect({ customer: await target.rows('customer'), invoice: await target.rows('invoice') }).toEqual(before);

      // A field's own hold (order amounts), undated: the period is said, and that no date can be given.
      const amount = await refusal(run('rectification', ALICE, { changes: { 'orders.total_cents': '1' } }));
      expect(amount.code).toBe('REQUEST_REFUSED');
      expect(amount.message).toContain("shop.orders.total_cents is under a legal hold on 2 of the person's row(s) (Art. 17(3)(b)");
      expect(amount.message).toContain('for P10Y from the rows\' start event (the dataset declares no retention_start to date it)');

      // The refusal is in the evidence; asked without the held field, the request runs afresh.
      const done = await run('rectification', ALICE, { changes: { 'customer.last_name': 'Martin-Leroy' } });
      expect(done.request.status).toBe('completed');
      const after = await target.rows('customer');
      expect(after[0]).toEqual({ ...before.customer[0], last_name: 'Martin-Leroy' });
      const failed = (await store.requests.list()).filter((r) => r.kind === 'rectification' && r.id !== done.request.id);
      const refusedSteps = (await Promise.all(failed.map((r) => store.requests.steps(r.id)))).flat().filter((s) => s.kind === 'refused');
      expect(refusedSteps.map((s) => [s.collection, s.rowsFound])).toEqual(expect.arrayContaining([['shop.invoice', 2], ['shop.orders', 2]]));
      expect(JSON.stringify(refusedSteps)).not.toContain('Martin-Leroy');
    });

    it('targets one of the person\'s rows by key with --where, and refuses another person\'s row', async () => {
      const before = await target.rows('address');
      const dry = await plan(ALICE, { 'address.postal_code': '69003' }, { 'address.id': ['1'] });
      expect(dry.changes).toEqual([expect.objectContaining({ collection: 'shop.address', fields: ['postal_code'], rows: 1 })]);
      expect(dry.statements.filter((s) => s.phase === 'write')).toEqual([expect.objectContaining({ rows: 1 })]);
      expect(await target.rows('address')).toEqual(before);

      const outcome = await run('rectification', ALICE, { changes: { 'address.postal_code': '69003' }, where: { 'address.id': ['1'] } });
      expect(outcome.request.status).toBe('completed');
      const after = await target.rows('address');
      expect(after[0]).toEqual({ ...before[0], postal_code: '69003' });
      expect(after.slice(1)).toEqual(before.slice(1));
      const written = committedWrites(await store.requests.steps(outcome.request.id));
      expect(written.map((s) => [s.collection, s.rowsChanged])).toEqual([['shop.address', 1]]);

      // Address 3 is Bruno's: nothing of Alice's leads to it.
      const other = await refusal(run('rectification', ALICE, { changes: { 'address.postal_code': '00000' }, where: { 'address.id': ['3'] } }));
      expect(other.code).toBe('REQUEST_REFUSED');
      expect(other.message).toContain("shop.address: 1 row(s) --where names is not linked to the person (no identity or reference of theirs leads to it); only the person's own rows are rectified");
      expect(await target.rows('address')).toEqual(after);
    });

    it('says so when it changes nothing: values already equal, or no row matching --where', async () => {
      const before = await target.rows('customer');
      const equal = await run('rectification', BRUNO, { changes: { 'customer.first_name': 'Bruno' } });
      expect(equal.request.status).toBe('completed');
      const steps = await store.requests.steps(equal.request.id);
      expect(committedWrites(steps)).toEqual([]);
      expect(steps.filter((s) => s.kind === 'unchanged').map((s) => [s.collection, s.rowsFound, s.note])).toEqual([
        ['shop.customer', 1, "shop.customer (first_name): the person's 1 row(s) already hold the values given"],
      ]);

      const none = await run('rectification', BRUNO, { changes: { 'address.city': 'Lyon' }, where: { 'address.id': ['99'] } });
      const noneSteps = await store.requests.steps(none.request.id);
      expect(committedWrites(noneSteps)).toEqual([]);
      expect(noneSteps.filter((s) => s.kind === 'unchanged').map((s) => s.note)).toEqual(['shop.address (city): no row matches --where']);
      expect(await target.rows('customer')).toEqual(before);
    });

    it('binds a rectification to its --where as to its --set: another --where is refused once the writes were decided', async () => {
      const crash = (p: { at: string }) => {
        if (p.at === 'before-transaction') throw new Error('simulated crash before the transaction');
      };
      const changes = { 'address.city': 'Bordeaux-Centre' };
      await expect(run('rectification', CHLOE, { changes, where: { 'address.id': ['4'] }, fault: crash })).rejects.toThrow('simulated crash');
      const changed = await refusal(run('rectification', CHLOE, { changes, where: { 'address.id': ['5'] } }));
      expect(changed.code).toBe('REQUEST_CHANGED');
      expect(changed.message).toContain('the --set values differ');
      const resumed = await run('rectification', CHLOE, { changes, where: { 'address.id': ['4'] } });
      expect(resumed.request.status).toBe('completed');
      // The refused run wrote nothing, not even an attempt.
      expect(resumed.request.attempts).toBe(2);
      expect((await target.rows('address'))[3]).toMatchObject({ id: 4, city: 'Bordeaux-Centre' });
    });

    it('lists a restriction with the rows it flagged, warns when no collection has a flag, and lifts one with the person informed', async () => {
      const unflagged = withCollection('newsletter_subscription', ({ restrictionFlag: _, ...c }) => c);
      const connections = await openTestConnections([{ name: 'shop', type: target.type, url: target.url, datasets: ['shop'] }]);
      try {
        const dry = await dryRun({ kind: 'restriction', identities: CHLOE, datasets: shop, connections });
        expect(dry.changes).toEqual([{ collection: 'shop.newsletter_subscription', fields: ['processing_restricted'], rows: 1, note: 'restriction flag set: processing_restricted' }]);
        expect(dry.statements.filter((s) => s.phase === 'write')).toEqual([expect.objectContaining({ connection: 'shop', rows: 1 })]);
        const none = await dryRun({ kind: 'restriction', identities: CHLOE, datasets: unflagged, connections });
        expect(none.changes).toEqual([]);
        expect(none.warnings).toEqual([expect.stringContaining('no collection of the datasets declares a restriction_flag')]);
      } finally {
        await connections.close();
      }
      expect(await store.requests.isRestricted('email', CHLOE.email)).toBe(false);

      const flagged = await run('restriction', CHLOE);
      expect(flagged.warnings).toEqual([]);
      const recorded = await run('restriction', BRUNO, { datasets: unflagged });
      expect(recorded.warnings).toEqual([expect.stringContaining("no collection of the datasets declares a restriction_flag: the restriction is recorded in opendpo's store only")]);

      const inForce = await listRestrictions(store);
      expect(inForce.find((r) => r.requestId === flagged.request.id)).toMatchObject({ identityTypes: ['email'], requestStatus: 'completed', flagged: [{ connection: 'shop', collection: 'shop.newsletter_subscription', rows: 1 }] });
      expect(inForce.find((r) => r.requestId === recorded.request.id)).toMatchObject({ flagged: [] });
      expect(JSON.stringify(inForce)).not.toMatch(/chloe|bruno/i);

      const early = await refusal(liftRestriction(store, flagged.request.id, { informedOn: '2999-01-01', informedBy: 'email', by: 'DPO' }, { datasets: shop, connect: shopConnection }));
      expect(early.code).toBe('INVALID_INPUT');
      const { lifted } = await lift(flagged.request.id);
      expect(lifted.flagged).toEqual([{ connection: 'shop', collection: 'shop.newsletter_subscription', rows: 1 }]);
      expect(await store.requests.isRestricted('email', CHLOE.email)).toBe(false);
      expect(await store.requests.isRestricted('email', BRUNO.email)).toBe(true);
      expect((await listRestrictions(store)).map((r) => r.requestId)).toEqual([recorded.request.id]);
      const evidence = (await store.requests.steps(flagged.request.id)).filter((s) => s.kind === 'unrestrict');
      expect(evidence).toEqual([expect.objectContaining({ note: `restriction lifted by DPO; the person was informed on ${today} by email (Art. 18(3))`, detail: { informedOn: today, informedBy: 'email', by: 'DPO' } })]);
    });

    it('lifting clears the flag on the rows the restriction flagged, by the keys it kept, and on no other row', async () => {
      const alice = await run('restriction', ALICE);
      const chloe = await run('restriction', CHLOE);
      // Meanwhile an application flags Dominique's subscription for reasons of its own (no restriction of opendpo's).
      await target.exec('UPDATE newsletter_subscription SET processing_restricted = TRUE WHERE id = 3');
      expect(await flags()).toEqual([1, 1, 1]);

      const { cleared, left } = await lift(chloe.request.id);
      expect(cleared).toEqual([
        { connection: 'shop', collection: 'shop.newsletter_subscription', field: 'processing_restricted', rows: 1, cleared: 1, alreadyLifted: 0, stillRestricted: 0, leftAsTheyAre: 0 },
      ]);
      expect(left).toEqual([]);
      // Alice's restriction is in force: her flag stays; Dominique's is not the restriction's to clear.
      expect(await flags()).toEqual([1, 0, 1]);
      expect(await store.requests.isRestricted('email', ALICE.email)).toBe(true);

      const evidence = (await store.requests.steps(chloe.request.id)).filter((s) => s.kind === 'unflag');
      expect(evidence).toEqual([
        expect.objectContaining({
          connection: 'shop',
          collection: 'shop.newsletter_subscription',
          rowsFound: 1,
          rowsChanged: 1,
          status: 'done',
          note: 'restriction flag cleared: processing_restricted on 1 of 1 row(s)',
          detail: { field: 'processing_restricted', cleared: 1, alreadyLifted: 0, stillRestricted: 0, leftAsTheyAre: 0 },
        }),
      ]);
      // The rows' keys were kept for the lifting only.
      expect((await store.requests.work(chloe.request.id)).map((w) => w.operationsJson)).toEqual(['[]']);
      expect((await store.requests.work(alice.request.id)).map((w) => w.operationsJson)).not.toEqual(['[]']);

      await lift(alice.request.id);
      await target.exec('UPDATE newsletter_subscription SET processing_restricted = FALSE WHERE id = 3');
      expect(await flags()).toEqual([0, 0, 0]);
    });

    it('leaves as it is a flag changed since the restriction, and one another restriction in force holds, counting them', async () => {
      // A status the mailing job reads: the restriction sets "restricted", lifting it "active".
      await target.exec("ALTER TABLE newsletter_subscription ADD status VARCHAR(16) NOT NULL DEFAULT 'active'");
      const statusFlag = withCollection('newsletter_subscription', (c) => ({
        ...c,
        fields: [...c.fields, { name: 'status', primaryKey: false, categories: ['user.privacy_preferences'], references: [], readOnly: false, at: c.at }],
        restrictionFlag: { field: 'status', value: 'restricted', liftedValue: 'active' },
      }));
      const restricted = await run('restriction', CHLOE, { datasets: statusFlag });
      expect(await flags('status')).toEqual(['active', 'restricted', 'active']);
      // Chloé unsubscribes meanwhile: lifting must not subscribe her again.
      await target.exec("UPDATE newsletter_subscription SET status = 'unsubscribed' WHERE id = 2");
      const changed = await lift(restricted.request.id, statusFlag);
      expect(changed.cleared).toEqual([expect.objectContaining({ rows: 1, cleared: 0, alreadyLifted: 0, leftAsTheyAre: 1 })]);
      expect(await flags('status')).toEqual(['active', 'unsubscribed', 'active']);
      const note = (await store.requests.steps(restricted.request.id)).find((s) => s.kind === 'unflag')?.note;
      expect(note).toBe("restriction flag cleared: status on 0 of 1 row(s); 1 row(s) left as they are: their flag no longer holds the restriction's value, or the row is gone");

      // Two restrictions of Chloé's in force, by email and phone, then by email alone: lifting the
      // first leaves the flag the second holds.
      await target.exec("UPDATE newsletter_subscription SET status = 'active' WHERE id = 2");
      const both = await run('restriction', { ...CHLOE, phone_number: CHLOE_PHONE }, { datasets: statusFlag });
      const byEmail = await run('restriction', CHLOE, { datasets: statusFlag });
      const first = await lift(both.request.id, statusFlag);
      expect(first.cleared).toEqual([expect.objectContaining({ rows: 1, cleared: 0, stillRestricted: 1, leftAsTheyAre: 0 })]);
      expect(await flags('status')).toEqual(['active', 'restricted', 'active']);
      const second = await lift(byEmail.request.id, statusFlag);
      expect(second.cleared).toEqual([expect.objectContaining({ rows: 1, cleared: 1, stillRestricted: 0 })]);
      expect(await flags('status')).toEqual(['active', 'active', 'active']);
      await target.exec('ALTER TABLE newsletter_subscription DROP COLUMN status');
    });

    it('leaves the flag, saying why, where the dataset declares no lifted value or no longer the flag, or the store has not the rows\' keys', async () => {
      const noLiftedValue = withCollection('newsletter_subscription', (c) => ({ ...c, restrictionFlag: { field: 'processing_restricted', value: true } }));
      const undeclared = await run('restriction', CHLOE, { datasets: noLiftedValue });
      const kept = await lift(undeclared.request.id, noLiftedValue);
      expect(kept.cleared).toEqual([]);
      expect(kept.left).toEqual([{ connection: 'shop', collection: 'shop.newsletter_subscription', rows: 1, reason: 'no-lifted-value' }]);
      expect(leftText(kept.left[0]!)).toBe(
        'shop / shop.newsletter_subscription: the restriction flag set on 1 row(s) is left as it is: its restriction_flag declares no lifted_value (docs/dataset-format.md#restriction); clear it in that system',
      );
      expect(await flags()).toEqual([0, 1, 0]);
      const step = (await store.requests.steps(undeclared.request.id)).find((s) => s.kind === 'unrestrict');
      expect(step?.detail).toMatchObject({ flagsLeft: [{ connection: 'shop', collection: 'shop.newsletter_subscription', rows: 1, reason: 'no-lifted-value' }] });
      await target.exec('UPDATE newsletter_subscription SET processing_restricted = FALSE WHERE id = 2');

      // The datasets no longer declare the flag the restriction set.
      const flagged = await run('restriction', CHLOE);
      const gone = await lift(flagged.request.id, withCollection('newsletter_subscription', ({ restrictionFlag: _, ...c }) => c));
      expect(gone.left).toEqual([expect.objectContaining({ reason: 'flag-changed', rows: 1 })]);
      expect(leftText(gone.left[0]!)).toContain('the datasets no longer declare the restriction flag it set');
      expect(await flags()).toEqual([0, 1, 0]);
      await target.exec('UPDATE newsletter_subscription SET processing_restricted = FALSE WHERE id = 2');

      // A restriction made before the keys were kept: its work log was emptied when it completed.
      const older = await run('restriction', CHLOE);
      await store.requests.purgeWork(older.request.id);
      const unknown = await lift(older.request.id);
      expect(unknown.cleared).toEqual([]);
      expect(unknown.left).toEqual([expect.objectContaining({ reason: 'keys-not-kept', rows: 1 })]);
      expect(leftText(unknown.left[0]!)).toContain('the store does not have the keys of the rows the restriction flagged');
      expect(await flags()).toEqual([0, 1, 0]);
      await target.exec('UPDATE newsletter_subscription SET processing_restricted = FALSE WHERE id = 2');
    });

    it('a database not answering leaves the restriction in force and the flags as they were; the same lifting then finishes', async () => {
      const restricted = await run('restriction', CHLOE);
      const down = () => openTestConnections([{ name: 'shop', type: 'postgres', url: 'postgres://postgres@127.0.0.1:9/none', datasets: ['shop'] }]);
      const failed = await refusal(lift(restricted.request.id, shop, down));
      expect(failed.code).toBe('TARGET_UNAVAILABLE');
      expect(failed.message).toContain(`(the restriction of request ${restricted.request.id} stays in force: run the same command again to finish lifting it)`);
      expect(await store.requests.isRestricted('email', CHLOE.email)).toBe(true);
      expect(await flags()).toEqual([0, 1, 0]);
      const steps = await store.requests.steps(restricted.request.id);
      expect(steps.filter((s) => s.kind === 'unflag' || s.kind === 'unrestrict')).toEqual([]);

      const { cleared } = await lift(restricted.request.id);
      expect(cleared).toEqual([expect.objectContaining({ cleared: 1 })]);
      expect(await flags()).toEqual([0, 0, 0]);
      expect(await store.requests.isRestricted('email', CHLOE.email)).toBe(false);
    });
  });
}
