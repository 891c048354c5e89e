/**
 * A connector kept between requests (the server's worker) keeps its introspection while the
 * database's catalogue is unchanged, and reads it again as soon as a column, a table or a key
 * changes — on SQLite, PostgreSQL and MariaDB, changed by another connection as an application
 * would: a request never runs on a stale picture of the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabaseConnector } from '../../src/connectors/open-database-connector.js';
import type { SqlConnector } from '../../src/connectors/sql/sql-connector.js';
import { TARGETS, type Target } from '../dsr/shop-targets.js';

const columnsOf = async (connector: SqlConnector, table: string) => (await connector.introspect()).find((t) => t.name === table)?.columns.map((c) => c.name) ?? [];

for (const t of TARGETS) {
  describe.runIf(await t.available())(`the kept catalogue on ${t.name}`, () => {
    let target: Target;
    let connector: SqlConnector;
    beforeAll(async () => {
      target = await t.create();
      connector = await openDatabaseConnector({ name: 'shop', type: target.type, url: target.url });
      connector.keepCatalogues();
    });
    afterAll(async () => {
      await connector?.close();
      await target?.drop();
    });

    it('gives the same tables while nothing changes, a copy the caller may change', async () => {
      const first = await connector.introspect();
      first.push({ name: 'not-a-table', columns: [], primaryKey: [], foreignKeys: [] } as unknown as (typeof first)[number]);
      first[0]!.columns.length = 0;
      const second = await connector.introspect();
      expect(second.some((s) => s.name === 'not-a-table')).toBe(false);
      expect(second[0]!.columns.length).toBeGreaterThan(0);
      const reads = connector.catalogueReads;
      expect(second).toEqual(await connector.introspect());
      expect(connector.catalogueReads).toBe(reads);
    });

    it('reads the catalogue again when a column is added, renamed or dropped, or a table is created', async () => {
      expect(await columnsOf(connector, 'customer')).not.toContain('referral_code');
      const reads = connector.catalogueReads;
      await target.exec('alter table customer add column referral_code varchar(20)');
      expect(await columnsOf(connector, 'customer')).toContain('referral_code');
      expect(connector.catalogueReads).toBe(reads + 1);
      expect(await columnsOf(connector, 'customer')).toContain('referral_code');
      expect(connector.catalogueReads).toBe(reads + 1);
      await target.exec('alter table customer rename column referral_code to referral_ref');
      const renamed = await columnsOf(connector, 'customer');
      expect(renamed).toContain('referral_ref');
      expect(renamed).not.toContain('referral_code');
      await target.exec('alter table customer drop column referral_ref');
      expect(await columnsOf(connector, 'customer')).not.toContain('referral_ref');
      await target.exec('create table gift_card (id integer primary key, customer_id integer references customer(id), code varchar(20))');
      const gift = (await connector.introspect()).find((s) => s.name === 'gift_card');
      expect(gift?.primaryKey).toEqual(['id']);
      expect(gift?.foreignKeys.map((f) => f.references.name)).toEqual(['customer']);
    });

    it('sees a foreign key added to a table it kept', async () => {
      await target.exec('create table voucher (id integer primary key, customer_id integer)');
      expect((await connector.introspect()).find((s) => s.name === 'voucher')?.foreignKeys).toEqual([]);
      if (target.type === 'sqlite') return; // SQLite cannot add a foreign key to a table
      await target.exec('alter table voucher add constraint voucher_customer foreign key (customer_id) references customer(id)');
      expect((await connector.introspect()).find((s) => s.name === 'voucher')?.foreignKeys.map((f) => f.references.name)).toEqual(['customer']);
    });
  });
}
