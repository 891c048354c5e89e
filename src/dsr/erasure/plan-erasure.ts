/**
 * Turns the rows an access search found into the exact writes of an erasure (Art. 17), before
 * any write happens:
 *
 * - only the person's own rows are written: a row the boundary (../boundary.ts) finds shared with
 *   another person (an address another customer's order ships to) or another person's is kept,
 *   as access withholds it; catalogue rows (products, cities, stores) are nobody's and never written;
 * - rows under a legal hold are kept, with the reason (Art. 17(3)) and, where the dataset dates
 *   them (`retention_start`), the latest start date, so the person can later be told until when;
 * - rows are deleted when their collection says so, or when their primary key holds one of the
 *   person's identities (masking a key in place would break the row's identity);
 * - a row to delete that a real foreign key still points at from a row that stays is masked
 *   instead, so no constraint fails and nothing cascades into rows outside the request;
 * - every other row has its personal-data fields masked, except fields under a legal hold;
 * - deletes run children first, in an order derived from the databases' real foreign keys, the
 *   datasets' references and Fides' erase_after; a cycle among them is refused before any write.
 *
 * Every value to write is computed here, so the plan can be stored and replayed identically.
 */
import type { DatabaseConnector, Row, TableRef, TableShape, Value } from '../../connectors/connector.js';
import { isPersonalDataField, type Collection, type LegalHold, type MaskingStrategy } from '../../dataset/model.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { valueKey } from '../../connectors/value-key.js';
import type { Boundary } from '../boundary.js';
import { rowKey, type CollectedNode } from '../execute/collect.js';
import { calendarDate } from '../past-erasures.js';
import type { GraphNode, RequestGraph } from '../plan/graph.js';
import { topologicalOrder } from '../plan/topological-order.js';
import { encodeValue, type EncodedValue } from './encode-value.js';
import { isConstantStrategy, maskValue } from './masking.js';

export interface ErasureOperation {
  node: string;
  table: TableRef;
  kind: 'update' | 'delete';
  keyColumns: string[];
  set?: Record<string, EncodedValue>;
  keys: EncodedValue[][];
  /**
   * Where the search found each row, in `keys` order (PostgreSQL: ctid), when it found every one's:
   * a hint that spares the write the primary key's index; the keys alone say which rows are written.
   */
  locations?: string[];
}

export interface ConnectionErasure {
  connection: string;
  operations: ErasureOperation[];
}

export type KeptReason = 'legal-hold' | 'shared' | 'referenced';

export interface KeptRecord {
  node: string;
  reason: KeptReason;
  rows: number;
  /** For a field-level legal hold, the fields kept. */
  fields?: string[];
  hold?: LegalHold;
  /**
   * Under a legal hold, in a collection with a `retention_start`: the latest start date (YYYY-MM-DD)
   * among the rows kept, when every one of them has a date; the hold lasts until it plus its period.
   */
  latestStart?: string;
}

export interface ErasurePlan {
  connections: ConnectionErasure[];
  kept: KeptRecord[];
}

export interface PlanErasureOptions {
  graph: RequestGraph;
  collected: Map<string, CollectedNode>;
  /** Whose each found row is: only the person's own rows are written. */
  boundary: Boundary;
  /** The table shape found for a node at the check. */
  shapeOf: (node: GraphNode) => TableShape;
  /** Every table of a connection, for the foreign keys that point at rows to delete. */
  tablesOf: (connection: string) => TableShape[];
  connectionOf: (datasetKey: string) => string;
  connectorFor: (datasetKey: string) => DatabaseConnector;
  /** Resolves the key of an hmac strategy. */
  secretFor: (strategy: MaskingStrategy & { strategy: 'hmac' }) => string;
}

interface RowState {
  row: Row;
  action: 'mask' | 'delete' | 'kept';
}

const sameTable = (a: TableRef, b: TableRef) => a.name === b.name && (a.schema ?? '') === (b.schema ?? '');

export async function planErasure(options: PlanErasureOptions): Promise<ErasurePlan> {
  const { collected } = options;
  const kept: KeptRecord[] = [];
  const states = new Map<string, Map<string, RowState>>();

  // 1. Rows that are someone else's too, then legal holds on whole collections.
  for (const [id, found] of collected) {
    const c = found.node.collection;
    const ownership = options.boundary.get(id);
    // Catalogue rows are nobody's records: never written.
    if (found.rows.size === 0 || c.skip || ownership === undefined) continue;
    const rows = new Map<string, RowState>();
    states.set(id, rows);
    const own = [...found.rows].filter(([k]) => ownership.get(k) === 'own');
    const withheld = found.rows.size - own.length;
    const identityInKey = found.key.some((k) => c.fields.some((f) => f.name === k && f.identity !== undefined));
    // Only worth saying where there is personal data to keep.
    const hasPersonalData = c.legalHold !== undefined || c.erasure.strategy === 'delete' || identityInKey || maskableFields(found).length > 0;
    if (withheld > 0 && hasPersonalData) kept.push({ node: id, reason: 'shared', rows: withheld });
    if (own.length === 0) continue;
    if (c.legalHold !== undefined) {
      kept.push({ node: id, reason: 'legal-hold', rows: own.length, hold: c.legalHold, ...latestStartOf(c, own.map(([, r]) => r)) });
      continue;
    }
    // A field under a legal hold keeps its row: the row is masked instead of deleted.
    const fieldHeld = c.fields.some((f) => f.legalHold !== undefined);
    const action = (c.erasure.strategy === 'delete' || identityInKey) && !fieldHeld ? 'delete' : 'mask';
    for (const [k, row] of own) rows.set(k, { row, action });
  }

  // 2. A row to delete that a real foreign key still points at from a row that stays is masked.
  // Masking a row keeps it, so the rows it points at may stay in turn: repeat until nothing changes
  // (each round keeps at least one more row, so it ends). A bounded number of rounds would delete
  // the start of a long chain (a thread of replies) and cascade through the rest into other rows.
  while ((await downgradeReferenced(options, states)) > 0);
  for (const [id, rows] of states) {
    const referenced = [...rows.values()].filter((s) => s.action === 'kept').length;
    if (referenced > 0) kept.push({ node: id, reason: 'referenced', rows: referenced });
  }

  // 3. The writes, per connection: masking first, then deletes children before parents.
  const byConnection = new Map<string, { updates: ErasureOperation[]; deletes: Map<string, ErasureOperation[]> }>();
  for (const [id, rows] of states) {
    const found = collected.get(id)!;
    const node = found.node;
    const connection = options.connectionOf(node.dataset.key);
    if (!byConnection.has(connection)) byConnection.set(connection, { updates: [], deletes: new Map() });
    const target = byConnection.get(connection)!;
    const toDelete = [...rows.values()].filter((s) => s.action === 'delete');
    if (toDelete.length > 0) {
      const { levels, loop } = await selfReferenceLevels(options, found, toDelete.map((s) => s.row));
      // Rows that point at each other in a loop: their pointers are cleared first (they go anyway),
      // so that a database checking the key row by row (SQLite RESTRICT, InnoDB) lets them go too.
      if (loop) {
        const set = Object.fromEntries(loop.columns.map((c) => [c, encodeValue(null)]));
        target.updates.push({ node: id, table: found.table, kind: 'update', keyColumns: found.key, set, keys: loop.rows.map((row) => found.key.map((k) => encodeValue(row[k] ?? null))), ...locationsOf(found, loop.rows) });
      }
      target.deletes.set(
        id,
        levels.map((rows) => ({
          node: id,
          table: found.table,
          kind: 'delete' as const,
          keyColumns: found.key,
          keys: rows.map((row) => found.key.map((k) => encodeValue(row[k] ?? null))),
          ...locationsOf(found, rows),
        })),
      );
    }
    const toMask = [...rows.values()].filter((s) => s.action === 'mask');
    if (toMask.length > 0) target.updates.push(...maskOperations(options, found, toMask.map((s) => s.row), kept));
  }

  const connections: ConnectionErasure[] = [];
  for (const [connection, { updates, deletes }] of byConnection) {
    const ordered = orderDeletes(options, connection, deletes);
    if (updates.length + ordered.length > 0) connections.push({ connection, operations: [...updates, ...ordered] });
  }
  return { connections, kept };
}

async function downgradeReferenced(options: PlanErasureOptions, states: Map<string, Map<string, RowState>>): Promise<number> {
  let downgraded = 0;
  for (const [id, rows] of states) {
    const doomed = [...rows.entries()].filter(([, s]) => s.action === 'delete');
    if (doomed.length === 0) continue;
    const found = options.collected.get(id)!;
    const node = found.node;
    const shape = options.shapeOf(node);
    const connection = options.connectionOf(node.dataset.key);
    for (const table of options.tablesOf(connection)) {
      for (const fk of table.foreignKeys) {
        if (!sameTable(fk.references, shape)) continue;
        const tuples = new Map<string, Value[]>();
        for (const [, s] of doomed) {
          const tuple = fk.references.columns.map((c) => s.row[c] ?? null);
          if (tuple.every((v) => v !== null)) tuples.set(JSON.stringify(tuple.map(valueKey)), tuple);
        }
        if (tuples.size === 0) continue;
        // Which node (if any) is the referencing table, and which of its rows are being deleted.
        const referencing = [...options.collected.values()].find(
          (c) => options.connectionOf(c.node.dataset.key) === connection && sameTable(options.shapeOf(c.node), table),
        );
        const key = referencing?.key.length ? referencing.key : table.primaryKey;
        const result = await options.connectorFor(node.dataset.key).run({
          kind: 'select',
          table: table.schema === undefined ? { name: table.name } : { schema: table.schema, name: table.name },
          columns: [...new Set([...key, ...fk.columns])],
          where: { columns: fk.columns, values: [...tuples.values()] },
        });
        const staying = new Set<string>();
        for (const r of result.rows) {
          const rState = referencing ? states.get(referencing.node.id)?.get(rowKey(r, referencing.key, referencing.columns)) : undefined;
          if (rState?.action !== 'delete') staying.add(JSON.stringify(fk.columns.map((c) => valueKey(r[c] ?? null))));
        }
        for (const [, s] of doomed) {
          if (s.action !== 'delete') continue;
          const tuple = JSON.stringify(fk.references.columns.map((c) => valueKey(s.row[c] ?? null)));
          if (staying.has(tuple)) {
            // Masking keeps the row (and its key) for the rows that point at it.
            const identityInKey = found.key.some((k) => node.collection.fields.some((f) => f.name === k && f.identity !== undefined));
            s.action = identityInKey ? 'kept' : 'mask';
            downgraded++;
          }
        }
      }
    }
  }
  return downgraded;
}

/** The fields an erasure masks: personal data, neither key, read-only nor under a legal hold. (Their values are read only where masking needs them: see unusedValues.) */
function maskableFields(found: CollectedNode) {
  return found.node.collection.fields.filter((f) => isPersonalDataField(f) && !found.key.includes(f.name) && !f.readOnly && f.legalHold === undefined);
}

/**
 * The columns of a table a real foreign key of the database points at, declared by the dataset or
 * not, personal or not: an erasure reads them, since a row to delete that a row staying still
 * points at is masked or kept instead (downgradeReferenced compares them).
 */
export function referencedColumns(shape: TableRef | undefined, tables: readonly TableShape[]): ReadonlySet<string> {
  if (shape === undefined) return new Set();
  return new Set(tables.flatMap((t) => t.foreignKeys.filter((fk) => sameTable(fk.references, shape)).flatMap((fk) => fk.references.columns)));
}

/**
 * The personal-data fields of a collection whose values an erasure never uses: every one but those
 * masked by a keyed hash of the value (hmac) and those a real foreign key of the database points at
 * (a row to delete that another row still points at is masked instead: the plan compares them). A
 * constant, a random string or a deletion does not depend on what the field held, so the search need
 * not read it (on the bench's shop, about half the columns of a person's rows). Keys, identities and
 * references are read whatever this says.
 */
export function unusedValues(collection: Collection, shape: TableRef | undefined, tables: readonly TableShape[]): ReadonlySet<string> {
  const referenced = referencedColumns(shape, tables);
  return new Set(collection.fields.filter((f) => isPersonalDataField(f) && f.masking?.strategy !== 'hmac' && !referenced.has(f.name)).map((f) => f.name));
}

/** The latest retention start among rows kept under a hold, when the collection dates them and every row has a date. */
function latestStartOf(c: Collection, rows: readonly Row[]): { latestStart?: string } {
  if (c.retentionStart === undefined || rows.length === 0) return {};
  const dates = rows.map((r) => calendarDate(r[c.retentionStart!] ?? null));
  if (dates.some((d) => d === undefined)) return {};
  return { latestStart: (dates as string[]).reduce((a, b) => (a > b ? a : b)) };
}

/**
 * The masking updates of a collection: one statement for all rows when every field's masked value
 * is the same on every row (null, fixed), else one per row with all its fields (hmac, random), so
 * each row is written once and the evidence counts rows, not statements.
 */
function maskOperations(options: PlanErasureOptions, found: CollectedNode, rows: Row[], kept: KeptRecord[]): ErasureOperation[] {
  const fields = maskableFields(found);
  const base = { node: found.node.id, table: found.table, kind: 'update' as const, keyColumns: found.key };
  const keyOf = (row: Row) => found.key.map((k) => encodeValue(row[k] ?? null));
  const strategyOf = (f: (typeof fields)[number]): MaskingStrategy => f.masking ?? { strategy: 'null' };
  const valueOf = (f: (typeof fields)[number], row: Row) => {
    const strategy = strategyOf(f);
    return encodeValue(maskValue(strategy, row[f.name] ?? null, strategy.strategy === 'hmac' ? options.secretFor(strategy) : undefined));
  };
  for (const f of found.node.collection.fields) {
    if (f.legalHold !== undefined && isPersonalDataField(f)) {
      kept.push({ node: found.node.id, reason: 'legal-hold', rows: rows.length, fields: [f.name], hold: f.legalHold, ...latestStartOf(found.node.collection, rows) });
    }
  }
  if (fields.length === 0) return [];
  if (fields.every((f) => isConstantStrategy(strategyOf(f)))) {
    const set: Record<string, EncodedValue> = {};
    for (const f of fields) set[f.name] = encodeValue(maskValue(strategyOf(f), null));
    return [{ ...base, set, keys: rows.map(keyOf), ...locationsOf(found, rows) }];
  }
  return rows.map((row) => ({ ...base, set: Object.fromEntries(fields.map((f) => [f.name, valueOf(f, row)])), keys: [keyOf(row)], ...locationsOf(found, [row]) }));
}

/** The rows' addresses as the search found them, when it found every one's. */
function locationsOf(found: CollectedNode, rows: readonly Row[]): { locations?: string[] } {
  const { locations } = found;
  if (locations === undefined || rows.length === 0) return {};
  const out: string[] = [];
  for (const row of rows) {
    const location = locations.get(row);
    if (location === undefined) return {};
    out.push(location);
  }
  return { locations: out };
}

/**
 * The rows of a table to delete, in the order a real foreign key of the table to itself lets them go
 * (a reply to the person's own message): rows no other of these rows points at first, then the rows
 * they pointed at, and so on. One DELETE of them all is refused where the database checks such a
 * key row by row (MariaDB's InnoDB whatever the action, SQLite with RESTRICT). The key's columns are
 * read from the database (a dataset need not declare them). Rows that point at each other in a
 * loop go last, together, their pointers cleared before (`loop`: the key columns to set to null, and
 * the rows): no order of deletes lets a loop go where the database checks row by row.
 */
async function selfReferenceLevels(
  options: PlanErasureOptions,
  found: CollectedNode,
  rows: Row[],
): Promise<{ levels: Row[][]; loop?: { columns: string[]; rows: Row[] } }> {
  const shape = options.shapeOf(found.node);
  const table = options.tablesOf(options.connectionOf(found.node.dataset.key)).find((t) => sameTable(t, shape));
  const selfKeys = (table?.foreignKeys ?? []).filter((fk) => sameTable(fk.references, shape));
  if (selfKeys.length === 0 || rows.length < 2 || found.key.length === 0) return { levels: [rows] };
  const tupleOf = (row: Row, columns: readonly string[]) => JSON.stringify(columns.map((c) => valueKey(row[c] ?? null)));
  const byKey = new Map(rows.map((row) => [tupleOf(row, found.key), row]));
  const result = await options.connectorFor(found.node.dataset.key).run({
    kind: 'select',
    table: found.table,
    columns: [...new Set([...found.key, ...selfKeys.flatMap((fk) => [...fk.columns, ...fk.references.columns])])],
    where: { columns: found.key, values: rows.map((row) => found.key.map((k) => row[k] ?? null)) },
  });
  // parents[child] = the rows being deleted that the child points at (by each self key).
  const parents = new Map<string, Set<string>>();
  for (const fk of selfKeys) {
    const byReferenced = new Map<string, string>();
    for (const r of result.rows) byReferenced.set(tupleOf(r, fk.references.columns), tupleOf(r, found.key));
    for (const r of result.rows) {
      if (fk.columns.some((c) => (r[c] ?? null) === null)) continue;
      const parent = byReferenced.get(tupleOf(r, fk.columns));
      const child = tupleOf(r, found.key);
      if (parent === undefined || parent === child) continue;
      if (!parents.has(child)) parents.set(child, new Set());
      parents.get(child)!.add(parent);
    }
  }
  const levels: Row[][] = [];
  const left = new Set(byKey.keys());
  let loop: { columns: string[]; rows: Row[] } | undefined;
  while (left.size > 0) {
    const pointedAt = new Set<string>();
    for (const k of left) for (const p of parents.get(k) ?? []) if (left.has(p)) pointedAt.add(p);
    const level = [...left].filter((k) => !pointedAt.has(k));
    const taken = level.length > 0 ? level : [...left];
    if (level.length === 0) {
      // The key columns of a table's key to itself that are not part of its own key (those are cleared).
      const columns = [...new Set(selfKeys.flatMap((fk) => fk.columns))].filter((c) => !found.key.includes(c));
      if (columns.length > 0) loop = { columns, rows: taken.map((k) => byKey.get(k)!) };
    }
    levels.push(taken.map((k) => byKey.get(k)!));
    for (const k of taken) left.delete(k);
  }
  return { levels, ...(loop ? { loop } : {}) };
}

function orderDeletes(options: PlanErasureOptions, connection: string, deletes: Map<string, ErasureOperation[]>): ErasureOperation[] {
  const ids = [...deletes.keys()];
  // before[a] = nodes whose deletes must run before a's (the rows that point at a's rows).
  // Hard: the database's real foreign keys and Fides erase_after; soft: the datasets' references,
  // followed when they do not form a cycle (without a real foreign key the database does not care).
  const hard = new Map<string, Set<string>>(ids.map((id) => [id, new Set<string>()]));
  const soft = new Map<string, Set<string>>(ids.map((id) => [id, new Set<string>()]));
  const tables = options.tablesOf(connection);
  for (const a of ids) {
    const nodeA = options.graph.nodes.get(a)!;
    const shapeA = options.shapeOf(nodeA);
    for (const b of ids) {
      if (a === b) continue;
      const nodeB = options.graph.nodes.get(b)!;
      const shapeB = options.shapeOf(nodeB);
      const realFk = tables.some((t) => sameTable(t, shapeB) && t.foreignKeys.some((fk) => sameTable(fk.references, shapeA)));
      if (realFk || nodeA.collection.eraseAfter.includes(b)) hard.get(a)!.add(b);
      if (nodeB.collection.fields.some((f) => f.references.some((r) => `${r.dataset}.${r.collection}` === a))) soft.get(a)!.add(b);
    }
  }
  const combined = new Map(ids.map((id) => [id, new Set([...hard.get(id)!, ...soft.get(id)!])]));
  const order = topologicalOrder(ids, combined) ?? topologicalOrder(ids, hard);
  if (order === undefined) {
    const places = ids.map((id) => {
      const at = options.graph.nodes.get(id)!.collection.at;
      return `${id} (${at.file}:${at.line})`;
    });
    throw new OpendpoError(
      'DATASET_INVALID',
      `Rows to delete are linked by foreign keys in a cycle among ${places.join(', ')}: no delete order satisfies them. Declare erasure: mask on one of these collections.`,
    );
  }
  return order.flatMap((id) => deletes.get(id)!);
}
