/**
 * Hostile or broken input gets a clear finding with its place, never a crash, a hang or a value
 * echoed back: huge files, NUL bytes, bytes that are not UTF-8, alias bombs and cycles, deep
 * nesting, wrong types, and names that could not be a table or a column.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDatasets } from '../../src/dataset/load-datasets.js';
import { MAX_DATASET_FILE_BYTES, MAX_DATASET_FILE_NODES } from '../../src/dataset/read-yaml-file.js';
import { datasetsFolder, nativeDataset } from './temp-datasets.js';

const ID = '        - { name: id, primary_key: true, categories: [user.unique_id] }\n';
const only = async (files: Record<string, string | Uint8Array>) => {
  const dir = await datasetsFolder(files);
  const result = await loadDatasets(dir);
  expect(result.datasets).toEqual([]);
  return result.problems.map((p) => ({ rule: p.rule, file: path.basename(p.file), line: p.line, column: p.column, message: p.message }));
};

describe('hostile dataset files', () => {
  it('refuses a file over the size limit without reading it', async () => {
    const dir = await datasetsFolder({});
    await writeFile(path.join(dir, 'big.yaml'), Buffer.alloc(MAX_DATASET_FILE_BYTES + 1, 0x20));
    const { problems } = await loadDatasets(dir);
    expect(problems).toEqual([expect.objectContaining({ rule: 'file/too-large', file: path.join(dir, 'big.yaml'), line: 1, message: 'the file is 8.0 MB; dataset files are limited to 8 MB' })]);
  });

  it('refuses a file holding far more values than a dataset file holds, quickly, at the place the limit is passed', async () => {
    // 7.6 MB of `[1,1,…]`: under the size limit, but 3.8 million values (it took 3.9 GB and 39 s).
    const dir = await datasetsFolder({});
    const file = path.join(dir, 'ones.yaml');
    await writeFile(file, `dataset: [${Array<string>(3_800_000).fill('1').join(',')}]\n`);
    const started = performance.now();
    const { problems, datasets } = await loadDatasets(dir);
    const elapsed = performance.now() - started;
    expect(datasets).toEqual([]);
    // dataset, :, [ and then the values: the one passing the limit starts at column 11 + 2 × (limit - 3).
    expect(problems).toEqual([
      {
        rule: 'yaml/node-limit',
        severity: 'error',
        file,
        line: 1,
        column: 11 + 2 * (MAX_DATASET_FILE_NODES - 3),
        message: 'the file passes 300,000 YAML values (texts, numbers, lists, mappings) here, far more than dataset files hold: it is not read (split it if it really is one)',
      },
    ]);
    expect(elapsed).toBeLessThan(30_000); // generous: a second or two on a quiet machine
  });

  it('refuses a NUL character, at its place', async () => {
    expect(await only({ 'a.yaml': nativeDataset('a', `    - name: cust\u0000omer\n      fields:\n${ID}`) })).toEqual([
      { rule: 'file/not-text', file: 'a.yaml', line: 4, column: 17, message: 'the file contains a NUL character (U+0000): a dataset file is text' },
    ]);
  });

  it('refuses bytes that are not UTF-8, at the first bad byte', async () => {
    const text = Buffer.from(nativeDataset('a', `    - name: caf\u00e9\n      fields:\n${ID}`), 'latin1');
    expect(await only({ 'a.yaml': text })).toEqual([{ rule: 'file/not-utf8', file: 'a.yaml', line: 4, column: 16, message: 'the file is not valid UTF-8: save it as UTF-8' }]);
  });

  it('refuses an alias bomb and a self-referencing alias without expanding them', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    const problems = await only({ 'bomb.yaml': `${bomb}\n`, 'cycle.yaml': 'dataset: &d\n  key: a\n  self: *d\n' });
    expect(problems.map((p) => [p.rule, p.file, p.line])).toEqual([
      ['yaml/alias-limit', 'bomb.yaml', 2],
      ['yaml/alias-limit', 'cycle.yaml', 3],
    ]);
    expect(problems[0]!.message).toContain('expands YAML aliases too many times');
  });

  it('refuses nesting too deep to parse, syntax errors, duplicate keys and several documents', async () => {
    const problems = await only({
      'deep.yaml': `dataset: ${'['.repeat(20000)}${']'.repeat(20000)}\n`,
      'dup.yaml': 'dataset:\n  key: a\n  key: b\n',
      'multi.yaml': 'dataset: {}\n---\ndataset: {}\n',
      'syntax.yaml': 'dataset:\n  key: [a\n',
    });
    expect(problems.map((p) => [p.rule, p.file, p.line])).toEqual([
      ['yaml/syntax', 'deep.yaml', 1],
      ['yaml/duplicate-key', 'dup.yaml', 3],
      ['yaml/syntax', 'multi.yaml', 2],
      ['yaml/syntax', 'syntax.yaml', 3],
    ]);
    expect(problems.slice(0, 3).map((p) => p.message)).toEqual([
      'the file nests lists or mappings too deeply to be read',
      'a key appears twice in the same mapping',
      'the file holds several YAML documents (---): a dataset file holds one',
    ]);
  });

  it('reports wrong types in words of YAML, at the value', async () => {
    const problems = await only({
      'a.yaml': `dataset:
  key: 42
  collections:
    - name: t
      skip: "yes"
      fields: 42
    - name: [u]
      fields:
        - { name: id, primary_key: 1, categories: user.name }
`,
    });
    expect(problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [2, 8, 'dataset.key: must be a text, not number 42'],
      [5, 13, 'dataset.collections[0].skip: must be a boolean (true or false), not string "yes"'],
      [6, 15, 'dataset.collections[0].fields: must be a list, not number 42'],
      [7, 13, 'dataset.collections[1].name: must be a text, not a list'],
      [9, 36, 'dataset.collections[1].fields[0].primary_key: must be a boolean (true or false), not number 1'],
      [9, 51, 'dataset.collections[1].fields[0].categories: must be a list, not string "user.name"'],
    ]);
  });

  it('refuses names that could not be a table or a column, and huge names', async () => {
    const problems = await only({
      'a.yaml': nativeDataset(
        'a',
        `    - name: "cust\\u0007omer"\n      fields:\n${ID}    - name: public.customer\n      fields:\n${ID}    - name: " padded"\n      fields:\n${ID}    - name: ${'x'.repeat(10_000)}\n      fields:\n${ID}`,
      ),
    });
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [4, 'dataset.collections[0].name: must be a table or column name: not empty, no dot, no control character, no space at either end'],
      [7, 'dataset.collections[1].name: must be a table or column name: not empty, no dot, no control character, no space at either end'],
      [10, 'dataset.collections[2].name: must be a table or column name: not empty, no dot, no control character, no space at either end'],
      [13, 'dataset.collections[3].name: must be at most 255 characters'],
    ]);
  });

  it('a top level that is a list, a text or a number is not a dataset', async () => {
    const problems = await only({ 'a.yaml': '- dataset\n', 'b.yaml': 'just text\n', 'c.yaml': '42\n', 'd.yaml': 'dataset: 5\n' });
    expect(problems.map((p) => [p.rule, p.file, p.line])).toEqual([
      ['dataset/not-a-dataset', 'a.yaml', 1],
      ['dataset/not-a-dataset', 'b.yaml', 1],
      ['dataset/not-a-dataset', 'c.yaml', 1],
      ['dataset/not-a-dataset', 'd.yaml', 1],
    ]);
    expect(problems[3]!.message).toBe('this file of the datasets folder is not a dataset: `dataset:` must be a mapping (opendpo format) or a list (Fides format)');
  });

  it('never echoes a long hostile value back whole', async () => {
    const hostile = `'; DROP TABLE customer; --${'A'.repeat(5000)}`;
    const problems = await only({ 'a.yaml': nativeDataset('a', `    - name: t\n      erasure: "${hostile}"\n      fields:\n${ID}`) });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message.length).toBeLessThan(200);
  });
});
