/**
 * `opendpo serve` as a user starts it: a spawned process on a free port and a fresh SQLite file.
 * It must publish the example registers into the empty store, answer /healthz, serve the notice by
 * ?lang= and Accept-Language, and stop cleanly. How fast it starts is `npm run bench:serve`'s job.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, ROOT, runCli } from '../helpers/cli.js';

const MAIN = path.join(ROOT, 'src/cli/main.ts');

interface Server {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0'], {
    cwd: ROOT,
    // The vault (and its try-out key) in the test's folder, never in the repository's .opendpo/.
    env: { ...process.env, NO_COLOR: '1', OPENDPO_LOG_LEVEL: 'info', OPENDPO_PACKAGE_DIR: path.join(dir, 'packages'), ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const deadline = started + 20_000;
  let url: string | undefined;
  while (performance.now() < deadline) {
    url ??= /opendpo listening on (http:\/\/\S+)/.exec(stdout)?.[1];
    if (url) {
      const ok = await fetch(`${url}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) {
        return { child, url, stdout: () => stdout, stderr: () => stderr, exited };
      }
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not become ready:\n${stdout}\n${stderr}`);
}

let dir: string;
let dbFile: string;
/** An auditor's API token of softathome, made with the CLI. */
let token: string;
let server: Server;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'opendpo-serve-'));
  dbFile = path.join(dir, 'serve.db');
  server = await startServer({ DATABASE_URL: `sqlite:${dbFile}` });
});

afterAll(() => {
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('opendpo serve', () => {
  it('says where it listens and which store it uses, in one line', () => {
    expect(server.stdout()).toMatch(new RegExp(`^opendpo listening on http://127\\.0\\.0\\.1:\\d+ \\(store: sqlite ${dbFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)\\n$`));
  });

  it('published the example registers into the empty store, errors recorded rather than refused', async () => {
    expect(server.stderr()).toMatch(/published \S+ version 1 from .*examples\/acme-shop/);
    expect(server.stderr()).toMatch(/published softathome version 1 from .*examples\/softathome with \d+ lint error\(s\) recorded/);
    const { organisations } = (await (await fetch(`${server.url}/api/v1/organisations`)).json()) as { organisations: { id: string }[] };
    expect(organisations.map((o) => o.id)).toContain('softathome');
    // The findings are for staff: a token made with the CLI on the same store, while the server runs.
    expect((await fetch(`${server.url}/api/v1/organisations/softathome/register/findings`)).status).toBe(401);
    const made = await runCli(['user', 'token', '--name', 'serve test', '--role', 'auditor', '--organisation', 'softathome'], { env: { DATABASE_URL: `sqlite:${dbFile}` } });
    expect(made.code, made.stderr).toBe(0);
    token = made.stdout.trim();
    expect(token).toMatch(/^odp_[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{43}$/);
    const findings = (await (await fetch(`${server.url}/api/v1/organisations/softathome/register/findings`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      summary: { errors: number };
    };
    expect(findings.summary.errors).toBeGreaterThan(0);
  });

  it('signs in the first admin made with `opendpo user add`, and refuses a short password', async () => {
    const env = { DATABASE_URL: `sqlite:${dbFile}` };
    const short = await runCli(['user', 'add', '--login', 'admin@acme-boutique.example', '--role', 'admin', '--password-stdin'], { env, input: 'short\n' });
    expect(short.code).toBe(2);
    expect(short.stderr).toBe('opendpo: a password has at least 12 characters\n');
    const added = await runCli(['user', 'add', '--login', 'Admin@Acme-Boutique.example', '--role', 'admin', '--password-stdin'], { env, input: 'a long enough passphrase\n' });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^created admin [0-9a-f-]{36} in acme-boutique\n$/);
    const again = await runCli(['user', 'add', '--login', 'admin@acme-boutique.example', '--role', 'dpo', '--password-stdin'], { env, input: 'a long enough passphrase\n' });
    expect(again.stderr).toBe('opendpo: a staff account with this login already exists in organisation acme-boutique\n');
    const res = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin@acme-boutique.example', password: 'a long enough passphrase' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { role: string }).role).toBe('admin');
    expect(res.headers.get('set-cookie')).toMatch(/^opendpo_session=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);
    const list = await runCli(['user', 'list'], { env });
    expect(list.stdout).toMatch(/^user {2}[0-9a-f-]{36} {2}admin {5}admin@acme-boutique\.example\n$/);
  });

  it('serves the notice in French with ?lang=fr', async () => {
    const res = await fetch(`${server.url}/privacy-notice?lang=fr`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-language')).toBe('fr');
    expect(res.headers.get('vary')).toBe('Accept-Language');
    expect(await res.text()).toContain('<html lang="fr">');
  });

  it('negotiates the language from Accept-Language', async () => {
    const fr = await fetch(`${server.url}/privacy-notice`, { headers: { 'accept-language': 'de-DE, fr;q=0.9, en;q=0.4' } });
    expect(fr.headers.get('content-language')).toBe('fr');
    const en = await fetch(`${server.url}/privacy-notice?org=softathome`, { headers: { 'accept-language': 'en-GB,en;q=0.9,fr;q=0.5' } });
    expect(en.status).toBe(200);
    expect(en.headers.get('content-language')).toBe('en');
    expect(await en.text()).toContain('SoftAtHome');
  });

  it('stops cleanly on SIGTERM, closing the server and the store', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // The store was closed: SQLite checkpointed its write-ahead log and removed it.
    expect(existsSync(`${dbFile}-wal`)).toBe(false);
    expect(server.stderr()).not.toMatch(/Error|at .+:\d+:\d+/);
  });

  it('does not publish again when the store already holds registers, and stops on SIGINT', async () => {
    const again = await startServer({ DATABASE_URL: `sqlite:${dbFile}` });
    try {
      expect(again.stderr()).not.toContain('published');
      const { versions } = (await (await fetch(`${again.url}/api/v1/organisations/softathome/register/versions`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        versions: unknown[];
      };
      expect(versions).toHaveLength(1);
      // The default organisation is still the first configured register's.
      const res = await fetch(`${again.url}/privacy-notice?format=md`);
      expect(res.status).toBe(200);
    } finally {
      again.child.kill('SIGINT');
      expect(await again.exited).toBe(0);
    }
  });

  it('publishes the folders of OPENDPO_REGISTERS (relative to the package), warns about an unusable one, and serves the first by default', async () => {
    const custom = await startServer({
      DATABASE_URL: `sqlite:${path.join(dir, 'custom.db')}`,
      OPENDPO_REGISTERS: 'test/fixtures/registers/store-shop, test/fixtures/registers/no-such-register',
    });
    try {
      expect(custom.stderr()).toMatch(/published store-shop version 1 from .*test\/fixtures\/registers\/store-shop\n/);
      expect(custom.stderr()).toMatch(/warning: did not publish .*no-such-register: nothing usable was found/);
      const res = await fetch(`${custom.url}/privacy-notice?format=md`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Store Shop SAS');
    } finally {
      custom.child.kill('SIGTERM');
      expect(await custom.exited).toBe(0);
    }
  });

  it('says so when the port is taken, and exits 2', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await runCli(['serve', '--port', String(port)], { env: { DATABASE_URL: ':memory:', OPENDPO_LOG_LEVEL: 'silent' } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`port ${port} is already in use on 127.0.0.1: choose another with --port or OPENDPO_PORT`);
      expectNoStackTrace(result.stderr);
    } finally {
      blocker.close();
    }
  });

  it('refuses a port that is not a number, naming the flag value', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', 'abc'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: ':memory:' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("OPENDPO_PORT must be a port number (1-65535), got 'abc'");
  });
});
