/** Writes schema/<kind>.schema.json from the zod schemas. A test fails when they are stale. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DATASET_JSON_SCHEMA_KINDS, renderDatasetJsonSchema } from '../src/dataset/json-schema.js';
import { JSON_SCHEMA_KINDS, renderJsonSchema } from '../src/register/json-schema.js';

const out = path.resolve(import.meta.dirname, '../schema');
await mkdir(out, { recursive: true });
const schemas: [string, string][] = [
  ...JSON_SCHEMA_KINDS.map((kind): [string, string] => [kind, renderJsonSchema(kind)]),
  ...DATASET_JSON_SCHEMA_KINDS.map((kind): [string, string] => [kind, renderDatasetJsonSchema(kind)]),
];
for (const [kind, text] of schemas) {
  await writeFile(path.join(out, `${kind}.schema.json`), text);
  console.log(`wrote schema/${kind}.schema.json`);
}
