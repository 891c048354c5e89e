/** Writes schema/<kind>.schema.json from the zod schemas. A test fails when they are stale. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JSON_SCHEMA_KINDS, renderJsonSchema } from '../src/register/json-schema.js';

const out = path.resolve(import.meta.dirname, '../schema');
await mkdir(out, { recursive: true });
for (const kind of JSON_SCHEMA_KINDS) {
  await writeFile(path.join(out, `${kind}.schema.json`), renderJsonSchema(kind));
  console.log(`wrote schema/${kind}.schema.json`);
}
