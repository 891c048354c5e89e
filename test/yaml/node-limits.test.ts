/**
 * The counts that bound the work of reading a file (read-yaml.ts, json-value-limit.ts) hold for any
 * value: a YAML text never holds more than three times the nodes counted (plus one), a JSON text
 * never more values than counted. The limits then bound what is built from a file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNode, parseDocument, stringify, visit } from 'yaml';
import { jsonValueLimitOffset } from '../../src/yaml/json-value-limit.js';
import { nodeLimitOffset } from '../../src/yaml/read-yaml.js';

function yamlNodes(text: string): number {
  let nodes = 0;
  visit(parseDocument(text), (_key, node) => {
    if (isNode(node)) nodes++;
  });
  return nodes;
}

function jsonValues(value: unknown): number {
  if (Array.isArray(value)) return 1 + value.reduce<number>((n, v) => n + jsonValues(v), 0);
  if (value !== null && typeof value === 'object') return 1 + Object.values(value).reduce<number>((n, v) => n + 1 + jsonValues(v), 0);
  return 1;
}

describe('nodeLimitOffset', () => {
  it('passes the limit on any YAML text holding more than three times the limit in nodes, plus one', () => {
    const text = fc.oneof(
      fc.jsonValue().map((v) => stringify(v)),
      fc.jsonValue().map((v) => stringify(v, { collectionStyle: 'flow' })),
      fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
      // Empty values: the nodes without a token of their own.
      fc.array(fc.constantFrom('-', '- ', '? ', 'a:', ': ', '- - ', '- a:', '[', ']', '{', '}', ',', '&x ', '*x', '"q"', "'q'", '|'), { maxLength: 30 }).map((parts) => parts.join('\n')),
    );
    fc.assert(
      fc.property(text, (t) => {
        const nodes = yamlNodes(t);
        const max = Math.ceil((nodes - 1) / 3) - 1;
        if (max >= 0) expect(nodeLimitOffset(t, max), t).not.toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('says where the limit is passed, and nothing for a text under it', () => {
    expect(nodeLimitOffset('a: [1, 2, 3]\n', 5)).toBe(10); // a, :, [, 1, 2 — the third value passes 5
    expect(nodeLimitOffset('a: [1, 2, 3]\n', 6)).toBeUndefined();
  });
});

describe('jsonValueLimitOffset', () => {
  it('never counts fewer values than the JSON text holds, strings and escapes included', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v) ?? 'null';
        const values = jsonValues(JSON.parse(text));
        if (values > 1) expect(jsonValueLimitOffset(text, values - 1), text).not.toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('does not count separators inside strings', () => {
    expect(jsonValueLimitOffset('["a,b,c:d[{", "\\",,,,"]', 3)).toBeUndefined(); // the list and its two texts
    expect(jsonValueLimitOffset('[1,2,3]', 2)).toBe(2); // the comma before the second item: list, 1, 2
  });
});
