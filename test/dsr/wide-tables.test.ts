/**
 * A copy reads every column of the person's rows (Art. 15(3)), so a search over wide tables reads
 * thousands of columns: more than one statement may return on SQLite (2,000 by default). The
 * search then reads table by table, and the copy is still complete. On the three databases.
 */
import { describe, expect, it } from 'vitest';
import type { Collection, Dataset, DatasetField, Reference } from '../../src/dataset/model.js';
import { runRequest } from '../../src/dsr/run-request.js';
import type { Store } from '../../src/store/open-store.js';
import { TARGETS, type Target } from './foreign-schemas/targets.js';
import { openTestConnections } from './open-test-connections.js';
import { withTargetAndStore } from './target-and-store.js';

const WIDTH = 700;
const TABLES = ['person', 'visit', 'purchase'];
const extra = Array.from({ length: WIDTH }, (_, i) => `"c${i}" INTEGER`).join(', ');
const SQL = [
  `CREATE TABLE "person" ("id" INTEGER PRIMARY KEY, "email" VARCHAR(100) NOT NULL, ${extra});`,
  `CREATE TABLE "visit" ("id" INTEGER PRIMARY KEY, "person_id" INTEGER NOT NULL, ${extra});`,
  `CREATE TABLE "purchase" ("id" INTEGER PRIMARY KEY, "person_id" INTEGER NOT NULL, ${extra});`,
  `INSERT INTO "person" ("id", "email", "c${WIDTH - 1}") VALUES (1, 'wide@example.com', 42), (2, 'other@example.com', 7);`,
  `INSERT INTO "visit" ("id", "person_id", "c0") VALUES (1, 1, 5), (2, 2, 6);`,
  `INSERT INTO "purchase" ("id", "person_id") VALUES (1, 1);`,
].join('\n');

const at = { file: 'wide.yaml', line: 1, column: 1 };
const field = (name: string, extra: Partial<DatasetField> = {}): DatasetField => ({ name, categories: ['system.operations'], primaryKey: false, references: [], readOnly: false, at, ...extra });
const toPerson: Reference = { dataset: 'wide', collection: 'person', field: 'id', direction: 'from', otherSubject: false, at };
const collection = (name: string, fields: DatasetField[]): Collection => ({ name, fields, erasure: { strategy: 'mask' }, skip: false, after: [], eraseAfter: [], at });
const DATASET: Dataset = {
  key: 'wide',
  format: 'opendpo',
  at,
  collections: [
    collection('person', [field('id', { primaryKey: true }), field('email', { identity: 'email', categories: ['user.contact.email'] })]),
    ...TABLES.slice(1).map((t) => collection(t, [field('id', { primaryKey: true }), field('person_id', { references: [toPerson] })])),
  ],
};

for (const t of TARGETS) {
  describe.runIf(await t.available())(`an access over tables of ${WIDTH} columns in ${t.name}`, () => {
    let target: Target;
    let store: Store;
    withTargetAndStore(() => t.create(SQL), (made) => ({ target, store } = made));

    it('copies every column of the person\'s rows, whatever their number', async () => {
      const outcome = await runRequest({
        kind: 'access',
        identities: { email: 'wide@example.com' },
        datasets: [DATASET],
        store,
        connect: () => openTestConnections([{ name: 'wide', type: target.type, url: target.url, datasets: ['wide'] }]),
      });
      const found = new Map(outcome.collected.collections.map((c) => [c.collection, c]));
      expect(found.get('person')!.fields).toHaveLength(WIDTH + 2);
      expect(found.get('person')!.rows).toEqual([expect.objectContaining({ id: 1, [`c${WIDTH - 1}`]: 42 })]);
      expect(found.get('visit')!.rows).toEqual([expect.objectContaining({ id: 1, c0: 5 })]);
      expect(found.get('purchase')!.rows.map((r) => r.id)).toEqual([1]);
      expect(found.get('purchase')!.fields.filter((f) => !f.declared)).toHaveLength(WIDTH);
    });
  });
}
