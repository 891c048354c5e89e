/**
 * Finds the person's rows: starting from the identity values, follow the graph's edges until no
 * new value turns up (a fixpoint, so reference cycles end by themselves). Each round asks a
 * collection only for the values it has not been asked for yet, in batches, so a person with
 * thousands of rows costs a few statements per collection, not one per row.
 *
 * The result is exactly the set of rows reachable from the identities through the followed edges;
 * test/dsr/properties checks this against a naive recursive search.
 */
import type { DatabaseConnector, Row, TableRef, Value } from '../../connectors/connector.js';
import { isPersonalDataField } from '../../dataset/model.js';
import type { GraphNode, RequestGraph } from '../plan/graph.js';

export interface CollectedNode {
  node: GraphNode;
  table: TableRef;
  /** Columns selected: keys, personal-data fields and the fields edges use. */
  columns: string[];
  /** Primary-key columns (declared, or the database's own). */
  key: string[];
  /** The person's rows, by primary-key value. */
  rows: Map<string, Row>;
  statements: number;
  durationMs: number;
}

export interface CollectOptions {
  graph: RequestGraph;
  /**
   * Identity type -> values. One person usually has one value per type; several people's values
   * can be given together (a batch of erasures), and the result is the union of their rows.
   */
  identities: Readonly<Record<string, readonly string[]>>;
  connectorFor: (datasetKey: string) => DatabaseConnector;
  /** Primary-key columns of a node (declared, or introspected); an empty list means none. */
  keyOf: (node: GraphNode) => string[];
}

/** The identity of a value across drivers: 1, 1n and "1" are the same key value. */
export function valueKey(value: Value): string {
  if (value instanceof Date) return `d:${value.toISOString()}`;
  if (value instanceof Uint8Array) return `b:${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'boolean') return `t:${value ? 1 : 0}`;
  return `v:${String(value)}`;
}

export function rowKey(row: Row, key: readonly string[], columns: readonly string[]): string {
  const cols = key.length > 0 ? key : columns;
  return JSON.stringify(cols.map((c) => valueKey(row[c] ?? null)));
}

export const tableOf = (node: GraphNode): TableRef =>
  node.collection.schema === undefined ? { name: node.collection.name } : { schema: node.collection.schema, name: node.collection.name };

/** The columns an access request reads from a collection. */
export function columnsFor(graph: RequestGraph, node: GraphNode, key: readonly string[]): string[] {
  const wanted = new Set<string>(key);
  for (const field of node.collection.fields) {
    if (field.primaryKey || field.identity !== undefined || field.references.length > 0 || isPersonalDataField(field)) wanted.add(field.name);
  }
  for (const edge of graph.edges) {
    if (edge.from === node.id) wanted.add(edge.fromField);
    if (edge.to === node.id) wanted.add(edge.toField);
  }
  // Declaration order first, then keys the dataset does not declare (the database's own primary key).
  const declared = node.collection.fields.map((f) => f.name).filter((n) => wanted.has(n));
  return [...declared, ...[...wanted].filter((n) => !declared.includes(n))];
}

export async function collect(options: CollectOptions): Promise<Map<string, CollectedNode>> {
  const { graph } = options;
  const collected = new Map<string, CollectedNode>();
  for (const id of graph.reachable) {
    const node = graph.nodes.get(id)!;
    const key = options.keyOf(node);
    collected.set(id, { node, table: tableOf(node), columns: columnsFor(graph, node, key), key, rows: new Map(), statements: 0, durationMs: 0 });
  }

  // pending[node][field] = values not asked for yet; asked[node][field] = every value asked for.
  const pending = new Map<string, Map<string, Map<string, Value>>>();
  const asked = new Map<string, Map<string, Set<string>>>();
  const enqueue = (node: string, field: string, value: Value) => {
    if (value === null || value === undefined) return;
    const k = valueKey(value);
    let askedField = asked.get(node)?.get(field);
    if (askedField === undefined) {
      if (!asked.has(node)) asked.set(node, new Map());
      askedField = new Set();
      asked.get(node)!.set(field, askedField);
    }
    if (askedField.has(k)) return;
    askedField.add(k);
    if (!pending.has(node)) pending.set(node, new Map());
    const byField = pending.get(node)!;
    if (!byField.has(field)) byField.set(field, new Map());
    byField.get(field)!.set(k, value);
  };

  for (const seed of graph.seeds) {
    for (const value of options.identities[seed.identity] ?? []) enqueue(seed.node, seed.field, value);
  }

  const outgoing = new Map<string, typeof graph.edges>();
  for (const edge of graph.edges) {
    if (!outgoing.has(edge.from)) outgoing.set(edge.from, []);
    outgoing.get(edge.from)!.push(edge);
  }

  while (pending.size > 0) {
    const [nodeId, byField] = pending.entries().next().value as [string, Map<string, Map<string, Value>>];
    const [field, values] = byField.entries().next().value as [string, Map<string, Value>];
    byField.delete(field);
    if (byField.size === 0) pending.delete(nodeId);

    const target = collected.get(nodeId)!;
    const connector = options.connectorFor(target.node.dataset.key);
    const started = performance.now();
    const result = await connector.run({
      kind: 'select',
      table: target.table,
      columns: target.columns,
      where: { columns: [field], values: [...values.values()].map((v) => [v]) },
    });
    target.statements += 1;
    target.durationMs += performance.now() - started;

    const fresh: Row[] = [];
    for (const row of result.rows) {
      const k = rowKey(row, target.key, target.columns);
      if (!target.rows.has(k)) {
        target.rows.set(k, row);
        fresh.push(row);
      }
    }
    for (const edge of outgoing.get(nodeId) ?? []) {
      for (const row of fresh) enqueue(edge.to, edge.toField, row[edge.fromField] ?? null);
    }
  }
  return collected;
}
