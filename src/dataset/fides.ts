/**
 * Fides dataset files, imported as they are and with the same meaning (ethyca/fides; format in
 * fideslang's Dataset model): `dataset:` is a list of datasets with a fides_key, collections,
 * fields and their fides_meta.
 *
 * Every key Fides defines is accepted. Those that do not change what a request does (data_type,
 * length, description, tags, meta, data_qualifier, retention, data_uses...) are read and left
 * aside; a key Fides does not define is an error with a did-you-mean, as in opendpo's own format,
 * because a misspelt `fides_meta` would silently drop an identity or a reference.
 *
 * What Fides offers and opendpo refuses, with the place: aes_encrypt (an erasure must not leave a
 * value that decrypts back to the person's data), nested fields (document databases).
 */
import { z } from 'zod';
import type { Finding } from '../register/finding.js';
import { suggestClosest } from '../register/suggest-closest.js';
import { checkCategory, checkUniqueNames, type ParsedDataset } from './check-datasets.js';
import type { Collection, DatasetField, MaskingStrategy, Reference, SecretRef } from './model.js';
import { validateFile, type PathKey, type YamlFile } from './read-yaml-file.js';
import { CollectionPath, DatasetName, ElementName, IdentityType } from './schema.js';

/**
 * Fides keeps its HMAC and hash keys in its own secret store; a Fides dataset cannot name one. Fields
 * masked with hmac or hash take their key from this environment variable.
 */
export const FIDES_HMAC_KEY: SecretRef = { env: 'OPENDPO_HMAC_KEY' };

/** Fides' default length for random_string_rewrite (RandomStringMaskingConfiguration). */
const FIDES_RANDOM_STRING_LENGTH = 30;

const FIDES_MASKING_STRATEGIES = ['null_rewrite', 'string_rewrite', 'hash', 'hmac', 'random_string_rewrite', 'aes_encrypt'] as const;

// ---------------------------------------------------------------------------
// The Fides shape (fideslang models.py: Dataset, DatasetCollection, DatasetField, FidesMeta...)
// ---------------------------------------------------------------------------

/** A key Fides defines that does not change what a request does: accepted, not used. */
const ignored = z.unknown().optional();

export const FidesKey = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'must be a fides_key of letters, digits, "_" and "-" (opendpo writes "dataset.collection", so no dot)');

const FidesReference = z.strictObject({
  dataset: DatasetName,
  field: z.string().min(1),
  direction: z.enum(['from', 'to']).nullish(),
});

const FidesFieldMeta = z.strictObject({
  references: z.array(FidesReference).nullish(),
  identity: IdentityType.nullish(),
  primary_key: z.boolean().nullish(),
  data_type: ignored,
  length: z.int().positive().nullish(),
  return_all_elements: ignored,
  read_only: z.boolean().nullish(),
  custom_request_field: ignored,
  masking_strategy_override: z
    .strictObject({
      strategy: z.string().min(1),
      configuration: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
  redact: ignored,
});

const FidesField = z.strictObject({
  name: ElementName,
  description: ignored,
  data_categories: z.array(z.string().min(1)).nullish(),
  data_uses: ignored,
  data_purposes: ignored,
  data_subjects: ignored,
  data_qualifier: ignored,
  retention: ignored,
  fides_meta: FidesFieldMeta.nullish(),
  fidesops_meta: FidesFieldMeta.nullish(),
  /** Sub-fields of a document database: refused with their place (opendpo reads SQL tables). */
  fields: z.array(z.unknown()).nullish(),
});

const FidesCollectionMeta = z.strictObject({
  after: z.array(CollectionPath).nullish(),
  erase_after: z.array(CollectionPath).nullish(),
  skip_processing: z.boolean().nullish(),
  masking_strategy_override: z.strictObject({ strategy: z.literal('delete') }).nullish(),
  partitioning: ignored,
  redact: ignored,
});

const FidesCollection = z.strictObject({
  name: ElementName,
  description: ignored,
  data_categories: ignored,
  data_uses: ignored,
  data_purposes: ignored,
  data_subjects: ignored,
  data_qualifier: ignored,
  retention: ignored,
  fields: z.array(FidesField),
  fides_meta: FidesCollectionMeta.nullish(),
  fidesops_meta: FidesCollectionMeta.nullish(),
});

const FidesDatasetMeta = z.strictObject({
  resource_id: ignored,
  after: z.array(DatasetName).nullish(),
  namespace: ignored,
  redact: ignored,
});

const FidesDataset = z.strictObject({
  fides_key: FidesKey,
  organization_fides_key: ignored,
  tags: ignored,
  name: z.string().nullish(),
  description: z.string().nullish(),
  meta: ignored,
  data_categories: ignored,
  data_uses: ignored,
  data_purposes: ignored,
  data_subjects: ignored,
  data_qualifier: ignored,
  retention: ignored,
  joint_controller: ignored,
  third_country_transfers: ignored,
  fidesctl_meta: ignored,
  fides_meta: FidesDatasetMeta.nullish(),
  fidesops_meta: FidesDatasetMeta.nullish(),
  collections: z.array(FidesCollection),
});

export const FidesDatasetFileSchema = z.strictObject({
  dataset: z.array(FidesDataset),
});
type FidesFieldMetaOutput = z.output<typeof FidesFieldMeta>;

// ---------------------------------------------------------------------------
// Fides -> model
// ---------------------------------------------------------------------------

/** Reads a Fides dataset file (one or more datasets) into the model. */
export function readFidesDatasets(file: YamlFile, problems: Finding[]): ParsedDataset[] {
  const parsed = validateFile(file, FidesDatasetFileSchema, { prefix: 'dataset' }, problems);
  if (!parsed) return [];
  const out: ParsedDataset[] = [];
  parsed.dataset.forEach((d, di) => {
    const base: PathKey[] = ['dataset', di];
    // fidesops_meta is the older name of fides_meta; Fides reads either.
    const datasetMeta = d.fides_meta ?? d.fidesops_meta;
    const datasetMetaKey = d.fides_meta ? 'fides_meta' : 'fidesops_meta';
    const orderAt: ParsedDataset['orderAt'] = [];
    const collections: Collection[] = d.collections.map((c, ci) => {
      const cp = [...base, 'collections', ci];
      const meta = c.fides_meta ?? c.fidesops_meta;
      const metaKey = c.fides_meta ? 'fides_meta' : 'fidesops_meta';
      const fields: DatasetField[] = [];
      c.fields.forEach((f, fi) => {
        const fp = [...cp, 'fields', fi];
        if (f.fields && f.fields.length > 0) {
          problems.push(unsupported(file, [...fp, 'fields'], `field "${f.name}" has nested fields: opendpo reads SQL tables, not documents`));
          return;
        }
        const fm = f.fides_meta ?? f.fidesops_meta;
        const mp = [...fp, f.fides_meta ? 'fides_meta' : 'fidesops_meta'];
        const categories = f.data_categories ?? [];
        categories.forEach((category, k) => checkCategory(file, [...fp, 'data_categories', k], category, problems));
        const references: Reference[] = [];
        (fm?.references ?? []).forEach((r, ri) => {
          const rp = [...mp, 'references', ri];
          const parts = r.field.split('.');
          if (parts.length !== 2 || !parts[0] || !parts[1]) {
            problems.push(
              parts.length > 2
                ? unsupported(file, [...rp, 'field'], `the reference "${r.field}" names a nested field: opendpo reads SQL tables, not documents`)
                : invalid(file, [...rp, 'field'], `the reference field must be "collection.field", e.g. "customer.id"`),
            );
            return;
          }
          // Fides: a reference without a direction may be followed either way.
          references.push({ dataset: r.dataset, collection: parts[0], field: parts[1], direction: r.direction ?? 'both', otherSubject: false, at: file.place(rp) });
        });
        const masking = fm?.masking_strategy_override ? toMasking(fm.masking_strategy_override, fm, file, [...mp, 'masking_strategy_override'], problems) : undefined;
        fields.push({
          name: f.name,
          categories,
          ...(fm?.identity ? { identity: fm.identity } : {}),
          primaryKey: fm?.primary_key === true,
          references,
          ...(masking ? { masking } : {}),
          readOnly: fm?.read_only === true,
          at: file.place(fp),
        });
      });
      orderAt.push({
        after: (meta?.after ?? []).map((_, k) => file.span([...cp, metaKey, 'after', k])),
        eraseAfter: (meta?.erase_after ?? []).map((_, k) => file.span([...cp, metaKey, 'erase_after', k])),
      });
      return {
        name: c.name,
        fields,
        erasure: { strategy: meta?.masking_strategy_override?.strategy === 'delete' ? 'delete' : 'mask' },
        skip: meta?.skip_processing === true,
        after: meta?.after ?? [],
        eraseAfter: meta?.erase_after ?? [],
        at: file.place(cp),
      };
    });
    checkUniqueNames(file, collections, base, problems);
    out.push({
      dataset: {
        key: d.fides_key,
        ...(d.name ? { name: d.name } : {}),
        ...(d.description ? { description: d.description } : {}),
        format: 'fides',
        collections,
        at: file.place(base),
      },
      file,
      base,
      orderAt,
      datasetAfter: (datasetMeta?.after ?? []).map((key, k) => ({ key, span: file.span([...base, datasetMetaKey, 'after', k]) })),
    });
  });
  return out;
}

/**
 * Fides masking_strategy_override -> opendpo masking. Fides' `length` (the longest value the
 * column takes) bounds what hmac and random_string write, as it bounds what Fides writes.
 */
function toMasking(
  override: NonNullable<FidesFieldMetaOutput['masking_strategy_override']>,
  meta: FidesFieldMetaOutput,
  file: YamlFile,
  path: PathKey[],
  problems: Finding[],
): MaskingStrategy | undefined {
  const config = override.configuration ?? {};
  const cp = [...path, 'configuration'];
  const preserved = formatPreservation(config, file, cp, problems);
  if (!preserved) return undefined;
  const { prefix, suffix } = preserved;
  const length = meta.length ?? undefined;
  switch (override.strategy) {
    case 'null_rewrite':
      return { strategy: 'null' };
    case 'string_rewrite': {
      const value = config.rewrite_value;
      if (typeof value !== 'string') {
        problems.push(invalid(file, [...cp, 'rewrite_value'], 'string_rewrite needs configuration.rewrite_value, the text written in place of the value'));
        return undefined;
      }
      return { strategy: 'fixed', value, ...(prefix !== undefined ? { prefix } : {}), ...(suffix !== undefined ? { suffix } : {}) };
    }
    case 'hash':
    case 'hmac':
      if (suffix !== undefined || prefix !== undefined) {
        problems.push({
          rule: 'dataset/fides-ignored',
          severity: 'warning',
          message: `format_preservation is not applied to ${override.strategy}: the field is set to the bare HMAC-SHA-256 digest`,
          file: file.display,
          ...file.span([...cp, 'format_preservation']),
        });
      }
      return { strategy: 'hmac', key: FIDES_HMAC_KEY, ...(length !== undefined && length < 64 ? { length } : {}) };
    case 'random_string_rewrite': {
      const configured = config.length;
      if (configured !== undefined && !(typeof configured === 'number' && Number.isInteger(configured) && configured > 0 && configured <= 1000)) {
        problems.push(invalid(file, [...cp, 'length'], 'random_string_rewrite configuration.length must be a whole number from 1 to 1000'));
        return undefined;
      }
      const wanted = (configured as number | undefined) ?? FIDES_RANDOM_STRING_LENGTH;
      return { strategy: 'random_string', length: length !== undefined ? Math.min(wanted, length) : wanted };
    }
    case 'aes_encrypt':
      problems.push(
        unsupported(
          file,
          [...path, 'strategy'],
          'aes_encrypt is not supported: an erased value must not be one that decrypts back to the person\'s data (Art. 17); use hmac, string_rewrite, random_string_rewrite or null_rewrite',
        ),
      );
      return undefined;
    default: {
      const guess = suggestClosest(override.strategy, FIDES_MASKING_STRATEGIES);
      problems.push({
        ...unsupported(file, [...path, 'strategy'], `unknown Fides masking strategy "${override.strategy}"${guess ? `: did you mean "${guess}"?` : ''} (null_rewrite, string_rewrite, hash, hmac, random_string_rewrite)`),
        ...(guess ? { suggestion: guess } : {}),
      });
      return undefined;
    }
  }
}

/** format_preservation: Fides gives a suffix; a prefix is read too. Undefined when invalid (reported). */
function formatPreservation(
  config: Record<string, unknown>,
  file: YamlFile,
  path: PathKey[],
  problems: Finding[],
): { prefix?: string; suffix?: string } | undefined {
  const fp = config.format_preservation;
  if (fp === undefined || fp === null) return {};
  if (typeof fp !== 'object' || Array.isArray(fp)) {
    problems.push(invalid(file, [...path, 'format_preservation'], 'format_preservation must be a mapping such as { suffix: "-test" }'));
    return undefined;
  }
  const out: { prefix?: string; suffix?: string } = {};
  for (const key of ['prefix', 'suffix'] as const) {
    const value = (fp as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      problems.push(invalid(file, [...path, 'format_preservation', key], `format_preservation.${key} must be a text`));
      return undefined;
    }
    out[key] = value;
  }
  return out;
}

function unsupported(file: YamlFile, path: readonly PathKey[], message: string): Finding {
  return { rule: 'dataset/fides-unsupported', severity: 'error', message, file: file.display, ...file.span(path) };
}

function invalid(file: YamlFile, path: readonly PathKey[], message: string): Finding {
  return { rule: 'dataset/invalid', severity: 'error', message, file: file.display, ...file.span(path) };
}
