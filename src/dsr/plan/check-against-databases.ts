/**
 * Before anything is written, the datasets are held against the databases' real tables: a
 * dataset naming a table or column that does not exist, a table the request must write whose rows
 * cannot be addressed (no key), or a masking strategy the column cannot take is reported with the
 * dataset's file:line, and the request does not start. Nothing is half-done because of a typo.
 *
 * A row is addressed by its key: the fields the dataset declares `primary_key`, else the table's
 * primary key, else a unique index whose columns are all NOT NULL (Fides datasets often declare
 * no key on collections without personal data). Only a collection the request must write needs one.
 */
import type { TableShape } from '../../connectors/connector.js';
import { isPersonalDataField, type Collection, type MaskingStrategy } from '../../dataset/model.js';
import type { Finding } from '../../register/finding.js';
import type { GraphNode } from './graph.js';

export type RequestKind = 'access' | 'portability' | 'rectification' | 'restriction' | 'erasure';

export interface CheckedNode {
  shape: TableShape;
  /** Declared primary-key fields, else the table's primary key, else a unique NOT NULL index; empty: none. */
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

/** What to do about a collection a request must write whose rows have no key. */
export const NO_KEY_FIX = 'add a primary key (or a unique NOT NULL index) to the table, or declare primary_key: true on the fields that identify a row';

/** The key rows are addressed by: declared, else the table's primary key, else its narrowest unique index on NOT NULL columns. */
export function keyOf(collection: Collection, shape: TableShape): string[] {
  const declared = collection.fields.filter((f) => f.primaryKey).map((f) => f.name);
  if (declared.length > 0) return declared;
  if (shape.primaryKey.length > 0) return shape.primaryKey;
  const notNull = new Set(shape.columns.filter((c) => !c.nullable).map((c) => c.name));
  const unique = (shape.uniqueKeys ?? []).filter((k) => k.length > 0 && k.every((c) => notNull.has(c)));
  return [...unique].sort((a, b) => a.length - b.length)[0] ?? [];
}

/**
 * Why the request must write to a collection (and so address its rows by key), or undefined when it
 * only reads it. An erasure writes a collection with personal-data fields to mask or rows to delete,
 * unless a legal hold keeps it whole or it is a catalogue; a restriction sets the flag a collection
 * declares. (A rectification checks the collection it changes when it resolves `--set`.)
 */
export function writeNeed(collection: Collection, kind: RequestKind, context: boolean): string | undefined {
  if (kind === 'restriction') return collection.restrictionFlag !== undefined ? 'a restriction sets its restriction flag on the person\'s rows' : undefined;
  if (kind !== 'erasure' || context || collection.legalHold !== undefined) return undefined;
  if (collection.erasure.strategy === 'delete') return 'an erasure deletes the person\'s rows (erasure: delete)';
  const masked = collection.fields.filter((f) => isPersonalDataField(f) && !f.readOnly && f.legalHold === undefined && !f.primaryKey);
  return masked.length > 0 ? `an erasure masks its personal-data fields (${masked.map((f) => f.name).join(', ')})` : undefined;
}

/**
 * Checks one node against its table (undefined: the table was not found). `context`: the node is a
 * catalogue for this request (read at most, never written).
 */
export function checkNode(node: GraphNode, shape: TableShape | undefined, kind: RequestKind, context = false): { findings: Finding[]; checked?: CheckedNode } {
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
  const key = keyOf(c, shape);
  const need = writeNeed(c, kind, context);
  if (key.length === 0 && need !== undefined) {
    findings.push(
      finding(
        'dataset/no-primary-key',
        `Table "${tableName(node)}" has no primary key and no unique index on NOT NULL columns, and ${need}, so its rows must be addressed one by one: ${NO_KEY_FIX}.`,
        c.at,
      ),
    );
  }

  if (kind === 'erasure' && !context && c.erasure.strategy === 'mask' && c.legalHold === undefined) {
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
