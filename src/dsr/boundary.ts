/**
 * Whose rows a request found: the one boundary between the person and everyone else, for every
 * kind of request. Access and portability copy only the person's own rows (Art. 15(4): the copy
 * must not adversely affect the rights and freedoms of others); rectification and restriction
 * change only those; an erasure writes only those (Art. 17: another person's data is not theirs to
 * erase).
 *
 * The search (execute/collect.ts) returns every row reachable from the identities. A row found
 * through one of the person's own identities is theirs, whoever else points at it (a support ticket
 * with their email stays theirs though an agent is assigned to it). Any other row is
 * - **other-person** when an identity field of it names someone else (another customer's email on a
 *   ticket an employee's record leads to), or when the request reaches it only from such a row;
 * - **shared** when a reference reaches it from a row outside the request (an address another
 *   customer's order ships to; another customer's orders found through that address lead back to
 *   that customer), or when the request reaches it from such a row (the other person reaches it the
 *   same way);
 * - **own** otherwise (the person's orders, found from their customer row).
 * Context collections (catalogues: products, cities, stores) are nobody's records and are not
 * classified; nothing is followed out of them, so they never make a row shared.
 *
 * In the shape of the problem: `readOutsideLinks` gathers the one fact that needs the databases
 * (which found rows another row outside the request leads to), then `classifyRows` decides purely.
 */
import type { DatabaseConnector, Row, Value } from '../connectors/connector.js';
import { valueKey } from '../connectors/value-key.js';
import type { DatasetField } from '../dataset/model.js';
import { rowKey, tableOf, type CollectedNode } from './execute/collect.js';
import { identityMatcher, identityMatchOf } from './identity-match.js';
import type { Edge, GraphNode, RequestGraph } from './plan/graph.js';

export type Ownership = 'own' | 'shared' | 'other-person';

/** Per node ("dataset.collection", context nodes absent), per found row (collect's row key): whose it is. */
export type Boundary = Map<string, Map<string, Ownership>>;

/** Per edge (edgeId), the values of its `toField` that a row outside the request holds in its `fromField`. */
export type OutsideLinks = Map<string, Set<string>>;

export const edgeId = (e: Edge): string => [e.from, e.fromField, e.to, e.toField].join('\u0000');

export interface ReadOutsideLinksOptions {
  graph: RequestGraph;
  found: ReadonlyMap<string, CollectedNode>;
  /** Primary key of any node of the graph (reachable or not). */
  keyOf: (node: GraphNode) => string[];
  connectorFor: (datasetKey: string) => DatabaseConnector;
}

/**
 * For every followed edge into a found row, asks the edge's source collection which rows hold the
 * values the found rows hold, and keeps the values held by a row outside the request. Context
 * collections are never asked (nothing is followed out of them), nor asked about.
 */
export async function readOutsideLinks(options: ReadOutsideLinksOptions): Promise<OutsideLinks> {
  const { graph, found } = options;
  const outside: OutsideLinks = new Map();
  for (const edge of graph.edges) {
    const target = found.get(edge.to);
    if (target === undefined || target.rows.size === 0 || graph.context.has(edge.to)) continue;
    const values = new Map<string, Value>();
    for (const row of target.rows.values()) {
      const v = row[edge.toField];
      if (v !== null && v !== undefined) values.set(valueKey(v), v);
    }
    if (values.size === 0) continue;
    const source = graph.nodes.get(edge.from)!;
    const sourceFound = found.get(edge.from);
    const sourceKey = options.keyOf(source);
    // When the edge starts at the source's own single-column key and every value is the key of a
    // row already in the request, no row outside it can hold those values: nothing to ask.
    if (sourceFound !== undefined && sourceKey.length === 1 && sourceKey[0] === edge.fromField) {
      const inside = new Set([...sourceFound.rows.values()].map((r) => valueKey(r[edge.fromField] ?? null)));
      if ([...values.keys()].every((k) => inside.has(k))) continue;
    }
    // The row key of a source row must be computed as the search computed it: its key, else the columns it read.
    const keyColumns = sourceFound === undefined ? sourceKey : sourceFound.key.length > 0 ? sourceFound.key : sourceFound.columns;
    const result = await options.connectorFor(source.dataset.key).run({
      kind: 'select',
      table: tableOf(source),
      columns: [...new Set([...keyColumns, edge.fromField])],
      where: { columns: [edge.fromField], values: [...values.values()].map((v) => [v]) },
    });
    const held = new Set<string>();
    for (const r of result.rows) {
      const inside = sourceFound !== undefined && sourceFound.rows.has(rowKey(r, sourceFound.key, sourceFound.columns));
      if (!inside) held.add(valueKey(r[edge.fromField] ?? null));
    }
    if (held.size > 0) outside.set(edgeId(edge), held);
  }
  return outside;
}

export interface ClassifyInput {
  graph: RequestGraph;
  found: ReadonlyMap<string, CollectedNode>;
  /** The identities the request was made with (type -> values): rows naming other values are someone else's. */
  identities: Readonly<Record<string, readonly string[]>>;
  outside: OutsideLinks;
}

/**
 * Whether a stored identity value of a field is one the request was made with. The one comparison
 * of the boundary ("names someone else" is its negation): the search's own rule for the field
 * (identity-match.ts), so that a row the search found by an identity is the person's here too.
 */
function requestedIdentityOf(field: DatasetField, requested: readonly string[]): (stored: Value) => boolean {
  return identityMatcher(requested, identityMatchOf(field));
}

/** Classifies every found row of every non-context node. Pure. */
export function classifyRows(input: ClassifyInput): Boundary {
  const { graph, found } = input;
  const boundary: Boundary = new Map();
  const identified = new Map<string, Set<string>>();
  for (const [id, node] of found) {
    if (graph.context.has(id)) continue;
    const rows = new Map<string, Ownership>();
    const mine = new Set<string>();
    boundary.set(id, rows);
    identified.set(id, mine);
    // Only identity types the request carries can be compared.
    const identityFields = node.node.collection.fields
      .filter((f) => f.identity !== undefined && input.identities[f.identity] !== undefined)
      .map((f) => ({ name: f.name, isRequested: requestedIdentityOf(f, input.identities[f.identity!]!) }));
    const entering = graph.edges.filter((e) => e.to === id);
    for (const [k, row] of node.rows) {
      let namesSomeoneElse = false;
      for (const f of identityFields) {
        const v = row[f.name];
        if (v === null || v === undefined) continue;
        if (f.isRequested(v)) mine.add(k);
        else namesSomeoneElse = true;
      }
      if (mine.has(k)) rows.set(k, 'own');
      else if (namesSomeoneElse) rows.set(k, 'other-person');
      else if (entering.some((e) => leadsFromOutside(input.outside, e, row))) rows.set(k, 'shared');
    }
  }
  // What the request reaches from another person's rows is theirs too; the person's own identified
  // rows stop it. Another person's rows first, so a row reached both ways is labelled by the stronger.
  for (const label of ['other-person', 'shared'] as const) propagate(graph, found, boundary, identified, label);
  for (const [id, rows] of boundary) {
    for (const k of found.get(id)!.rows.keys()) if (!rows.has(k)) rows.set(k, 'own');
  }
  return boundary;
}

const leadsFromOutside = (outside: OutsideLinks, edge: Edge, row: Row): boolean => {
  const v = row[edge.toField];
  return v !== null && v !== undefined && (outside.get(edgeId(edge))?.has(valueKey(v)) ?? false);
};

function propagate(graph: RequestGraph, found: ReadonlyMap<string, CollectedNode>, boundary: Boundary, identified: Map<string, Set<string>>, label: Ownership): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const edge of graph.edges) {
      const from = found.get(edge.from);
      const to = found.get(edge.to);
      const fromRows = boundary.get(edge.from);
      const toRows = boundary.get(edge.to);
      if (from === undefined || to === undefined || fromRows === undefined || toRows === undefined) continue;
      const values = new Set<string>();
      for (const [k, ownership] of fromRows) {
        if (ownership !== label) continue;
        const v = from.rows.get(k)?.[edge.fromField];
        if (v !== null && v !== undefined) values.add(valueKey(v));
      }
      if (values.size === 0) continue;
      const mine = identified.get(edge.to)!;
      for (const [k, row] of to.rows) {
        const v = row[edge.toField];
        if (!toRows.has(k) && !mine.has(k) && v !== null && v !== undefined && values.has(valueKey(v))) {
          toRows.set(k, label);
          changed = true;
        }
      }
    }
  }
}

/** ownRows' answers, worked out once per boundary and node: a request asks for them several times. */
const ownRowsCache = new WeakMap<Boundary, WeakMap<CollectedNode, Map<string, Row>>>();

/** The rows of a node that are the person's own (none in a context node: nobody's records). Not to be changed by the caller. */
export function ownRows(boundary: Boundary, node: CollectedNode): ReadonlyMap<string, Row> {
  let byNode = ownRowsCache.get(boundary);
  if (byNode === undefined) ownRowsCache.set(boundary, (byNode = new WeakMap()));
  let own = byNode.get(node);
  if (own === undefined) {
    const rows = boundary.get(node.node.id);
    own = new Map();
    for (const [k, row] of node.rows) if (rows?.get(k) === 'own') own.set(k, row);
    byNode.set(node, own);
  }
  return own;
}

/** The rows of a node that are not the person's alone, by reason. */
export function withheldRows(boundary: Boundary, node: CollectedNode): { shared: Row[]; 'other-person': Row[] } {
  const rows = boundary.get(node.node.id);
  const out = { shared: [] as Row[], 'other-person': [] as Row[] };
  for (const [k, row] of node.rows) {
    const ownership = rows?.get(k);
    if (ownership === 'shared' || ownership === 'other-person') out[ownership].push(row);
  }
  return out;
}

/** Classifies the rows a search found: reads which of them another row outside the request leads to, then decides. */
export async function drawBoundary(options: ReadOutsideLinksOptions & { identities: ClassifyInput['identities'] }): Promise<Boundary> {
  const outside = await readOutsideLinks(options);
  return classifyRows({ graph: options.graph, found: options.found, identities: options.identities, outside });
}
