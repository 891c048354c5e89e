/**
 * npm run bench:generate [-- --dialects sqlite,postgres,mysql] [-- --misses]
 *
 * How well `opendpo dataset generate` flags what a DPO expects, on the labelled corpus of
 * test/dataset-generate/corpus (six schemas in different naming styles): recall and precision on
 * personal columns, on identity fields and on catalogues, per schema and database, and over all
 * schemas per database. A quality measure, not a timing: the figures do not depend on the machine.
 * --misses lists the columns missed and wrongly flagged (names only).
 */
import { parseArgs } from 'node:util';
import { addMeasures, createCorpusDatabase, type Dialect, generateFor, loadCorpus, measure, type Measure, precision, recall, type Score } from '../test/dataset-generate/corpus/corpus.js';
import { MARIADB_URL, POSTGRES_URL } from '../test/helpers/services.js';
import net from 'node:net';

const { values } = parseArgs({ options: { dialects: { type: 'string', default: 'sqlite,postgres,mysql' }, misses: { type: 'boolean', default: false } } });
const wanted = values.dialects.split(',').map((d) => d.trim()) as Dialect[];

function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port) });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

const available: Record<Dialect, boolean> = { sqlite: true, postgres: await reachable(POSTGRES_URL), mysql: await reachable(MARIADB_URL) };
const fmt = (s: Score) => `${recall(s).toFixed(3)} | ${precision(s).toFixed(3)} | ${s.tp}/${s.fp}/${s.fn}`;

const corpus = loadCorpus();
const byDialect = new Map<Dialect, Measure[]>();
const rows: string[] = [];
const misses: string[] = [];
for (const schema of corpus) {
  for (const dialect of schema.dialects) {
    if (!wanted.includes(dialect)) continue;
    if (!available[dialect]) {
      console.error(`skipped ${schema.name} on ${dialect}: the database is not reachable`);
      continue;
    }
    const db = await createCorpusDatabase(schema, dialect);
    try {
      const { dataset } = await generateFor(db);
      const m = measure(dataset, schema);
      byDialect.set(dialect, [...(byDialect.get(dialect) ?? []), m]);
      rows.push(`| ${schema.name} | ${dialect} | ${fmt(m.personal)} | ${fmt(m.identity)} | ${fmt(m.catalogue)} |`);
      const list = (what: string, names: string[]) => names.length > 0 && misses.push(`${schema.name} (${dialect}) ${what}: ${names.join(', ')}`);
      list('personal missed', m.missedPersonal);
      list('flagged, not personal', m.falsePersonal);
      list('identity missed', m.missedIdentity);
      list('identity, not labelled one', m.falseIdentity);
      list('catalogue missed', m.missedCatalogue);
      list('catalogue, not labelled one', m.falseCatalogue);
    } finally {
      await db.drop();
    }
  }
}
for (const [dialect, measures] of byDialect) {
  const total = addMeasures(measures);
  rows.push(`| **all ${measures.length} schemas** | ${dialect} | ${fmt(total.personal)} | ${fmt(total.identity)} | ${fmt(total.catalogue)} |`);
}

console.log('| schema | database | personal recall | precision | tp/fp/fn | identity recall | precision | tp/fp/fn | catalogue recall | precision | tp/fp/fn |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
if (values.misses) {
  console.log('');
  for (const m of misses) console.log(`- ${m}`);
}
