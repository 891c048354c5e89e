/**
 * Finds the person's rows: starting from the identity values, follow the graph's edges until no
 * new value turns up (a fixpoint, so reference cycles end by themselves). Each round asks a
 * collection only for the values it has not been asked for yet, in batches, so a person with
 * thousands of rows costs a few statements per collection, not one per row.
 *
 * The result is exactly the set of rows reachable from the identities through the followed edges;
 * test/dsr/properties checks this against a naive recursive search.
 */
import type { DatabaseConnector, Row, SearchStep, StatementResult, TableRef, TableShape, Value } from '../../connectors/connector.js';
import { valueKey } from '../../connectors/value-key.js';
import { isPersonalDataField } from '../../dataset/model.js';
import { identityLookup, keepMatching, textComparisonOf, type IdentityLookup } from '../identity-lookup.js';
import { identityMatcher, identityMatchOf } from '../identity-match.js';
import type { GraphNode, RequestGraph, Seed } from '../plan/graph.js';
import { topologicalOrder } from '../plan/topological-order.js';

export interface CollectedNode {
  node: GraphNode;
  table: TableRef;
  /**
   * Columns selected: keys, identities, references, personal-data fields, the retention start and
   * the fields edges use; for a copy (access, portability), every column of the table but those
   * excluded from it.
   */
  columns: string[];
  /** Primary-key columns (declared, or the database's own). */
  key: string[];
  /** The person's rows, by primary-key value. */
  rows: Map<string, Row>;
  statements: number;
  durationMs: number;
  /** Found by one statement searching every collection at once (see searchAtOnce). */
  searchedTogether: boolean;
  /** With `locate`, where the database holds each row (Statement `locate`), for the writes that follow. */
  locations?: Map<Row, string>;
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
  /** Column types of a node's table, as its database names them (from the check), when known. */
  columnTypesOf?: (node: GraphNode) => ReadonlyMap<string, string> | undefined;
  /** A node's table as the check found it: how its identity columns compare text (identity-lookup.ts). */
  shapeOf?: (node: GraphNode) => TableShape | undefined;
  /**
   * The columns of a node's table (from the check), when the request copies whole rows (access,
   * portability, Art. 15(3)): every one is read, declared or not, but those the dataset excludes from
   * the copy. Absent: only the columns the request needs.
   */
  copyColumnsOf?: (node: GraphNode) => readonly string[] | undefined;
  /** More columns a request needs to read from a node (a rectification: the fields it changes and compares). */
  alsoRead?: (node: GraphNode) => readonly string[] | undefined;
  /** The rows will be written: ask where each lies, so the writes find them without their key's index. */
  locate?: boolean;
  /**
   * Personal-data fields of a node whose values the request never uses (an erasure masking them to a
   * value that does not depend on them, or deleting their rows): not read, unless the search needs
   * them anyway (a key, an identity, a reference, an edge's field). Absent: every one is read.
   */
  unusedValuesOf?: (node: GraphNode) => ReadonlySet<string> | undefined;
}

/** Identity values up to which a search may run as one statement (see searchAtOnce). */
const MAX_SEED_VALUES_AT_ONCE = 16;
/**
 * Columns (of every collection together) up to which a search may run as one statement: a copy reads
 * every column of every table, and outside PostgreSQL each one is a column of the one result (SQLite
 * allows 2,000 by default). Wider, the step-by-step search reads each table on its own.
 */
const MAX_COLUMNS_AT_ONCE = 1000;

export function rowKey(row: Row, key: readonly string[], columns: readonly string[]): string {
  const cols = key.length > 0 ? key : columns;
  return JSON.stringify(cols.map((c) => valueKey(row[c] ?? null)));
}

export const tableOf = (node: GraphNode): TableRef =>
  node.collection.schema === undefined ? { name: node.collection.name } : { schema: node.collection.schema, name: node.collection.name };

/**
 * The columns a request reads from a collection: what it needs to find rows and act on them, and,
 * with `tableColumns` (a copy of whole rows), every column of the table but those excluded from the copy.
 */
export function columnsFor(graph: RequestGraph, node: GraphNode, key: readonly string[], tableColumns?: readonly string[], unused?: ReadonlySet<string>): string[] {
  // The same graph, node, key and table give the same columns: worked out once (a prepared request
  // searched again and again, a server's), handed out as a copy the caller may extend.
  const memoKey = JSON.stringify([key, tableColumns ?? null, unused === undefined ? null : [...unused].sort()]);
  let byNode = columnsCache.get(graph);
  if (byNode === undefined) columnsCache.set(graph, (byNode = new WeakMap()));
  let memo = byNode.get(node);
  if (memo === undefined) byNode.set(node, (memo = new Map()));
  let columns = memo.get(memoKey);
  if (columns === undefined) {
    columns = computeColumns(graph, node, key, tableColumns, unused);
    if (memo.size < 16) memo.set(memoKey, columns);
  }
  return [...columns];
}

const columnsCache = new WeakMap<RequestGraph, WeakMap<GraphNode, Map<string, string[]>>>();

function computeColumns(graph: RequestGraph, node: GraphNode, key: readonly string[], tableColumns?: readonly string[], unused?: ReadonlySet<string>): string[] {
  const wanted = new Set<string>(key);
  for (const field of node.collection.fields) {
    if (field.primaryKey || field.identity !== undefined || field.references.length > 0) wanted.add(field.name);
    else if (isPersonalDataField(field) && unused?.has(field.name) !== true) wanted.add(field.name);
  }
  // The retention start dates what an erasure keeps under a legal hold (until when, Art. 15(1)(d)).
  if (node.collection.retentionStart !== undefined) wanted.add(node.collection.retentionStart);
  for (const edge of graph.edges) {
    if (edge.from === node.id) wanted.add(edge.fromField);
    if (edge.to === node.id) wanted.add(edge.toField);
  }
  if (tableColumns !== undefined) {
    const excluded = new Set(node.collection.fields.filter((f) => f.excludeFromCopy !== undefined).map((f) => f.name));
    for (const c of tableColumns) if (!excluded.has(c)) wanted.add(c);
  }
  // Declaration order first, then the table's other columns in its order, then keys the dataset does
  // not declare (the database's own primary key).
  const declared = node.collection.fields.map((f) => f.name).filter((n) => wanted.has(n));
  const undeclared = (tableColumns ?? []).filter((n) => wanted.has(n) && !declared.includes(n));
  const listed = new Set([...declared, ...undeclared]);
  return [...declared, ...undeclared, ...[...wanted].filter((n) => !listed.has(n))];
}

export async function collect(options: CollectOptions): Promise<Map<string, CollectedNode>> {
  const { graph } = options;
  const collected = new Map<string, CollectedNode>();
  for (const id of graph.reachable) {
    const node = graph.nodes.get(id)!;
    const key = options.keyOf(node);
    const columns = columnsFor(graph, node, key, options.copyColumnsOf?.(node), options.unusedValuesOf?.(node));
    for (const c of options.alsoRead?.(node) ?? []) if (!columns.includes(c)) columns.push(c);
    collected.set(id, { node, table: tableOf(node), columns, key, rows: new Map(), statements: 0, durationMs: 0, searchedTogether: false });
  }
  if (await searchAtOnce(options, collected)) return collected;

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

  const outgoing = new Map<string, typeof graph.edges>();
  for (const edge of graph.edges) {
    if (!outgoing.has(edge.from)) outgoing.set(edge.from, []);
    outgoing.get(edge.from)!.push(edge);
  }

  // The identities first, as one round, each under its field's rule: the database is asked for a
  // superset, the rule keeps the rows that match (identity-lookup.ts); only those lead further.
  const seeds = graph.seeds.filter((seed) => (options.identities[seed.identity] ?? []).length > 0);
  const lookups = new Map<string, IdentityLookup>();
  const seeded = await Promise.allSettled(
    seeds.map(async (seed) => {
      const target = collected.get(seed.node)!;
      const lookup = seedLookup(options, target.node, seed, options.identities[seed.identity]!, lookups);
      const started = performance.now();
      const result = await options.connectorFor(target.node.dataset.key).run({
        kind: 'select',
        table: target.table,
        columns: target.columns,
        where: { columns: [seed.field], values: lookup.values.map((v) => [v]), ...(lookup.lowerCase ? { lowerCase: true } : {}) },
        ...(options.locate ? { locate: true } : {}),
      });
      return { result, durationMs: performance.now() - started };
    }),
  );
  const seedFailed = seeded.find((s) => s.status === 'rejected');
  if (seedFailed !== undefined) throw seedFailed.reason;
  seeds.forEach((seed, i) => {
    const target = collected.get(seed.node)!;
    const { result, durationMs } = (seeded[i] as PromiseFulfilledResult<{ result: StatementResult; durationMs: number }>).value;
    target.statements += 1;
    target.durationMs += durationMs;
    const locationOf = locationsOf(result);
    for (const row of keepMatching(result.rows, seed.field, identityRuleOf(target.node, seed), options.identities[seed.identity]!)) {
      const k = rowKey(row, target.key, target.columns);
      if (target.rows.has(k)) continue;
      target.rows.set(k, row);
      keepLocation(target, row, locationOf);
      for (const edge of outgoing.get(seed.node) ?? []) enqueue(edge.to, edge.toField, row[edge.fromField] ?? null);
    }
  });

  // Round by round: every (collection, field) with values not asked for yet is asked at once, on
  // as many connections as the pool lends, then the answers are taken in the round's order, so
  // the rows found, and the order they are found in, do not depend on which answer came first.
  while (pending.size > 0) {
    const round: Array<{ nodeId: string; field: string; values: Value[] }> = [];
    for (const [nodeId, byField] of pending) {
      for (const [field, values] of byField) round.push({ nodeId, field, values: [...values.values()] });
    }
    pending.clear();
    // Settled, not raced: when one statement fails, none of the round is still running on the
    // connections when the error reaches the caller.
    const settled = await Promise.allSettled(
      round.map(async ({ nodeId, field, values }) => {
        const target = collected.get(nodeId)!;
        const started = performance.now();
        const result = await options.connectorFor(target.node.dataset.key).run({
          kind: 'select',
          table: target.table,
          columns: target.columns,
          where: { columns: [field], values: values.map((v) => [v]) },
          ...(options.locate ? { locate: true } : {}),
        });
        return { result, durationMs: performance.now() - started };
      }),
    );
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    round.forEach(({ nodeId }, i) => {
      const target = collected.get(nodeId)!;
      const { result, durationMs } = (settled[i] as PromiseFulfilledResult<{ result: StatementResult; durationMs: number }>).value;
      target.statements += 1;
      target.durationMs += durationMs;
      const fresh: Row[] = [];
      const locationOf = locationsOf(result);
      for (const row of result.rows) {
        const k = rowKey(row, target.key, target.columns);
        if (!target.rows.has(k)) {
          target.rows.set(k, row);
          keepLocation(target, row, locationOf);
          fresh.push(row);
        }
      }
      for (const edge of outgoing.get(nodeId) ?? []) {
        for (const row of fresh) enqueue(edge.to, edge.toField, row[edge.fromField] ?? null);
      }
    });
  }
  return collected;
}

/** Each row of a located select's answer -> its address (none when the database gave none). */
function locationsOf(result: StatementResult): Map<Row, string> | undefined {
  const { locations } = result;
  if (locations === undefined || locations.length !== result.rows.length) return undefined;
  return new Map(result.rows.map((row, i) => [row, locations[i]!]));
}

function keepLocation(target: CollectedNode, row: Row, locationOf: Map<Row, string> | undefined): void {
  const location = locationOf?.get(row);
  if (location !== undefined) (target.locations ??= new Map()).set(row, location);
}

function identityRuleOf(node: GraphNode, seed: Seed) {
  return identityMatchOf(node.collection.fields.find((f) => f.name === seed.field)!);
}

/**
 * What a seed asks its database for its identities (a superset of what the rule matches). The seeds
 * of one search mostly ask the same identities under the same rule and comparison (an email in the
 * customer, staff and newsletter tables): `memo`, kept for one search, works each out once.
 */
function seedLookup(options: CollectOptions, node: GraphNode, seed: Seed, identities: readonly string[], memo?: Map<string, IdentityLookup>): IdentityLookup {
  const type = options.connectorFor(node.dataset.key).type;
  const column = options.shapeOf?.(node)?.columns.find((c) => c.name === seed.field);
  const text = textComparisonOf(type, column);
  const rule = identityRuleOf(node, seed);
  const key = `${seed.identity}\u0000${rule}\u0000${text === undefined ? '-' : `${text.caseInsensitive}\u0000${text.lowerAsciiOnly}`}`;
  let lookup = memo?.get(key);
  if (lookup === undefined) {
    lookup = identityLookup(text, rule, identities);
    memo?.set(key, lookup);
  }
  return lookup;
}

/** The order of a graph's one-statement search, worked out once per graph (null: its references loop). */
const searchLayouts = new WeakMap<RequestGraph, { order: string[]; edges: RequestGraph['edges']; index: Map<string, number> } | null>();

function searchLayout(graph: RequestGraph): { order: string[]; edges: RequestGraph['edges']; index: Map<string, number> } | null {
  let layout = searchLayouts.get(graph);
  if (layout !== undefined) return layout;
  const ids = graph.reachable;
  const inside = new Set(ids);
  const edges = graph.edges.filter((e) => inside.has(e.from) && inside.has(e.to));
  // A step follows the steps whose rows lead to it; followed references that loop (a
  // self-reference included) have no such order.
  const before = new Map(ids.map((id) => [id, new Set<string>()]));
  for (const e of edges) before.get(e.to)!.add(e.from);
  const order = topologicalOrder(ids, before);
  layout = order === undefined ? null : { order, edges, index: new Map(order.map((id, i) => [id, i])) };
  searchLayouts.set(graph, layout);
  return layout;
}

/**
 * When every collection the search reaches lives on one database whose connector can run a whole
 * search as one statement, and the followed references do not loop, the search is one round trip:
 * the steps in topological order, each taking its parents' values. A DAG walked in that order gives
 * exactly the fixpoint the loop above computes. Returns false when it does not apply.
 */
async function searchAtOnce(options: CollectOptions, collected: Map<string, CollectedNode>): Promise<boolean> {
  const { graph } = options;
  const ids = graph.reachable;
  if (ids.length === 0) return false;
  const connectors = new Set(ids.map((id) => options.connectorFor(graph.nodes.get(id)!.dataset.key)));
  const connector = [...connectors][0]!;
  if (connectors.size !== 1 || connector.search === undefined) return false;
  // For one person (or a few): a batch of many people returns many rows, each as wide as every
  // collection's columns together; the step-by-step search keeps them narrow.
  const seedValues = Object.values(options.identities).reduce((n, values) => n + values.length, 0);
  if (seedValues > MAX_SEED_VALUES_AT_ONCE) return false;
  if (ids.reduce((n, id) => n + collected.get(id)!.columns.length, 0) > MAX_COLUMNS_AT_ONCE) return false;
  const layout = searchLayout(graph);
  if (layout === null) return false;
  const { order, edges, index } = layout;
  const lookups = new Map<string, IdentityLookup>();
  const steps: SearchStep[] = order.map((id) => {
    const c = collected.get(id)!;
    const types = options.columnTypesOf?.(c.node);
    const columnTypes = types === undefined ? undefined : c.columns.map((col) => types.get(col));
    return {
      table: c.table,
      columns: c.columns,
      ...(columnTypes !== undefined && columnTypes.every((t) => t !== undefined) ? { types: columnTypes as string[] } : {}),
      seeds: graph.seeds
        .filter((s) => s.node === id)
        .map((s) => {
          const lookup = seedLookup(options, c.node, s, options.identities[s.identity] ?? [], lookups);
          return { column: s.field, values: lookup.values, ...(lookup.lowerCase ? { lowerCase: true } : {}) };
        }),
      from: edges.filter((e) => e.to === id).map((e) => ({ step: index.get(e.from)!, column: e.fromField, into: e.toField })),
    };
  });
  const started = performance.now();
  const result = await connector.search(steps);
  if (result === undefined) return false;
  // The statement cannot apply the rule itself: a row of a collection entered through an identity
  // that holds none of the identities under the rule may be what the collation let through (and
  // the statement followed it further), or a row reached by a reference. Which, only the search
  // step by step can tell, applying the rule before following anything: it runs instead.
  // One matcher per identity type and rule for the whole search (normalising the identities once).
  const matchersMemo = new Map<string, (stored: Value) => boolean>();
  const matcherOf = (identity: string, rule: ReturnType<typeof identityRuleOf>) => {
    const key = `${identity}\u0000${rule}`;
    let m = matchersMemo.get(key);
    if (m === undefined) matchersMemo.set(key, (m = identityMatcher(options.identities[identity]!, rule)));
    return m;
  };
  for (const [i, id] of order.entries()) {
    const seeds = graph.seeds.filter((s) => s.node === id && (options.identities[s.identity] ?? []).length > 0);
    if (seeds.length === 0) continue;
    const node = collected.get(id)!.node;
    const matchers = seeds.map((s) => ({ field: s.field, matches: matcherOf(s.identity, identityRuleOf(node, s)) }));
    const unmatched = result[i]!.some(
      (row) => matchers.some((m) => (row[m.field] ?? null) !== null) && matchers.every((m) => !m.matches(row[m.field] ?? null)),
    );
    if (unmatched) return false;
  }
  const duration = performance.now() - started;
  order.forEach((id, i) => {
    const c = collected.get(id)!;
    for (const row of result[i]!) c.rows.set(rowKey(row, c.key, c.columns), row);
    c.statements = 1;
    c.durationMs = duration;
    c.searchedTogether = true;
  });
  return true;
}
