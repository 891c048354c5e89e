/**
 * The labelled corpus (corpus/README.md) on SQLite: every schema still generates a dataset the
 * loader accepts, the generator's recall on personal columns and identity fields stays above the
 * floor measured when the corpus was made (docs/BENCHMARKS.md, `npm run bench:generate`), and the
 * generated dataset runs an access and an erasure unchanged: two people seeded in every table,
 * the first one's identities gone after the erasure, the second one's all still there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import type { GeneratedDataset } from '../../src/dataset/generate/generate-dataset.js';
import { loadDatasets } from '../../src/dataset/load-datasets.js';
import { runRequest } from '../../src/dsr/run-request.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { openTestConnections } from '../dsr/open-test-connections.js';
import { addMeasures, createCorpusDatabase, type CreatedDatabase, generateFor, loadCorpus, measure, recall } from './corpus/corpus.js';

/** Floors under the figures measured on SQLite (0.981 on personal columns, 0.958 on identities): a regression guard, not a target. */
const PERSONAL_RECALL_FLOOR = 0.97;
const SCHEMA_PERSONAL_RECALL_FLOOR = 0.94;
const IDENTITY_RECALL_FLOOR = 0.95;

const corpus = loadCorpus();

describe('the labelled corpus on SQLite', () => {
  const generated = new Map<string, { db: CreatedDatabase; dataset: GeneratedDataset; yaml: string }>();
  let dir: string;
  let store: Store;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'opendpo-corpus-'));
    store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
    for (const schema of corpus) {
      const db = await createCorpusDatabase(schema, 'sqlite');
      const { dataset, yaml } = await generateFor(db);
      generated.set(schema.name, { db, dataset, yaml });
    }
  });
  afterAll(async () => {
    await store?.close();
    for (const g of generated.values()) await g.db.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds at least six schemas, each labelled column by column', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(6);
    for (const schema of corpus) {
      // measure() throws on a column without a label, or a label without a column.
      expect(() => measure(generated.get(schema.name)!.dataset, schema), schema.name).not.toThrow();
    }
  });

  it(`keeps recall on personal columns above ${PERSONAL_RECALL_FLOOR} overall and ${SCHEMA_PERSONAL_RECALL_FLOOR} per schema, and on identities above ${IDENTITY_RECALL_FLOOR}`, () => {
    const measures = corpus.map((schema) => {
      const m = measure(generated.get(schema.name)!.dataset, schema);
      expect(recall(m.personal), `${schema.name}: personal columns missed: ${m.missedPersonal.join(', ')}`).toBeGreaterThanOrEqual(SCHEMA_PERSONAL_RECALL_FLOOR);
      return m;
    });
    const total = addMeasures(measures);
    expect(recall(total.personal)).toBeGreaterThanOrEqual(PERSONAL_RECALL_FLOOR);
    expect(recall(total.identity)).toBeGreaterThanOrEqual(IDENTITY_RECALL_FLOOR);
  });

  for (const schema of corpus) {
    it(`${schema.name}: the generated dataset runs an access and an erasure unchanged, for one person only`, async () => {
      const { db, dataset, yaml } = generated.get(schema.name)!;
      const folder = mkdtempSync(path.join(dir, `${schema.name}-`));
      writeFileSync(path.join(folder, 'corpus.yaml'), yaml);
      writeFileSync(path.join(folder, 'connections.yaml'), `connections:\n  - name: corpus\n    type: sqlite\n    url: ${JSON.stringify(db.url)}\n    datasets: [corpus]\n`);
      const loaded = await loadDatasets(folder);
      expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);

      const file = db.url.slice('sqlite:'.length);
      const identities = seedTwoPeople(file, dataset);
      expect(identities.length, 'the schema has an email identity to search by').toBeGreaterThan(0);
      const connect = () => openTestConnections([{ name: 'corpus', type: 'sqlite', url: db.url, datasets: ['corpus'] }]);
      const person = { email: 'person1@example.com' };

      const access = await runRequest({ kind: 'access', identities: person, datasets: loaded.datasets, store, connect });
      expect(access.request.status).toBe('completed');
      const found = access.collected.collections.filter((c) => c.rows.length > 0).map((c) => c.collection);
      expect(found.length).toBeGreaterThan(0);
      expect(JSON.stringify(access.collected)).not.toContain('person2@example.com');

      const erasure = await runRequest({ kind: 'erasure', identities: person, datasets: loaded.datasets, store, connect });
      expect(erasure.request.status).toBe('completed');
      for (const { table, column } of identities) {
        expect(valuesOf(file, table, column), `${table}.${column} after the erasure`).not.toContain('person1@example.com');
        expect(valuesOf(file, table, column), `${table}.${column} after the erasure`).toContain('person2@example.com');
      }
    });
  }
});

function valuesOf(file: string, table: string, column: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`select "${column.replace(/"/g, '""')}" as v from "${table.replace(/"/g, '""')}"`).all().map((r) => (r as { v: unknown }).v);
  } finally {
    db.close();
  }
}

/**
 * Two people in every table, inserted in foreign-key order: row i of each table points at row i
 * of the tables it references (declared or read from names), so each person has a full set of
 * rows; every email identity holds person<i>@example.com. Returns the email identity columns.
 */
function seedTwoPeople(file: string, dataset: GeneratedDataset): Array<{ table: string; column: string }> {
  const db = new Database(file);
  try {
    const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const tables = dataset.collections.map((c) => c.name);
    const info = new Map(tables.map((t) => [t, db.prepare(`select name, type, pk from pragma_table_info(?)`).all(t) as Array<{ name: string; type: string; pk: number }>]));
    const refs = new Map(dataset.collections.map((c) => [c.name, new Map(c.fields.flatMap((f) => f.references.map((r) => [f.name, r.field.split('.') as [string, string]] as const)))]));
    const emails = dataset.collections.flatMap((c) => c.fields.filter((f) => f.identity === 'email').map((f) => ({ table: c.name, column: f.name })));
    const value = (table: string, column: string, type: string, i: number): unknown => {
      if (emails.some((e) => e.table === table && e.column === column)) return `person${i}@example.com`;
      const t = type.toLowerCase();
      if (/int|num|dec|real|float|double/.test(t)) return i;
      if (/bool/.test(t)) return 1;
      if (/date|time/.test(t)) return `2024-01-0${i}`;
      if (/blob|bytea/.test(t)) return Buffer.from([i]);
      const size = /char\((\d+)\)/.exec(t);
      return `${table}.${column}.${i}`.slice(-(size === null ? 200 : Number(size[1])));
    };
    // Each table's two rows; then every reference takes the value of the row it points at, until
    // nothing changes (a key may itself be a reference: bank_details.emp_no -> employees.emp_no).
    const rows = new Map(tables.map((t) => [t, [1, 2].map((i) => Object.fromEntries(info.get(t)!.map((c) => [c.name, value(t, c.name, c.type, i)])))]));
    for (let changed = true, rounds = 0; changed && rounds < 20; rounds++) {
      changed = false;
      for (const [table, made] of rows) {
        made.forEach((row, i) => {
          for (const [column, [target, targetColumn]] of refs.get(table) ?? []) {
            const next = target === table ? null : (rows.get(target)?.[i]?.[targetColumn] ?? null);
            if (row[column] !== next) {
              row[column] = next;
              changed = true;
            }
          }
        });
      }
    }
    db.pragma('foreign_keys = off');
    for (const [table, made] of rows) {
      for (const row of made) {
        const columns = Object.keys(row);
        db.prepare(`insert into ${q(table)} (${columns.map(q).join(', ')}) values (${columns.map(() => '?').join(', ')})`).run(...columns.map((c) => normalise(row[c])));
      }
    }
    return emails;
  } finally {
    db.close();
  }
}

const normalise = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);
