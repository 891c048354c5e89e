/**
 * The labelled corpus of corpus/README.md: its schemas, created in a real database, and the
 * generator's suggestions held against the labels (recall and precision on personal columns,
 * identity fields and catalogues). Shared by the benchmark (bench/generate.bench.ts) and the
 * regression test (corpus.test.ts).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { parse } from 'yaml';
import { datasetGenerate, type DatasetGenerateResult } from '../../../src/cli/commands/dataset-generate.js';
import type { GeneratedDataset } from '../../../src/dataset/generate/generate-dataset.js';
import { createThrowawayMariadb } from '../../connectors/throwaway-mariadb.js';
import { createThrowawayPostgres } from '../../store/throwaway-postgres.js';

export const CORPUS_DIR = path.dirname(fileURLToPath(import.meta.url));

export type Dialect = 'sqlite' | 'postgres' | 'mysql';
export type Label = 'personal' | 'identity' | 'no' | 'key';

export interface CorpusSchema {
  name: string;
  dialects: Dialect[];
  sql: string;
  /** The database schemas the SQL's {name} placeholders create (PostgreSQL). */
  schemas: string[];
  catalogues: string[];
  /** table -> column -> label */
  columns: Record<string, Record<string, Label>>;
}

const LABELS: readonly Label[] = ['personal', 'identity', 'no', 'key'];

export function loadCorpus(): CorpusSchema[] {
  return readdirSync(CORPUS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(CORPUS_DIR, name, 'schema.sql'), 'utf8');
      const dialects = /^-- dialects: (.+)$/m.exec(sql)?.[1]?.split(',').map((d) => d.trim() as Dialect);
      if (dialects === undefined) throw new Error(`${name}/schema.sql: no "-- dialects:" line`);
      const labels = parse(readFileSync(path.join(CORPUS_DIR, name, 'labels.yaml'), 'utf8')) as { catalogues?: string[]; columns: Record<string, Record<string, Label>> };
      for (const [table, columns] of Object.entries(labels.columns)) {
        for (const [column, label] of Object.entries(columns)) {
          if (!LABELS.includes(label)) throw new Error(`${name}/labels.yaml: ${table}.${column} is labelled "${String(label)}", not one of ${LABELS.join(', ')}`);
        }
      }
      const schemas = [...new Set([...sql.matchAll(/\{([a-z_]+)\}(?=[a-z_"`])/g)].map((m) => m[1]!))];
      return { name, dialects, sql, schemas, catalogues: labels.catalogues ?? [], columns: labels.columns };
    });
}

/** The schema's statements for one database (corpus/README.md: `-- only`, `{blob}`, `{schema}`). */
export function statementsFor(schema: CorpusSchema, dialect: Dialect): string[] {
  return schema.sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*(--(?! only).*\n)*/, '').trim())
    .filter((s) => s !== '')
    .filter((s) => {
      const only = /^-- only (.+)$/m.exec(s.split('\n')[0]!)?.[1];
      return only === undefined || only.split(',').map((d) => d.trim()).includes(dialect);
    })
    .map((s) =>
      s
        .replace(/^-- only .*\n/, '')
        .replace(/\{blob\}/g, dialect === 'postgres' ? 'bytea' : 'blob')
        .replace(/\{([a-z_]+)\}(?=[a-z_"`])/g, (_m, name: string) => (dialect === 'postgres' ? `${name}.` : '')),
    );
}

export interface CreatedDatabase {
  url: string;
  /** --schema flags for the generator. */
  schemas: string[];
  /** Runs one statement (seeding, checks). */
  exec(sql: string): Promise<void>;
  drop(): Promise<void>;
}

/** Creates the schema in a throwaway database of the dialect. */
export async function createCorpusDatabase(schema: CorpusSchema, dialect: Dialect): Promise<CreatedDatabase> {
  const statements = statementsFor(schema, dialect);
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), `opendpo-corpus-${schema.name}-`));
    const file = path.join(dir, `${schema.name}.db`);
    const db = new Database(file);
    try {
      for (const s of statements) db.exec(s);
    } finally {
      db.close();
    }
    return {
      url: `sqlite:${file}`,
      schemas: [],
      async exec(sql) {
        const c = new Database(file);
        try {
          c.exec(sql);
        } finally {
          c.close();
        }
      },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (dialect === 'postgres') {
    const db = await createThrowawayPostgres();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      for (const s of statements) await client.query(s);
    } finally {
      await client.end();
    }
    return {
      url: db.url,
      schemas: schema.schemas,
      async exec(sql) {
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        try {
          await c.query(sql);
        } finally {
          await c.end();
        }
      },
      drop: () => db.drop(),
    };
  }
  const db = await createThrowawayMariadb();
  try {
    for (const s of statements) await db.exec(s);
  } catch (err) {
    await db.drop();
    throw err;
  }
  return { url: db.url, schemas: [], exec: async (sql) => void (await db.exec(sql)), drop: () => db.drop() };
}

/** The generator on the created database, through the command's own function. */
export function generateFor(db: CreatedDatabase): Promise<DatasetGenerateResult> {
  return datasetGenerate({ url: db.url, key: 'corpus', ...(db.schemas.length === 0 ? {} : { schema: db.schemas }) });
}

export interface Score {
  /** Labelled positive and found. */
  tp: number;
  /** Found, labelled negative. */
  fp: number;
  /** Labelled positive, not found. */
  fn: number;
}

export interface Measure {
  personal: Score;
  identity: Score;
  catalogue: Score;
  /** "table.column" labelled personal (or identity) that the generator did not flag. */
  missedPersonal: string[];
  /** "table.column" the generator flagged that are labelled not personal. */
  falsePersonal: string[];
  missedIdentity: string[];
  falseIdentity: string[];
  missedCatalogue: string[];
  falseCatalogue: string[];
}

export const precision = (s: Score): number => (s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp));
export const recall = (s: Score): number => (s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn));

/**
 * The generated dataset against the labels. Every column of the dataset must be labelled and
 * every label must name a column of the dataset: a corpus that drifted from its labels is an
 * error, not a figure.
 */
export function measure(dataset: GeneratedDataset, schema: Pick<CorpusSchema, 'name' | 'columns' | 'catalogues'>): Measure {
  const m: Measure = {
    personal: { tp: 0, fp: 0, fn: 0 },
    identity: { tp: 0, fp: 0, fn: 0 },
    catalogue: { tp: 0, fp: 0, fn: 0 },
    missedPersonal: [],
    falsePersonal: [],
    missedIdentity: [],
    falseIdentity: [],
    missedCatalogue: [],
    falseCatalogue: [],
  };
  const count = (score: Score, expected: boolean, found: boolean, id: string, missed: string[], wrong: string[]) => {
    if (expected && found) score.tp++;
    else if (found) {
      score.fp++;
      wrong.push(id);
    } else if (expected) {
      score.fn++;
      missed.push(id);
    }
  };
  const seen = new Set<string>();
  for (const c of dataset.collections) {
    const labels = schema.columns[c.name];
    if (labels === undefined) throw new Error(`${schema.name}/labels.yaml: no labels for table ${c.name}`);
    count(m.catalogue, schema.catalogues.includes(c.name), c.catalogue === true, c.name, m.missedCatalogue, m.falseCatalogue);
    for (const f of c.fields) {
      const id = `${c.name}.${f.name}`;
      const label = labels[f.name];
      if (label === undefined) throw new Error(`${schema.name}/labels.yaml: no label for ${id}`);
      seen.add(id);
      count(m.personal, label === 'personal' || label === 'identity', f.personal || f.identity !== undefined, id, m.missedPersonal, m.falsePersonal);
      count(m.identity, label === 'identity', f.identity !== undefined, id, m.missedIdentity, m.falseIdentity);
    }
  }
  for (const [table, columns] of Object.entries(schema.columns)) {
    for (const column of Object.keys(columns)) {
      if (!seen.has(`${table}.${column}`)) throw new Error(`${schema.name}/labels.yaml: ${table}.${column} is not a column the generated dataset describes`);
    }
  }
  return m;
}

/** Adds scores (for a total over schemas). */
export function addMeasures(measures: readonly Measure[]): Pick<Measure, 'personal' | 'identity' | 'catalogue'> {
  const sum = (pick: (m: Measure) => Score): Score => measures.map(pick).reduce((a, b) => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn }), { tp: 0, fp: 0, fn: 0 });
  return { personal: sum((m) => m.personal), identity: sum((m) => m.identity), catalogue: sum((m) => m.catalogue) };
}
