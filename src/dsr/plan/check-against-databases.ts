/**
 * Before anything is written, the datasets are held against the databases' real tables: a
 * dataset naming a table or column that does not exist, a table whose rows cannot be addressed
 * (no primary key), or a masking strategy the column cannot take is reported with the dataset's
 * file:line, and the request does not start. Nothing is half-done because of a typo.
 */
import type { TableShape } from '../../connectors/connector.js';
import { isPersonalDataField, type MaskingStrategy } from '../../dataset/model.js';
import type { Finding } from '../../register/finding.js';
import type { GraphNode } from './graph.js';

export type RequestKind = 'access' | 'portability' | 'rectification' | 'restriction' | 'erasure';

export interface CheckedNode {
  shape: TableShape;
  /** Declared primary-key fields, or the table's own primary key. */
  key: string[];
}

const finding = (rule: string, message: string, at: { file: string; line: number; column: number }, severity: Finding['severity'] = 'error'): Finding => ({
  rule,
  severity,
  message,
  file: at.file,
  line: at.line,
  column: at.column,
});

const tableName = (node: GraphNode) => (node.collection.schema ? `${node.collection.schema}.${node.collection.name}` : node.collection.name);

/**
 * Checks one node against its table (undefined: the table was not found).
 * `writes`: the request will write to this collection (erasure, rectification, restriction).
 */
export function checkNode(node: GraphNode, shape: TableShape | undefined, kind: RequestKind): { findings: Finding[]; checked?: CheckedNode } {
  const findings: Finding[] = [];
  const c = node.collection;
  if (shape === undefined) {
    findings.push(finding('dataset/table-missing', `Table "${tableName(node)}" of dataset "${node.dataset.key}" does not exist in its database.`, c.at));
    return { findings };
  }
  const columns = new Map(shape.columns.map((col) => [col.name, col]));
  for (const field of c.fields) {
    if (!columns.has(field.name)) {
      findings.push(finding('dataset/column-missing', `Column "${field.name}" does not exist in table "${tableName(node)}".`, field.at));
    }
  }
  if (c.restrictionFlag !== undefined && !columns.has(c.restrictionFlag.field)) {
    findings.push(finding('dataset/column-missing', `Restriction flag column "${c.restrictionFlag.field}" does not exist in table "${tableName(node)}".`, c.at));
  }
  const declaredKey = c.fields.filter((f) => f.primaryKey).map((f) => f.name);
  const key = declaredKey.length > 0 ? declaredKey : shape.primaryKey;
  const writes = kind === 'erasure' || kind === 'rectification' || kind === 'restriction';
  if (key.length === 0 && writes) {
    findings.push(
      finding('dataset/no-primary-key', `Table "${tableName(node)}" has no primary key, so its rows cannot be addressed one by one: declare primary_key on a unique field.`, c.at),
    );
  }

  if (kind === 'erasure' && c.erasure.strategy === 'mask' && c.legalHold === undefined) {
    const fkColumns = new Set(shape.foreignKeys.flatMap((fk) => fk.columns));
    for (const field of c.fields) {
      const column = columns.get(field.name);
      if (column === undefined || !isPersonalDataField(field) || key.includes(field.name) || field.readOnly || field.legalHold) continue;
      const masking: MaskingStrategy = field.masking ?? { strategy: 'null' };
      if (masking.strategy === 'null' && !column.nullable) {
        findings.push(
          finding('dataset/masking-not-null', `Column "${field.name}" of "${tableName(node)}" is NOT NULL: give it a masking strategy other than null, or a legal hold.`, field.at),
        );
      }
      if (masking.strategy !== 'null' && fkColumns.has(field.name)) {
        findings.push(
          finding('dataset/masking-foreign-key', `Column "${field.name}" of "${tableName(node)}" is a foreign key: only the null strategy keeps the constraint true.`, field.at),
        );
      }
    }
  }
  return { findings, checked: { shape, key } };
}
