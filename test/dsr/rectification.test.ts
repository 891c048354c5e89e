/**
 * The rectification decision as a pure function (src/dsr/rectification.ts), on the example shop's
 * dataset: whose rows `--where` may name, what is left unchanged and why, and how a value given on
 * the command line compares with the value a driver returns. The same decisions run on the real
 * databases in rectify-restrict.test.ts and rectify-foreign-schemas.test.ts.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../src/connectors/connector.js';
import { loadDatasetsOrThrow } from '../../src/dataset/load-datasets.js';
import type { Boundary, Ownership } from '../../src/dsr/boundary.js';
import type { CollectedNode } from '../../src/dsr/execute/collect.js';
import { buildRequestGraph, type GraphNode } from '../../src/dsr/plan/graph.js';
import { holdsValue, planRectification, resolveRectification } from '../../src/dsr/rectification.js';
import { ROOT } from '../helpers/cli.js';

const { datasets } = await loadDatasetsOrThrow(path.join(ROOT, 'examples/acme-shop/datasets'));
const graph = buildRequestGraph(datasets, ['email']);
const keyOf = (node: GraphNode) => node.collection.fields.filter((f) => f.primaryKey).map((f) => f.name);
const address = graph.nodes.get('shop.address')!;

/** The addresses a search found, each with whose it is. */
function found(rows: [Row, Ownership][]): { found: Map<string, CollectedNode>; boundary: Boundary } {
  const byKey = new Map(rows.map(([r]) => [JSON.stringify([`v:${String(r.id)}`]), r]));
  return {
    found: new Map([['shop.address', { node: address, table: { name: 'address' }, columns: ['id', 'city'], key: ['id'], rows: byKey, statements: 1, durationMs: 0, searchedTogether: false }]]),
    boundary: new Map([['shop.address', new Map(rows.map(([r, o]) => [JSON.stringify([`v:${String(r.id)}`]), o]))]]),
  };
}

describe('planRectification', () => {
  it('leaves rows that are not the person\'s alone as they are, and says so when they are all there is', () => {
    const targets = resolveRectification(graph, { 'address.city': 'Lyon' }, {}, keyOf);
    const plan = planRectification({ targets, ...found([[{ id: 1, city: 'Paris' }, 'shared'], [{ id: 2, city: 'Nice' }, 'other-person']]), unlinked: new Map() });
    expect(plan.updates).toEqual([]);
    expect(plan.refused).toEqual([]);
    expect(plan.unchanged).toEqual([{ collection: 'shop.address', fields: ['city'], reason: 'not-theirs-alone', rows: 2 }]);

    const mixed = planRectification({ targets, ...found([[{ id: 1, city: 'Paris' }, 'shared'], [{ id: 2, city: 'Nice' }, 'own'], [{ id: 3, city: 'Lyon' }, 'own']]), unlinked: new Map() });
    expect(mixed.updates.map((u) => [[...u.node.rows.values()].map((r) => r.id), u.alreadyEqual, u.notTheirs])).toEqual([[[2], 1, 1]]);
  });

  it('refuses a --where naming another person\'s row or a shared one, even beside one of the person\'s own', () => {
    const rows: [Row, Ownership][] = [[{ id: 1, city: 'Paris' }, 'shared'], [{ id: 2, city: 'Nice' }, 'other-person'], [{ id: 3, city: 'Nice' }, 'own']];
    const other = planRectification({ targets: resolveRectification(graph, { 'address.city': 'Lyon' }, { 'address.id': ['2', '3'] }, keyOf), ...found(rows), unlinked: new Map() });
    expect(other.refused).toEqual([{ collection: 'shop.address', reason: 'not-the-persons', ownership: 'other-person', rows: 1 }]);
    expect(other.updates).toEqual([]);
    const shared = planRectification({ targets: resolveRectification(graph, { 'address.city': 'Lyon' }, { 'address.city': ['Paris'] }, keyOf), ...found(rows), unlinked: new Map() });
    expect(shared.refused).toEqual([{ collection: 'shop.address', reason: 'not-the-persons', ownership: 'shared', rows: 1 }]);
  });

  it('refuses a --where on a collection no --set changes, or on a field the collection does not have', () => {
    expect(() => resolveRectification(graph, { 'customer.last_name': 'X' }, { 'address.id': ['1'] }, keyOf)).toThrow('no --set changes shop.address');
    expect(() => resolveRectification(graph, { 'address.city': 'X' }, { 'address.nope': ['1'] }, keyOf)).toThrow('declares no field "nope"');
  });
});

describe('holdsValue', () => {
  it('compares the text given with what drivers return, never NULL', () => {
    expect(holdsValue('Petit', 'Petit')).toBe(true);
    expect(holdsValue('Petit', 'petit')).toBe(false);
    expect(holdsValue(42, '42')).toBe(true);
    expect(holdsValue(42n, '42')).toBe(true);
    expect(holdsValue('42', '42')).toBe(true);
    expect(holdsValue(true, 'true')).toBe(true);
    expect(holdsValue(true, '1')).toBe(true);
    expect(holdsValue(false, 'true')).toBe(false);
    expect(holdsValue(null, '')).toBe(false);
    expect(holdsValue('2025-05-17', '2025-05-17')).toBe(true);
  });
});
