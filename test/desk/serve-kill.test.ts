/**
 * `opendpo serve` killed (SIGKILL) in the middle of an erasure its worker runs, then started again:
 * the request completes, once, with its evidence whole. A real server process, a real SQLite store
 * and shop database, requests made over HTTP with a token made by the CLI.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';

const EXAMPLE = path.join(ROOT, 'examples/acme-shop/datasets');
const ORG = 'acme-boutique';

type Server = ServeProcess;

let dir: string;
let env: Record<string, string>;

const startServer = (extra: Record<string, string> = {}) => startServe({ ...env, ...extra });

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'opendpo-serve-kill-'));
  const shop = path.join(dir, 'shop.db');
  const db = new SqliteDatabase(shop);
  db.exec(readFileSync(path.join(EXAMPLE, 'seed.sql'), 'utf8'));
  db.close();
  const datasets = path.join(dir, 'datasets');
  mkdirSync(datasets);
  copyFileSync(path.join(EXAMPLE, 'shop.yaml'), path.join(datasets, 'shop.yaml'));
  writeFileSync(
    path.join(datasets, 'connections.yaml'),
    `register: ${path.join(ROOT, 'examples/acme-shop')}\nconnections:\n  - name: shop\n    type: sqlite\n    url: sqlite:${shop}\n    datasets: [shop]\n`,
  );
  env = {
    NO_COLOR: '1',
    DATABASE_URL: `sqlite:${path.join(dir, 'store.db')}`,
    OPENDPO_DATASETS: datasets,
    OPENDPO_PACKAGE_DIR: path.join(dir, 'packages'),
    OPENDPO_PACKAGE_KEY: randomBytes(32).toString('base64'),
    OPENDPO_DSR_LEASE_SECONDS: '1',
    OPENDPO_LOG_LEVEL: 'info',
  };
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('opendpo serve killed mid-erasure', () => {
  it('completes the request once started again, with the audit chain whole', async () => {
    // The first server dies (SIGKILL, from the engine's test hook) after the erasure's first statement, before its commit.
    const first = await startServer({ OPENDPO_TEST_FAULT: 'kill:after-statement' });
    const made = await runCli(['user', 'token', '--name', 'kill test', '--role', 'dpo', '--organisation', ORG], { env });
    expect(made.code, made.stderr).toBe(0);
    const auth = { authorization: `Bearer ${made.stdout.trim()}`, 'content-type': 'application/json' };
    const api = (server: Server) => `${server.url}/api/v1/organisations/${ORG}`;
    const submitted = await fetch(`${api(first)}/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identities: [{ type: 'email', value: 'bruno.petit@example.com' }], details: { type: 'erasure' } }),
    });
    expect(submitted.status).toBe(201);
    const { request } = (await submitted.json()) as { request: { id: string } };
    const act = (server: Server, action: string, body: unknown) => fetch(`${api(server)}/desk/requests/${request.id}/${action}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    expect((await act(first, 'confirm-identity', { identity: 1, method: 'match', note: 'customer account' })).status).toBe(200);
    expect((await act(first, 'approve', {})).status).toBe(200);
    const died = await Promise.race([first.exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    expect(died, first.output()).toEqual({ code: null, signal: 'SIGKILL' });
    const shop = new SqliteDatabase(path.join(dir, 'shop.db'), { readonly: true });
    const emails = () => (shop.prepare('SELECT email FROM customer ORDER BY id').all() as { email: string }[]).map((r) => r.email);
    // Nothing was committed: the person's row is still there.
    expect(emails()).toContain('bruno.petit@example.com');

    const second = await startServer();
    try {
      let state = '';
      let body: { state: string; history: { name: string }[] } | undefined;
      const deadline = Date.now() + 40_000;
      while (Date.now() < deadline && state !== 'completed') {
        body = (await (await fetch(`${api(second)}/desk/requests/${request.id}`, { headers: auth })).json()) as typeof body;
        state = body!.state;
        if (state !== 'completed') await new Promise((r) => setTimeout(r, 250));
      }
      expect(state, second.output()).toBe('completed');
      expect(body!.history.map((h) => h.name)).toEqual(['verify_identity', 'approve', 'start', 'complete']);
      expect(emails()).not.toContain('bruno.petit@example.com');
      expect(emails()).toContain('alice.martin@example.com');
      shop.close();
      const verify = await runCli(['audit', 'verify', '--organisation', ORG], { env });
      expect(verify.code, verify.stdout).toBe(0);
      expect(verify.stdout).toMatch(/chain intact/);
      expect(second.output()).toContain('worker: run completed');
      // Logs carry ids and counts, never the person.
      expect(first.output() + second.output()).not.toContain('bruno');
    } finally {
      await second.stop();
    }
  }, 120_000);
});
