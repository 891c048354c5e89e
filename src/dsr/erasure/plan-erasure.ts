/**
 * Turns the rows an access search found into the exact writes of an erasure (Art. 17), before
 * any write happens:
 *
 * - rows under a legal hold are kept, with the reason (Art. 17(3));
 * - a row another record also leads to (an address shared with another customer's order) is
 *   kept: erasing it would erase someone else's data. Sharing is read from the same edges the
 *   search follows, so it is exactly "reachable from a row that is not the person's";
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
import { isPersonalDataField, type LegalHold, type MaskingStrategy } from '../../dataset/model.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { valueKey } from '../../connectors/value-key.js';
import { rowKey, type CollectedNode } from '../execute/collect.js';
import { edgesInto, type GraphNode, type RequestGraph } from '../plan/graph.js';
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
}

export interface ErasurePlan {
  connections: ConnectionErasure[];
  kept: KeptRecord[];
}

export interface PlanErasureOptions {
  graph: RequestGraph;
  collected: Map<string, CollectedNode>;
  /** The identities the request was made with (type -> values): rows naming other values are someone else's. */
  identities: Readonly<Record<string, readonly string[]>>;
  /** Primary key of any node of the graph (reachable or not). */
  keyOf: (node: GraphNode) => string[];
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
  const shared = await sharedRows(options);
  for (const [id, found] of collected) {
    const c = found.node.collection;
    const rows = new Map<string, RowState>();
    states.set(id, rows);
    if (found.rows.size === 0 || c.skip) continue;
    if (c.legalHold !== undefined) {
      kept.push({ node: id, reason: 'legal-hold', rows: found.rows.size, hold: c.legalHold });
      continue;
    }
    const sharedHere = shared.get(id)!;
    const identityInKey = found.key.some((k) => c.fields.some((f) => f.name === k && f.identity !== undefined));
    // A field under a legal hold keeps its row: the row is masked instead of deleted.
    const fieldHeld = c.fields.some((f) => f.legalHold !== undefined);
    const action = (c.erasure.strategy === 'delete' || identityInKey) && !fieldHeld ? 'delete' : 'mask';
    for (const [k, row] of found.rows) {
      if (sharedHere.has(k)) continue;
      rows.set(k, { row, action });
    }
    // Only worth saying where there is personal data to keep.
    const hasPersonalData = c.erasure.strategy === 'delete' || identityInKey || maskableFields(found).length > 0;
    if (sharedHere.size > 0 && hasPersonalData) kept.push({ node: id, reason: 'shared', rows: sharedHere.size });
  }

  // 2. A row to delete that a real foreign key still points at from a row that stays is masked.
  for (let round = 0; round < 10; round++) {
    const downgraded = await downgradeReferenced(options, states);
    if (downgraded === 0) break;
  }
  for (const [id, rows] of states) {
    const referenced = [...rows.values()].filter((s) => s.action === 'kept').length;
    if (referenced > 0) kept.push({ node: id, reason: 'referenced', rows: referenced });
  }

  // 3. The writes, per connection: masking first, then deletes children before parents.
  const byConnection = new Map<string, { updates: ErasureOperation[]; deletes: Map<string, ErasureOperation> }>();
  for (const [id, rows] of states) {
    const found = collected.get(id)!;
    const node = found.node;
    const connection = options.connectionOf(node.dataset.key);
    if (!byConnection.has(connection)) byConnection.set(connection, { updates: [], deletes: new Map() });
    const target = byConnection.get(connection)!;
    const toDelete = [...rows.values()].filter((s) => s.action === 'delete');
    if (toDelete.length > 0) {
      target.deletes.set(id, {
        node: id,
        table: found.table,
        kind: 'delete',
        keyColumns: found.key,
        keys: toDelete.map((s) => found.key.map((k) => encodeValue(s.row[k] ?? null))),
      });
    }
    const toMask = [...rows.values()].filter((s) => s.action === 'mask');
    if (toMask.length > 0) target.updates.push(...maskOperations(options, found, toMask.map((s) => s.row), kept));
    else recordFieldHolds(found, kept, [...rows.values()].some((s) => s.action === 'delete'));
  }

  const connections: ConnectionErasure[] = [];
  for (const [connection, { updates, deletes }] of byConnection) {
    const ordered = orderDeletes(options, connection, deletes);
    if (updates.length + ordered.length > 0) connections.push({ connection, operations: [...updates, ...ordered] });
  }
  return { connections, kept };
}

/**
 * The rows that are not the person's alone, by node. A row found through one of the person's own
 * identities is theirs, whoever else points at it (a support ticket with their email stays theirs
 * though an agent is assigned to it). Any other row is someone else's too when an edge reaches it
 * from a row outside the request (an address another customer's order ships to), when its
 * identity field names someone else (another customer's email on an order of this one), or when
 * the request reaches it from such a row (the other person reaches it the same way).
 */
async function sharedRows(options: PlanErasureOptions): Promise<Map<string, Set<string>>> {
  const shared = new Map<string, Set<string>>();
  const own = new Map<string, Set<string>>();
  for (const [id, found] of options.collected) {
    const mine = new Set<string>();
    const set = new Set<string>();
    // Only identity types the request carries can be compared.
    const identityFields = found.node.collection.fields.filter((f) => f.identity !== undefined && options.identities[f.identity] !== undefined);
    const values = new Map(identityFields.map((f) => [f.name, new Set(options.identities[f.identity!]!.map((v) => valueKey(v)))]));
    for (const [k, row] of found.rows) {
      let namesSomeoneElse = false;
      for (const f of identityFields) {
        const v = row[f.name];
        if (v === null || v === undefined) continue;
        if (values.get(f.name)!.has(valueKey(v))) mine.add(k);
        else namesSomeoneElse = true;
      }
      if (namesSomeoneElse && !mine.has(k)) set.add(k);
    }
    for (const k of await enteredFromOutside(options, found)) if (!mine.has(k)) set.add(k);
    shared.set(id, set);
    own.set(id, mine);
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const edge of options.graph.edges) {
      const from = options.collected.get(edge.from);
      const to = options.collected.get(edge.to);
      if (from === undefined || to === undefined) continue;
      const fromShared = shared.get(edge.from)!;
      if (fromShared.size === 0) continue;
      const values = new Set<string>();
      for (const k of fromShared) {
        const v = from.rows.get(k)?.[edge.fromField];
        if (v !== null && v !== undefined) values.add(valueKey(v));
      }
      const toShared = shared.get(edge.to)!;
      const toOwn = own.get(edge.to)!;
      for (const [k, row] of to.rows) {
        const v = row[edge.toField];
        if (!toShared.has(k) && !toOwn.has(k) && v !== null && v !== undefined && values.has(valueKey(v))) {
          toShared.add(k);
          changed = true;
        }
      }
    }
  }
  return shared;
}

/** Rows of `found` that an edge reaches from a row that is not part of the request. */
async function enteredFromOutside(options: PlanErasureOptions, found: CollectedNode): Promise<Set<string>> {
  const shared = new Set<string>();
  for (const edge of edgesInto(options.graph, found.node.id)) {
    const values = new Map<string, Value>();
    for (const row of found.rows.values()) {
      const v = row[edge.toField];
      if (v !== null && v !== undefined) values.set(valueKey(v), v);
    }
    if (values.size === 0) continue;
    const source = options.graph.nodes.get(edge.from)!;
    const sourceFound = options.collected.get(edge.from);
    const sourceKey = options.keyOf(source);
    // When the edge starts at the source's own single-column key and every value is the key of a
    // row already in the request, no row outside it can hold those values: nothing to ask.
    if (sourceFound !== undefined && sourceKey.length === 1 && sourceKey[0] === edge.fromField) {
      const inside = new Set([...sourceFound.rows.values()].map((r) => valueKey(r[edge.fromField] ?? null)));
      if ([...values.keys()].every((k) => inside.has(k))) continue;
    }
    const columns = [...new Set([...sourceKey, edge.fromField])];
    const table = source.collection.schema === undefined ? { name: source.collection.name } : { schema: source.collection.schema, name: source.collection.name };
    const result = await options.connectorFor(source.dataset.key).run({
      kind: 'select',
      table,
      columns,
      where: { columns: [edge.fromField], values: [...values.values()].map((v) => [v]) },
    });
    const outsideValues = new Set<string>();
    for (const r of result.rows) {
      const inside = sourceFound !== undefined && sourceFound.rows.has(rowKey(r, sourceFound.key, sourceFound.columns));
      if (!inside) outsideValues.add(valueKey(r[edge.fromField] ?? null));
    }
    if (outsideValues.size === 0) continue;
    for (const [k, row] of found.rows) {
      const v = row[edge.toField];
      if (v !== null && v !== undefined && outsideValues.has(valueKey(v))) shared.add(k);
    }
  }
  return shared;
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

function maskableFields(found: CollectedNode) {
  const columns = new Set(found.columns);
  return found.node.collection.fields.filter(
    (f) => isPersonalDataField(f) && columns.has(f.name) && !found.key.includes(f.name) && !f.readOnly && f.legalHold === undefined,
  );
}

function recordFieldHolds(found: CollectedNode, kept: KeptRecord[], deleting: boolean) {
  if (deleting) return;
  const held = found.node.collection.fields.filter((f) => f.legalHold !== undefined && isPersonalDataField(f));
  for (const f of held) kept.push({ node: found.node.id, reason: 'legal-hold', rows: found.rows.size, fields: [f.name], hold: f.legalHold });
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
    if (f.legalHold !== undefined && isPersonalDataField(f)) kept.push({ node: found.node.id, reason: 'legal-hold', rows: rows.length, fields: [f.name], hold: f.legalHold });
  }
  if (fields.length === 0) return [];
  if (fields.every((f) => isConstantStrategy(strategyOf(f)))) {
    const set: Record<string, EncodedValue> = {};
    for (const f of fields) set[f.name] = encodeValue(maskValue(strategyOf(f), null));
    return [{ ...base, set, keys: rows.map(keyOf) }];
  }
  return rows.map((row) => ({ ...base, set: Object.fromEntries(fields.map((f) => [f.name, valueOf(f, row)])), keys: [keyOf(row)] }));
}

function orderDeletes(options: PlanErasureOptions, connection: string, deletes: Map<string, ErasureOperation>): ErasureOperation[] {
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
  return order.map((id) => deletes.get(id)!);
}
