/**
 * The audit log on real SQLite and PostgreSQL: an append-only chain per organisation that finds an
 * entry edited, deleted, moved, or the newest ones cut off (given the head kept earlier); two writers
 * appending at once never share a place; a published register version and its entry are written
 * together.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreLocation } from '../../src/config/config.js';
import { GENESIS_HASH } from '../../src/store/audit-log.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { smallRegister } from './registers.js';
import { raw } from './raw-sql.js';
import { postgresCase, sqliteCase } from './store-cases.js';

const entry = (n: number) => ({ actor: 'staff:7', action: 'request.approved', subject: { kind: 'request', id: `r-${n}` }, detail: { n, systems: 2 }, at: new Date(Date.UTC(2026, 11, 2, 10, n)) });

describe.each([sqliteCase(), postgresCase()])('the audit log on $name', (dialect) => {
  let store: Store;
  let location: StoreLocation;
  beforeAll(async () => {
    if (!dialect.available) return;
    location = await dialect.setUp();
    store = await openStore(location);
  });
  afterAll(async () => {
    await store?.close();
    await dialect.tearDown();
  });

  /** A fresh chain of `n` entries for a new organisation. */
  const chain = async (org: string, n: number) => {
    for (let i = 1; i <= n; i++) await store.audit.append(org, entry(i));
  };

  it.runIf(dialect.available)('chains each entry to the previous one, and verifies whole', async () => {
    await chain('intact', 3);
    const entries = [];
    for await (const e of store.audit.entries('intact')) entries.push(e);
    expect(entries.map((e) => [e.seq, e.subject.id, e.detail])).toEqual([
      [1, 'r-1', { n: 1, systems: 2 }],
      [2, 'r-2', { n: 2, systems: 2 }],
      [3, 'r-3', { n: 3, systems: 2 }],
    ]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(entries[2]!.prevHash).toBe(entries[1]!.hash);
    const v = await store.audit.verify('intact');
    expect(v).toEqual({ organisationId: 'intact', entries: 3, head: { seq: 3, hash: entries[2]!.hash }, problems: [] });
    expect((await store.audit.verify('intact', v.head!)).problems).toEqual([]);
  });

  it.runIf(dialect.available)('reports an entry whose detail is no longer JSON as edited, rather than failing', async () => {
    await chain('garbled', 2);
    await raw(location, `update audit_log set detail_json = 'not json' where organisation_id = 'garbled' and seq = 1`);
    expect((await store.audit.verify('garbled')).problems).toEqual([{ seq: 1, problem: 'its content does not match its hash (edited)' }]);
    expect((await store.audit.page('garbled', { limit: 10 }))[0]!.detail).toEqual({ unreadable: 'the stored detail is not a JSON object' });
  });

  it.runIf(dialect.available)('finds an entry edited, deleted or moved, and a chain cut short', async () => {
    await chain('edited', 3);
    await raw(location, `update audit_log set detail_json = '{"n":2,"systems":3}' where organisation_id = 'edited' and seq = 2`);
    expect((await store.audit.verify('edited')).problems).toEqual([{ seq: 2, problem: 'its content does not match its hash (edited)' }]);

    await chain('deleted', 4);
    await raw(location, `delete from audit_log where organisation_id = 'deleted' and seq = 2`);
    expect((await store.audit.verify('deleted')).problems).toEqual([
      { seq: 3, problem: 'entry 2 missing (deleted)' },
      { seq: 3, problem: 'does not follow the previous entry (an entry before it was edited, deleted or moved)' },
    ]);

    await chain('moved', 3);
    // Entries 1 and 2 swap places, each keeping its own hashes.
    await raw(location, `update audit_log set seq = 100 where organisation_id = 'moved' and seq = 1`);
    await raw(location, `update audit_log set seq = 1 where organisation_id = 'moved' and seq = 2`);
    await raw(location, `update audit_log set seq = 2 where organisation_id = 'moved' and seq = 100`);
    const moved = await store.audit.verify('moved');
    expect(moved.problems.map((p) => p.seq)).toEqual([1, 1, 2, 2, 3]);

    await chain('cut', 4);
    const before = await store.audit.verify('cut');
    await raw(location, `delete from audit_log where organisation_id = 'cut' and seq = 4`);
    // Without the head kept earlier, a chain cut short still looks whole; with it, it does not.
    expect((await store.audit.verify('cut')).problems).toEqual([]);
    expect((await store.audit.verify('cut', before.head!)).problems).toEqual([{ seq: 4, problem: 'the head kept earlier is gone: the chain ends at 3 (entries were cut off)' }]);
  });

  it.runIf(dialect.available)('gives each of many entries appended at once by two stores its own place in one chain', async () => {
    const other = await openStore(location);
    try {
      await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? store : other).audit.append('busy', entry(i + 1))));
    } finally {
      await other.close();
    }
    const v = await store.audit.verify('busy');
    expect(v.entries).toBe(30);
    expect(v.problems).toEqual([]);
    const ids = new Set<string>();
    for await (const e of store.audit.entries('busy')) ids.add(e.subject.id);
    expect(ids.size).toBe(30);
  });

  it.runIf(dialect.available)('records a published register version in the same transaction, and nothing for an unchanged one', async () => {
    const register = smallRegister('pub');
    const input = { organisationName: 'Pub', register, findings: [], author: 'ann', diffFrom: () => null };
    await store.registerVersions.publish('pub', input);
    await store.registerVersions.publish('pub', input);
    const entries = [];
    for await (const e of store.audit.entries('pub')) entries.push(e);
    expect(entries.map((e) => [e.seq, e.actor, e.action, e.subject])).toEqual([[1, 'ann', 'register.published', { kind: 'register-version', id: '1' }]]);
    expect(entries[0]!.detail).toMatchObject({ errors: 0, warnings: 0 });
    expect((await store.audit.organisations()).includes('pub')).toBe(true);
  });
});
