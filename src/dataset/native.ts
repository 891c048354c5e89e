/**
 * opendpo's own dataset file (`dataset:` mapping, see schema.ts and docs/dataset-format.md) into
 * the dataset model, every element with its place in the file.
 */
import type { Finding } from '../register/finding.js';
import { checkCategory, checkDeclaredFields, checkRestrictionFlag, checkSubject, checkUniqueNames, type ParsedDataset } from './check-datasets.js';
import { toSecretRef } from './connections.js';
import type { Collection, DatasetField, LegalHold, MaskingStrategy, Reference } from './model.js';
import { pathLabel } from '../yaml/read-yaml.js';
import { validateFile, type IssueRules, type PathKey, type YamlFile } from './read-yaml-file.js';
import { DatasetFileSchema, type LegalHoldOutput, type MaskingInput } from './schema.js';

/** Issues with a rule of their own: an incomplete legal hold, a field given several identity types. */
const NATIVE_RULES: IssueRules = {
  prefix: 'dataset',
  special: (path, issue) => {
    const last = path.at(-1);
    const input = (issue as { input?: unknown }).input;
    if (path.at(-2) === 'legal_hold' && (last === 'reason' || last === 'article') && issue.code === 'invalid_type' && input === undefined) {
      return {
        rule: 'dataset/legal-hold-incomplete',
        article: 'Art. 17(3)',
        message: `${pathLabel(path.slice(0, -1))}: a legal hold gives its ${last === 'reason' ? 'reason (why the data is kept)' : 'article (the Art. 17(3) exception relied on, e.g. "Art. 17(3)(b)")'}`,
      };
    }
    if (last === 'article' && path.at(-2) === 'legal_hold') return { rule: 'dataset/invalid', article: 'Art. 17(3)' };
    if (last === 'identity' && Array.isArray(input)) {
      return {
        rule: 'dataset/identity-multiple',
        message: `${pathLabel(path)}: a field holds one identity type; a column holding several kinds of identity cannot be searched safely`,
      };
    }
    return undefined;
  },
};

export function readNativeDataset(file: YamlFile, problems: Finding[]): ParsedDataset | undefined {
  const parsed = validateFile(file, DatasetFileSchema, NATIVE_RULES, problems);
  if (!parsed) return undefined;
  const d = parsed.dataset;
  const base: PathKey[] = ['dataset'];
  const orderAt: ParsedDataset['orderAt'] = [];
  const collections: Collection[] = d.collections.map((c, ci) => {
    const cp = [...base, 'collections', ci];
    if (c.subject !== undefined) checkSubject(file, [...cp, 'subject'], c.subject, problems);
    const fields: DatasetField[] = c.fields.map((f, fi) => {
      const fp = [...cp, 'fields', fi];
      f.categories.forEach((category, k) => checkCategory(file, [...fp, 'categories', k], category, problems));
      const references: Reference[] = f.references.map((r, ri) => {
        const dot = r.field.indexOf('.');
        return {
          dataset: r.dataset ?? d.key,
          collection: r.field.slice(0, dot),
          field: r.field.slice(dot + 1),
          direction: r.direction,
          otherSubject: r.other_subject,
          at: file.place([...fp, 'references', ri]),
        };
      });
      return {
        name: f.name,
        categories: f.categories,
        ...(f.identity !== undefined ? { identity: f.identity } : {}),
        ...(f.identity_match !== undefined ? { identityMatch: f.identity_match } : {}),
        ...(f.label !== undefined ? { label: f.label } : {}),
        ...(f.format !== undefined ? { format: f.format } : {}),
        ...(f.exclude_from_copy !== undefined ? { excludeFromCopy: { reason: f.exclude_from_copy.reason } } : {}),
        primaryKey: f.primary_key,
        references,
        ...(f.provenance !== undefined ? { provenance: f.provenance } : {}),
        ...(f.masking !== undefined ? { masking: toMasking(f.masking, file.display) } : {}),
        ...(f.legal_hold !== undefined ? { legalHold: toLegalHold(f.legal_hold) } : {}),
        readOnly: f.read_only,
        at: file.place(fp),
      };
    });
    orderAt.push({
      after: c.after.map((_, k) => file.span([...cp, 'after', k])),
      eraseAfter: c.erase_after.map((_, k) => file.span([...cp, 'erase_after', k])),
    });
    const collection: Collection = {
      name: c.name,
      ...(c.label !== undefined ? { label: c.label } : {}),
      ...(c.schema !== undefined ? { schema: c.schema } : {}),
      ...(c.subject !== undefined ? { subject: c.subject } : {}),
      fields,
      erasure: { strategy: c.erasure },
      ...(c.system !== undefined ? { system: c.system } : {}),
      ...(c.catalogue ? { catalogue: true } : {}),
      ...(c.retention_start !== undefined ? { retentionStart: c.retention_start } : {}),
      ...(c.legal_hold !== undefined ? { legalHold: toLegalHold(c.legal_hold) } : {}),
      ...(c.restriction_flag !== undefined ? { restrictionFlag: restrictionFlag(c.restriction_flag) } : {}),
      skip: c.skip,
      after: c.after,
      eraseAfter: c.erase_after,
      at: file.place(cp),
    };
    checkRestrictionFlag(file, collection, [...cp, 'restriction_flag', 'field'], problems);
    checkDeclaredFields(file, collection, cp, problems);
    return collection;
  });
  checkUniqueNames(file, collections, base, problems);
  return {
    dataset: {
      key: d.key,
      ...(d.name !== undefined ? { name: d.name } : {}),
      ...(d.description !== undefined ? { description: d.description } : {}),
      ...(d.system !== undefined ? { system: d.system } : {}),
      format: 'opendpo',
      collections,
      at: file.place(base),
    },
    file,
    base,
    orderAt,
    datasetAfter: [],
  };
}

function toMasking(m: MaskingInput, declaredIn: string): MaskingStrategy {
  switch (m.strategy) {
    case null:
    case 'null':
      return { strategy: 'null' };
    case 'fixed':
      return {
        strategy: 'fixed',
        value: m.value,
        ...(m.prefix !== undefined ? { prefix: m.prefix } : {}),
        ...(m.suffix !== undefined ? { suffix: m.suffix } : {}),
      };
    case 'hmac':
      return { strategy: 'hmac', key: toSecretRef(m.key, declaredIn), ...(m.length !== undefined ? { length: m.length } : {}) };
    case 'random_string':
      return { strategy: 'random_string', length: m.length };
  }
}

function toLegalHold(h: LegalHoldOutput): LegalHold {
  return { reason: h.reason, article: h.article, ...(h.period !== undefined ? { period: h.period } : {}) };
}

function restrictionFlag(f: { field: string; value: string | number | boolean; lifted_value?: string | number | boolean | null | undefined }): NonNullable<Collection['restrictionFlag']> {
  // Absent and null differ: null is a value the field takes once the restriction is lifted.
  return { field: f.field, value: f.value, ...(f.lifted_value !== undefined ? { liftedValue: f.lifted_value } : {}) };
}
