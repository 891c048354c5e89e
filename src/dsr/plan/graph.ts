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

export interface Edge {
  from: string;
  fromField: string;
  to: string;
  toField: string;
  /** Where the reference is declared. */
  at: SourcePlace;
}

export type BlockReason = 'other-subject' | 'subject-collection' | 'skipped';

export interface BlockedEdge extends Edge {
  reason: BlockReason;
}

export interface RequestGraph {
  nodes: Map<string, GraphNode>;
  seeds: Seed[];
  /** Followed edges, by source node. */
  edges: Edge[];
  blocked: BlockedEdge[];
  /** Nodes reachable from the seeds, in breadth-first order. */
  reachable: string[];
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
    if (node.collection.skip) continue;
    for (const field of node.collection.fields) {
      if (field.identity !== undefined && wanted.has(field.identity)) {
        seeds.push({ node: node.id, field: field.name, identity: field.identity });
      }
    }
  }

  const edges: Edge[] = [];
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
          addEdge({ from: node.id, fromField: field.name, to: referenced, toField: reference.field, at: reference.at }, reference, true);
        }
        // "from": the referenced row identifies this one (orders.customer_id from customer.id).
        if (reference.direction === 'from' || reference.direction === 'both') {
          addEdge({ from: referenced, fromField: reference.field, to: node.id, toField: field.name, at: reference.at }, reference, false);
        }
      }
    }
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
    (n) => !seen.has(n.id) && !n.collection.skip && n.collection.fields.some(isPersonalDataField),
  );
  return { nodes, seeds, edges, blocked, reachable, unreachable };
}

/** The edges leaving a node, for the collector. */
export function edgesFrom(graph: RequestGraph, node: string): Edge[] {
  return graph.edges.filter((e) => e.from === node);
}

/** The edges entering a node: the ways another row can make one of its rows part of a request. */
export function edgesInto(graph: RequestGraph, node: string): Edge[] {
  return graph.edges.filter((e) => e.to === node);
}
