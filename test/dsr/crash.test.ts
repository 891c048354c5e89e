/**
 * `kill -9` of a real `opendpo dsr erase` process at the points that matter, and two processes on
 * the same request, on a SQLite CRM and a PostgreSQL billing database, with the store on SQLite
 * and on PostgreSQL. The process kills itself (SIGKILL, as `kill -9`: no clean-up, nothing
 * flushed, its lease left behind) through the OPENDPO_TEST_FAULT hook, right after a database's
 * commit and before the evidence says so, or just before the commit; or it stops there and the
 * test kills it. Each time the rows really changed are counted in the databases and compared with
 * the evidence the resumed request gives.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EvidenceSummary } from '../../src/dsr/request-lifecycle.js';
import type { DsrStep } from '../../src/store/dsr-repository.js';
import { expectNoStackTrace, runCli, startCli } from '../helpers/cli.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';
import { createThrowawayPostgres, type ThrowawayDatabase } from '../store/throwaway-postgres.js';

const PAYMENTS = 2000;
const PERSON = 'email=p@example.com';

const CRM = `dataset:
  key: crm
  collections:
    - name: contact
      subject: customer
      fields:
        - { name: id, primary_key: true, categories: [user.unique_id] }
        - { name: email, categories: [user.contact.email], identity: email }
        - { name: name, categories: [user.name] }
`;
const BILLING = `dataset:
  key: billing
  collections:
    - name: account
      fields:
        - { name: id, primary_key: true, categories: [system.operations] }
        - name: contact_id
          categories: [user.unique_id]
          references: [{ dataset: crm, field: contact.id, direction: from }]
        - { name: holder, categories: [user.name] }
    - name: payment
      erasure: delete
      fields:
        - { name: id, primary_key: true, categories: [system.operations] }
        - name: account_id
          categories: [system.operations]
          references: [{ field: account.id, direction: from }]
        - { name: card, categories: [user.financial] }
`;

describe.each([
  { store: sqliteCase(), kill: 'after-commit' as const },
  { store: postgresCase(), kill: 'before-commit' as const },
])('a real process killed at $kill, with the store on $store.name', ({ store: storeCase, kill }) => {
  let work: string;
  let billing: ThrowawayDatabase;
  let env: Record<string, string>;

  beforeEach(async () => {
    if (!storeCase.available) return;
    work = mkdtempSync(path.join(tmpdir(), 'opendpo-crash-'));
    billing = await createThrowawayPostgres();
    const client = new pg.Client({ connectionString: billing.url });
    await client.connect();
    await client.query(`
      CREATE TABLE account (id INT PRIMARY KEY, contact_id INT, holder TEXT);
      CREATE TABLE payment (id INT PRIMARY KEY, account_id INT NOT NULL REFERENCES account (id), card TEXT);
      INSERT INTO account VALUES (10, 1, 'Paula Person'), (20, 2, 'Quentin Other');
      INSERT INTO payment SELECT g, 10, 'card ' || g FROM generate_series(1, ${PAYMENTS}) g;
      INSERT INTO payment VALUES (${PAYMENTS + 1}, 20, 'card q');`);
    await client.end();
    const crm = new SqliteDatabase(path.join(work, 'crm.db'));
    crm.exec(`CREATE TABLE contact (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
      INSERT INTO contact VALUES (1, 'p@example.com', 'Paula Person'), (2, 'q@example.com', 'Quentin Other');`);
    crm.close();
    mkdirSync(path.join(work, 'datasets'));
    writeFileSync(path.join(work, 'datasets/crm.yaml'), CRM);
    writeFileSync(path.join(work, 'datasets/billing.yaml'), BILLING);
    // The work log runs connections in name order: billing, then crm.
    writeFileSync(
      path.join(work, 'datasets/connections.yaml'),
      `connections:
  - { name: billing, type: postgres, url: "${billing.url}", datasets: [billing] }
  - { name: crm, type: sqlite, url: "sqlite:crm.db", datasets: [crm] }
`,
    );
    const location = await storeCase.setUp();
    env = { DATABASE_URL: location.kind === 'sqlite' ? `sqlite:${location.file}` : location.url, OPENDPO_DSR_LEASE_SECONDS: '2' };
  });
  afterEach(async () => {
    if (!storeCase.available) return;
    await storeCase.tearDown();
    await billing?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  const dsr = (args: string[], extra: Record<string, string> = {}) => runCli(['dsr', ...args], { cwd: work, env: { ...env, ...extra }, timeoutMs: 60_000 });
  const erase = ['erase', '--identity', PERSON, '--datasets', 'datasets'];

  async function payments(): Promise<number> {
    const client = new pg.Client({ connectionString: billing.url });
    await client.connect();
    try {
      return Number((await client.query('SELECT count(*) AS n FROM payment WHERE account_id = 10')).rows[0].n);
    } finally {
      await client.end();
    }
  }
  const contactName = () => {
    const crm = new SqliteDatabase(path.join(work, 'crm.db'), { readonly: true });
    try {
      return (crm.prepare('SELECT name FROM contact WHERE id = 1').get() as { name: string | null }).name;
    } finally {
      crm.close();
    }
  };
  async function evidence(id: string): Promise<{ summary: EvidenceSummary; steps: DsrStep[] }> {
    const show = await dsr(['show', id, '--json']);
    expect(show.code, show.stderr).toBe(0);
    const parsed = JSON.parse(show.stdout) as { request: { summary: EvidenceSummary }; steps: DsrStep[] };
    return { summary: parsed.request.summary, steps: parsed.steps };
  }
  /** `dsr list` until it shows the request as `status` (a lease takes up to its length to expire). */
  async function listedAs(status: RegExp): Promise<string> {
    for (let tries = 0; ; tries++) {
      const list = await dsr(['list']);
      if (status.test(list.stdout) || tries === 10) return list.stdout;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it.runIf(storeCase.available)('kill -9, then the same command: the evidence counts exactly the rows the databases changed', { timeout: 240_000 }, async () => {
    const before = await payments();
    const killed = await dsr(erase, { OPENDPO_TEST_FAULT: `kill:${kill}:billing` });
    expect(killed.code).toBeNull();
    const id = /^([0-9a-f-]{36})\s+erasure/m.exec((await dsr(['list'])).stdout)?.[1] ?? '';
    expect(id).not.toBe('');
    // Killed before the commit: PostgreSQL rolled the transaction back when the connection died.
    expect(await payments()).toBe(kill === 'after-commit' ? 0 : before);
    expect(contactName()).toBe('Paula Person');
    expect(await listedAs(/interrupted \(resumable\)/)).toMatch(new RegExp(`${id}\\s+erasure\\s+interrupted \\(resumable\\)`));

    const resumed = await dsr(erase);
    expect(resumed.code, resumed.stderr).toBe(0);
    expectNoStackTrace(resumed.stderr);
    expect(resumed.stderr).toContain(`request ${id}: completed`);
    expect(resumed.stderr).toContain(`billing.payment: 0 row(s) masked, ${PAYMENTS} deleted`);
    const after = await payments();
    expect(after).toBe(0);
    expect(contactName()).toBeNull();

    const { summary, steps } = await evidence(id);
    const deleted = summary.written.find((w) => w.collection === 'billing.payment' && w.kind === 'delete');
    expect(deleted?.rows).toBe(before - after);
    expect(summary).toMatchObject({ attempts: 2, unconfirmed: 0 });
    const verdict = steps.find((s) => s.kind === 'commit' && s.attempt === 2 && s.connection === 'billing');
    expect(verdict?.note).toBe(kill === 'after-commit' ? "attempt 1's writes committed (verified at attempt 2)" : "attempt 1's writes rolled back (verified at attempt 2)");
    // dsr show marks the writes that did not commit.
    const shown = (await dsr(['show', id])).stdout;
    expect(shown).not.toContain('[commit not confirmed]');
    if (kill === 'before-commit') expect(shown).toMatch(/ 1 delete .* billing \/ billing\.payment {2}\[rolled back\]\n/);
    else expect(shown).not.toContain('[rolled back]');
    // The deletes were attempted once when the kill came after the commit, twice when before.
    expect(steps.filter((s) => s.kind === 'delete').map((s) => [s.attempt, s.rowsChanged])).toEqual(
      kill === 'after-commit' ? [[1, PAYMENTS]] : [[1, PAYMENTS], [2, PAYMENTS]],
    );
  });

  it.runIf(storeCase.available)('a second process on the same request is refused naming the first; after a kill -9 of the first, the lease expires and the request resumes', { timeout: 240_000 }, async () => {
    const first = startCli(['dsr', ...erase], { cwd: work, env: { ...env, OPENDPO_TEST_FAULT: 'hang:after-commit:billing' } });
    try {
      await first.waitFor(/test hook: stopped at after-commit on billing/);
      const second = await dsr(erase);
      expect(second.code).toBe(4);
      expectNoStackTrace(second.stderr);
      expect(second.stderr).toMatch(new RegExp(`is being run by process ${first.pid} on ${hostname()} since \\d{4}-`));
      expect((await dsr(['list'])).stdout).toMatch(/erasure\s+running\s/);
    } finally {
      first.kill('SIGKILL');
    }
    expect((await first.done).signal).toBe('SIGKILL');
    expect(await listedAs(/interrupted \(resumable\)/)).toMatch(/erasure\s+interrupted \(resumable\)\s/);

    const resumed = await dsr(erase);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await payments()).toBe(0);
    const id = /request ([0-9a-f-]{36})/.exec(resumed.stderr)![1]!;
    const { summary, steps } = await evidence(id);
    // Not doubled, not lost: the payments deleted once, by attempt 1, confirmed by attempt 2.
    expect(summary.written.find((w) => w.collection === 'billing.payment')?.rows).toBe(PAYMENTS);
    expect(steps.filter((s) => s.kind === 'start').map((s) => s.attempt)).toEqual([1, 2]);
  });
});
