/**
 * The store's data subject requests on both real stores (SQLite and PostgreSQL): lifecycle,
 * evidence steps, the erasure work log, restrictions; and the SQL each method runs, committed in
 * src/store/queries/dsr-requests.*.sql (OPENDPO_UPDATE_QUERIES=1 rewrites them after a change).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, type StoreLocation } from '../../src/config/config.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { createThrowawayPostgres } from './throwaway-postgres.js';

const postgresAvailable = await serviceAvailable('PostgreSQL', POSTGRES_URL);
const UPDATE = process.env.OPENDPO_UPDATE_QUERIES === '1';

const STORES: { kind: string; available: boolean; open: (onQuery?: (sql: string) => void) => Promise<{ store: Store; drop: () => Promise<void> }> }[] = [
  {
    kind: 'sqlite',
    available: true,
    open: async (onQuery) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-dsr-store-'));
      const store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir), onQuery ? { onQuery } : {});
      return { store, drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
    },
  },
  {
    kind: 'postgres',
    available: postgresAvailable,
    open: async (onQuery) => {
      const db = await createThrowawayPostgres();
      const location: StoreLocation = parseDatabaseUrl(db.url, ROOT);
      const store = await openStore(location, onQuery ? { onQuery } : {});
      return { store, drop: () => db.drop() };
    },
  },
];

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

for (const s of STORES) {
  describe.runIf(s.available)(`data subject requests in the ${s.kind} store`, () => {
    it('are created, found unfinished by their identities, resumed, and completed', async () => {
      const { store, drop } = await s.open();
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
        await store.close();
        await drop();
      }
    });

    it('record restrictions by fingerprint, never by identity', async () => {
      const { store, drop } = await s.open();
      try {
        const repo = store.requests;
        await repo.restrict(await repo.fingerprint({ email: 'jane@example.com' }), 'email', 'req-1');
        expect(await repo.isRestricted('email', 'jane@example.com')).toBe(true);
        expect(await repo.isRestricted('email', 'john@example.com')).toBe(false);
        expect(await repo.isRestricted('phone_number', 'jane@example.com')).toBe(false);
      } finally {
        await store.close();
        await drop();
      }
    });

    it('run the committed SQL', async () => {
      let current: string[] = [];
      const { store, drop } = await s.open((q) => current.push(q));
      const sections: string[] = [];
      const section = async (title: string, run: () => Promise<unknown>) => {
        current = [];
        await run();
        sections.push(`-- ${title}\n${current.map((q) => `${q};`).join('\n')}`);
      };
      try {
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
      } finally {
        await store.close();
        await drop();
      }
      const sql = `-- Generated by test/store/dsr-repository.test.ts: the SQL of DsrRepository (${s.kind}).\n\n${sections.join('\n\n')}\n`;
      const file = path.join(ROOT, `src/store/queries/dsr-requests.${s.kind}.sql`);
      if (UPDATE) writeFileSync(file, sql);
      expect(sql).toBe(readFileSync(file, 'utf8'));
    });
  });
}
