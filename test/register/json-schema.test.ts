import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASET_JSON_SCHEMA_KINDS, renderDatasetJsonSchema } from '../../src/dataset/json-schema.js';
import { JSON_SCHEMA_KINDS, registerJsonSchema, renderJsonSchema } from '../../src/register/json-schema.js';
import { ROOT } from '../helpers/cli.js';

describe('published JSON Schemas', () => {
  it.each(JSON_SCHEMA_KINDS)('schema/%s.schema.json is generated from the zod schema (run `npm run schema`)', async (kind) => {
    const committed = await readFile(path.join(ROOT, 'schema', `${kind}.schema.json`), 'utf8');
    expect(committed).toBe(renderJsonSchema(kind));
  });

  it.each(DATASET_JSON_SCHEMA_KINDS)('schema/%s.schema.json is generated from the zod schema (run `npm run schema`)', async (kind) => {
    const committed = await readFile(path.join(ROOT, 'schema', `${kind}.schema.json`), 'utf8');
    expect(committed).toBe(renderDatasetJsonSchema(kind));
  });

  it('forbids unknown keys so editors flag typos as the linter does', () => {
    const activity = registerJsonSchema('activity');
    expect(activity.additionalProperties).toBe(false);
    expect(activity.required).toEqual(['id', 'name']);
    // transfers: the word none, or a list of strict transfer objects.
    const props = activity.properties as Record<string, { anyOf?: { const?: string; items?: { properties?: Record<string, unknown>; additionalProperties?: boolean } }[] }>;
    const [none, list] = props.transfers?.anyOf ?? [];
    expect(none?.const).toBe('none');
    expect(Object.keys(list?.items?.properties ?? {})).toContain('scc_module');
    expect(list?.items?.additionalProperties).toBe(false);
  });
});
