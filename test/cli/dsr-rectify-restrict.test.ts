/**
 * `opendpo dsr rectify`, `restrict`, `restrictions` and `unrestrict` as a user runs them, on the
 * example shop (a SQLite database made from seed.sql in a fresh working folder), the CLI spawned.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoStackTrace, ROOT, runCli } from '../helpers/cli.js';

const DATASETS = path.join(ROOT, 'examples/acme-shop/datasets');
const CHLOE = 'email=chloe.durand@example.com';
let work: string;

function shopRows(table: string): Record<string, unknown>[] {
  const db = new SqliteDatabase(path.join(work, '.opendpo/acme-shop.db'), { readonly: true });
  try {
    return db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

const dsr = (args: string[]) => runCli(['dsr', ...args], { cwd: work, env: { DATABASE_URL: '' }, timeoutMs: 30_000 });
const today = () => new Date().toISOString().slice(0, 10);

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'opendpo-dsr-rr-'));
  mkdirSync(path.join(work, '.opendpo'));
  const db = new SqliteDatabase(path.join(work, '.opendpo/acme-shop.db'));
  db.exec(readFileSync(path.join(DATASETS, 'seed.sql'), 'utf8'));
  db.close();
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('rectification (Art. 16)', () => {
  it('dry run, refusal of a held field, a row targeted by key, and a request that changes nothing', async () => {
    const ALICE = 'email=alice.martin@example.com';
    const before = shopRows('address');
    const plan = await dsr(['plan', '--action', 'rectify', '--identity', ALICE, '--datasets', DATASETS, '--set', 'address.postal_code=69003', '--where', 'address.id=1', '--set', 'invoice.billing_name=A. Martin']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Would change (the person\'s own rows only):\n  nothing: the rectification is refused (below)');
    expect(plan.stdout).toContain("shop.invoice.billing_name is under a legal hold on 2 of the person's row(s) (Art. 17(3)(b)");
    expect(plan.stdout).not.toMatch(/69003|A\. Martin/);
    expect(shopRows('address')).toEqual(before);

    const refused = await dsr(['rectify', '--identity', ALICE, '--datasets', DATASETS, '--set', 'address.postal_code=69003', '--where', 'address.id=1', '--set', 'invoice.billing_name=A. Martin']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('rectification refused, nothing was written: shop.invoice.billing_name is under a legal hold');
    expectNoStackTrace(refused.stderr);
    expect(shopRows('address')).toEqual(before);

    const done = await dsr(['rectify', '--identity', ALICE, '--datasets', DATASETS, '--set', 'address.postal_code=69003', '--where', 'address.id=1']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain('shop.address: 1 row(s) rectified (rectified fields: postal_code)');
    expect(shopRows('address').map((a) => a.postal_code)).toEqual(['69003', '69290', '75019', '33000']);

    const again = await dsr(['rectify', '--identity', ALICE, '--datasets', DATASETS, '--set', 'address.postal_code=69003', '--where', 'address.id=1']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/request [0-9a-f-]{36}: completed, nothing changed/);
    expect(again.stderr).toContain("nothing changed in shop.address (postal_code): the person's 1 row(s) already hold the values given");
  }, 180_000);
});

describe('restriction of processing (Art. 18)', () => {
  it('lists the restrictions in force without identities, and lifts one only with the acknowledgement that the person was told', async () => {
    const made = await dsr(['restrict', '--identity', CHLOE, '--datasets', DATASETS]);
    expect(made.code, made.stderr).toBe(0);
    const id = /request ([0-9a-f-]{36})/.exec(made.stderr)![1]!;

    const listed = await dsr(['restrictions']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`${id}  since `);
    expect(listed.stdout).toContain('identity types: email');
    expect(listed.stdout).toContain('shop / shop.newsletter_subscription: 1 row(s) flagged');
    expect(listed.stdout).not.toMatch(/chloe/i);

    // Art. 18(3): told before the lifting, so not on a date still to come.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const early = await dsr(['unrestrict', id, '--person-informed', tomorrow, '--informed-by', 'email', '--by', 'DPO', '--datasets', DATASETS]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('the person must be told before the restriction is lifted (Art. 18(3))');
    expectNoStackTrace(early.stderr);

    expect(shopRows('newsletter_subscription').map((x) => x.processing_restricted)).toEqual([0, 1, 0]);
    const lifted = await dsr(['unrestrict', id, '--person-informed', today(), '--informed-by', 'letter', '--by', 'DPO', '--datasets', DATASETS]);
    expect(lifted.code, lifted.stderr).toBe(0);
    expect(lifted.stderr).toContain(`restriction of request ${id} lifted`);
    // The flag it set is cleared on the row it flagged (the dataset declares lifted_value: false).
    expect(lifted.stderr).toContain('shop / shop.newsletter_subscription: restriction flag cleared: processing_restricted on 1 of 1 row(s)');
    expect(shopRows('newsletter_subscription').map((x) => x.processing_restricted)).toEqual([0, 0, 0]);

    const after = await dsr(['restrictions', '--json']);
    expect(JSON.parse(after.stdout)).toEqual([]);
    const evidence = await dsr(['show', id]);
    expect(evidence.stdout).toMatch(/unflag .* shop \/ shop\.newsletter_subscription {2}restriction flag cleared: processing_restricted on 1 of 1 row\(s\)/);
    expect(evidence.stdout).toMatch(new RegExp(`unrestrict .* restriction lifted by DPO; the person was informed on ${today()} by letter \\(Art\\. 18\\(3\\)\\)`));
  }, 120_000);

  it('leaves the flag and says so when the dataset declares no lifted_value', async () => {
    const copy = path.join(work, 'datasets');
    cpSync(DATASETS, copy, { recursive: true });
    writeFileSync(path.join(copy, 'connections.yaml'), 'connections:\n  - name: shop\n    type: sqlite\n    url: sqlite:.opendpo/acme-shop.db\n    datasets: [shop]\n');
    writeFileSync(path.join(copy, 'shop.yaml'), readFileSync(path.join(copy, 'shop.yaml'), 'utf8').replace(', lifted_value: false }', ' }'));
    const made = await dsr(['restrict', '--identity', CHLOE, '--datasets', copy]);
    expect(made.code, made.stderr).toBe(0);
    const id = /request ([0-9a-f-]{36})/.exec(made.stderr)![1]!;
    const lifted = await dsr(['unrestrict', id, '--person-informed', today(), '--informed-by', 'email', '--by', 'DPO', '--datasets', copy]);
    expect(lifted.code, lifted.stderr).toBe(0);
    expect(lifted.stderr).toContain(
      'warning: shop / shop.newsletter_subscription: the restriction flag set on 1 row(s) is left as it is: its restriction_flag declares no lifted_value (docs/dataset-format.md#restriction); clear it in that system',
    );
    expect(shopRows('newsletter_subscription').map((x) => x.processing_restricted)).toEqual([0, 1, 0]);
  }, 60_000);

  it('warns when no collection of the datasets has a restriction flag: the restriction is only recorded', async () => {
    const copy = path.join(work, 'datasets');
    cpSync(DATASETS, copy, { recursive: true });
    writeFileSync(path.join(copy, 'connections.yaml'), 'connections:\n  - name: shop\n    type: sqlite\n    url: sqlite:.opendpo/acme-shop.db\n    datasets: [shop]\n');
    const yaml = readFileSync(path.join(copy, 'shop.yaml'), 'utf8').replace(/\n\s*restriction_flag: .*\n/, '\n');
    writeFileSync(path.join(copy, 'shop.yaml'), yaml);
    const r = await dsr(['restrict', '--identity', CHLOE, '--datasets', copy]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("warning: no collection of the datasets declares a restriction_flag: the restriction is recorded in opendpo's store only");
    expect(shopRows('newsletter_subscription').map((x) => x.processing_restricted)).toEqual([0, 0, 0]);
  }, 60_000);
});
