/** The order deletes run in (src/dsr/plan/topological-order.ts): children first, the same from one run to the next. */
import { describe, expect, it } from 'vitest';
import { topologicalOrder } from '../../src/dsr/plan/topological-order.js';

const before = (entries: Record<string, string[]>) => new Map(Object.entries(entries).map(([k, v]) => [k, new Set(v)]));

describe('the order of deletes', () => {
  it('puts every id after all those listed before it, breaking ties by name', () => {
    expect(topologicalOrder(['orders', 'customer', 'line', 'address'], before({ customer: ['orders', 'address'], orders: ['line'] }))).toEqual([
      'address',
      'line',
      'orders',
      'customer',
    ]);
  });

  it('is undefined for a cycle, an id listed before itself included', () => {
    expect(topologicalOrder(['a', 'b', 'c'], before({ a: ['b'], b: ['a'] }))).toBeUndefined();
    expect(topologicalOrder(['a'], before({ a: ['a'] }))).toBeUndefined();
  });

  it('an id with nothing before it, or absent from the map, comes first; no ids, no order', () => {
    expect(topologicalOrder(['b', 'a'], new Map())).toEqual(['a', 'b']);
    expect(topologicalOrder([], new Map())).toEqual([]);
  });
});
