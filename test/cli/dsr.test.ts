/**
 * `opendpo dsr ...` as a user runs it: the example shop (examples/acme-shop/datasets, its SQLite
 * database made from seed.sql in a fresh working folder), the CLI spawned as a process.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoStackTrace, ROOT, runCli } from '../helpers/cli.js';

const DATASETS = path.join(ROOT, 'examples/acme-shop/datasets');
const ALICE = 'email=alice.martin@example.com';
let work: string;

function shopRows(table: string): Record<string, unknown>[] {
  const db = new SqliteDatabase(path.join(work, '.opendpo/acme-shop.db'), { readonly: true });
  try {
    return db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

const dsr = (args: string[], env: Record<string, string> = {}) => runCli(['dsr', ...args], { cwd: work, env: { DATABASE_URL: '', ...env }, timeoutMs: 30_000 });

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'opendpo-dsr-cli-'));
  mkdirSync(path.join(work, '.opendpo'));
  const db = new SqliteDatabase(path.join(work, '.opendpo/acme-shop.db'));
  db.exec(readFileSync(path.join(DATASETS, 'seed.sql'), 'utf8'));
  db.close();
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('opendpo dsr on the example shop', () => {
  it('plan prints the graph, what it refuses to follow and the exact statements, and writes nothing', async () => {
    const before = shopRows('customer');
    const r = await dsr(['plan', '--action', 'erase', '--identity', ALICE, '--datasets', DATASETS]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('shop.customer.email  (email)');
    expect(r.stdout).toMatch(/shop\.support_ticket\.agent_id -> shop\.staff\.id {2}\(declared other_subject/);
    expect(r.stdout).toContain('delete from "address" where "id" in (?, ?);  -- 2 parameter(s), 2 row(s) addressed');
    expect(r.stdout).toMatch(/shop\.invoice: 2 row\(s\), legal-hold — Art\. 17\(3\)\(b\)/);
    expect(r.stdout).not.toMatch(/alice|Martin/i);
    expect(shopRows('customer')).toEqual(before);
  });

  it('access writes the package as JSON, HTML and a zip of CSVs', async () => {
    const json = await dsr(['access', '--identity', ALICE, '--datasets', DATASETS, '--out', path.join(work, 'package.json')]);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toMatch(/request [0-9a-f-]{36}: completed/);
    expect(json.stderr).not.toMatch(/alice/i);
    const pkg = JSON.parse(readFileSync(path.join(work, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(pkg)).toContain('12 rue de la République');

    const html = await dsr(['access', '--identity', ALICE, '--datasets', DATASETS, '--out', path.join(work, 'package.html'), '--lang', 'fr']);
    expect(html.code, html.stderr).toBe(0);
    const page = readFileSync(path.join(work, 'package.html'), 'utf8');
    expect(page).toContain('<html lang="fr"');
    expect(page).toContain('Alice');

    const zip = await dsr(['access', '--identity', ALICE, '--datasets', DATASETS, '--out', path.join(work, 'package.zip')]);
    expect(zip.code, zip.stderr).toBe(0);
    const files = unzipSync(readFileSync(path.join(work, 'package.zip')));
    const customerCsv = Object.entries(files).find(([name]) => name.endsWith('customer.csv'));
    expect(customerCsv && strFromU8(customerCsv[1])).toContain('alice.martin@example.com');
  });

  it('export gives only provided and observed data from consent or contract processing', async () => {
    const r = await dsr(['export', '--identity', ALICE, '--datasets', DATASETS, '--out', path.join(work, 'export.json')]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(path.join(work, 'export.json'), 'utf8');
    expect(text).toContain('alice.martin@example.com');
    // loyalty_tier is derived data: not portable (Art. 20), and said so.
    expect(text).toContain('provenance_derived');
  });

  it('erase, then list and show the evidence; nothing personal in it', async () => {
    const r = await dsr(['erase', '--identity', ALICE, '--datasets', DATASETS]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/shop\.invoice: 2 row\(s\) kept — legal hold Art\. 17\(3\)\(b\)/);
    expect(r.stderr).toMatch(/shop\.orders: total_cents kept on 2 row\(s\) — legal hold Art\. 17\(3\)\(b\)/);
    expect(r.stderr).toMatch(/shop\.address: 0 row\(s\) masked, 2 deleted/);
    expect(JSON.stringify(shopRows('customer'))).not.toContain('alice');
    const id = /request ([0-9a-f-]{36})/.exec(r.stderr)![1]!;

    const list = await dsr(['list']);
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+erasure\\s+completed`));
    const show = await dsr(['show', id]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/delete\s+2\s+2 .* shop \/ shop\.address/);
    expect(show.stdout).not.toMatch(/alice|Martin|Lyon/i);
    const missing = await dsr(['show', 'no-such-request']);
    expect(missing.code).toBe(2);
  });

  it('rectify and restrict', async () => {
    const r = await dsr(['rectify', '--identity', 'email=bruno.petit@example.com', '--datasets', DATASETS, '--set', 'customer.last_name=Petit-Dupont']);
    expect(r.code, r.stderr).toBe(0);
    expect(shopRows('customer')[1]).toMatchObject({ first_name: 'Bruno', last_name: 'Petit-Dupont' });
    expect(r.stderr).not.toContain('Petit-Dupont');
    const bad = await dsr(['rectify', '--identity', 'email=bruno.petit@example.com', '--datasets', DATASETS, '--set', 'customer.id=9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('a primary key is not rectified');

    const s = await dsr(['restrict', '--identity', 'email=chloe.durand@example.com', '--datasets', DATASETS]);
    expect(s.code, s.stderr).toBe(0);
    expect(shopRows('newsletter_subscription').map((x) => x.processing_restricted)).toEqual([0, 1, 0]);
  });
});

describe('what bad input gets', () => {
  it('hostile identity values are bound, find nothing and change nothing', async () => {
    const before = shopRows('customer');
    for (const value of [`' OR 1=1; DROP TABLE customer; --`, 'Robert"); DELETE FROM orders;--', 'ünïcødé@例え.jp', '\u202Eadmin@example.com']) {
      const r = await dsr(['erase', '--identity', `email=${value}`, '--datasets', DATASETS]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('found 0 row(s)');
      expectNoStackTrace(r.stderr);
    }
    expect(shopRows('customer')).toEqual(before);
    expect(shopRows('orders')).toHaveLength(4);
  });

  it('an identity of 10,000 characters, an empty one, or a malformed option is refused before anything runs', async () => {
    const long = await dsr(['access', '--identity', `email=${'a'.repeat(10_000)}`, '--datasets', DATASETS]);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('is 10000 characters long; at most 1024');
    const empty = await dsr(['access', '--identity', 'email=', '--datasets', DATASETS]);
    expect(empty.code).toBe(2);
    const noEq = await dsr(['access', '--identity', 'alice', '--datasets', DATASETS]);
    expect(noEq.code).toBe(2);
    const unknownType = await dsr(['access', '--identity', 'passport=X1', '--datasets', DATASETS]);
    expect(unknownType.code).toBe(2);
    expect(unknownType.stderr).toContain('the datasets declare: email, phone_number');
    for (const r of [long, empty, noEq, unknownType]) expectNoStackTrace(r.stderr);
    // Only the last one got as far as a request (recorded as failed, for the audit trail).
    const list = (await dsr(['list'])).stdout.trim().split('\n');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(/access\s+failed .* INVALID_INPUT/);
  });

  it('a dataset naming a missing column is refused with its file:line before any write', async () => {
    const copy = path.join(work, 'datasets');
    cpSync(DATASETS, copy, { recursive: true });
    writeFileSync(path.join(copy, 'connections.yaml'), 'connections:\n  - name: shop\n    type: sqlite\n    url: sqlite:.opendpo/acme-shop.db\n    datasets: [shop]\n');
    const yaml = readFileSync(path.join(copy, 'shop.yaml'), 'utf8').replace('- name: delivery_note', '- name: delivery_notes');
    writeFileSync(path.join(copy, 'shop.yaml'), yaml);
    const line = yaml.split('\n').findIndex((l) => l.includes('delivery_notes')) + 1;
    const before = shopRows('customer');
    const r = await dsr(['erase', '--identity', ALICE, '--datasets', copy]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`shop.yaml:${line}`);
    expect(r.stderr).toContain('Column "delivery_notes" does not exist in table "orders"');
    expect(r.stderr).toContain('nothing was read or written');
    expectNoStackTrace(r.stderr);
    expect(shopRows('customer')).toEqual(before);
  });

  it('a database that cannot be reached stops the request in a retryable state; the same command then completes it', async () => {
    const copy = path.join(work, 'datasets');
    cpSync(DATASETS, copy, { recursive: true });
    const connections = (url: string) => `register: ${path.join(ROOT, 'examples/acme-shop')}\nconnections:\n  - name: shop\n    type: sqlite\n    url: ${url}\n    datasets: [shop]\n`;
    writeFileSync(path.join(copy, 'connections.yaml'), connections('sqlite:missing-folder/shop.db'));
    const down = await dsr(['erase', '--identity', ALICE, '--datasets', copy]);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('shop (sqlite missing-folder/shop.db)');
    expect(down.stderr).toContain('run the same command again to resume it');
    expectNoStackTrace(down.stderr);
    const id = /request ([0-9a-f-]{36})/.exec(down.stderr)![1]!;
    expect((await dsr(['list'])).stdout).toMatch(new RegExp(`${id}\\s+erasure\\s+failed`));

    writeFileSync(path.join(copy, 'connections.yaml'), connections('sqlite:.opendpo/acme-shop.db'));
    const again = await dsr(['erase', '--identity', ALICE, '--datasets', copy]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`request ${id}: completed`);
    expect(JSON.stringify(shopRows('customer'))).not.toContain('alice');
  });
});
