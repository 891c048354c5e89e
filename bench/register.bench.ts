/**
 * npm run bench:register [-- --activities 1000 --runs 7]
 *
 * Times what a DPO's CI does on every change to a large register — load (parse, validate, keep
 * positions), lint, render the notice — and publishing a version into the embedded SQLite store.
 * Each figure is compared with the best baseline measured in the same run on the same files:
 *   - reading: the faster of `js-yaml` load and `yaml.parse` of every file (the least any tool must do
 *     to read the register at all: no validation, no positions);
 *   - publishing: one raw better-sqlite3 INSERT of the same register JSON in a transaction.
 * Reports medians (and min) over the runs; the ratio is ours / baseline.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { parse } from 'yaml';
import { renderNotice } from '../src/notice/render-notice.js';
import { lintRegister } from '../src/register/lint/lint-register.js';
import { loadRegister } from '../src/register/load.js';
import { publishRegister } from '../src/register/publish-register.js';
import { openStore } from '../src/store/open-store.js';
import { generateRegister } from './generate-register.js';

const { values } = parseArgs({ options: { activities: { type: 'string', default: '1000' }, runs: { type: 'string', default: '7' } } });
const ACTIVITIES = Number(values.activities);
const RUNS = Number(values.runs);

async function time<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const t0 = process.hrtime.bigint();
  const r = await fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, r];
}

async function measure(runs: number, fn: (run: number) => Promise<unknown> | unknown): Promise<{ median: number; min: number }> {
  await fn(-1); // warm-up: JIT, module caches, file cache
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push((await time(() => fn(i)))[0]);
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)]!, min: samples[0]! };
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'opendpo-bench-register-'));
try {
  const [genMs] = await time(() => generateRegister(dir, ACTIVITIES));
  const files = [
    ...['organisation.yaml', 'recipients.yaml', 'systems.yaml'].map((f) => path.join(dir, f)),
    ...(await readdir(path.join(dir, 'activities'))).map((f) => path.join(dir, 'activities', f)),
  ];
  console.log(`register of ${ACTIVITIES} activities (${files.length} files) generated in ${genMs.toFixed(0)} ms; ${RUNS} runs each, medians`);

  const yamlParse = await measure(RUNS, async () => {
    const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
    return texts.map((t) => parse(t) as unknown);
  });
  const jsYamlLoad = await measure(RUNS, async () => {
    const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
    return texts.map((t) => loadYaml(t, { schema: CORE_SCHEMA }));
  });
  const baselineRead = jsYamlLoad.median <= yamlParse.median ? jsYamlLoad : yamlParse;
  const load = await measure(RUNS, () => loadRegister(dir));
  const loadResult = await loadRegister(dir);
  if (!loadResult.loaded || loadResult.problems.length > 0) throw new Error(`generated register does not load: ${JSON.stringify(loadResult.problems.slice(0, 3))}`);
  const loaded = loadResult.loaded;
  const findings = lintRegister(loaded);
  const lint = await measure(RUNS, () => lintRegister(loaded));
  const renderEn = await measure(RUNS, () => renderNotice(loaded.register, { lang: 'en', format: 'html' }));
  const renderFr = await measure(RUNS, () => renderNotice(loaded.register, { lang: 'fr', format: 'html' }));
  const endToEnd = await measure(RUNS, async () => {
    const r = await loadRegister(dir);
    lintRegister(r.loaded!);
    return renderNotice(r.loaded!.register, { lang: 'en', format: 'html' });
  });

  // Publishing: a fresh SQLite file per run (so every run writes a new version, as a real publish does).
  const storeDir = await mkdtemp(path.join(os.tmpdir(), 'opendpo-bench-store-'));
  const json = JSON.stringify(loaded.register);
  const baselinePublish = await measure(RUNS, (run) => {
    const db = new Database(path.join(storeDir, `raw-${run}.db`));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE IF NOT EXISTS v (org TEXT, version INTEGER, body TEXT, PRIMARY KEY (org, version))');
    db.transaction(() => db.prepare('INSERT INTO v VALUES (?, ?, ?)').run('bench', 1, JSON.stringify(loaded.register)))();
    db.close();
  });
  const publish = await measure(RUNS, async (run) => {
    const file = path.join(storeDir, `opendpo-${run}.db`);
    const store = await openStore({ kind: 'sqlite', file, display: file });
    try {
      await publishRegister(store, loadResult, { author: 'bench', allowErrors: true });
    } finally {
      await store.close();
    }
  });
  await rm(storeDir, { recursive: true, force: true });

  const rows: [string, { median: number; min: number }, string][] = [
    ['baseline: read + yaml.parse of every file', yamlParse, ''],
    ['baseline: read + js-yaml load of every file', jsYamlLoad, baselineRead === jsYamlLoad ? 'best baseline' : ''],
    ['load (parse, validate, positions)', load, `${(load.median / baselineRead.median).toFixed(2)}× best baseline`],
    ['lint', lint, `${findings.length} findings`],
    ['render notice, en, HTML', renderEn, ''],
    ['render notice, fr, HTML', renderFr, ''],
    ['load + lint + render (what CI runs)', endToEnd, `${(endToEnd.median / baselineRead.median).toFixed(2)}× best baseline; target < 1000 ms`],
    ['baseline: raw SQLite insert of the register JSON', baselinePublish, `${(json.length / 1024).toFixed(0)} KB`],
    ['publish (open store, lint, diff, insert, one transaction)', publish, `${(publish.median / baselinePublish.median).toFixed(2)}× baseline`],
  ];
  console.log('\n| step | median ms | min ms | note |\n|---|---:|---:|---|');
  for (const [name, m, note] of rows) console.log(`| ${name} | ${m.median.toFixed(1)} | ${m.min.toFixed(1)} | ${note} |`);
  console.log(`\nnode ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'})`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
