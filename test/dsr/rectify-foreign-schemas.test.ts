/**
 * Rectification on a schema nobody here designed (the Sakila-like rental shop of
 * test/dsr/foreign-schemas, its generated dataset), on SQLite, PostgreSQL and MariaDB: a row another
 * person shares with the person (Patricia paid the late fee of Mary's rental) cannot be targeted
 * with --where, and the person's own payment is kept as an accounting record, with the date its
 * hold ends worked out from the payment date.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDatasetsOrThrow } from '../../src/dataset/load-datasets.js';
import type { Dataset } from '../../src/dataset/model.js';
import { runRequest } from '../../src/dsr/run-request.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';
import type { Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { TARGETS, type Target } from './foreign-schemas/targets.js';
import { openTestConnections } from './open-test-connections.js';
import { withTargetAndStore } from './target-and-store.js';

const FOLDER = path.join(ROOT, 'test/dsr/foreign-schemas/sakila');
const SQL = readFileSync(path.join(FOLDER, 'schema.sql'), 'utf8');
const { datasets } = await loadDatasetsOrThrow(FOLDER);
const MARY = { email: 'MARY.SMITH@sakilacustomer.org' };

for (const t of TARGETS) {
  describe.runIf(await t.available())(`rectification on the Sakila-like schema in ${t.name}`, () => {
    let target: Target;
    let store: Store;
    withTargetAndStore(() => t.create(SQL), (made) => ({ target, store } = made));
    const refusal = async (where: string) => {
      try {
        await runRequest({
          kind: 'rectification',
          identities: MARY,
          datasets: datasets as Dataset[],
          store,
          connect: () => openTestConnections([{ name: 'sakila', type: target.type, url: target.url, datasets: ['sakila'] }]),
          changes: { 'payment.last_update': '2001-01-01' },
          where: { 'payment.payment_id': [where] },
        });
      } catch (err) {
        if (isOpendpoError(err)) return { code: err.code, message: err.message };
        throw err;
      }
      throw new Error('the rectification was expected to be refused');
    };

    it('refuses a payment another customer made on the person\'s rental, and holds the person\'s own payments', async () => {
      const before = await target.rows('payment');
      const shared = await refusal('4');
      expect(shared.code).toBe('REQUEST_REFUSED');
      expect(shared.message).toContain("sakila.payment: 1 row(s) --where names is shared with another person (records outside the request lead to it); only the person's own rows are rectified");

      const own = await refusal('1');
      expect(own.code).toBe('REQUEST_REFUSED');
      expect(own.message).toContain(
        "sakila.payment.last_update is under a legal hold on 1 of the person's row(s) (Art. 17(3)(b): Payments are accounting records, kept 10 years (Code de commerce, art. L123-22)), until 2034-05-25",
      );
      expect(await target.rows('payment')).toEqual(before);
    });
  });
}
