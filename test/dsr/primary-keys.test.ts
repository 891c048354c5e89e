/**
 * Rows are addressed by a key: the dataset's, else the table's primary key, else a unique index on
 * NOT NULL columns. A Fides dataset whose collections without personal data declare no primary key
 * (as Fides' own examples do), on tables some of which have none, is erased; only a collection the
 * erasure must write and that has no key is refused, at the dataset's file:line, with the fix.
 * On SQLite, PostgreSQL and MariaDB (test/dsr/foreign-schemas/keyless/).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabaseConnector } from '../../src/connectors/open-database-connector.js';
import { loadDatasetsOrThrow } from '../../src/dataset/load-datasets.js';
import type { Dataset } from '../../src/dataset/model.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';
import type { Finding } from '../../src/register/finding.js';
import { runRequest } from '../../src/dsr/run-request.js';
import type { Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { snapshot, TARGETS, type Target } from './foreign-schemas/targets.js';
import { openTestConnections } from './open-test-connections.js';
import { withTargetAndStore } from './target-and-store.js';

const FOLDER = path.join(ROOT, 'test/dsr/foreign-schemas/keyless');
const SQL = readFileSync(path.join(FOLDER, 'schema.sql'), 'utf8');
const ALL = (await loadDatasetsOrThrow(FOLDER)).datasets as Dataset[];
const KEYLESS = ALL.filter((d) => d.key === 'keyless');
const TABLES = ['customer', 'orders', 'order_item', 'visit', 'note'];
const PERSON = { email: 'customer-1@example.com' };

/** The error a request refused with, and nothing else. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    if (isOpendpoError(err)) return err;
    throw err;
  }
  throw new Error('the request was not refused');
}

for (const t of TARGETS) {
  describe.runIf(await t.available())(`keys from the catalogue in ${t.name}`, () => {
    let target: Target;
    let store: Store;
    const run = (kind: 'access' | 'erasure' | 'rectification', datasets: Dataset[], extra: object = {}) =>
      runRequest({
        kind,
        identities: PERSON,
        datasets,
        store,
        connect: () => openTestConnections([{ name: 'keyless', type: target.type, url: target.url, datasets: ['keyless', 'notes'] }]),
        ...extra,
      });

    withTargetAndStore(() => t.create(SQL), (made) => ({ target, store } = made));

    it('introspection gives the unique indexes on NOT NULL columns', async () => {
      const connector = await openDatabaseConnector({ name: 'keyless', type: target.type, url: target.url });
      try {
        const shapes = new Map((await connector.introspect()).map((s) => [s.name, s]));
        expect(shapes.get('visit')).toMatchObject({ primaryKey: [], uniqueKeys: [['email', 'last_visit']] });
        expect(shapes.get('order_item')?.primaryKey).toEqual([]);
        expect(shapes.get('order_item')?.uniqueKeys ?? []).toEqual([]);
        expect(shapes.get('customer')?.primaryKey).toEqual(['id']);
      } finally {
        await connector.close();
      }
    });

    it('a collection an erasure must write without any key is refused at its file:line, with the fix; nothing is written', async () => {
      const before = await snapshot(target, TABLES);
      const err = await refusal(run('erasure', ALL));
      expect(err.code).toBe('DATASET_INVALID');
      const findings = (err.details as { findings: Finding[] }).findings;
      expect(findings).toEqual([
        expect.objectContaining({ rule: 'dataset/no-primary-key', file: expect.stringMatching(/notes\.yml$/), line: 5, message: expect.stringContaining('add a primary key (or a unique NOT NULL index)') }),
      ]);
      expect(findings[0]!.message).toContain('an erasure masks its personal-data fields (text)');
      // A rectification of that collection is refused the same way, before any write.
      const rectify = await refusal(run('rectification', ALL, { changes: { 'note.text': 'x' } }));
      expect(rectify.code).toBe('DATASET_INVALID');
      expect(rectify.message).toMatch(/notes\.note \(.*notes\.yml:5\) has no primary key/);
      expect(await snapshot(target, TABLES)).toEqual(before);
    });

    it('access reads a keyless table as any other', async () => {
      const outcome = await run('access', ALL);
      const found = new Map(outcome.collected.collections.map((c) => [c.collection, c.rows]));
      expect(found.get('note')).toEqual([{ customer_id: 1, text: 'prefers morning deliveries' }]);
      expect(found.get('order_item')).toHaveLength(2);
      expect(found.get('visit')).toHaveLength(2);
    });

    it('erasure of the collections it must write, addressed by the table\'s keys; the keyless table without personal data is left as it is', async () => {
      const before = await snapshot(target, TABLES);
      const outcome = await run('erasure', KEYLESS);
      expect(outcome.request.status).toBe('completed');
      const after = await snapshot(target, TABLES);
      // visit: addressed by its unique index, whose email is the person's identity: deleted.
      expect(after.visit!.map((r) => r.email)).toEqual(['customer-2@example.com']);
      expect(after.customer![0]).toMatchObject({ id: 1, name: null });
      expect(after.customer![0]!.email).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(after.customer![1]).toEqual(before.customer![1]);
      for (const table of ['orders', 'order_item', 'note']) expect(after[table], table).toEqual(before[table]);
    });
  });
}
