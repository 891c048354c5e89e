/**
 * docs/dataset-format.md must stay true: its complete example loads with no problem, and it
 * documents every key of both file kinds, every Fides key, and every rule id the loader reports.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { FidesDatasetFileSchema } from '../../src/dataset/fides.js';
import { loadDatasets } from '../../src/dataset/load-datasets.js';
import { DATASET_FILE_SCHEMAS } from '../../src/dataset/schema.js';
import { ROOT } from '../helpers/cli.js';
import { schemaKeys } from '../helpers/schema-keys.js';
import { datasetsFolder } from './temp-datasets.js';

const doc = await readFile(path.join(ROOT, 'docs/dataset-format.md'), 'utf8');
const section = (from: string, to: string) => doc.slice(doc.indexOf(from), doc.indexOf(to));

describe('docs/dataset-format.md', () => {
  it('gives a complete example that loads with no problem', async () => {
    const example = section('## A complete example', '## Rules at a glance');
    const files: Record<string, string> = {};
    for (const m of example.matchAll(/`([\w.-]+\.yaml)`:\s*\n+```yaml\n([\s\S]*?)```/g)) files[m[1]!] = m[2]!;
    expect(Object.keys(files).sort()).toEqual(['connections.yaml', 'shop.yaml']);
    const { datasets, problems } = await loadDatasets(await datasetsFolder(files));
    expect(problems).toEqual([]);
    expect(datasets.map((d) => d.collections.length)).toEqual([5]);
  });

  it('documents every key of the dataset file and of connections.yaml in a table', () => {
    const undocumented: string[] = [];
    for (const [kind, schema] of Object.entries(DATASET_FILE_SCHEMAS)) {
      for (const key of schemaKeys(schema as z.ZodType)) if (!doc.includes(`| \`${key}\` |`)) undocumented.push(`${kind}: ${key}`);
    }
    expect(undocumented).toEqual([]);
  });

  it('maps every Fides key', () => {
    const fides = section('## Fides dataset files', '## A complete example');
    const mentioned = (key: string) => new RegExp(`\`[^\`\\n]*\\b${key}\\b[^\`\\n]*\``).test(fides);
    expect([...schemaKeys(FidesDatasetFileSchema)].filter((key) => !mentioned(key))).toEqual([]);
  });

  it('lists every rule id the loader reports', async () => {
    const dir = path.join(ROOT, 'src/dataset');
    const rules = new Set(['dataset/unknown-key', 'dataset/invalid', 'connections/unknown-key', 'connections/invalid']);
    // The loader's files, and the check of datasets against the real tables before a request runs.
    const files = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(dir, e.name));
    files.push(path.join(ROOT, 'src/dsr/plan/check-against-databases.ts'));
    for (const file of files) {
      const source = await readFile(file, 'utf8');
      for (const m of source.matchAll(/'((?:dataset|connections|file|yaml)\/[a-z0-9-]+)'/g)) rules.add(m[1]!);
    }
    const table = section('## Rules at a glance', '\u0000');
    expect([...rules].filter((id) => !table.includes(`| \`${id}\` |`))).toEqual([]);
    expect(rules.size).toBeGreaterThan(30);
  });

  it('shows the editor autocompletion line for each published JSON Schema', () => {
    for (const kind of Object.keys(DATASET_FILE_SCHEMAS)) expect(doc).toContain(`schema/${kind}.schema.json`);
    expect(doc).toContain('# yaml-language-server: $schema=');
  });
});
