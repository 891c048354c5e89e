/**
 * npm run bench:serve [-- --runs 5]
 *
 * Time from spawning `opendpo serve` (the built dist/, as `npm start` runs it) to the first 200 from
 * /healthz, on loopback: cold (empty SQLite store: migrations, then lint and publish of both example
 * registers) and warm (store already populated). Baseline in the same run: a bare Node.js HTTP server
 * spawned the same way — the floor for any Node server. Ratio = ours / baseline. Run `npm run build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIN = path.join(ROOT, 'dist/src/cli/main.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
if (!existsSync(MAIN)) throw new Error('dist/ is missing: run `npm run build` first');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function timeToReady(args: string[], env: Record<string, string>, url: (port: number) => string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, { env: { ...process.env, ...env, OPENDPO_PORT: String(port), PORT: String(port) }, stdio: 'ignore' });
  try {
    const deadline = started + 20_000;
    while (performance.now() < deadline) {
      try {
        const res = await fetch(url(port));
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('not ready within 20 s');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const dir = await mkdtemp(path.join(os.tmpdir(), 'opendpo-bench-serve-'));
try {
  const baseline: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  const bare = `require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')`;
  for (let i = 0; i < RUNS; i++) {
    baseline.push(await timeToReady(['-e', bare], {}, (p) => `http://127.0.0.1:${p}/`));
    const db = path.join(dir, `run-${i}.db`);
    cold.push(await timeToReady([MAIN, 'serve'], { DATABASE_URL: `sqlite:${db}`, OPENDPO_LOG_LEVEL: 'warn' }, (p) => `http://127.0.0.1:${p}/healthz`));
    warm.push(await timeToReady([MAIN, 'serve'], { DATABASE_URL: `sqlite:${db}`, OPENDPO_LOG_LEVEL: 'warn' }, (p) => `http://127.0.0.1:${p}/healthz`));
  }
  const b = median(baseline);
  console.log(`${RUNS} runs each, medians, time from spawn to first 200\n`);
  console.log('| start | median ms | ratio to baseline |\n|---|---:|---:|');
  console.log(`| baseline: bare Node.js http server | ${b.toFixed(0)} | 1.00× |`);
  console.log(`| opendpo serve, empty store (migrate, lint and publish 2 registers) | ${median(cold).toFixed(0)} | ${(median(cold) / b).toFixed(2)}× |`);
  console.log(`| opendpo serve, populated store | ${median(warm).toFixed(0)} | ${(median(warm) / b).toFixed(2)}× |`);
  console.log(`\ntarget: ready in under 2000 ms; node ${process.version}, ${os.cpus().length} cores`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
