/**
 * npm run bench:desk [-- --duration 5 --rounds 3 --connections 50 --rate 2000 --queued 30 --store sqlite|postgres --worker-only]
 *
 * The request desk's public routes under load on loopback, against a no-op Fastify route:
 * - the built `opendpo serve` (SQLite store, example registers, no mail server: submissions are
 *   written with their audit entry, no code is sent, so the mail server's own time is left out)
 *   answering POST /requests (submit) and GET /requests/:id (status), against a spawned Fastify
 *   server whose POST route answers `{}` at once — the same framework doing nothing;
 *   autocannon, `--connections` keep-alive connections for `--duration` s, `--rounds` rounds
 *   alternating (medians), then each route at a fixed `--rate` requests/s for its p99;
 * - the worker's throughput: `--queued` approved access requests on the example shop (SQLite), run by
 *   one worker in this process, each request's package sealed in the vault.
 * `--store postgres` puts the server's and the worker's stores in throwaway PostgreSQL databases
 * (OPENDPO_BENCH_POSTGRES_URL, default the machine's), dropped at the end; the shop stays SQLite.
 * Only 127.0.0.1; every server spawned is stopped.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl } from '../src/config/config.js';
import { loadDatasetsOrThrow } from '../src/dataset/load-datasets.js';
import { Desk } from '../src/desk/desk.js';
import { parsePackageKeyRing } from '../src/desk/package-vault/package-key.js';
import { PackageVault } from '../src/desk/package-vault/package-vault.js';
import { RequestWorker } from '../src/desk/worker/request-worker.js';
import { collect } from '../src/dsr/execute/collect.js';
import { openConnections } from '../src/dsr/open-connections.js';
import type { GraphNode } from '../src/dsr/plan/graph.js';
import { columnTypesOf, prepareRequest, runRequest, shapeOf, type OpenConnections } from '../src/dsr/run-request.js';
import { loadRegister } from '../src/register/load.js';
import { publishRegister } from '../src/register/publish-register.js';
import { openStore } from '../src/store/open-store.js';
import { spawnServer, type SpawnedServer } from './loopback-server.js';

// Run from bench/ (tsx) or dist-bench/bench/ (tsc's output): the package root either way.
const ROOT = path.resolve(import.meta.dirname, path.basename(path.dirname(import.meta.dirname)) === 'dist-bench' ? '../..' : '..');
const MAIN = path.join(ROOT, 'dist/src/cli/main.js');
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    rate: { type: 'string', default: '2000' },
    queued: { type: 'string', default: '30' },
    'worker-only': { type: 'boolean', default: false },
    store: { type: 'string', default: 'sqlite' },
  },
});
const DURATION = Number(values.duration);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const RATE = Number(values.rate);
const QUEUED = Number(values.queued);
if (values.store !== 'sqlite' && values.store !== 'postgres') throw new Error('--store is sqlite or postgres');
/** The server where --store postgres makes its throwaway databases (dropped at the end). */
const POSTGRES_ADMIN = process.env.OPENDPO_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const throwaway: string[] = [];
if (!existsSync(MAIN)) throw new Error('dist/ is missing: run `npm run build` first');

interface Measure {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

type Req = { url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string };

async function load(req: Req, options: { overallRate?: number; duration?: number } = {}): Promise<Measure> {
  const base = { ...req, connections: CONNECTIONS, headers: { 'content-type': 'application/json', ...req.headers } };
  if (options.overallRate === undefined) await autocannon({ ...base, duration: 2 }); // warm-up
  const r = await autocannon({ ...base, duration: options.duration ?? DURATION, ...(options.overallRate ? { overallRate: options.overallRate } : {}) });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, failed: r.errors + r.timeouts + r.non2xx };
}

const median = (xs: Measure[]) => [...xs].sort((a, b) => a.rps - b.rps)[Math.floor(xs.length / 2)]!;

const dir = await mkdtemp(path.join(os.tmpdir(), 'opendpo-bench-desk-'));
const servers: SpawnedServer[] = [];
try {
  if (!values['worker-only']) await loadRoutes();
  await workerThroughput();
} finally {
  for (const s of servers) await s.stop();
  await rm(dir, { recursive: true, force: true });
  if (throwaway.length > 0) {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN });
    await admin.connect();
    for (const name of throwaway) await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

/** A store for one part of the bench: a SQLite file in the bench's folder, or a throwaway PostgreSQL database. */
async function storeUrl(name: string): Promise<string> {
  if (values.store === 'sqlite') return `sqlite:${path.join(dir, `${name}.db`)}`;
  const database = `opendpo_bench_${name}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN });
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  throwaway.push(database);
  const url = new URL(POSTGRES_ADMIN);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The public routes under load against the no-op Fastify route. */
async function loadRoutes(): Promise<void> {
  const ours = await spawnServer([MAIN, 'serve'], { DATABASE_URL: await storeUrl('store'), OPENDPO_PUBLIC_RATE_LIMIT: '1000000', OPENDPO_LOG_LEVEL: 'warn', OPENDPO_PACKAGE_DIR: path.join(dir, 'p') }, '/healthz');
  servers.push(ours);
  const noop = await spawnServer(
    ['--input-type=module', '-e', `import Fastify from 'fastify'; const app = Fastify(); app.post('/noop', async () => ({})); app.get('/noop', async () => ({})); await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });`],
    {},
    '/noop',
  );
  servers.push(noop);

  const api = `http://127.0.0.1:${ours.port}/api/v1/organisations/acme-boutique`;
  const submitBody = JSON.stringify({ identities: [{ type: 'email', value: 'load.test@example.org' }], details: { type: 'access' } });
  const first = await fetch(`${api}/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: submitBody });
  if (first.status !== 201) throw new Error(`submit answered ${first.status}: ${await first.text()}`);
  const { request, status_token } = (await first.json()) as { request: { id: string }; status_token: string };

  const routes: { name: string; ours: Req; base: Req }[] = [
    { name: 'POST /requests (submit)', ours: { url: `${api}/requests`, method: 'POST', body: submitBody }, base: { url: `http://127.0.0.1:${noop.port}/noop`, method: 'POST', body: submitBody } },
    { name: 'GET /requests/:id (status)', ours: { url: `${api}/requests/${request.id}`, headers: { 'x-status-token': status_token } }, base: { url: `http://127.0.0.1:${noop.port}/noop` } },
  ];
  console.log(`${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s per route and server, alternating, on loopback; medians of the rounds\n`);
  console.log('| route | no-op Fastify requests/s | opendpo requests/s | ratio | opendpo p50 ms | opendpo p99 ms | errors | at a fixed rate: requests/s, p99 ms |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const route of routes) {
    const b: Measure[] = [];
    const o: Measure[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      b.push(await load(route.base));
      o.push(await load(route.ours));
    }
    const fixed = await load(route.ours, { overallRate: RATE, duration: DURATION });
    const mb = median(b);
    const mo = median(o);
    console.log(
      `| ${route.name} | ${mb.rps.toFixed(0)} | ${mo.rps.toFixed(0)} | ${(mo.rps / mb.rps).toFixed(2)}× | ${mo.p50} | ${mo.p99} | ${o.reduce((n, m) => n + m.failed, 0)} | ${fixed.rps.toFixed(0)}/s asked ${RATE}/s: p99 ${fixed.p99} ms, ${fixed.failed} errors |`,
    );
  }
  for (const s of servers.splice(0)) await s.stop();
}

/**
 * The worker: queued access requests on the example shop, in this process; then where a request's
 * time goes, each part timed alone on the same shop and kept connections: the engine's search
 * (`collect` on the prepared graph), the engine's whole run (`runRequest`: catalogue, checks, search,
 * evidence), and the worker's whole request (the desk's transitions and audit, the package built,
 * zipped and sealed, the completion letter kept).
 */
async function workerThroughput(): Promise<void> {
  const shopFile = path.join(dir, 'shop.db');
  const shopDb = new SqliteDatabase(shopFile);
  shopDb.exec(readFileSync(path.join(ROOT, 'examples/acme-shop/datasets/seed.sql'), 'utf8'));
  shopDb.close();
  const store = await openStore(parseDatabaseUrl(await storeUrl('worker_store'), dir));
  const registerDir = path.join(ROOT, 'examples/acme-shop');
  await publishRegister(store, await loadRegister(registerDir), { author: 'bench' });
  const register = (await loadRegister(registerDir)).loaded!.register;
  const loaded = await loadDatasetsOrThrow(path.join(ROOT, 'examples/acme-shop/datasets'));
  const connections = loaded.connections!.connections;
  connections[0] = { ...connections[0]!, url: `sqlite:${shopFile}` } as (typeof connections)[number];
  const vault = new PackageVault({ folder: path.join(dir, 'vault'), keys: parsePackageKeyRing(randomBytes(32).toString('base64')) });
  const desk = new Desk({ store, vault });
  const people = ['alice.martin@example.com', 'bruno.petit@example.com', 'chloe.durand@example.com'];
  for (let i = 0; i < QUEUED; i++) {
    const submitted = await desk.submit({ organisationId: 'acme-boutique', details: { type: 'access' }, identities: [{ type: 'email', value: people[i % people.length]! }], language: 'en', channel: 'post', actor: 'bench' });
    const id = submitted.request.request.id;
    await desk.act('acme-boutique', id, 'bench', { action: 'confirm_identity', identity: 1, method: 'match', note: 'bench' });
    await desk.act('acme-boutique', id, 'bench', { action: 'approve' });
  }
  const worker = new RequestWorker({ store, desk, sources: [{ organisationId: 'acme-boutique', loaded, register }], vault, publicUrl: 'http://127.0.0.1', leaseSeconds: 30, targetTimeoutMs: 30_000, owner: 'bench' });
  const started = performance.now();
  const ran = await worker.runAvailable();
  const ms = performance.now() - started;
  await store.close();
  console.log(`\nworker: ${ran} queued access requests on the example shop (${values.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'} store, SQLite shop), packages sealed in the vault: ${(ms / 1000).toFixed(2)} s, ${((ran * 1000) / ms).toFixed(1)} requests/s, ${(ms / ran).toFixed(1)} ms per request`);

  // The parts, on connections kept as the worker keeps them.
  const engineStore = await openStore(parseDatabaseUrl(process.env.BENCH_ENGINE_STORE ?? (await storeUrl('engine_store')), dir));
  const open = await openConnections(loaded.connections!, engineStore, { keepCatalogues: true });
  const kept: OpenConnections = { ...open, close: async () => {} };
  const prepared = await prepareRequest('access', { email: 'x' }, loaded.datasets, kept);
  const keyOf = (node: GraphNode) => prepared.checked.get(node.id)?.key ?? node.collection.fields.filter((f) => f.primaryKey).map((f) => f.name);
  const timed = async (n: number, fn: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 5; i++) await fn(i); // warm-up
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn(i);
      times.push(performance.now() - t);
    }
    return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  };
  const search = await timed(200, (i) => collect({ graph: prepared.graph, identities: { email: [people[i % people.length]!] }, connectorFor: () => kept.database('shop'), keyOf, columnTypesOf: columnTypesOf(prepared), shapeOf: shapeOf(prepared) }));
  const engine = await timed(100, (i) => runRequest({ kind: 'access', identities: { email: people[i % people.length]! }, datasets: loaded.datasets, store: engineStore, connect: async () => kept, register }));
  await open.close();
  await engineStore.close();
  console.log('\n| part of an access request (median of its runs) | ms | × search |');
  console.log('|---|---:|---:|');
  console.log(`| the engine's search (collect) | ${search.toFixed(2)} | 1.00 |`);
  console.log(`| the engine's whole run (runRequest: catalogue, check, search, evidence) | ${engine.toFixed(2)} | ${(engine / search).toFixed(2)} |`);
  console.log(`| the worker's whole request (run + desk transitions, package zipped and sealed, letter kept) | ${(ms / ran).toFixed(2)} | ${(ms / ran / search).toFixed(2)} |`);
  console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}
