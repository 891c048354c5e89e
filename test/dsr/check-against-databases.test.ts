/**
 * Datasets held against the databases' real tables before anything is read or written
 * (src/dsr/plan/check-against-databases.ts): every problem is found at the dataset's file:line, and
 * only what a request must write needs a key.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnShape, TableShape } from '../../src/connectors/connector.js';
import type { Collection, Dataset, DatasetField } from '../../src/dataset/model.js';
import { checkNode, keyOf, NO_KEY_FIX, writeNeed } from '../../src/dsr/plan/check-against-databases.js';
import type { GraphNode } from '../../src/dsr/plan/graph.js';

const at = { file: 'shop.yaml', line: 4, column: 2 };
const fieldAt = (line: number) => ({ file: 'shop.yaml', line, column: 7 });
const field = (name: string, extra: Partial<DatasetField> = {}): DatasetField => ({ name, categories: ['system.operations'], primaryKey: false, references: [], readOnly: false, at: fieldAt(name.length), ...extra });
const personal = (name: string, extra: Partial<DatasetField> = {}) => field(name, { categories: ['user.name'], ...extra });
const collection = (fields: DatasetField[], extra: Partial<Collection> = {}): Collection => ({ name: 'customer', fields, erasure: { strategy: 'mask' }, skip: false, after: [], eraseAfter: [], at, ...extra });
const node = (c: Collection): GraphNode => {
  const dataset: Dataset = { key: 'shop', format: 'opendpo', at, collections: [c] };
  return { id: `shop.${c.name}`, dataset, collection: c };
};
const column = (name: string, nullable = true): ColumnShape => ({ name, type: 'text', nullable });
const table = (columns: ColumnShape[], extra: Partial<TableShape> = {}): TableShape => ({ name: 'customer', columns, primaryKey: [], foreignKeys: [], ...extra });
const HOLD = { reason: 'accounts', article: 'Art. 17(3)(b)' };

describe('the key rows are addressed by', () => {
  const shape = table([column('id', false), column('code', false), column('a', false), column('b', false), column('c', true)], {
    primaryKey: ['id'],
    uniqueKeys: [['a', 'b'], ['code'], ['c'], []],
  });

  it('is the dataset\'s declared key first, then the table\'s primary key', () => {
    expect(keyOf(collection([field('code', { primaryKey: true }), field('a', { primaryKey: true })]), shape)).toEqual(['code', 'a']);
    expect(keyOf(collection([field('code')]), shape)).toEqual(['id']);
  });

  it('else the narrowest unique index whose columns are all NOT NULL; else none', () => {
    const noPk = { ...shape, primaryKey: [] };
    expect(keyOf(collection([]), noPk)).toEqual(['code']);
    expect(keyOf(collection([]), { ...noPk, uniqueKeys: [['a', 'b']] })).toEqual(['a', 'b']);
    // A unique index on a nullable column does not address one row (several NULLs).
    expect(keyOf(collection([]), { ...noPk, uniqueKeys: [['c'], ['a', 'c']] })).toEqual([]);
    expect(keyOf(collection([]), { ...noPk, uniqueKeys: [[]] })).toEqual([]);
    expect(keyOf(collection([]), { ...noPk, uniqueKeys: undefined } as TableShape)).toEqual([]);
  });
});

describe('what a request must write', () => {
  const fields = [field('id'), personal('name')];

  it('an erasure masks personal-data fields, not held, read-only or key ones, and deletes rows of a collection that deletes', () => {
    expect(writeNeed(collection(fields), 'erasure', false)).toBe('an erasure masks its personal-data fields (name)');
    expect(writeNeed(collection([...fields, personal('nick'), field('email', { identity: 'email' })]), 'erasure', false)).toBe(
      'an erasure masks its personal-data fields (name, nick, email)',
    );
    expect(writeNeed(collection([field('id'), personal('name', { readOnly: true }), personal('a', { legalHold: HOLD }), personal('k', { primaryKey: true })]), 'erasure', false)).toBeUndefined();
    expect(writeNeed(collection([field('id')], { erasure: { strategy: 'delete' } }), 'erasure', false)).toBe('an erasure deletes the person\'s rows (erasure: delete)');
  });

  it('nothing for a catalogue, a collection under a legal hold, or a request that only reads', () => {
    expect(writeNeed(collection(fields), 'erasure', true)).toBeUndefined();
    expect(writeNeed(collection(fields, { legalHold: HOLD, erasure: { strategy: 'delete' } }), 'erasure', false)).toBeUndefined();
    for (const kind of ['access', 'portability', 'rectification'] as const) expect(writeNeed(collection(fields, { erasure: { strategy: 'delete' } }), kind, false)).toBeUndefined();
  });

  it('a restriction sets the restriction flag, where the collection has one', () => {
    expect(writeNeed(collection(fields), 'restriction', false)).toBeUndefined();
    expect(writeNeed(collection(fields, { restrictionFlag: { field: 'restricted', value: 1 } }), 'restriction', false)).toBe(
      'a restriction sets its restriction flag on the person\'s rows',
    );
  });
});

describe('a collection held against its table', () => {
  it('a missing table is one finding at the collection, and nothing checked', () => {
    expect(checkNode(node(collection([field('id')], { schema: 'crm' })), undefined, 'access')).toEqual({
      findings: [{ rule: 'dataset/table-missing', severity: 'error', message: 'Table "crm.customer" of dataset "shop" does not exist in its database.', file: 'shop.yaml', line: 4, column: 2 }],
    });
  });

  it('missing columns, a missing restriction flag column, each at its place', () => {
    const c = collection([field('id'), personal('name'), personal('surname')], { restrictionFlag: { field: 'frozen', value: true } });
    const { findings, checked } = checkNode(node(c), table([column('id'), column('name')], { primaryKey: ['id'] }), 'access');
    expect(findings).toEqual([
      { rule: 'dataset/column-missing', severity: 'error', message: 'Column "surname" does not exist in table "customer".', file: 'shop.yaml', line: 7, column: 7 },
      { rule: 'dataset/column-missing', severity: 'error', message: 'Restriction flag column "frozen" does not exist in table "customer".', file: 'shop.yaml', line: 4, column: 2 },
    ]);
    expect(checked).toEqual({ shape: table([column('id'), column('name')], { primaryKey: ['id'] }), key: ['id'] });
  });

  it('no key is refused only where the request must write, with why and the fix', () => {
    const c = collection([field('id'), personal('name')]);
    const keyless = table([column('id'), column('name')]);
    expect(checkNode(node(c), keyless, 'access').findings).toEqual([]);
    expect(checkNode(node(c), keyless, 'erasure', true).findings).toEqual([]);
    expect(checkNode(node(c), keyless, 'erasure').findings).toEqual([
      {
        rule: 'dataset/no-primary-key',
        severity: 'error',
        message: `Table "customer" has no primary key and no unique index on NOT NULL columns, and an erasure masks its personal-data fields (name), so its rows must be addressed one by one: ${NO_KEY_FIX}.`,
        file: 'shop.yaml',
        line: 4,
        column: 2,
      },
    ]);
  });

  it('an erasure cannot write null into a NOT NULL column, nor anything but null into a foreign key', () => {
    const c = collection([
      field('id'),
      personal('name'),
      personal('alias', { masking: { strategy: 'fixed', value: 'x' } }),
      personal('city_id'),
      personal('region_id', { masking: { strategy: 'fixed', value: 'x' } }),
    ]);
    const shape = table([column('id', false), column('name', false), column('alias', false), column('city_id'), column('region_id')], {
      primaryKey: ['id'],
      foreignKeys: [{ columns: ['region_id'], references: { name: 'region', columns: ['id'] } }, { columns: ['city_id'], references: { name: 'city', columns: ['id'] } }],
    });
    expect(checkNode(node(c), shape, 'erasure').findings.map((f) => [f.rule, f.message, f.line])).toEqual([
      ['dataset/masking-not-null', 'Column "name" of "customer" is NOT NULL: give it a masking strategy other than null, or a legal hold.', 4],
      ['dataset/masking-foreign-key', 'Column "region_id" of "customer" is a foreign key: only the null strategy keeps the constraint true.', 9],
    ]);
  });

  it('masking is not checked where the erasure does not mask: other requests, catalogues, deletes, holds, keys, read-only, held and non-personal fields', () => {
    const fields = [field('id', { primaryKey: true }), personal('name')];
    const shape = table([column('id', false), column('name', false)], { primaryKey: ['id'] });
    expect(checkNode(node(collection(fields)), shape, 'erasure').findings).toHaveLength(1);
    expect(checkNode(node(collection(fields)), shape, 'rectification').findings).toEqual([]);
    expect(checkNode(node(collection(fields)), shape, 'erasure', true).findings).toEqual([]);
    expect(checkNode(node(collection(fields, { erasure: { strategy: 'delete' } })), shape, 'erasure').findings).toEqual([]);
    expect(checkNode(node(collection(fields, { legalHold: HOLD })), shape, 'erasure').findings).toEqual([]);
    expect(checkNode(node(collection([field('id', { primaryKey: true }), personal('name', { readOnly: true })])), shape, 'erasure').findings).toEqual([]);
    expect(checkNode(node(collection([field('id', { primaryKey: true }), personal('name', { legalHold: HOLD })])), shape, 'erasure').findings).toEqual([]);
    expect(checkNode(node(collection([field('id', { primaryKey: true }), field('name')])), shape, 'erasure').findings).toEqual([]);
    // The key is never masked, even a personal one.
    expect(checkNode(node(collection([personal('name', { primaryKey: true })])), shape, 'erasure').findings).toEqual([]);
    // A field whose column is missing is reported once, as missing.
    expect(checkNode(node(collection([field('id', { primaryKey: true }), personal('nick')])), shape, 'erasure').findings.map((f) => f.rule)).toEqual(['dataset/column-missing']);
  });
});
