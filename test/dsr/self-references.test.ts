/**
 * A table whose rows point at each other (a thread of messages, each replying to the one before):
 * erasing a person whose own messages reply to each other, on SQLite, PostgreSQL and MariaDB, with
 * a real foreign key ON DELETE RESTRICT. MariaDB's InnoDB (whatever the action) and SQLite (with
 * RESTRICT) check such a key row by row within one DELETE: the rows go leaves first, one statement
 * per level (src/dsr/erasure/plan-erasure.ts), instead of one statement that the database refuses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import type { Collection, Dataset, DatasetField, Reference } from '../../src/dataset/model.js';
import { runRequest } from '../../src/dsr/run-request.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { TARGETS } from './foreign-schemas/targets.js';
import { openTestConnections } from './open-test-connections.js';

const ANN = 'ann@example.com';
const BOB = 'bob@example.com';
const at = { file: 'forum.yaml', line: 1, column: 1 };
const field = (name: string, extra: Partial<DatasetField> = {}): DatasetField => ({ name, categories: ['system.operations'], primaryKey: false, references: [], readOnly: false, at, ...extra });
const ref: Reference = { dataset: 'forum', collection: 'message', field: 'id', direction: 'to', otherSubject: false, at };
const message: Collection = {
  name: 'message',
  fields: [
    field('id', { primaryKey: true }),
    field('email', { identity: 'email', categories: ['user.contact.email'] }),
    field('body', { categories: ['user.content'] }),
    field('reply_to', { references: [ref] }),
  ],
  erasure: { strategy: 'delete' },
  skip: false,
  after: [],
  eraseAfter: [],
  at,
};
const datasets: Dataset[] = [{ key: 'forum', format: 'opendpo', at, collections: [message] }];

// Ann's thread 1 <- 2 <- 3 <- 4 (each replying to the one before), her message 6 replying to Bob's 5,
// her messages 8 and 9 replying to her own 4 (a thread that branches), and Bob's 7 replying to his 5.
const SCHEMA = `
CREATE TABLE message (id INTEGER PRIMARY KEY, email VARCHAR(100), body VARCHAR(200), reply_to INTEGER,
  CONSTRAINT message_reply FOREIGN KEY (reply_to) REFERENCES message (id) ON DELETE RESTRICT);
INSERT INTO message VALUES (1, '${ANN}', 'first', NULL);
INSERT INTO message VALUES (2, '${ANN}', 'second', 1);
INSERT INTO message VALUES (3, '${ANN}', 'third', 2);
INSERT INTO message VALUES (4, '${ANN}', 'fourth', 3);
INSERT INTO message VALUES (5, '${BOB}', 'bob', NULL);
INSERT INTO message VALUES (6, '${ANN}', 'to bob', 5);
INSERT INTO message VALUES (7, '${BOB}', 'bob again', 5);
INSERT INTO message VALUES (8, '${ANN}', 'fifth', 4);
INSERT INTO message VALUES (9, '${ANN}', 'sixth', 4);
`;

for (const t of TARGETS) {
  const available = await t.available();
  describe.runIf(available)(`the person's messages replying to each other, erased on ${t.name}`, () => {
    let dir: string;
    let store: Store;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'opendpo-self-'));
      store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
    });
    afterAll(async () => {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('are deleted leaves first, one statement per level; the other person\'s messages stay as they were', async () => {
      const target = await t.create(SCHEMA);
      try {
        const outcome = await runRequest({
          kind: 'erasure',
          identities: { email: ANN },
          datasets,
          store,
          connect: () => openTestConnections([{ name: 'forum', type: target.type, url: target.url, datasets: ['forum'] }]),
        });
        expect(outcome.request.status).toBe('completed');
        const left = (await target.rows('message')).map((r) => [Number(r.id), r.email, r.body, r.reply_to === null ? null : Number(r.reply_to)]);
        expect(left).toEqual([
          [5, BOB, 'bob', null],
          [7, BOB, 'bob again', 5],
        ]);
        const deletes = (await store.requests.steps(outcome.request.id)).filter((s) => s.kind === 'delete');
        expect(deletes.map((s) => s.rowsChanged)).toEqual([3, 1, 1, 1, 1]);
        expect(deletes.reduce((n, s) => n + s.rowsChanged, 0)).toBe(7);
      } finally {
        await target.drop();
      }
    });
  });
}
