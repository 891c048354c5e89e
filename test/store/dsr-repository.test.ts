/**
 * The store's data subject requests on both real stores (SQLite and PostgreSQL): lifecycle,
 * evidence steps, the erasure work log, restrictions, erasures a later access speaks of; and the SQL each method runs, committed in
 * src/store/queries/dsr-requests.*.sql (OPENDPO_UPDATE_QUERIES=1 rewrites them after a change).
 */
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/open-store.js';
import { expectCommittedQueries } from './committed-queries.js';
import { postgresCase, sqliteCase, type DialectCase } from './store-cases.js';

/** A fresh store of the dialect; `drop` closes it and removes its database. */
async function open(dialect: DialectCase): Promise<{ store: Store; drop: () => Promise<void> }> {
  const store = await openStore(await dialect.setUp());
  return {
    store,
    drop: async () => {
      await store.close();
      await dialect.tearDown();
    },
  };
}

const step = (collection: string, kind: string) => ({
  connection: 'shop',
  collection,
  kind,
  rowsFound: 2,
  rowsChanged: 1,
  startedAt: '2026-11-28T00:00:00.000Z',
  durationMs: 3.4,
  status: 'done' as const,
  note: null,
});

describe.each([sqliteCase(), postgresCase()])('data subject requests in the $name store', (s) => {
  it.runIf(s.available)('are created, found unfinished by their identities, resumed, and completed', async () => {
    const { store, drop } = await open(s);
    try {
      const repo = store.requests;
      const fp = await repo.fingerprint({ email: 'jane@example.com' });
      expect(fp).toMatch(/^[0-9a-f]{64}$/);
      expect(await repo.fingerprint({ email: 'jane@example.com' })).toBe(fp);
      expect(await repo.fingerprint({ email: 'john@example.com' })).not.toBe(fp);
      const created = await repo.create({ kind: 'erasure', fingerprint: fp, identityTypes: ['email'], datasetsHash: 'h' });
      expect(created).toMatchObject({ status: 'running', attempts: 1, identityTypes: ['email'] });
      await repo.setStatus(created.id, 'failed', { errorCode: 'TARGET_UNAVAILABLE', errorMessage: 'down' });
      expect((await repo.findUnfinished('erasure', fp))?.id).toBe(created.id);
      expect(await repo.findUnfinished('access', fp)).toBeUndefined();
      const resumed = await repo.resume(created.id);
      expect(resumed).toMatchObject({ status: 'running', attempts: 2, errorCode: null });

      await repo.addSteps(created.id, 1, [step('shop.customer', 'select'), step('shop.orders', 'select')]);
      await repo.addSteps(created.id, 2, [step('shop.customer', 'update')]);
      expect((await repo.steps(created.id)).map((x) => [x.seq, x.attempt, x.kind, x.durationMs])).toEqual([
        [1, 1, 'select', 3],
        [2, 1, 'select', 3],
        [3, 2, 'update', 3],
      ]);

      await repo.saveWork(created.id, [
        { connection: 'a', operationsJson: '[1]' },
        { connection: 'b', operationsJson: '[2]' },
      ]);
      await repo.markWorkDone(created.id, 'a');
      expect((await repo.work(created.id)).map((w) => [w.connection, w.status])).toEqual([
        ['a', 'done'],
        ['b', 'pending'],
      ]);
      await repo.setStatus(created.id, 'completed', { summary: { rows: 3 } });
      await repo.purgeWork(created.id);
      expect((await repo.work(created.id)).map((w) => w.operationsJson)).toEqual(['[]', '[]']);
      expect(await repo.findUnfinished('erasure', fp)).toBeUndefined();
      expect(await repo.get(created.id)).toMatchObject({ status: 'completed', summary: { rows: 3 } });
      expect((await repo.list()).map((r) => r.id)).toEqual([created.id]);
    } finally {
      await drop();
    }
  });

  it.runIf(s.available)('record restrictions by fingerprint, never by identity', async () => {
    const { store, drop } = await open(s);
    try {
      const repo = store.requests;
      await repo.restrict(await repo.fingerprint({ email: 'jane@example.com' }), 'email', 'req-1');
      expect(await repo.isRestricted('email', 'jane@example.com')).toBe(true);
      expect(await repo.isRestricted('email', 'john@example.com')).toBe(false);
      expect(await repo.isRestricted('phone_number', 'jane@example.com')).toBe(false);
    } finally {
      await drop();
    }
  });

  it.runIf(s.available)('record erasures per identity fingerprint, found by a later access once the erasure completed', async () => {
    const { store, drop } = await open(s);
    try {
      const repo = store.requests;
      const email = await repo.fingerprint({ email: 'jane@example.com' });
      const phone = await repo.fingerprint({ phone_number: '+33600000000' });
      const other = await repo.fingerprint({ email: 'john@example.com' });
      const erasure = await repo.create({ kind: 'erasure', fingerprint: await repo.fingerprint({ email: 'jane@example.com', phone_number: '+33600000000' }), identityTypes: ['email', 'phone_number'], datasetsHash: 'h' });
      await repo.recordErasure(erasure.id, [email, phone], '[{"first":true}]');
      // A new plan of the same request (a re-run before its first write) replaces the lines.
      await repo.recordErasure(erasure.id, [email, phone, email], '[{"collection":"shop.invoice","rows":2}]');
      // Not completed yet: nothing to say.
      expect(await repo.completedErasures([email])).toEqual([]);
      await repo.setStatus(erasure.id, 'completed');
      const completedAt = (await repo.get(erasure.id))!.completedAt!;
      const record = { requestId: erasure.id, completedAt, keptJson: '[{"collection":"shop.invoice","rows":2}]' };
      expect(await repo.completedErasures([email])).toEqual([record]);
      // Asked with both identities: the erasure once.
      expect(await repo.completedErasures([email, phone])).toEqual([record]);
      expect(await repo.completedErasures([other])).toEqual([]);
      expect(await repo.completedErasures([])).toEqual([]);
    } finally {
      await drop();
    }
  });

  it.runIf(s.available)('run the committed SQL', async () => {
    await expectCommittedQueries(s, { file: 'dsr-requests', header: '-- Generated by test/store/dsr-repository.test.ts: the SQL of DsrRepository' }, async (store, section) => {
      const repo = store.requests;
      let fp = '';
      let id = '';
      await section('fingerprint (the store secret made on first use)', async () => (fp = await repo.fingerprint({ email: 'x' })));
      await section('create', async () => (id = (await repo.create({ kind: 'erasure', fingerprint: fp, identityTypes: ['email'], datasetsHash: 'h', id: 'req-1' })).id));
      await section('findUnfinished', () => repo.findUnfinished('erasure', fp));
      await section('resume', () => repo.resume(id));
      await section('addSteps', () => repo.addSteps(id, 1, [step('c', 'select')]));
      await section('steps', () => repo.steps(id));
      await section('saveWork (one transaction)', () => repo.saveWork(id, [{ connection: 'a', operationsJson: '[]' }]));
      await section('addWork', () => repo.addWork(id, [{ connection: 'b', operationsJson: '{}' }]));
      await section('work', () => repo.work(id));
      await section('hasWork', () => repo.hasWork(id));
      await section('markWorkDone', () => repo.markWorkDone(id, 'a'));
      await section('setStatus', () => repo.setStatus(id, 'completed'));
      await section('purgeWork', () => repo.purgeWork(id));
      await section('restrict', () => repo.restrict(fp, 'email', id));
      await section('isRestricted', () => repo.isRestricted('email', 'x'));
      await section('list', () => repo.list());
      await section('recordErasure (one transaction)', () => repo.recordErasure(id, [fp], '[]'));
      await section('completedErasures', () => repo.completedErasures([fp]));
    });
  });
});
