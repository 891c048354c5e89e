/**
 * npm run bench:serve [-- --runs 5]
 *
 * Time from spawning `opendpo serve` (the built dist/, as `npm start` runs it) to the first 200 from
 * /healthz, on loopback: cold (empty SQLite store: migrations, then lint and publish of both example
 * registers) and warm (store already populated). Baseline in the same run: a bare Node.js HTTP server
 * spawned the same way — the floor for any Node server. Ratio = ours / baseline. Run `npm run build` first.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnServer } from './loopback-server.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIN = path.join(ROOT, 'dist/src/cli/main.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
if (!existsSync(MAIN)) throw new Error('dist/ is missing: run `npm run build` first');

async function timeToReady(args: string[], env: Record<string, string>, path: string): Promise<number> {
  const server = await spawnServer(args, env, path);
  await server.stop();
  return server.readyMs;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const dir = await mkdtemp(path.join(os.tmpdir(), 'opendpo-bench-serve-'));
try {
  const baseline: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  const bare = `require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')`;
  for (let i = 0; i < RUNS; i++) {
    baseline.push(await timeToReady(['-e', bare], {}, '/'));
    const db = path.join(dir, `run-${i}.db`);
    cold.push(await timeToReady([MAIN, 'serve'], { DATABASE_URL: `sqlite:${db}`, OPENDPO_LOG_LEVEL: 'warn' }, '/healthz'));
    warm.push(await timeToReady([MAIN, 'serve'], { DATABASE_URL: `sqlite:${db}`, OPENDPO_LOG_LEVEL: 'warn' }, '/healthz'));
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
