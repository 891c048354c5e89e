/**
 * Partitions are part of their table. PostgreSQL: old-style monthly partitions (inheritance
 * children, often empty and without a key) and declarative partitions are described through
 * their parent, so an erasure with the generated dataset runs (a keyless child collection used
 * to stop every erasure: "no primary key"). MariaDB: a partitioned table is one table already.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetGenerate } from '../../src/cli/commands/dataset-generate.js';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { loadDatasets } from '../../src/dataset/load-datasets.js';
import { runRequest } from '../../src/dsr/run-request.js';
import { openStore } from '../../src/store/open-store.js';
import { createThrowawayMariadb } from '../connectors/throwaway-mariadb.js';
import { openTestConnections } from '../dsr/open-test-connections.js';
import { MARIADB_URL, POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { createThrowawayPostgres } from '../store/throwaway-postgres.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.runIf(await serviceAvailable('PostgreSQL', POSTGRES_URL))('partitions on PostgreSQL', () => {
  it('describes inheritance children and declarative partitions through their parent, and an erasure runs', async () => {
    const db = await createThrowawayPostgres();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(`
        create table customer (id int primary key, email text not null);
        create table visit (id int primary key, customer_id int not null references customer (id), visited_at timestamp not null, ip_address text);
        create table visit_2024_01 (check (visited_at >= '2024-01-01' and visited_at < '2024-02-01')) inherits (visit);
        create table visit_2024_02 (note text) inherits (visit);
        create table payment (id int not null, customer_id int not null, amount numeric(10,2), paid_on date not null, primary key (id, paid_on)) partition by range (paid_on);
        create table payment_2024 partition of payment for values from ('2024-01-01') to ('2025-01-01');
        insert into customer values (1, 'ada@example.com'), (2, 'grace@example.com');
        insert into visit_2024_01 values (10, 1, '2024-01-05 10:00', '192.0.2.1'), (11, 2, '2024-01-06 10:00', '192.0.2.2');
        insert into payment values (20, 1, 12.50, '2024-03-01'), (21, 2, 99.00, '2024-03-02');`);

      const { dataset, yaml } = await datasetGenerate({ url: db.url, key: 'shop' });
      expect(dataset.collections.map((c) => c.name).sort()).toEqual(['customer', 'payment', 'visit']);
      expect(dataset.skipped).toEqual([
        'visit_2024_01: inherits from visit, whose statements read and change its rows too',
        'visit_2024_02: inherits from visit, whose statements read and change its rows too; its own columns (note) are not read through visit: describe them by hand if they hold personal data',
      ]);
      expect(yaml).toContain('#   visit_2024_01: inherits from visit');
      expect(yaml).toMatch(/name: visited_at\n.*\n\s+read_only: true # suggested: NOT NULL and no text: an erasure leaves it as it is/);

      const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-partitions-'));
      dirs.push(dir);
      writeFileSync(path.join(dir, 'shop.yaml'), yaml);
      const loaded = await loadDatasets(dir);
      expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
      const store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
      try {
        const connect = () => openTestConnections([{ name: 'shop', type: 'postgres', url: db.url, datasets: ['shop'] }]);
        const outcome = await runRequest({ kind: 'erasure', identities: { email: 'ada@example.com' }, datasets: loaded.datasets, store, connect });
        expect(outcome.request.status).toBe('completed');
      } finally {
        await store.close();
      }
      // The child's and the partition's rows were reached through their parent: Ada's gone, Grace's
    // kept; the NOT NULL visit date is kept (read_only, said in the dataset), the check holds.
      const visits = await client.query<{ id: number; ip_address: string | null }>('select id, ip_address from visit_2024_01 order by id');
      expect(visits.rows).toEqual([
        { id: 10, ip_address: null },
        { id: 11, ip_address: '192.0.2.2' },
      ]);
      const payments = await client.query<{ id: number; amount: string }>('select id, amount::text as amount from payment_2024 order by id');
      expect(payments.rows.map((r) => r.amount)).toEqual([null, '99.00']);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});

describe.runIf(await serviceAvailable('MariaDB', MARIADB_URL))('partitions on MariaDB', () => {
  it('reads a partitioned table as one table', async () => {
    const db = await createThrowawayMariadb();
    try {
      await db.exec(`create table visit (id int not null, email varchar(100), visited_on date not null, primary key (id, visited_on))
        partition by range (year(visited_on)) (partition p2023 values less than (2024), partition p2024 values less than (2025), partition pmax values less than maxvalue)`);
      const { dataset } = await datasetGenerate({ url: db.url, key: 'log' });
      expect(dataset.collections.map((c) => c.name)).toEqual(['visit']);
      expect(dataset.skipped).toEqual([]);
    } finally {
      await db.drop();
    }
  });
});
