/**
 * The register's JSON Schemas, generated from the zod schemas (the single source of truth) so
 * that editors can autocomplete and check register files as they are typed.
 */
import { z } from 'zod';
import { FILE_SCHEMAS, type FileKind } from './schema.js';

/** An identifier, not an address: editors find the schema by the path in the file's yaml-language-server line. */
export const JSON_SCHEMA_ID_PREFIX = 'urn:opendpo:schema:';

export function registerJsonSchema(kind: FileKind): Record<string, unknown> {
  // "input": what authors write (defaults are optional there), not what the loader returns.
  const schema = z.toJSONSchema(FILE_SCHEMAS[kind], { io: 'input', target: 'draft-2020-12' });
  return {
    ...schema,
    $id: `${JSON_SCHEMA_ID_PREFIX}${kind}`,
    title: `opendpo register: ${kind === 'activity' ? 'processing activity (activities/<id>.yaml)' : `${kind}.yaml`}`,
  };
}

export const JSON_SCHEMA_KINDS = Object.keys(FILE_SCHEMAS) as FileKind[];

export function renderJsonSchema(kind: FileKind): string {
  return `${JSON.stringify(registerJsonSchema(kind), null, 2)}\n`;
}
