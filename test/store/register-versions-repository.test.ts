/**
 * One suite, run against every store dialect (SQLite and PostgreSQL), as Kysely runs its tests
 * against every dialect: the same behaviour is required of both.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl, type StoreLocation } from '../../src/config/config.js';
import { OpendpoError } from '../../src/errors/opendpo-error.js';
import type { Finding } from '../../src/register/finding.js';
import type { Register } from '../../src/register/schema.js';
import { contentHash } from '../../src/store/canonical-json.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import type { NewRegisterVersion } from '../../src/store/register-versions-repository.js';
import { POSTGRES_URL } from '../helpers/services.js';
import { smallRegister } from './registers.js';
import { postgresAvailable, postgresCase, sqliteCase } from './store-cases.js';


const finding = (severity: Finding['severity'], rule = 'retention/missing'): Finding => ({
  rule,
  severity,
  message: 'no retention period',
  file: 'activities/newsletter.yaml',
  line: 1,
  column: 1,
});

function version(register: Register, extra: Partial<NewRegisterVersion> = {}): NewRegisterVersion {
  return {
    organisationName: register.organisation.name,
    register,
    findings: [],
    author: 'Test Author',
    message: 'test',
    diffFrom: (previous) => ({ from: previous?.activities.map((a) => a.id) ?? null }),
    ...extra,
  };
}

describe.each([sqliteCase(), postgresCase()])('register versions store on $name', (dialect) => {
  let location: StoreLocation;
  let store: Store;

  beforeAll(async () => {
    if (!dialect.available) return;
    location = await dialect.setUp();
    store = await openStore(location);
  });
  afterAll(async () => {
    if (!dialect.available) return;
    await store?.close();
    await dialect.tearDown();
  });

  it.runIf(dialect.available)('answers a ping once migrated, and reopening runs no migration twice', async () => {
    await store.ping();
    const again = await openStore(location);
    await again.ping();
    expect(await again.registerVersions.organisations()).toEqual(await store.registerVersions.organisations());
    await again.close();
  });

  it.runIf(dialect.available)('publishes a first version with its hash and findings, and no diff', async () => {
    const register = smallRegister('first-org');
    const outcome = await store.registerVersions.publish('first-org', version(register, { findings: [finding('error'), finding('warning')] }));
    expect(outcome.unchanged).toBe(false);
    expect(outcome.version.version).toBe(1);
    expect(outcome.version.contentHash).toBe(contentHash(register));
    expect(outcome.version.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(outcome.version.diff).toBeNull();
    expect(outcome.version.errorCount).toBe(1);
    expect(outcome.version.warningCount).toBe(1);

    const latest = await store.registerVersions.latest('first-org');
    expect(latest?.register).toEqual(register);
    expect(latest?.findings).toEqual([finding('error'), finding('warning')]);
    expect(latest?.author).toBe('Test Author');
    expect(new Date(latest!.publishedAt).toISOString()).toBe(latest!.publishedAt);
  });

  it.runIf(dialect.available)('recognises an unchanged register and writes nothing', async () => {
    const register = smallRegister('same-org');
    await store.registerVersions.publish('same-org', version(register));
    // Same content, keys in another order: the canonical JSON is the same.
    const reordered = JSON.parse(JSON.stringify({ systems: [], recipients: [], activities: register.activities, organisation: register.organisation })) as Register;
    const again = await store.registerVersions.publish('same-org', version(reordered, { author: 'Someone Else' }));
    expect(again.unchanged).toBe(true);
    expect(again.version.version).toBe(1);
    expect(again.version.author).toBe('Test Author');
    expect(await store.registerVersions.list('same-org')).toHaveLength(1);
  });

  it.runIf(dialect.available)('numbers versions per organisation and stores the diff from the previous version', async () => {
    await store.registerVersions.publish('org-a', version(smallRegister('org-a', ['one'])));
    await store.registerVersions.publish('org-b', version(smallRegister('org-b', ['x'])));
    const second = await store.registerVersions.publish('org-a', version(smallRegister('org-a', ['one', 'two'])));
    expect(second.version.version).toBe(2);
    expect(second.version.diff).toEqual({ from: ['one'] });

    const v1 = await store.registerVersions.get('org-a', 1);
    expect(v1?.register.activities.map((a) => a.id)).toEqual(['one']);
    expect(await store.registerVersions.get('org-a', 3)).toBeUndefined();
    // Scoped: org-b has its own version 1 and nothing of org-a's.
    expect((await store.registerVersions.list('org-b')).map((v) => v.version)).toEqual([1]);
    expect(await store.registerVersions.get('org-b', 2)).toBeUndefined();
    expect((await store.registerVersions.latest('org-b'))?.register.activities.map((a) => a.id)).toEqual(['x']);
  });

  it.runIf(dialect.available)('lists versions newest first without the register, findings or diff', async () => {
    await store.registerVersions.publish('list-org', version(smallRegister('list-org', ['a'])));
    await store.registerVersions.publish('list-org', version(smallRegister('list-org', ['a', 'b']), { message: 'add b' }));
    const list = await store.registerVersions.list('list-org');
    expect(list.map((v) => v.version)).toEqual([2, 1]);
    expect(list[0]?.message).toBe('add b');
    for (const summary of list) {
      expect(Object.keys(summary)).not.toContain('register');
      expect(Object.keys(summary)).not.toContain('findings');
      expect(Object.keys(summary)).not.toContain('diff');
    }
    expect(await store.registerVersions.list('no-such-org')).toEqual([]);
  });

  it.runIf(dialect.available)('lists organisations with their latest version, oldest first', async () => {
    const orgs = await store.registerVersions.organisations();
    expect(orgs[0]?.id).toBe('first-org');
    expect(orgs.find((o) => o.id === 'org-a')).toMatchObject({ name: 'Organisation org-a', latestVersion: 2 });
    expect(orgs.find((o) => o.id === 'list-org')?.latestVersion).toBe(2);
  });

  it.runIf(dialect.available)('writes nothing when publishing fails half-way (one transaction)', async () => {
    const before = await store.registerVersions.organisations();
    await expect(
      store.registerVersions.publish('half-org', version(smallRegister('half-org'), { findings: [finding('error')] })).then(() =>
        store.registerVersions.publish(
          'half-org',
          version(smallRegister('half-org', ['changed']), {
            diffFrom: () => {
              throw new Error('diff failed');
            },
          }),
        ),
      ),
    ).rejects.toThrow('diff failed');
    expect((await store.registerVersions.list('half-org')).map((v) => v.version)).toEqual([1]);

    // A brand-new organisation whose first publish fails is not created at all.
    // The findings fail to serialise after the organisation was upserted inside the transaction.
    const poisoned = { ...finding('error'), toJSON: () => { throw new Error('findings failed'); } };
    const failing = version(smallRegister('ghost-org'), { findings: [poisoned] });
    await expect(store.registerVersions.publish('ghost-org', failing)).rejects.toThrow('findings failed');
    const after = await store.registerVersions.organisations();
    expect(after.map((o) => o.id)).toEqual([...before.map((o) => o.id), 'half-org']);
  });

  it.runIf(dialect.available)('gives concurrent publishers distinct version numbers', async () => {
    // PostgreSQL: two pools, a real race. SQLite: better-sqlite3 is synchronous, so two handles in
    // one process would block each other's event loop; one handle serialises its transactions,
    // and the race between processes is tested by spawning two CLI publishers (test/cli).
    const other = dialect.name === 'postgres' ? await openStore(location) : store;
    try {
      const results = await Promise.all([
        store.registerVersions.publish('race-org', version(smallRegister('race-org', ['a']))),
        other.registerVersions.publish('race-org', version(smallRegister('race-org', ['b']))),
      ]);
      expect(results.map((r) => r.version.version).sort()).toEqual([1, 2]);
      const list = await store.registerVersions.list('race-org');
      expect(list.map((v) => v.version)).toEqual([2, 1]);
      // The second version's diff is against the first one actually stored.
      const v1 = await store.registerVersions.get('race-org', 1);
      const v2 = await store.registerVersions.get('race-org', 2);
      expect(v2?.diff).toEqual({ from: v1?.register.activities.map((a) => a.id) });
    } finally {
      if (other !== store) await other.close();
    }
  });
});

describe('the SQLite store file', () => {
  it('is in WAL mode, so the server reads while the CLI publishes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-store-'));
    try {
      const file = path.join(dir, 'nested', 'store.db');
      const store = await openStore(parseDatabaseUrl(`sqlite:${file}`, dir));
      const raw = new SqliteDatabase(file, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.prepare("select name from sqlite_master where type = 'table' and name not like 'kysely%' order by name").pluck().all()).toEqual(
        expect.arrayContaining(['organisations', 'register_versions', 'dsr_requests', 'dsr_steps', 'dsr_work']),
      );
      raw.close();
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a store that cannot be opened', () => {
  it.runIf(postgresAvailable)('is STORE_UNAVAILABLE saying the PostgreSQL database does not exist', async () => {
    const url = new URL(POSTGRES_URL);
    url.pathname = '/opendpo_no_such_database';
    const err = await openStore(parseDatabaseUrl(url.toString(), process.cwd())).catch((e: unknown) => e);
    expect((err as OpendpoError).code).toBe('STORE_UNAVAILABLE');
    expect((err as OpendpoError).message).toContain('opendpo_no_such_database): the database does not exist');
  });

  it('is STORE_UNAVAILABLE naming the PostgreSQL URL without its password', async () => {
    const location = parseDatabaseUrl('postgres://app:s3cret-pw@127.0.0.1:1/opendpo', process.cwd());
    const err = await openStore(location).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpendpoError);
    expect((err as OpendpoError).code).toBe('STORE_UNAVAILABLE');
    expect((err as OpendpoError).message).toContain('postgres://app:***@127.0.0.1:1/opendpo');
    expect((err as OpendpoError).message).not.toContain('s3cret-pw');
  });

  it('is STORE_UNAVAILABLE when the SQLite file cannot be created', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-store-'));
    try {
      // A regular file where the folder should be.
      const blocker = path.join(dir, 'not-a-folder');
      writeFileSync(blocker, 'x');
      const err = await openStore(parseDatabaseUrl(`sqlite:${path.join(blocker, 'store.db')}`, dir)).catch((e: unknown) => e);
      expect((err as OpendpoError).code).toBe('STORE_UNAVAILABLE');
      expect((err as OpendpoError).message).toContain('not-a-folder/store.db');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
