/**
 * npx tsx bench/queue-count.bench.ts [-- --requests 100000 --tries 30]
 *
 * Would a total count beside the console's queue be cheap? The queue pages by keyset (one index range,
 * 25 rows); a count of the same filter reads every matching row, and with no index on the filter
 * (type, assignee, channel) the whole table. Measured on bench:web's data (two years of requests, those
 * older than 45 days answered, written straight into a SQLite store's tables) with the store's own
 * migrations: per filter, `count(*)` against the page's own query, p50 and p95 of `--tries` calls, and
 * SQLite's plan for the count. The SQL is the queue's (src/store/desk-repository.ts, queue()), written
 * out. Result (docs/BENCHMARKS.md): too slow for the filtered queue, so the console numbers its pages
 * instead of counting.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { openStore } from '../src/store/open-store.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '100000' }, tries: { type: 'string', default: '30' } } });
const COUNT = Number(values.requests);
const TRIES = Number(values.tries);
const ORG = 'acme-boutique';
// bench/web.bench.ts's shape: the types in a year's proportions, open states for the last 45 days, five assignees.
const TYPES = ['access', 'access', 'access', 'erasure', 'erasure', 'portability', 'withdraw_consent', 'objection', 'restriction', 'rectification'];
const OPEN_STATES = ['received', 'awaiting_identity', 'verified', 'awaiting_fee', 'approved', 'in_progress', 'failed'];
const ASSIGNEES = ['dpo-1', 'agent-1', 'agent-2', 'agent-3', null];

const dir = mkdtempSync(path.join(os.tmpdir(), 'opendpo-bench-count-'));
try {
  const file = path.join(dir, 'opendpo.db');
  await (await openStore({ kind: 'sqlite', file, display: file })).close(); // the tables and indexes, by the migrations
  const db = new SqliteDatabase(file);
  const insert = db.prepare(`insert into desk_requests (organisation_id, id, reference, type, channel, state, version, language, country, received_at, received_on, due_on,
    extension_months, assignee, controller_id, status_secret_hash, details_json, created_by, updated_at, closed_at)
    values (?, ?, ?, ?, ?, ?, 1, 'en', 'FR', ?, ?, ?, 0, ?, null, ?, ?, 'person', ?, ?)`);
  const now = Date.now();
  const day = 86_400_000;
  db.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      const received = new Date(now - 700 * day + Math.floor((i / COUNT) * 700 * day));
      const recent = now - received.getTime() < 45 * day;
      const state = recent ? OPEN_STATES[i % OPEN_STATES.length]! : i % 20 === 0 ? 'refused' : i % 33 === 0 ? 'withdrawn' : 'completed';
      const type = TYPES[i % TYPES.length]!;
      insert.run(ORG, randomUUID(), `R-${String(i).padStart(7, '0')}`, type, i % 7 === 0 ? 'email' : i % 11 === 0 ? 'post' : 'web', state, received.toISOString(), received.toISOString().slice(0, 10),
        new Date(received.getTime() + 31 * day).toISOString().slice(0, 10), ASSIGNEES[i % ASSIGNEES.length] ?? null, randomBytes(32).toString('hex'), JSON.stringify({ type }), received.toISOString(),
        recent ? null : new Date(received.getTime() + 5 * day).toISOString());
    }
  })();
  db.exec('analyze');
  const today = new Date(now).toISOString().slice(0, 10);
  const open = "state in ('received','verified','awaiting_fee','approved','in_progress','failed') and state not in ('completed','refused','withdrawn')";
  const FILTERS: Record<string, string> = {
    'first page': '',
    overdue: `and ${open} and due_on < '${today}'`,
    'type erasure': "and type = 'erasure'",
    'awaiting identity': "and state = 'awaiting_identity'",
    'assignee agent-2': "and assignee = 'agent-2'",
    'channel + type': "and channel = 'email' and type = 'erasure'",
  };
  const timed = (run: () => unknown) => {
    const times: number[] = [];
    for (let i = 0; i < TRIES; i++) {
      const t = performance.now();
      run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    return `${at(0.5).toFixed(2)} / ${at(0.95).toFixed(2)} ms`;
  };
  console.log(`${COUNT.toLocaleString('en')} requests, ${TRIES} calls each; p50 / p95`);
  console.log(`${'filter'.padEnd(18)} ${'rows'.padStart(7)}   ${'count(*)'.padEnd(18)} ${'page of 25'.padEnd(18)} count's plan`);
  for (const [name, where] of Object.entries(FILTERS)) {
    const count = db.prepare(`select count(*) as n from desk_requests where organisation_id = ? ${where}`);
    const page = db.prepare(`select * from desk_requests where organisation_id = ? ${where} order by due_on, id limit 25`);
    const rows = (count.get(ORG) as { n: number }).n;
    const plan = (db.prepare(`explain query plan select count(*) from desk_requests where organisation_id = ? ${where}`).all(ORG) as { detail: string }[]).map((p) => p.detail).join('; ');
    console.log(`${name.padEnd(18)} ${String(rows).padStart(7)}   ${timed(() => count.get(ORG)).padEnd(18)} ${timed(() => page.all(ORG)).padEnd(18)} ${plan}`);
  }
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
