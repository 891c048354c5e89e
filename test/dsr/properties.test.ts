/**
 * Properties of the request engine over generated schemas and data, on real SQLite databases
 * (two files, so references cross databases):
 *
 * - access returns exactly the rows reachable from the identity, as found by a naive recursive
 *   search written here independently of the engine (the oracle), split as erasure splits them:
 *   the person's own rows in the copy, the rows another person's records lead to (or that name
 *   another person) withheld;
 * - erasure leaves none of the person's personal-data fields and changes no other row, in
 *   particular none of the rows another person reaches;
 * - a crash injected at a random point of an erasure, followed by a re-run, ends in exactly the
 *   state an uninterrupted erasure reaches (nothing masked twice, nothing missed).
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import type { Collection, Dataset, DatasetField, MaskingStrategy } from '../../src/dataset/model.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';
import { runRequest } from '../../src/dsr/run-request.js';
import type { FaultPoint } from '../../src/dsr/erasure/execute-erasure.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { openTestConnections } from './open-test-connections.js';

const PERSON = 'a@x.example';
const EMAILS = [PERSON, 'b@x.example', 'c@x.example', null] as const;
const HMAC_KEY = 'property-test-key';
const at = { file: 'generated.yaml', line: 1, column: 1 };

interface GenRef {
  target: number;
  direction: 'to' | 'from' | 'both';
  otherSubject: boolean;
}
interface GenCollection {
  db: 0 | 1;
  subject: 'customer' | 'employee' | undefined;
  hasEmail: boolean;
  erasure: 'mask' | 'delete';
  masking: 'null' | 'fixed' | 'hmac';
  refs: GenRef[];
  rows: { email: string | null; pd: string | null; r: (number | null)[] }[];
}

const arbWorld = fc.integer({ min: 2, max: 5 }).chain((n) =>
  fc
    .array(
      fc.record({
        db: fc.constantFrom<0 | 1>(0, 1),
        subject: fc.constantFrom<GenCollection['subject']>(undefined, undefined, undefined, 'customer', 'employee'),
        hasEmail: fc.boolean(),
        erasure: fc.constantFrom<GenCollection['erasure']>('mask', 'mask', 'delete'),
        masking: fc.constantFrom<GenCollection['masking']>('null', 'fixed', 'hmac'),
        refs: fc.array(
          fc.record({
            target: fc.integer({ min: 0, max: n - 1 }),
            direction: fc.constantFrom<GenRef['direction']>('to', 'from', 'both'),
            otherSubject: fc.integer({ min: 0, max: 9 }).map((n) => n < 3),
          }),
          { maxLength: 2 },
        ),
        rows: fc.array(
          fc.record({
            email: fc.constantFrom(...EMAILS),
            pd: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
            r: fc.array(fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }), { minLength: 2, maxLength: 2 }),
          }),
          { maxLength: 6 },
        ),
      }),
      { minLength: n, maxLength: n },
    )
    .map((collections) => {
      // At least one identity field, or no request can start.
      if (!collections.some((c) => c.hasEmail)) collections[0]!.hasEmail = true;
      return collections as GenCollection[];
    }),
);

const maskingOf = (c: GenCollection): MaskingStrategy =>
  c.masking === 'null' ? { strategy: 'null' } : c.masking === 'fixed' ? { strategy: 'fixed', value: 'erased' } : { strategy: 'hmac', key: { env: 'UNUSED' } };

function datasetsOf(world: GenCollection[]): Dataset[] {
  return [0, 1].map((db) => ({
    key: `d${db}`,
    format: 'opendpo' as const,
    at,
    collections: world.flatMap((c, i): Collection[] => {
      if (c.db !== db) return [];
      const fields: DatasetField[] = [{ name: 'id', categories: ['system.operations'], primaryKey: true, references: [], readOnly: false, at }];
      if (c.hasEmail) fields.push({ name: 'email', categories: ['user.contact.email'], identity: 'email', primaryKey: false, references: [], readOnly: false, masking: maskingOf(c), at });
      fields.push({ name: 'pd', categories: ['user.name'], primaryKey: false, references: [], readOnly: false, masking: maskingOf(c), at });
      c.refs.forEach((ref, j) => {
        fields.push({
          name: `r${j}`,
          categories: ['system.operations'],
          primaryKey: false,
          readOnly: false,
          at,
          references: [{ dataset: `d${world[ref.target]!.db}`, collection: `c${ref.target}`, field: 'id', direction: ref.direction, otherSubject: ref.otherSubject, at }],
        });
      });
      return [{ name: `c${i}`, ...(c.subject ? { subject: c.subject } : {}), fields, erasure: { strategy: c.erasure }, skip: false, after: [], eraseAfter: [], at }];
    }),
  }));
}

function createDatabases(dir: string, world: GenCollection[]): string[] {
  const files = [path.join(dir, 'db0.sqlite'), path.join(dir, 'db1.sqlite')];
  for (const [db, file] of files.entries()) {
    const sqlite = new SqliteDatabase(file);
    world.forEach((c, i) => {
      if (c.db !== db) return;
      sqlite.exec(`CREATE TABLE c${i} (id INTEGER PRIMARY KEY, email TEXT, pd TEXT, r0 INTEGER, r1 INTEGER)`);
      const insert = sqlite.prepare(`INSERT INTO c${i} (id, email, pd, r0, r1) VALUES (?, ?, ?, ?, ?)`);
      c.rows.forEach((row, k) => insert.run(k + 1, row.email, row.pd, row.r[0] ?? null, row.r[1] ?? null));
    });
    sqlite.close();
  }
  return files;
}

type Snapshot = Map<string, Record<string, unknown>>;
function snapshot(files: string[], world: GenCollection[]): Snapshot {
  const out: Snapshot = new Map();
  for (const [db, file] of files.entries()) {
    const sqlite = new SqliteDatabase(file, { readonly: true });
    world.forEach((c, i) => {
      if (c.db !== db) return;
      for (const row of sqlite.prepare(`SELECT * FROM c${i} ORDER BY id`).all() as Record<string, unknown>[]) out.set(`c${i}:${row.id}`, row);
    });
    sqlite.close();
  }
  return out;
}

// ---------------------------------------------------------------------------
// The oracle: a naive search over the generated rows, written from the rules, not from the engine.
// ---------------------------------------------------------------------------
interface OracleEdge {
  from: number;
  to: number;
  /** Whether row a of `from` leads to row b of `to`. */
  leads(a: GenCollection['rows'][number], aId: number, b: GenCollection['rows'][number], bId: number): boolean;
}

function oracleEdges(world: GenCollection[]): OracleEdge[] {
  const edges: OracleEdge[] = [];
  world.forEach((c, i) => {
    c.refs.forEach((ref, j) => {
      const target = world[ref.target]!;
      // "to": the row with r_j = v leads to the target row with id v, unless that row is another person's.
      if ((ref.direction === 'to' || ref.direction === 'both') && !ref.otherSubject && target.subject === undefined) {
        edges.push({ from: i, to: ref.target, leads: (a, _aId, _b, bId) => a.r[j] === bId });
      }
      // "from": the target row with id v leads to the rows whose r_j = v, unless they describe their own subjects.
      if ((ref.direction === 'from' || ref.direction === 'both') && c.subject === undefined) {
        edges.push({ from: ref.target, to: i, leads: (_a, aId, b) => b.r[j] === aId });
      }
    });
  });
  return edges;
}

function rowOf(world: GenCollection[], key: string) {
  const [c, id] = key.slice(1).split(':').map(Number) as [number, number];
  return { c, id, row: world[c]!.rows[id - 1]! };
}

/** Every row reachable from `start`, never entering a row in `barrier`. */
function closure(world: GenCollection[], start: Set<string>, barrier: Set<string> = new Set()): Set<string> {
  const edges = oracleEdges(world);
  const found = new Set(start);
  let grew = true;
  while (grew) {
    grew = false;
    for (const key of [...found]) {
      const { c, id, row } = rowOf(world, key);
      for (const e of edges) {
        if (e.from !== c) continue;
        world[e.to]!.rows.forEach((b, k) => {
          const target = `c${e.to}:${k + 1}`;
          if (!found.has(target) && !barrier.has(target) && e.leads(row, id, b, k + 1)) {
            found.add(target);
            grew = true;
          }
        });
      }
    }
  }
  return found;
}

const matchedBy = (world: GenCollection[], email: string) => {
  const seeds = new Set<string>();
  world.forEach((c, i) => c.hasEmail && c.rows.forEach((r, k) => r.email === email && seeds.add(`c${i}:${k + 1}`)));
  return seeds;
};

function reach(world: GenCollection[], email: string): Set<string> {
  return closure(world, matchedBy(world, email));
}

/**
 * The person's rows an erasure must keep: rows someone else's record leads to, rows naming
 * someone else's identity, and what the person's search reaches from those. A row the person's own
 * identity matches is theirs whatever points at it, and the search does not pass through it here.
 */
function keptOnErasure(world: GenCollection[], mine: Set<string>): Set<string> {
  const edges = oracleEdges(world);
  const own = matchedBy(world, PERSON);
  const start = new Set<string>();
  for (const key of mine) {
    if (own.has(key)) continue;
    const { c, id, row } = rowOf(world, key);
    if (world[c]!.hasEmail && row.email !== null) start.add(key);
    for (const e of edges) {
      if (e.to !== c) continue;
      world[e.from]!.rows.forEach((a, k) => {
        if (!mine.has(`c${e.from}:${k + 1}`) && e.leads(a, k + 1, row, id)) start.add(key);
      });
    }
  }
  return new Set([...closure(world, start, own)].filter((k) => mine.has(k)));
}

// ---------------------------------------------------------------------------

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function withWorld<T>(world: GenCollection[], fn: (ctx: { files: string[]; store: Store; datasets: Dataset[]; dir: string }) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-prop-'));
  dirs.push(dir);
  const files = createDatabases(dir, world);
  const store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
  try {
    return await fn({ files, store, datasets: datasetsOf(world), dir });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function requestInput(files: string[], store: Store, datasets: Dataset[], kind: 'access' | 'erasure', fault?: (p: FaultPoint) => void) {
  return {
    kind,
    identities: { email: PERSON },
    datasets,
    store,
    connect: () =>
      openTestConnections([
        { name: 'db0', type: 'sqlite', url: `sqlite:${files[0]}`, datasets: ['d0'] },
        { name: 'db1', type: 'sqlite', url: `sqlite:${files[1]}`, datasets: ['d1'] },
      ]),
    secretFor: () => HMAC_KEY,
    ...(fault ? { fault } : {}),
  };
}

const isCycleRefusal = (err: unknown) => isOpendpoError(err) && err.code === 'DATASET_INVALID' && err.message.includes('cycle');

describe('the request engine over generated schemas and data', () => {
  it('access returns exactly the rows reachable from the identity, the person\'s own in the copy and the others withheld (oracle: naive recursive search)', async () => {
    await fc.assert(
      fc.asyncProperty(arbWorld, async (world) => {
        await withWorld(world, async ({ files, store, datasets }) => {
          const outcome = await runRequest(requestInput(files, store, datasets, 'access'));
          const own = new Set(outcome.collected.collections.flatMap((c) => c.rows.map((r) => `${c.collection}:${String(r.id)}`)));
          const withheld = new Set(outcome.collected.collections.flatMap((c) => c.withheld.flatMap((w) => w.rows.map((r) => `${c.collection}:${String(r.id)}`))));
          const mine = reach(world, PERSON);
          const kept = keptOnErasure(world, mine);
          expect([...own].sort()).toEqual([...mine].filter((k) => !kept.has(k)).sort());
          expect([...withheld].sort()).toEqual([...kept].sort());
          // A withheld row shows no personal data: neither the email nor the personal field, nor the references to other rows.
          for (const c of outcome.collected.collections) for (const w of c.withheld) expect(w.fields.map((f) => f.name)).toEqual(['id']);
          expect(outcome.request.status).toBe('completed');
        });
      }),
      { numRuns: 60 },
    );
  }, 180_000);

  it('erasure leaves none of the person\'s personal data and changes no one else\'s rows', async () => {
    await fc.assert(
      fc.asyncProperty(arbWorld, async (world) => {
        await withWorld(world, async ({ files, store, datasets }) => {
          const before = snapshot(files, world);
          try {
            await runRequest(requestInput(files, store, datasets, 'erasure'));
          } catch (err) {
            if (!isCycleRefusal(err)) throw err;
            // Refused before any write: nothing changed.
            expect(snapshot(files, world)).toEqual(before);
            return;
          }
          const after = snapshot(files, world);
          const mine = reach(world, PERSON);
          const kept = keptOnErasure(world, mine);
          // Another person's rows: whatever they reach, except the person's own records (rows the
          // person's identity matches) and what hangs only from those.
          for (const other of EMAILS.slice(1)) {
            for (const key of reach(world, other!)) {
              if (!mine.has(key) || kept.has(key)) expect(after.get(key), `another person's row ${key}`).toEqual(before.get(key));
            }
          }
          for (const [key, row] of before) {
            const { c } = rowOf(world, key);
            const gen = world[c]!;
            if (!mine.has(key) || kept.has(key)) {
              expect(after.get(key), `row ${key} is not the person's alone`).toEqual(row);
            } else if (gen.erasure === 'delete') {
              expect(after.has(key), `row ${key} deleted`).toBe(false);
            } else {
              // null and fixed write the same value on every row; hmac keeps a null a null.
              const masked = (v: unknown) =>
                gen.masking === 'null' ? null : gen.masking === 'fixed' ? 'erased' : v === null ? null : createHmac('sha256', HMAC_KEY).update(String(v)).digest('hex');
              const expected = { ...row, pd: masked(row.pd), email: gen.hasEmail ? masked(row.email) : row.email };
              expect(after.get(key), `row ${key} masked`).toEqual(expected);
            }
          }
          for (const key of after.keys()) expect(before.has(key)).toBe(true);
        });
      }),
      { numRuns: 60 },
    );
  }, 180_000);

  it('a crash at any point of an erasure, then a re-run, ends as an uninterrupted erasure does', async () => {
    await fc.assert(
      fc.asyncProperty(arbWorld, fc.integer({ min: 1, max: 12 }), async (world, crashAt) => {
        const reference = await withWorld(world, async ({ files, store, datasets }) => {
          try {
            await runRequest(requestInput(files, store, datasets, 'erasure'));
          } catch (err) {
            if (!isCycleRefusal(err)) throw err;
          }
          return snapshot(files, world);
        });
        await withWorld(world, async ({ files, store, datasets }) => {
          let points = 0;
          let crashed = false;
          const fault = () => {
            if (++points === crashAt) {
              crashed = true;
              throw new Error('simulated crash');
            }
          };
          try {
            await runRequest(requestInput(files, store, datasets, 'erasure', fault));
          } catch (err) {
            if (!crashed && !isCycleRefusal(err)) throw err;
          }
          if (crashed) {
            const unfinished = await store.requests.list();
            expect(unfinished[0]!.status).toBe('failed');
            const outcome = await runRequest(requestInput(files, store, datasets, 'erasure'));
            expect(outcome.request.id).toBe(unfinished[0]!.id);
            expect(outcome.request.status).toBe('completed');
          }
          expect(snapshot(files, world)).toEqual(reference);
        });
      }),
      { numRuns: 60 },
    );
  }, 180_000);
});
