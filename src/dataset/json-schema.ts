/**
 * The JSON Schemas of opendpo's dataset files, generated from the zod schemas like the register's,
 * so that editors complete and check dataset files and connections.yaml as they are typed.
 */
import { z } from 'zod';
import { JSON_SCHEMA_ID_PREFIX } from '../register/json-schema.js';
import { DATASET_FILE_SCHEMAS, type DatasetFileKind } from './schema.js';

const TITLES: Record<DatasetFileKind, string> = {
  dataset: 'opendpo dataset (datasets/<name>.yaml)',
  'dataset-connections': 'opendpo datasets: connections.yaml',
};

export const DATASET_JSON_SCHEMA_KINDS = Object.keys(DATASET_FILE_SCHEMAS) as DatasetFileKind[];

export function datasetJsonSchema(kind: DatasetFileKind): Record<string, unknown> {
  // "input": what authors write (defaults are optional there), not what the loader returns.
  const schema = z.toJSONSchema(DATASET_FILE_SCHEMAS[kind], { io: 'input', target: 'draft-2020-12' });
  return { ...schema, $id: `${JSON_SCHEMA_ID_PREFIX}${kind}`, title: TITLES[kind] };
}

export function renderDatasetJsonSchema(kind: DatasetFileKind): string {
  return `${JSON.stringify(datasetJsonSchema(kind), null, 2)}\n`;
}
