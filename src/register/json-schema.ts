/**
 * The register's JSON Schemas, generated from the zod schemas (the single source of truth) so
 * that editors can autocomplete and check register files as they are typed.
 */
import { z } from 'zod';
import { FILE_SCHEMAS, type FileKind } from './schema.js';

export const JSON_SCHEMA_BASE_URL = 'https://opendpo.dev/schema/';

export function registerJsonSchema(kind: FileKind): Record<string, unknown> {
  // "input": what authors write (defaults are optional there), not what the loader returns.
  const schema = z.toJSONSchema(FILE_SCHEMAS[kind], { io: 'input', target: 'draft-2020-12' });
  return {
    ...schema,
    $id: `${JSON_SCHEMA_BASE_URL}${kind}.schema.json`,
    title: `opendpo register: ${kind === 'activity' ? 'processing activity (activities/<id>.yaml)' : `${kind}.yaml`}`,
  };
}

export const JSON_SCHEMA_KINDS = Object.keys(FILE_SCHEMAS) as FileKind[];

export function renderJsonSchema(kind: FileKind): string {
  return `${JSON.stringify(registerJsonSchema(kind), null, 2)}\n`;
}
