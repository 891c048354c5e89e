/**
 * npm run bench:web [-- --requests 100000 --tries 30]
 *
 * The front ends' budgets and the console's queue at scale, on this machine:
 * - bundle sizes (gzip, level 9): the privacy center's script (budget 20 KB: the pages work without
 *   it) and the console's first load — index.html and every script and style it loads before the
 *   first page is drawn (budget 200 KB);
 * - the desk's queue route with `--requests` requests in the store (built `opendpo serve`, SQLite):
 *   median and p95 of `--tries` sequential calls per filter the console offers, against the same
 *   calls on a store with none (the baseline of the same run: the ratio is what the volume costs);
 * - the time to a usable request queue in Chromium (Debian's, playwright-core): from navigation to
 *   /console/requests, signed in, to the first row of the queue on screen; median of 5, with the
 *   empty store as baseline.
 * Only 127.0.0.1; the servers it spawns are stopped, its files removed.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import SqliteDatabase from 'better-sqlite3';
import { chromium } from 'playwright-core';
import { spawnServer, type SpawnedServer } from './loopback-server.js';

const ROOT = path.resolve(import.meta.dirname, path.basename(path.dirname(import.meta.dirname)) === 'dist-bench' ? '../..' : '..');
const MAIN = path.join(ROOT, 'dist/src/cli/main.js');
const { values } = parseArgs({ options: { requests: { type: 'string', default: '100000' }, tries: { type: 'string', default: '30' } } });
const REQUESTS = Number(values.requests);
const TRIES = Number(values.tries);
const ORG = 'acme-boutique';
const LOGIN = 'bench-dpo@example.com';
const PASSWORD = randomBytes(18).toString('base64url');

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

function bundles(): void {
  const center = path.join(ROOT, 'dist/web/privacy-center/enhance.js');
  const consoleDir = path.join(ROOT, 'dist/web/console');
  if (!existsSync(center) || !existsSync(path.join(consoleDir, 'index.html'))) throw new Error('the front ends are not built: npm run build');
  const index = readFileSync(path.join(consoleDir, 'index.html'), 'utf8');
  const firstLoad = [...index.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => path.join(consoleDir, m[1]!));
  const consoleBytes = gz(path.join(consoleDir, 'index.html')) + firstLoad.reduce((sum, f) => sum + gz(f), 0);
  const centerBytes = gz(center);
  console.log('\nBundles (gzip -9)');
  console.log(`  privacy center script   ${kb(centerBytes).padStart(9)}   budget 20 KB    ${(centerBytes / (20 * 1024)).toFixed(2)}× the budget`);
  console.log(`  console first load      ${kb(consoleBytes).padStart(9)}   budget 200 KB   ${(consoleBytes / (200 * 1024)).toFixed(2)}× the budget (${firstLoad.length} files + index.html)`);
}

/** What people ask, with details the desk's schema takes; the weights of a year's mail. */
const DETAILS = [
  { type: 'access' }, { type: 'access' }, { type: 'access' }, { type: 'erasure' }, { type: 'erasure' },
  { type: 'portability' }, { type: 'withdraw_consent' }, { type: 'objection', direct_marketing: true },
  { type: 'restriction', grounds: 'accuracy_contested' }, { type: 'rectification', corrections: [{ what: 'postal address', corrected: 'new' }] },
] as const;
const OPEN_STATES = ['received', 'awaiting_identity', 'verified', 'awaiting_fee', 'approved', 'in_progress', 'failed'] as const;
const ASSIGNEES = ['dpo-1', 'agent-1', 'agent-2', 'agent-3', null] as const;

/**
 * Requests written straight into the store's tables (bench data: no audit entries, no letters):
 * received over the 700 days to today, those older than 45 days answered (completed, refused or
 * withdrawn), the recent ones in every open state — what a desk's table looks like after two years.
 */
function seed(file: string, count: number): void {
  const db = new SqliteDatabase(file);
  const insert = db.prepare(`insert into desk_requests (organisation_id, id, reference, type, channel, state, version, language, country, received_at, received_on, due_on,
    extension_months, assignee, controller_id, status_secret_hash, details_json, created_by, updated_at, closed_at)
    values (?, ?, ?, ?, ?, ?, 1, ?, 'FR', ?, ?, ?, 0, ?, null, ?, ?, 'person', ?, ?)`);
  const identity = db.prepare('insert into desk_identities (organisation_id, request_id, seq, type, value, verified_by, verified_at) values (?, ?, 1, ?, ?, ?, ?)');
  const now = Date.now();
  const day = 86_400_000;
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const received = new Date(now - 700 * day + Math.floor((i / count) * 700 * day));
      const due = new Date(received.getTime() + 31 * day);
      const recent = now - received.getTime() < 45 * day;
      const state = recent ? OPEN_STATES[i % OPEN_STATES.length]! : i % 20 === 0 ? 'refused' : i % 33 === 0 ? 'withdrawn' : 'completed';
      const details = DETAILS[i % DETAILS.length]!;
      const id = randomUUID();
      const closed = recent ? null : new Date(received.getTime() + (5 + (i % 25)) * day).toISOString();
      insert.run(ORG, id, `R-${String(i).padStart(7, '0')}`, details.type, i % 7 === 0 ? 'email' : i % 11 === 0 ? 'post' : 'web', state, i % 3 === 0 ? 'fr' : 'en',
        received.toISOString(), received.toISOString().slice(0, 10), due.toISOString().slice(0, 10), ASSIGNEES[i % ASSIGNEES.length] ?? null,
        randomBytes(32).toString('hex'), JSON.stringify(details), received.toISOString(), closed);
      const verified = state !== 'received' && state !== 'awaiting_identity';
      identity.run(ORG, id, 'email', `person${i}@example.com`, verified ? 'code' : null, verified ? received.toISOString() : null);
    }
  })();
  db.close();
}

interface Running {
  server: SpawnedServer;
  dir: string;
}

async function serverWith(count: number): Promise<Running> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'opendpo-bench-web-'));
  const env = { DATABASE_URL: `sqlite:${path.join(dir, 'opendpo.db')}`, OPENDPO_PACKAGE_DIR: path.join(dir, 'packages'), OPENDPO_LOG_LEVEL: 'silent' };
  // The CLI publishes the example registers into the new store, then adds the account.
  execFileSync(process.execPath, [MAIN, 'user', 'add', '--login', LOGIN, '--role', 'dpo', '--organisation', ORG, '--password-stdin'], { env: { ...process.env, ...env }, input: PASSWORD, stdio: ['pipe', 'ignore', 'inherit'] });
  const started = performance.now();
  if (count > 0) seed(path.join(dir, 'opendpo.db'), count);
  if (count > 0) console.log(`  ${count.toLocaleString('en')} requests written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const server = await spawnServer([MAIN, 'serve'], env, '/healthz');
  return { server, dir };
}

async function signIn(port: number): Promise<string> {
  const answer = await fetch(`http://127.0.0.1:${port}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: LOGIN, password: PASSWORD }) });
  if (answer.status !== 200 && answer.status !== 201) throw new Error(`sign-in: ${answer.status} ${await answer.text()}`);
  return answer.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

const QUERIES: Record<string, string> = {
  'first page': '',
  overdue: '?overdue=true',
  'due within 7 days': '?due_within=7',
  'type erasure': '?type=erasure',
  'awaiting identity': '?state=awaiting_identity',
  'assignee agent-2': '?assignee=agent-2',
  'email + erasure': '?channel=email&type=erasure',
};

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function queueTimes(port: number, cookie: string): Promise<Record<string, { p50: number; p95: number; rows: number }>> {
  const out: Record<string, { p50: number; p95: number; rows: number }> = {};
  for (const [name, query] of Object.entries(QUERIES)) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < TRIES; i++) {
      const t = performance.now();
      const answer = await fetch(`http://127.0.0.1:${port}/api/v1/organisations/${ORG}/desk/requests${query}`, { headers: { cookie } });
      const body = (await answer.json()) as { requests?: unknown[] };
      times.push(performance.now() - t);
      if (answer.status !== 200) throw new Error(`${name}: ${answer.status} ${JSON.stringify(body)}`);
      rows = body.requests?.length ?? 0;
    }
    times.sort((a, b) => a - b);
    out[name] = { p50: quantile(times, 0.5), p95: quantile(times, 0.95), rows };
  }
  return out;
}

/** Milliseconds from navigation to the queue's first row on screen (median of 5), signed in. */
async function timeToQueue(port: number, cookie: string, expectRows: boolean): Promise<number> {
  const browser = await chromium.launch({
    executablePath: process.env.OPENDPO_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext();
    await context.addCookies(cookie.split('; ').map((c) => {
      const [name, ...rest] = c.split('=');
      return { name: name!, value: rest.join('='), domain: '127.0.0.1', path: '/' };
    }));
    const page = await context.newPage();
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      await page.goto(`http://127.0.0.1:${port}/console/requests`);
      await page.locator(expectRows ? 'table.queue tbody tr' : 'main p[role="status"]:not(.loading)').first().waitFor({ state: 'visible', timeout: 15_000 });
      if (i > 0) times.push(performance.now() - t); // the first load warms the server and the browser's cache of the scripts
    }
    times.sort((a, b) => a - b);
    return quantile(times, 0.5);
  } finally {
    await browser.close();
  }
}

bundles();
console.log(`\nThe queue with ${REQUESTS.toLocaleString('en')} requests (built opendpo serve, SQLite store), against an empty store`);
const empty = await serverWith(0);
const full = await serverWith(REQUESTS);
try {
  const emptyCookie = await signIn(empty.server.port);
  const fullCookie = await signIn(full.server.port);
  const base = await queueTimes(empty.server.port, emptyCookie);
  const loaded = await queueTimes(full.server.port, fullCookie);
  console.log(`  ${'queue route'.padEnd(20)} ${'p50'.padStart(9)} ${'p95'.padStart(9)}   empty p50   ratio   rows`);
  for (const name of Object.keys(QUERIES)) {
    const l = loaded[name]!;
    const b = base[name]!;
    console.log(`  ${name.padEnd(20)} ${`${l.p50.toFixed(1)} ms`.padStart(9)} ${`${l.p95.toFixed(1)} ms`.padStart(9)}   ${`${b.p50.toFixed(1)} ms`.padStart(9)}   ${(l.p50 / b.p50).toFixed(1).padStart(4)}×   ${l.rows}`);
  }
  const emptyMs = await timeToQueue(empty.server.port, emptyCookie, false);
  const fullMs = await timeToQueue(full.server.port, fullCookie, true);
  console.log(`\nTime to a usable queue in Chromium (median of 5 after a warm-up): ${fullMs.toFixed(0)} ms with ${REQUESTS.toLocaleString('en')} requests, ${emptyMs.toFixed(0)} ms empty (${(fullMs / emptyMs).toFixed(2)}×); target < 1,000 ms`);
} finally {
  for (const r of [empty, full]) {
    await r.server.stop();
    await rm(r.dir, { recursive: true, force: true });
  }
}
