/**
 * The request graph (Art. 15-17: "every record about that person, in every declared system").
 *
 * Nodes are collections; an edge says "the rows of `to` whose `toField` holds a value that
 * `fromField` holds in rows already found belong to the person too". Edges come from the datasets'
 * references, in the direction the values flow. The graph is pure: it is built from the datasets
 * and the identity types the request carries, before anything is read.
 *
 * Two rules keep other people out of a request:
 * - a collection that describes its own kind of data subject (`subject: employee`) is entered only
 *   through its identity fields, never through a reference: the support agent assigned to a
 *   customer is not part of the customer's request;
 * - a reference declared `other_subject` is never followed.
 *
 * A third keeps the organisation's own reference data out of it: a **context** collection (a
 * product catalogue, cities, stores) is not the person's records. It is one that declares
 * `catalogue: true`, or one without personal data that the request reaches only along references
 * the person's rows point at it with (an order line points at its product: many rows, one product).
 * Its rows may be read to show their descriptive fields beside the row pointing at them, but
 * nothing is followed out of them: a store's address and its manager are not the customer's.
 *
 * Edges refused by these rules are kept in `blocked`, so the plan can show what was not followed and why.
 */
import { collectionId, isPersonalDataField, type Collection, type Dataset, type Reference, type SourcePlace } from '../../dataset/model.js';

export interface GraphNode {
  id: string;
  dataset: Dataset;
  collection: Collection;
}

export interface Seed {
  node: string;
  field: string;
  identity: string;
}

/**
 * Which way an edge runs along its reference: `points-at` from the row holding the reference to the
 * row it names (orders.shipping_address_id -> address.id: many rows may point at one), `looked-up`
 * from the named row to the rows holding it (customer.id -> orders.customer_id: the rows that are
 * the person's because they name the person's row).
 */
export type EdgeKind = 'points-at' | 'looked-up';

export interface Edge {
  from: string;
  fromField: string;
  to: string;
  toField: string;
  kind: EdgeKind;
  /** Where the reference is declared. */
  at: SourcePlace;
}

export type BlockReason = 'other-subject' | 'subject-collection' | 'skipped' | 'context';

export interface BlockedEdge extends Edge {
  reason: BlockReason;
}

export interface RequestGraph {
  nodes: Map<string, GraphNode>;
  seeds: Seed[];
  /** Followed edges, by source node. */
  edges: Edge[];
  blocked: BlockedEdge[];
  /** Nodes reachable from the seeds, in breadth-first order (context nodes included: their rows are read, not followed). */
  reachable: string[];
  /** Context collections (catalogues): not the person's records, never followed further. */
  context: ReadonlySet<string>;
  /** Collections holding personal data that no identity or reference reaches: warnings, not failures. */
  unreachable: GraphNode[];
}

export function buildRequestGraph(datasets: readonly Dataset[], identityTypes: readonly string[]): RequestGraph {
  const nodes = new Map<string, GraphNode>();
  for (const dataset of datasets) {
    for (const collection of dataset.collections) {
      nodes.set(collectionId(dataset.key, collection.name), { id: collectionId(dataset.key, collection.name), dataset, collection });
    }
  }

  const wanted = new Set(identityTypes);
  const seeds: Seed[] = [];
  for (const node of nodes.values()) {
    // A catalogue's email (a store's address) is the organisation's, never a person's identity.
    if (node.collection.skip || node.collection.catalogue === true) continue;
    for (const field of node.collection.fields) {
      if (field.identity !== undefined && wanted.has(field.identity)) {
        seeds.push({ node: node.id, field: field.name, identity: field.identity });
      }
    }
  }

  let edges: Edge[] = [];
  const blocked: BlockedEdge[] = [];
  const addEdge = (edge: Edge, reference: Reference, intoReferenced: boolean) => {
    const target = nodes.get(edge.to);
    const source = nodes.get(edge.from);
    // The loader reports references to unknown collections; here they are simply not edges.
    if (target === undefined || source === undefined) return;
    if (target.collection.skip || source.collection.skip) blocked.push({ ...edge, reason: 'skipped' });
    else if (intoReferenced && reference.otherSubject) blocked.push({ ...edge, reason: 'other-subject' });
    else if (target.collection.subject !== undefined) blocked.push({ ...edge, reason: 'subject-collection' });
    else edges.push(edge);
  };
  for (const node of nodes.values()) {
    for (const field of node.collection.fields) {
      for (const reference of field.references) {
        const referenced = collectionId(reference.dataset, reference.collection);
        // "to": this row points at the referenced row, so values flow from here to there.
        if (reference.direction === 'to' || reference.direction === 'both') {
          addEdge({ from: node.id, fromField: field.name, to: referenced, toField: reference.field, kind: 'points-at', at: reference.at }, reference, true);
        }
        // "from": the referenced row identifies this one (orders.customer_id from customer.id).
        if (reference.direction === 'from' || reference.direction === 'both') {
          addEdge({ from: referenced, fromField: reference.field, to: node.id, toField: field.name, kind: 'looked-up', at: reference.at }, reference, false);
        }
      }
    }
  }

  // Context collections, and nothing followed out of them. Blocking their edges can leave another
  // collection reached only by points-at edges: repeat until nothing changes.
  const seeded = new Set(seeds.map((s) => s.node));
  const context = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const node of nodes.values()) {
      if (context.has(node.id) || node.collection.skip) continue;
      if (isContext(node, seeded, edges)) {
        context.add(node.id);
        grew = true;
      }
    }
    const out = edges.filter((e) => context.has(e.from));
    blocked.push(...out.map((e): BlockedEdge => ({ ...e, reason: 'context' })));
    edges = edges.filter((e) => !context.has(e.from));
  }

  const reachable: string[] = [];
  const seen = new Set<string>();
  const queue = [...new Set(seeds.map((s) => s.node))];
  for (const id of queue) seen.add(id);
  while (queue.length > 0) {
    const id = queue.shift()!;
    reachable.push(id);
    for (const edge of edges) {
      if (edge.from === id && !seen.has(edge.to)) {
        seen.add(edge.to);
        queue.push(edge.to);
      }
    }
  }

  const unreachable = [...nodes.values()].filter(
    (n) => !seen.has(n.id) && !n.collection.skip && !context.has(n.id) && n.collection.fields.some(isPersonalDataField),
  );
  return { nodes, seeds, edges, blocked, reachable, context, unreachable };
}

/**
 * Declared a catalogue, or: no identity of the request enters it, it holds no personal data, and
 * every followed reference into it is one the person's rows point along (many rows, one catalogue
 * row). A collection some reference looks up from the person's rows (orders from a customer) is
 * the person's, whatever its fields.
 */
function isContext(node: GraphNode, seeded: ReadonlySet<string>, edges: readonly Edge[]): boolean {
  if (node.collection.catalogue === true) return true;
  if (seeded.has(node.id) || node.collection.fields.some(isPersonalDataField)) return false;
  const into = edges.filter((e) => e.to === node.id);
  return into.length > 0 && into.every((e) => e.kind === 'points-at');
}

/**
 * The graph a request that copies nothing searches (erasure, rectification, restriction): catalogues
 * are not read at all, since nothing is shown beside the person's rows and nothing in them is written.
 */
export function withoutContext(graph: RequestGraph): RequestGraph {
  return { ...graph, edges: graph.edges.filter((e) => !graph.context.has(e.to)), reachable: graph.reachable.filter((id) => !graph.context.has(id)) };
}
