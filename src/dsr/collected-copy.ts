/**
 * The rows a request found, as the access copy and the portability export take them (Art. 15(3)-(4),
 * Art. 20). Pure: from the search's rows, the boundary (./boundary.ts) and the check's table shapes.
 */
import type { Row } from '../connectors/connector.js';
import { valueKey } from '../connectors/value-key.js';
import { isPersonalDataField, type Collection, type DatasetField } from '../dataset/model.js';
import { ownRows, withheldRows, type Boundary } from './boundary.js';
import type { CollectedCollection, CollectedContext, CollectedData, CollectedField, CollectedWithheld, PastErasure } from './collected.js';
import type { CollectedNode } from './execute/collect.js';
import type { CheckedNode } from './plan/check-against-databases.js';
import type { RequestGraph } from './plan/graph.js';

export interface CopyInput {
  requestId: string;
  /** ISO 8601 instant the data was collected. */
  collectedAt: string;
  identities: Readonly<Record<string, string>>;
  graph: RequestGraph;
  /** What the check found of each node's table (its foreign keys mark reference columns). */
  checked: ReadonlyMap<string, CheckedNode>;
  found: ReadonlyMap<string, CollectedNode>;
  boundary: Boundary;
  /** What systems that answer for themselves (HTTP, manual) gave, as they gave it. */
  systems: readonly CollectedCollection[];
  warnings: string[];
  erasures: PastErasure[];
}

/**
 * What the request found, as the access copy gives it (Art. 15(3)-(4)): per collection the person
 * reached, every column of their own rows (declared or not) but those excluded with a reason; rows
 * not theirs alone counted and flagged with their non-personal fields only; the descriptive fields
 * of the catalogue rows their rows point at. Catalogues are not listed as the person's collections.
 */
export function toCollectedData(input: CopyInput): CollectedData {
  const { graph, found, boundary } = input;
  const collections: CollectedCollection[] = [];
  for (const c of found.values()) {
    if (graph.context.has(c.node.id)) continue;
    const collection = c.node.collection;
    const fieldOf = collectedFieldOf(input.checked, c);
    const fields = c.columns.filter((name) => !isExcluded(collection, name)).map(fieldOf);
    const project = (r: Row) => Object.fromEntries(fields.map((f) => [f.name, r[f.name] ?? null]));
    const own = [...ownRows(boundary, c).values()];
    // Rows not the person's alone: only their declared fields that are not personal data — never an
    // identity, a personal-data key, an undeclared column (nobody said it is not personal data), nor
    // a reference (it links to the other person's records).
    const shown = fields.filter((f) => f.declared && f.reference !== true && !isPersonalDataField(declaredField(collection, f.name)!));
    const withheld: CollectedWithheld[] = [];
    for (const [reason, rows] of Object.entries(withheldRows(boundary, c)) as [CollectedWithheld['reason'], Row[]][]) {
      if (rows.length > 0) withheld.push({ reason, fields: shown, rows: rows.map((r) => Object.fromEntries(shown.map((f) => [f.name, r[f.name] ?? null]))) });
    }
    const system = collection.system ?? c.node.dataset.system;
    collections.push({
      dataset: c.node.dataset.key,
      collection: collection.name,
      ...(collection.label !== undefined ? { label: collection.label } : {}),
      ...(system ? { system } : {}),
      fields,
      rows: own.map(project),
      excluded: collection.fields.flatMap((f) => (f.excludeFromCopy ? [{ field: f.name, reason: f.excludeFromCopy.reason }] : [])),
      withheld,
      context: contextOf(input, c, own),
      ...(collection.retentionStart ? { retentionStart: collection.retentionStart } : {}),
    });
  }
  return {
    requestId: input.requestId,
    collectedAt: input.collectedAt,
    identities: { ...input.identities },
    collections: [...collections, ...input.systems],
    erasures: input.erasures,
    warnings: input.warnings,
  };
}

const declaredField = (collection: Collection, name: string): DatasetField | undefined => collection.fields.find((f) => f.name === name);
const isExcluded = (collection: Collection, name: string) => declaredField(collection, name)?.excludeFromCopy !== undefined;

/** A column as the copy describes it: its declaration when there is one, else "not declared". */
function collectedFieldOf(checked: ReadonlyMap<string, CheckedNode>, c: CollectedNode): (name: string) => CollectedField {
  const foreignKeyColumns = new Set(checked.get(c.node.id)?.shape.foreignKeys.flatMap((fk) => fk.columns) ?? []);
  return (name) => {
    const f = declaredField(c.node.collection, name);
    const reference = (f?.references.length ?? 0) > 0 || foreignKeyColumns.has(name);
    return {
      name,
      categories: f ? [...f.categories] : [],
      primaryKey: c.key.includes(name),
      declared: f !== undefined,
      ...(f?.provenance ? { provenance: f.provenance } : {}),
      ...(f?.identity ? { identity: f.identity } : {}),
      ...(reference ? { reference: true } : {}),
      ...(f?.label !== undefined ? { label: f.label } : {}),
      ...(f?.format ? { format: f.format } : {}),
    };
  };
}

/**
 * The descriptive fields (not keys, not references) of the catalogue rows the person's rows point
 * at, per pointing field: the product's name beside an order line, the city beside an address.
 */
function contextOf(input: CopyInput, c: CollectedNode, own: readonly Row[]): CollectedContext[] {
  const { graph, found } = input;
  const out: CollectedContext[] = [];
  for (const edge of graph.edges) {
    if (edge.from !== c.node.id || edge.kind !== 'points-at' || !graph.context.has(edge.to)) continue;
    const catalogue = found.get(edge.to);
    if (catalogue === undefined) continue;
    const fieldOf = collectedFieldOf(input.checked, catalogue);
    const fields = catalogue.columns
      .filter((name) => name !== edge.toField && !catalogue.key.includes(name) && !isExcluded(catalogue.node.collection, name))
      .map(fieldOf)
      .filter((f) => f.reference !== true);
    if (fields.length === 0) continue;
    const byValue = new Map([...catalogue.rows.values()].map((r) => [valueKey(r[edge.toField] ?? null), r]));
    const rows: Record<string, Row> = {};
    for (const r of own) {
      const v = r[edge.fromField];
      if (v === null || v === undefined) continue;
      const target = byValue.get(valueKey(v));
      if (target !== undefined) rows[valueKey(v)] = Object.fromEntries(fields.map((f) => [f.name, target[f.name] ?? null]));
    }
    if (Object.keys(rows).length > 0) out.push({ field: edge.fromField, catalogue: edge.to, fields, rows });
  }
  return out;
}
