/**
 * npm run bench:serve [-- --duration 5 --rounds 5 --connections 50]   (after bench/serve-start.bench.ts)
 *
 * Requests per second for the privacy notice, on loopback: the built `opendpo serve` (what
 * `npm start` runs, default log level, SQLite store seeded with the example registers) answering
 * GET /privacy-notice, against a bare Node.js http server spawned the same way sending the same
 * bytes with the same content type — the floor for any Node server. Load from autocannon in this
 * process, `--connections` keep-alive connections for `--duration` seconds, after a 2 s warm-up, in
 * `--rounds` rounds alternating between the two servers (medians reported);
 * meanwhile a second client asks /healthz every 50 ms, to show what a probe waits under load.
 * Ratio = ours / baseline (target ≥ 0.5). Only 127.0.0.1; every server spawned is stopped.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { cpuTimeMs, spawnServer, type SpawnedServer } from './loopback-server.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIN = path.join(ROOT, 'dist/src/cli/main.js');
const { values } = parseArgs({
  options: { duration: { type: 'string', default: '5' }, rounds: { type: 'string', default: '5' }, connections: { type: 'string', default: '50' } },
});
const DURATION = Number(values.duration);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
if (!existsSync(MAIN)) throw new Error('dist/ is missing: run `npm run build` first');

interface Measure {
  requestsPerSecond: number;
  /** The server's CPU time per request answered, in microseconds (Linux). */
  cpuUsPerRequest: number | undefined;
  p50: number;
  p99: number;
  failed: number;
  healthz?: { p50: number; p99: number; max: number };
}

async function load(server: SpawnedServer, url: string, probe?: string): Promise<Measure> {
  await autocannon({ url, connections: CONNECTIONS, duration: 2 }); // warm-up: JIT, caches, sockets
  const cpuBefore = await cpuTimeMs(server.pid);
  const [main, health] = await Promise.all([autocannon({ url, connections: CONNECTIONS, duration: DURATION }), probe ? probeLatencies(probe, DURATION * 1000) : undefined]);
  const cpuAfter = await cpuTimeMs(server.pid);
  const answered = main.requests.total + (health?.length ?? 0);
  return {
    requestsPerSecond: main.requests.average,
    cpuUsPerRequest: cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1000) / answered,
    p50: main.latency.p50,
    p99: main.latency.p99,
    failed: main.errors + main.timeouts + main.non2xx,
    ...(health ? { healthz: { p50: percentile(health, 0.5), p99: percentile(health, 0.99), max: percentile(health, 1) } } : {}),
  };
}

/** Milliseconds each GET of `url` took, one every 50 ms on its own connection, for `forMs`. */
async function probeLatencies(url: string, forMs: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  const end = performance.now() + forMs;
  try {
    while (performance.now() < end) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        http.get(url, { agent }, (res) => res.resume().on('end', resolve).on('error', reject)).on('error', reject);
      });
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, Math.max(0, 50 - (performance.now() - started))));
    }
  } finally {
    agent.destroy();
  }
  return latencies;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The round of median requests/s, whole (its latencies and CPU go with it); failures summed over all. */
function medianMeasure(rounds: Measure[]): Measure {
  const sorted = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return { ...sorted[Math.floor(sorted.length / 2)]!, failed: rounds.reduce((n, m) => n + m.failed, 0) };
}

const percentile = (xs: number[], q: number) => Math.round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]! * 10) / 10;

const dir = await mkdtemp(path.join(os.tmpdir(), 'opendpo-bench-throughput-'));
const servers: SpawnedServer[] = [];
try {
  const ours = await spawnServer([MAIN, 'serve'], { DATABASE_URL: `sqlite:${path.join(dir, 'store.db')}` }, '/healthz');
  servers.push(ours);
  const noticeUrl = `http://127.0.0.1:${ours.port}/privacy-notice`;
  const sample = await fetch(noticeUrl);
  const body = Buffer.from(await sample.arrayBuffer());
  if (sample.status !== 200) throw new Error(`/privacy-notice answered ${sample.status}`);
  await writeFile(path.join(dir, 'notice.html'), body);

  const bareSource = `const body = require('node:fs').readFileSync(process.env.BODY);
require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length }); s.end(body); }).listen(Number(process.env.PORT), '127.0.0.1');`;
  const bare = await spawnServer(['-e', bareSource], { BODY: path.join(dir, 'notice.html') }, '/');
  servers.push(bare);

  // Rounds alternate between the two servers, so that other work on the machine weighs on both alike.
  const baselineRounds: Measure[] = [];
  const ourRounds: Measure[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    baselineRounds.push(await load(bare, `http://127.0.0.1:${bare.port}/`));
    ourRounds.push(await load(ours, noticeUrl, `http://127.0.0.1:${ours.port}/healthz`));
  }
  const ratios = ourRounds.map((m, i) => m.requestsPerSecond / baselineRounds[i]!.requestsPerSecond);
  const baseline = medianMeasure(baselineRounds);
  const measured = medianMeasure(ourRounds);

  const cpu = (m: Measure) => (m.cpuUsPerRequest === undefined ? 'n/a' : m.cpuUsPerRequest.toFixed(0));
  const row = (name: string, m: Measure, r: string) =>
    `| ${name} | ${m.requestsPerSecond.toFixed(0)} | ${m.p50} | ${m.p99} | ${m.failed} | ${cpu(m)} | ${r} |`;
  console.log(`GET of a ${(body.length / 1024).toFixed(0)} KB notice, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s on each server, alternating, on loopback; medians of the rounds\n`);
  console.log('| server | requests/s | p50 ms | p99 ms | errors, time-outs, non-2xx (all rounds) | server CPU µs per request | ratio to baseline (requests/s) |\n|---|---:|---:|---:|---:|---:|---:|');
  console.log(row('baseline: bare Node.js http server, same bytes', baseline, '1.00×'));
  console.log(row('opendpo serve, /privacy-notice', measured, `${median(ratios).toFixed(2)}×`));
  console.log(`\nratio per round: ${ratios.map((r) => r.toFixed(2)).join(', ')}`);
  const h = measured.healthz!;
  console.log(`/healthz meanwhile (one request every 50 ms): p50 ${h.p50} ms, p99 ${h.p99} ms, max ${h.max} ms (median round)`);
  if (baseline.cpuUsPerRequest !== undefined && measured.cpuUsPerRequest !== undefined) {
    console.log(`CPU per request: baseline / ours = ${(baseline.cpuUsPerRequest / measured.cpuUsPerRequest).toFixed(2)}×`);
  }
  console.log(`target: ≥ 0.50× the baseline; node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  for (const s of servers) await s.stop();
  await rm(dir, { recursive: true, force: true });
}
