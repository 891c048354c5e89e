/**
 * The store's data subject requests on both real stores (SQLite and PostgreSQL): lifecycle,
 * leases, one unfinished request per kind and identities, superseding, append-only evidence
 * steps, the work log, restrictions, erasures a later access speaks of; and the SQL each method runs, committed in
 * src/store/queries/dsr-requests.*.sql (OPENDPO_UPDATE_QUERIES=1 rewrites them after a change).
 */
import { Kysely, Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { StoreLocation } from '../../src/config/config.js';
import type { LeaseClaim, NewDsrRequest } from '../../src/store/dsr-repository.js';
import { migrationProvider } from '../../src/store/migrations/migration-provider.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { expectCommittedQueries } from './committed-queries.js';
import { raw } from './raw-sql.js';
import { postgresCase, sqliteCase, type DialectCase } from './store-cases.js';

/** A fresh store of the dialect; `drop` closes it and removes its database. */
async function open(dialect: DialectCase): Promise<{ store: Store; location: StoreLocation; drop: () => Promise<void> }> {
  const location = await dialect.setUp();
  const store = await openStore(location);
  return {
    store,
    location,
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

const T0 = Date.parse('2026-11-28T10:00:00.000Z');
/** A run's claim on a lease at `seconds` after T0, lasting 60 s. */
const claim = (owner: string, seconds = 0): LeaseClaim => ({
  owner,
  host: `host-${owner}`,
  pid: 100,
  now: new Date(T0 + seconds * 1000).toISOString(),
  expiresAt: new Date(T0 + (seconds + 60) * 1000).toISOString(),
});
const held = (owner: string, seconds = 0) => ({ owner, expiresAt: claim(owner, seconds).expiresAt });
const erasure = (fingerprint: string, extra: Partial<NewDsrRequest> = {}): NewDsrRequest => ({
  kind: 'erasure',
  fingerprint,
  identityTypes: ['email'],
  datasetsHash: 'h',
  datasets: [{ key: 'shop', file: 'shop.yaml', hash: 'x' }],
  ...extra,
});

describe.each([sqliteCase(), postgresCase()])('data subject requests in the $name store', (s) => {
  it.runIf(s.available)('are created held by a run, found unfinished by their identities, resumed, and completed', async () => {
    const { store, drop } = await open(s);
    try {
      const repo = store.requests;
      const fp = await repo.fingerprint({ email: 'jane@example.com' });
      expect(fp).toMatch(/^[0-9a-f]{64}$/);
      expect(await repo.fingerprint({ email: 'jane@example.com' })).toBe(fp);
      expect(await repo.fingerprint({ email: 'john@example.com' })).not.toBe(fp);
      const created = (await repo.create(erasure(fp, { changesFingerprint: 'c' }), claim('a')))!;
      expect(created).toMatchObject({
        status: 'running',
        attempts: 1,
        identityTypes: ['email'],
        datasets: [{ key: 'shop', file: 'shop.yaml', hash: 'x' }],
        changesFingerprint: 'c',
        lease: { host: 'host-a', pid: 100, since: claim('a').now, expiresAt: claim('a').expiresAt },
      });
      expect(await repo.endRun(created.id, 'a', 'failed', { errorCode: 'TARGET_UNAVAILABLE', errorMessage: 'down' })).toBe(true);
      expect(await repo.get(created.id)).toMatchObject({ status: 'failed', errorCode: 'TARGET_UNAVAILABLE', lease: null });
      expect((await repo.findUnfinished('erasure', fp))?.id).toBe(created.id);
      expect(await repo.findUnfinished('access', fp)).toBeUndefined();
      const resumed = await repo.resume(created.id, claim('b', 1));
      expect(resumed).toMatchObject({ status: 'running', attempts: 2, errorCode: null, lease: { host: 'host-b' } });

      expect(await repo.addSteps(created.id, held('b'), 1, [step('shop.customer', 'select'), step('shop.orders', 'select')])).toBe(true);
      expect(await repo.addSteps(created.id, held('b'), 2, [{ ...step('shop.customer', 'kept'), detail: { reason: 'legal-hold', fields: ['total'] } }])).toBe(true);
      expect((await repo.steps(created.id)).map((x) => [x.seq, x.attempt, x.kind, x.durationMs, x.detail])).toEqual([
        [1, 1, 'select', 3, null],
        [2, 1, 'select', 3, null],
        [3, 2, 'kept', 3, { reason: 'legal-hold', fields: ['total'] }],
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
      expect(await repo.endRun(created.id, 'b', 'completed', { summary: { rows: 3 } })).toBe(true);
      await repo.purgeWork(created.id);
      expect((await repo.work(created.id)).map((w) => w.operationsJson)).toEqual(['[]', '[]']);
      expect(await repo.findUnfinished('erasure', fp)).toBeUndefined();
      expect(await repo.get(created.id)).toMatchObject({ status: 'completed', summary: { rows: 3 }, lease: null });
      expect((await repo.list()).map((r) => r.id)).toEqual([created.id]);
    } finally {
      await drop();
    }
  });

  it.runIf(s.available)('give a request to one run at a time: a live lease refuses another run, an expired one is taken over, and the run that lost it writes nothing', async () => {
    const { store, drop } = await open(s);
    try {
      const repo = store.requests;
      const request = (await repo.create(erasure('fp'), claim('a')))!;
      // Another run 30 s later: the lease (60 s) is live.
      expect(await repo.resume(request.id, claim('b', 30))).toBeUndefined();
      expect(await repo.supersede(request.id, claim('b', 30), erasure('fp'))).toBeUndefined();
      // The holder renews; another cannot.
      expect(await repo.renewLease(request.id, 'a', claim('a', 30).expiresAt)).toBe(true);
      expect(await repo.renewLease(request.id, 'b', claim('b', 30).expiresAt)).toBe(false);
      // Renewed until 90 s: still refused at 80 s, taken over at 100 s (run a was killed).
      expect(await repo.resume(request.id, claim('b', 80))).toBeUndefined();
      expect(await repo.resume(request.id, claim('b', 100))).toMatchObject({ attempts: 2, lease: { host: 'host-b' } });
      // Run a wakes up: it can neither add evidence nor end the request.
      expect(await repo.addSteps(request.id, held('a', 100), 1, [step('c', 'update')])).toBe(false);
      expect(await repo.endRun(request.id, 'a', 'failed', { errorCode: 'INTERNAL' })).toBe(false);
      expect(await repo.steps(request.id)).toEqual([]);
      expect(await repo.get(request.id)).toMatchObject({ status: 'running', lease: { host: 'host-b' } });
      expect(await repo.addSteps(request.id, held('b', 100), 2, [step('c', 'update')])).toBe(true);
      expect(await repo.endRun(request.id, 'b', 'completed')).toBe(true);
      // A completed request is no longer resumed.
      expect(await repo.resume(request.id, claim('c', 200))).toBeUndefined();
    } finally {
      await drop();
    }
  });

  it.runIf(s.available)('keep one unfinished request per kind and identities, even when two runs create it at the same instant', async () => {
    const { store, location, drop } = await open(s);
    // PostgreSQL: a second store (its own pool), a real race. SQLite's driver is synchronous:
    // the two inserts run one after the other, and the index refuses the second all the same.
    const other = s.name === 'postgres' ? await openStore(location) : store;
    try {
      const [one, two] = await Promise.all([store.requests.create(erasure('fp'), claim('a')), other.requests.create(erasure('fp'), claim('b'))]);
      expect([one, two].filter((r) => r !== undefined)).toHaveLength(1);
      expect((await store.requests.list()).length).toBe(1);
      // Another kind, or other identities, are other requests.
      expect(await store.requests.create({ ...erasure('fp'), kind: 'access' }, claim('c'))).toBeDefined();
      expect(await store.requests.create(erasure('other'), claim('d'))).toBeDefined();
      // Once it is completed, the same identities start a new request.
      const first = (one ?? two)!;
      expect(await store.requests.endRun(first.id, one ? 'a' : 'b', 'completed')).toBe(true);
      expect(await store.requests.create(erasure('fp'), claim('e'))).toBeDefined();
    } finally {
      if (other !== store) await other.close();
      await drop();
    }
  });

  it.runIf(s.available)('supersede an unfinished request with a new one: marked, said so in its evidence, its work log emptied', async () => {
    const { store, drop } = await open(s);
    try {
      const repo = store.requests;
      const old = (await repo.create(erasure('fp'), claim('a')))!;
      await repo.addSteps(old.id, held('a'), 1, [step('c', 'select')]);
      await repo.saveWork(old.id, [{ connection: 'shop', operationsJson: '[{"keys":[["jane@example.com"]]}]' }]);
      await repo.endRun(old.id, 'a', 'failed', { errorCode: 'TARGET_UNAVAILABLE' });

      const replacement = await repo.supersede(old.id, claim('b', 1), erasure('fp', { datasets: [{ key: 'shop', file: 'shop.yaml', hash: 'y' }] }));
      expect(replacement).toMatchObject({ status: 'running', attempts: 1, datasets: [{ hash: 'y' }], lease: { host: 'host-b' } });
      expect(replacement!.id).not.toBe(old.id);
      expect(await repo.get(old.id)).toMatchObject({ status: 'superseded', lease: null });
      expect((await repo.steps(old.id)).map((x) => [x.attempt, x.kind, x.note])).toEqual([
        [1, 'select', null],
        [1, 'superseded', `superseded by request ${replacement!.id}`],
      ]);
      expect((await repo.work(old.id)).map((w) => w.operationsJson)).toEqual(['[]']);
      expect((await repo.findUnfinished('erasure', 'fp'))?.id).toBe(replacement!.id);
      // A superseded request is never resumed.
      expect(await repo.resume(old.id, claim('c', 500))).toBeUndefined();
    } finally {
      await drop();
    }
  });

  it.runIf(s.available)('refuse to update or delete evidence steps, in the store itself', async () => {
    const { store, location, drop } = await open(s);
    try {
      const request = (await store.requests.create(erasure('fp'), claim('a')))!;
      await store.requests.addSteps(request.id, held('a'), 1, [step('shop.customer', 'delete')]);
      await store.close();
      const refused = /append-only/;
      await expect(raw(location, `update dsr_steps set rows_changed = 0`)).rejects.toThrow(refused);
      await expect(raw(location, `delete from dsr_steps`)).rejects.toThrow(refused);
      // Deleting the request would delete its evidence with it (on delete cascade).
      await expect(raw(location, `delete from dsr_requests`)).rejects.toThrow(refused);
      if (s.name === 'postgres') await expect(raw(location, `truncate dsr_steps`)).rejects.toThrow(refused);
      const reopened = await openStore(location);
      try {
        expect((await reopened.requests.steps(request.id)).map((x) => [x.kind, x.rowsChanged])).toEqual([['delete', 1]]);
      } finally {
        await reopened.close();
      }
    } finally {
      await drop();
    }
  });

  it.runIf(s.available)('migrate a store holding two unfinished requests for the same identities: the older one is superseded', async () => {
    const location = await s.setUp();
    try {
      const dialect =
        location.kind === 'sqlite'
          ? (await import('../../src/store/dialects/sqlite/create-dialect.js')).createDialect(location)
          : (await import('../../src/store/dialects/postgres/create-dialect.js')).createDialect(location);
      const db = new Kysely<unknown>({ dialect: dialect.dialect });
      const { error } = await new Migrator({ db, provider: migrationProvider(dialect.kind) }).migrateTo('0003-manual-tasks');
      expect(error).toBeUndefined();
      const row = (id: string, createdAt: string, status: string) =>
        sql`insert into dsr_requests (id, kind, status, identity_fingerprint, identity_types, datasets_hash, created_at, updated_at, attempts)
            values (${id}, 'erasure', ${status}, 'fp', 'email', 'h', ${createdAt}, ${createdAt}, 1)`.execute(db);
      await row('older', '2026-01-01T00:00:00.000Z', 'failed');
      await row('newer', '2026-01-02T00:00:00.000Z', 'running');
      await row('done', '2026-01-03T00:00:00.000Z', 'completed');
      await db.destroy();

      const store = await openStore(location);
      try {
        expect(Object.fromEntries((await store.requests.list()).map((r) => [r.id, [r.status, r.datasets, r.lease]]))).toEqual({
          older: ['superseded', null, null],
          newer: ['running', null, null],
          done: ['completed', null, null],
        });
        expect((await store.requests.findUnfinished('erasure', 'fp'))?.id).toBe('newer');
      } finally {
        await store.close();
      }
    } finally {
      await s.tearDown();
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

  it.runIf(s.available)('list the restrictions in force per request (identity types, never values), and lift one with its evidence step, once', async () => {
    const { store, drop } = await open(s);
    try {
      const repo = store.requests;
      const jane = await repo.fingerprint({ email: 'jane@example.com', phone_number: '+33600000000' });
      const made = (await repo.create({ ...erasure(jane), kind: 'restriction', identityTypes: ['email', 'phone_number'] }, claim('a')))!;
      await repo.endRun(made.id, 'a', 'completed');
      await repo.restrict(await repo.fingerprint({ email: 'jane@example.com' }), 'email', made.id);
      await repo.restrict(await repo.fingerprint({ phone_number: '+33600000000' }), 'phone_number', made.id);
      const john = (await repo.create({ ...erasure(await repo.fingerprint({ email: 'john@example.com' })), kind: 'restriction' }, claim('b')))!;
      await repo.restrict(await repo.fingerprint({ email: 'john@example.com' }), 'email', john.id);

      const inForce = await repo.restrictions();
      expect(inForce.map((r) => [r.requestId, r.identityTypes.sort(), r.liftedAt])).toEqual(
        expect.arrayContaining([
          [made.id, ['email', 'phone_number'], null],
          [john.id, ['email'], null],
        ]),
      );
      expect(JSON.stringify(inForce)).not.toMatch(/jane|john|\+336/);

      const lift = { ...step('opendpo', 'unrestrict'), rowsFound: 2, note: 'person informed' };
      expect(await repo.liftRestriction(made.id, lift)).toBe(true);
      expect(await repo.isRestricted('email', 'jane@example.com')).toBe(false);
      expect(await repo.isRestricted('phone_number', '+33600000000')).toBe(false);
      expect(await repo.isRestricted('email', 'john@example.com')).toBe(true);
      // Lifted once: a second lifting writes nothing.
      expect(await repo.liftRestriction(made.id, lift)).toBe(false);
      const evidence = (await repo.steps(made.id)).filter((x) => x.kind === 'unrestrict');
      expect(evidence).toEqual([expect.objectContaining({ rowsFound: 2, rowsChanged: 2, note: 'person informed', attempt: 1 })]);
      expect((await repo.restrictions()).map((r) => r.requestId)).toEqual([john.id]);
      const all = await repo.restrictions({ includeLifted: true });
      expect(all.find((r) => r.requestId === made.id)?.liftedAt).toMatch(/^\d{4}-/);
    } finally {
      await drop();
    }
  });

  it.runIf(s.available)("keep a restriction's rows' keys until it is lifted or taken over whole, and append to its evidence only while it is in force", async () => {
    const { store, drop } = await open(s);
    try {
      const repo = store.requests;
      const email = await repo.fingerprint({ email: 'jane@example.com' });
      const phone = await repo.fingerprint({ phone_number: '+33600000000' });
      const keys = '[{"node":"shop.newsletter","keys":[[1]]}]';
      const restriction = async (owner: string, identities: [string, string][]) => {
        const made = (await repo.create({ ...erasure(await repo.fingerprint(Object.fromEntries(identities.map(([t]) => [t, owner])))), kind: 'restriction' }, claim(owner)))!;
        for (const [type, fingerprint] of identities) await repo.restrict(fingerprint, type, made.id);
        await repo.saveWork(made.id, [{ connection: 'shop', operationsJson: keys }]);
        await repo.endRun(made.id, owner, 'completed');
        return made.id;
      };
      const workOf = async (id: string) => (await repo.work(id)).map((w) => w.operationsJson);

      const both = await restriction('a', [['email', email], ['phone_number', phone]]);
      expect(await repo.addRestrictionSteps(both, [step('shop.newsletter', 'unflag')])).toBe(true);
      // Taken over in part: the earlier restriction still holds the phone number, and its keys.
      const byEmail = await restriction('b', [['email', email]]);
      expect(await workOf(both)).toEqual([keys]);
      // Taken over whole: it can no longer be lifted, its keys are gone.
      const byPhone = await restriction('c', [['phone_number', phone]]);
      expect(await workOf(both)).toEqual(['[]']);
      expect((await repo.restrictions()).map((r) => r.requestId).sort()).toEqual([byEmail, byPhone].sort());

      expect(await repo.liftRestriction(byEmail, step('opendpo', 'unrestrict'))).toBe(true);
      expect(await workOf(byEmail)).toEqual(['[]']);
      expect(await workOf(byPhone)).toEqual([keys]);
      expect(await repo.addRestrictionSteps(byEmail, [step('shop.newsletter', 'unflag')])).toBe(false);
      expect((await repo.steps(byEmail)).map((x) => x.kind)).toEqual(['unrestrict']);
      expect((await repo.steps(both)).map((x) => x.kind)).toEqual(['unflag']);
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
      const request = await repo.create(
        { kind: 'erasure', fingerprint: await repo.fingerprint({ email: 'jane@example.com', phone_number: '+33600000000' }), identityTypes: ['email', 'phone_number'], datasetsHash: 'h' },
        claim('a'),
      );
      const erasure = request!;
      await repo.recordErasure(erasure.id, [email, phone], '[{"first":true}]');
      // A new plan of the same request (a re-run before its first write) replaces the lines.
      await repo.recordErasure(erasure.id, [email, phone, email], '[{"collection":"shop.invoice","rows":2}]');
      // Not completed yet: nothing to say.
      expect(await repo.completedErasures([email])).toEqual([]);
      expect(await repo.endRun(erasure.id, 'a', 'completed')).toBe(true);
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
      await section('create (held by the run)', async () => (id = (await repo.create(erasure(fp, { id: 'req-1' }), claim('a')))!.id));
      await section('findUnfinished', () => repo.findUnfinished('erasure', fp));
      await section('renewLease', () => repo.renewLease(id, 'a', claim('a', 10).expiresAt));
      await section('addSteps (one transaction, the lease checked first)', () => repo.addSteps(id, held('a'), 1, [step('c', 'select')]));
      await section('endRun', () => repo.endRun(id, 'a', 'failed', { errorCode: 'TARGET_UNAVAILABLE', errorMessage: 'down' }));
      await section('resume (takes the lease)', () => repo.resume(id, claim('b', 1)));
      await section('steps', () => repo.steps(id));
      await section('saveWork (one transaction)', () => repo.saveWork(id, [{ connection: 'a', operationsJson: '[]' }]));
      await section('addWork', () => repo.addWork(id, [{ connection: 'b', operationsJson: '{}' }]));
      await section('work', () => repo.work(id));
      await section('hasWork', () => repo.hasWork(id));
      await section('markWorkDone', () => repo.markWorkDone(id, 'a'));
      await section('purgeWork', () => repo.purgeWork(id));
      // Not recorded: the run that resumed it ends, so that it can be superseded.
      await repo.endRun(id, 'b', 'failed');
      await section('supersede (one transaction)', () => repo.supersede(id, claim('c', 2), erasure(fp, { id: 'req-2' })));
      await section('restrict (one transaction)', () => repo.restrict(fp, 'email', id));
      await section('isRestricted', () => repo.isRestricted('email', 'x'));
      await section('restrictions (in force)', () => repo.restrictions());
      await section('restrictions (lifted too)', () => repo.restrictions({ includeLifted: true }));
      await section('addRestrictionSteps (one transaction, while in force)', () => repo.addRestrictionSteps(id, [step('shop.newsletter', 'unflag')]));
      await section('liftRestriction (one transaction, the work log emptied)', () => repo.liftRestriction(id, step('opendpo', 'unrestrict')));
      await section('restrict (taking over a whole restriction: its work log emptied)', () => repo.restrict(fp, 'email', 'req-2'));
      await section('list', () => repo.list());
      await section('recordErasure (one transaction)', () => repo.recordErasure(id, [fp], '[]'));
      await section('completedErasures', () => repo.completedErasures([fp]));
    });
  });
});
