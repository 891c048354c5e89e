/**
 * `opendpo dataset generate` as a user runs it: from the example shop database to a dataset file,
 * which a request then runs on unchanged.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoStackTrace, ROOT, runCli } from '../helpers/cli.js';

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'opendpo-generate-cli-'));
  const db = new SqliteDatabase(path.join(work, 'shop.db'));
  db.exec(readFileSync(path.join(ROOT, 'examples/acme-shop/datasets/seed.sql'), 'utf8'));
  db.close();
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: work, env: { DATABASE_URL: '', ...env }, timeoutMs: 30_000 });

describe('opendpo dataset generate', () => {
  it('writes a dataset a request runs on, with the staff reference flagged as another person', async () => {
    mkdirSync(path.join(work, 'datasets'));
    const out = path.join(work, 'datasets/shop.yaml');
    const r = await cli(['dataset', 'generate', '--url-env', 'SHOP_URL', '--key', 'shop', '--out', out], { SHOP_URL: 'sqlite:shop.db' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote .*shop\.yaml: 10 collections .* confirm 1 reference\(s\) to other people/);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toMatch(/- name: agent_id[\s\S]*?other_subject: true/);

    writeFileSync(path.join(work, 'datasets/connections.yaml'), 'connections:\n  - name: shop\n    type: sqlite\n    url: sqlite:shop.db\n    datasets: [shop]\n');
    const plan = await cli(['dsr', 'plan', '--identity', 'email=alice.martin@example.com', '--datasets', path.join(work, 'datasets')]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('shop.orders: 2');
    expect(plan.stdout).toContain('shop.support_ticket.agent_id -> shop.staff.id');

    const again = await cli(['dataset', 'generate', '--url', 'sqlite:shop.db', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
  });

  it('needs one of --url and --url-env, and names what is wrong without a stack trace', async () => {
    const neither = await cli(['dataset', 'generate']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('--url URL or --url-env VARIABLE');
    const unset = await cli(['dataset', 'generate', '--url-env', 'NOT_SET_ANYWHERE']);
    expect(unset.code).toBe(2);
    const refused = await cli(['dataset', 'generate', '--url', 'postgres://app:s3cret@127.0.0.1:1/shop']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).not.toContain('s3cret');
    for (const x of [neither, unset, refused]) expectNoStackTrace(x.stderr);
  });
});
