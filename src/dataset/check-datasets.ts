/**
 * What a dataset file cannot say about itself: the checks that need the fideslang taxonomy, the
 * other datasets of the folder, connections.yaml or the register. Pure functions over parsed
 * files; each problem names its place.
 */
import type { Finding } from '../register/finding.js';
import { suggestClosest } from '../register/suggest-closest.js';
import { deprecatedTaxonomyKey, isDataCategory, isDataSubject, suggestTaxonomyKey } from '../reference/taxonomy.js';
import type { ConnectionsFile } from './connections.js';
import { collectionId, type Collection, type Dataset } from './model.js';
import type { PathKey, Span, YamlFile } from './read-yaml-file.js';

/** A dataset as read from its file, with what the cross-file checks need to name places. */
export interface ParsedDataset {
  dataset: Dataset;
  file: YamlFile;
  /** Path of the dataset object in the file (["dataset"], or ["dataset", i] in a Fides file). */
  base: PathKey[];
  /** Where each after / erase_after entry is written, by collection index. */
  orderAt: { after: Span[]; eraseAfter: Span[] }[];
  /** Fides fides_meta.after: whole datasets to process before this one. */
  datasetAfter: { key: string; span: Span }[];
}

const spanFinding = (file: YamlFile, span: Span) => ({ file: file.display, ...span });

/** fideslang data categories: an unknown key is an error (with a did-you-mean), a deprecated one a warning. */
export function checkCategory(file: YamlFile, path: readonly PathKey[], category: string, problems: Finding[]): void {
  if (isDataCategory(category)) return;
  const deprecated = deprecatedTaxonomyKey('data_category', category);
  if (deprecated) {
    problems.push({
      rule: 'dataset/deprecated-category',
      severity: 'warning',
      message: `the data category "${category}" was deprecated in fideslang ${deprecated.version_deprecated}: use "${deprecated.replaced_by}"`,
      suggestion: deprecated.replaced_by,
      ...spanFinding(file, file.span(path)),
    });
    return;
  }
  const guess = suggestTaxonomyKey('data_category', category);
  problems.push({
    rule: 'dataset/unknown-category',
    severity: 'error',
    message: `unknown fideslang data category "${category}"${guess ? `: did you mean "${guess}"?` : ''}`,
    ...(guess ? { suggestion: guess } : {}),
    ...spanFinding(file, file.span(path)),
  });
}

/** The kind of data subject a collection describes: a fideslang data subject. */
export function checkSubject(file: YamlFile, path: readonly PathKey[], subject: string, problems: Finding[]): void {
  if (isDataSubject(subject)) return;
  const guess = suggestTaxonomyKey('data_subject', subject);
  problems.push({
    rule: 'dataset/unknown-subject',
    severity: 'error',
    message: `unknown fideslang data subject "${subject}"${guess ? `: did you mean "${guess}"?` : ''} (customer, employee, job_applicant, prospect...)`,
    ...(guess ? { suggestion: guess } : {}),
    ...spanFinding(file, file.span(path)),
  });
}

/** Collections of a dataset and fields of a collection are found by name: a name appears once. */
export function checkUniqueNames(file: YamlFile, collections: readonly Collection[], base: readonly PathKey[], problems: Finding[]): void {
  const seen = new Map<string, number>();
  collections.forEach((c, ci) => {
    const first = seen.get(c.name);
    if (first !== undefined) {
      problems.push({
        rule: 'dataset/duplicate-collection',
        severity: 'error',
        message: `the collection "${c.name}" is declared twice in this dataset (first at line ${collections[first]!.at.line})`,
        ...spanFinding(file, file.span([...base, 'collections', ci, 'name'])),
      });
    } else seen.set(c.name, ci);
    const fields = new Map<string, number>();
    c.fields.forEach((f, fi) => {
      const firstField = fields.get(f.name);
      if (firstField !== undefined) {
        problems.push({
          rule: 'dataset/duplicate-field',
          severity: 'error',
          message: `the field "${f.name}" is declared twice in collection "${c.name}" (first at line ${c.fields[firstField]!.at.line})`,
          ...spanFinding(file, file.span([...base, 'collections', ci, 'fields', fi, 'name'])),
        });
      } else fields.set(f.name, fi);
    });
  });
}

/** Art. 18: the restriction flag is set on a field the collection declares. */
export function checkRestrictionFlag(file: YamlFile, collection: Collection, path: readonly PathKey[], problems: Finding[]): void {
  const flag = collection.restrictionFlag;
  if (!flag || collection.fields.some((f) => f.name === flag.field)) return;
  const guess = suggestClosest(flag.field, collection.fields.map((f) => f.name));
  problems.push({
    rule: 'dataset/restriction-flag-unknown-field',
    severity: 'error',
    message: `the restriction flag names the field "${flag.field}", which collection "${collection.name}" does not declare${guess ? `: did you mean "${guess}"?` : ''}`,
    article: 'Art. 18',
    ...(guess ? { suggestion: guess } : {}),
    ...spanFinding(file, file.span(path)),
  });
}

/**
 * What a collection says about its own fields: the retention start names one of them; a field's
 * identity_match only means something on an identity field; a catalogue describes no data subject.
 */
export function checkDeclaredFields(file: YamlFile, collection: Collection, path: readonly PathKey[], problems: Finding[]): void {
  const start = collection.retentionStart;
  if (start !== undefined && !collection.fields.some((f) => f.name === start)) {
    const guess = suggestClosest(start, collection.fields.map((f) => f.name));
    problems.push({
      rule: 'dataset/retention-start-unknown-field',
      severity: 'error',
      message: `retention_start names the field "${start}", which collection "${collection.name}" does not declare${guess ? `: did you mean "${guess}"?` : ''}`,
      article: 'Art. 5(1)(e)',
      ...(guess ? { suggestion: guess } : {}),
      ...spanFinding(file, file.span([...path, 'retention_start'])),
    });
  }
  collection.fields.forEach((f, fi) => {
    if (f.identityMatch !== undefined && f.identity === undefined) {
      problems.push({
        rule: 'dataset/identity-match-without-identity',
        severity: 'error',
        message: `the field "${f.name}" says how its identity is compared (identity_match) but holds no identity: add identity: <type>, or remove identity_match`,
        ...spanFinding(file, file.span([...path, 'fields', fi, 'identity_match'])),
      });
    }
  });
  if (collection.catalogue === true && collection.subject !== undefined) {
    problems.push({
      rule: 'dataset/catalogue-with-subject',
      severity: 'error',
      message: `the collection "${collection.name}" is a catalogue (reference data, nobody's records) and also describes a data subject ("${collection.subject}"): it is one or the other`,
      ...spanFinding(file, file.span([...path, 'catalogue'])),
    });
  }
}

// ---------------------------------------------------------------------------
// Across the files of a folder
// ---------------------------------------------------------------------------

/**
 * Duplicate keys, references and processing order across datasets. Returns the datasets kept (a
 * second dataset with a key already taken is left out), with Fides dataset-level `after` spread
 * over their collections. `unreadable` tells the keys of datasets whose file was refused: what
 * refers to them is not reported again.
 */
export function checkAcrossDatasets(parsed: readonly ParsedDataset[], unreadable: (key: string) => boolean, problems: Finding[]): Dataset[] {
  const byKey = new Map<string, ParsedDataset>();
  for (const p of parsed) {
    const first = byKey.get(p.dataset.key);
    if (first) {
      problems.push({
        rule: 'dataset/duplicate-key',
        severity: 'error',
        message: `the dataset key "${p.dataset.key}" is already used by ${first.dataset.at.file}:${first.dataset.at.line}: dataset keys are unique`,
        ...spanFinding(p.file, p.file.span(p.dataset.format === 'fides' ? [...p.base, 'fides_key'] : [...p.base, 'key'])),
      });
      continue;
    }
    byKey.set(p.dataset.key, p);
  }
  const known = (key: string) => byKey.has(key) || unreadable(key);
  const keys = [...byKey.keys()];
  const allCollections = [...byKey.values()].flatMap((p) => p.dataset.collections.map((c) => collectionId(p.dataset.key, c.name)));

  const kept: Dataset[] = [];
  for (const p of byKey.values()) {
    const { dataset, file } = p;
    // References: dataset, then collection, then field, each with its did-you-mean.
    for (const collection of dataset.collections) {
      for (const field of collection.fields) {
        for (const ref of field.references) {
          const target = byKey.get(ref.dataset);
          const at = { file: ref.at.file, line: ref.at.line, column: ref.at.column };
          const where = `${collection.name}.${field.name}`;
          if (!target) {
            if (unreadable(ref.dataset)) continue;
            const guess = suggestClosest(ref.dataset, keys);
            problems.push(referenceUnknown(`${where} refers to the unknown dataset "${ref.dataset}"`, guess, at));
            continue;
          }
          const targetCollection = target.dataset.collections.find((c) => c.name === ref.collection);
          if (!targetCollection) {
            const guess = suggestClosest(ref.collection, target.dataset.collections.map((c) => c.name));
            problems.push(referenceUnknown(`${where} refers to "${ref.collection}.${ref.field}", but dataset "${ref.dataset}" has no collection "${ref.collection}"`, guess, at));
            continue;
          }
          if (!targetCollection.fields.some((f) => f.name === ref.field)) {
            const guess = suggestClosest(ref.field, targetCollection.fields.map((f) => f.name));
            problems.push(referenceUnknown(`${where} refers to "${ref.collection}.${ref.field}", but collection "${ref.collection}" of dataset "${ref.dataset}" has no field "${ref.field}"`, guess, at));
          }
        }
      }
    }

    // after / erase_after name collections that exist.
    dataset.collections.forEach((collection, ci) => {
      const check = (list: string[], spans: Span[], key: string) =>
        list.forEach((id, k) => {
          if (allCollections.includes(id)) return;
          const dot = id.indexOf('.');
          if (unreadable(id.slice(0, dot))) return;
          const guess = suggestClosest(id, allCollections);
          problems.push({
            rule: 'dataset/order-unknown',
            severity: 'error',
            message: `${collection.name}.${key} names "${id}", which is not a collection of any dataset in this folder${guess ? `: did you mean "${guess}"?` : ''}`,
            ...(guess ? { suggestion: guess } : {}),
            ...spanFinding(file, spans[k] ?? file.span(p.base)),
          });
        });
      check(collection.after, p.orderAt[ci]?.after ?? [], 'after');
      check(collection.eraseAfter, p.orderAt[ci]?.eraseAfter ?? [], 'erase_after');
    });

    // Fides dataset-level after: every collection of this dataset comes after those datasets'.
    let collections = dataset.collections;
    for (const { key, span } of p.datasetAfter) {
      const before = byKey.get(key);
      if (!before) {
        if (known(key)) continue;
        const guess = suggestClosest(key, keys);
        problems.push({
          rule: 'dataset/order-unknown',
          severity: 'error',
          message: `fides_meta.after names the unknown dataset "${key}"${guess ? `: did you mean "${guess}"?` : ''}`,
          ...(guess ? { suggestion: guess } : {}),
          ...spanFinding(file, span),
        });
        continue;
      }
      const ids = before.dataset.collections.map((c) => collectionId(key, c.name));
      collections = collections.map((c) => ({ ...c, after: [...new Set([...c.after, ...ids])] }));
    }
    kept.push(collections === dataset.collections ? dataset : { ...dataset, collections });
  }
  return kept;
}

function referenceUnknown(message: string, guess: string | undefined, at: { file: string; line: number; column: number }): Finding {
  return {
    rule: 'dataset/reference-unknown',
    severity: 'error',
    message: `${message}${guess ? `: did you mean "${guess}"?` : ''}`,
    ...(guess ? { suggestion: guess } : {}),
    ...at,
  };
}

/**
 * connections.yaml against the datasets: each connection serves datasets that exist, and each
 * dataset is served by exactly one connection (a request must know where every table lives,
 * and must not act twice on the same data).
 */
export function checkConnections(
  datasets: readonly Dataset[],
  connections: ConnectionsFile,
  connectionsYaml: YamlFile,
  notReported: (key: string) => boolean,
  problems: Finding[],
): void {
  const keys = datasets.map((d) => d.key);
  const servedBy = new Map<string, string>();
  const entrySpan = (connection: string, key: string): Span => {
    const list = (connectionsYaml.value as { connections?: { name?: unknown; datasets?: unknown[] }[] }).connections ?? [];
    const i = list.findIndex((c) => c?.name === connection);
    const j = list[i]?.datasets?.indexOf(key) ?? -1;
    return connectionsYaml.span(['connections', i, 'datasets', j]);
  };
  for (const connection of connections.connections) {
    for (const key of connection.datasets) {
      if (!keys.includes(key)) {
        if (notReported(key)) continue;
        const guess = suggestClosest(key, keys);
        problems.push({
          rule: 'connections/unknown-dataset',
          severity: 'error',
          message: `connection "${connection.name}" serves the dataset "${key}", which no dataset file of this folder declares${guess ? `: did you mean "${guess}"?` : ''}`,
          ...(guess ? { suggestion: guess } : {}),
          ...spanFinding(connectionsYaml, entrySpan(connection.name, key)),
        });
        continue;
      }
      const first = servedBy.get(key);
      if (first !== undefined) {
        problems.push({
          rule: 'connections/served-twice',
          severity: 'error',
          message: `the dataset "${key}" is served by connection "${first}" and by connection "${connection.name}": a dataset lives in one place`,
          ...spanFinding(connectionsYaml, entrySpan(connection.name, key)),
        });
        continue;
      }
      servedBy.set(key, connection.name);
    }
  }
  for (const dataset of datasets) {
    if (servedBy.has(dataset.key) || notReported(dataset.key)) continue;
    problems.push({
      rule: 'dataset/not-served',
      severity: 'error',
      message: `no connection in ${connections.file} serves the dataset "${dataset.key}": add it to the datasets of the connection to the database that holds it`,
      ...dataset.at,
    });
  }
}

/**
 * Datasets link to the register through a system id (systems.yaml), which is how an access answer
 * says why each piece of data is held (Art. 15(1)(a)-(h)). A system may also list dataset files
 * (`datasets:` in systems.yaml): a dataset that names no system (a Fides dataset cannot) is given
 * that system here, on the freshly parsed dataset.
 */
export function linkSystems(
  parsed: readonly ParsedDataset[],
  systems: readonly { id: string; datasets?: string[] | undefined }[],
  resolveListed: (entry: string) => string,
  absoluteFile: (p: ParsedDataset) => string,
  problems: Finding[],
): void {
  const ids = systems.map((s) => s.id);
  const listedBy = new Map<string, string>();
  for (const s of systems) for (const entry of s.datasets ?? []) listedBy.set(resolveListed(entry), s.id);
  for (const p of parsed) {
    const { dataset, file } = p;
    const listed = listedBy.get(absoluteFile(p));
    if (dataset.system !== undefined) {
      if (!ids.includes(dataset.system)) {
        const guess = suggestClosest(dataset.system, ids);
        problems.push({
          rule: 'dataset/unknown-system',
          severity: 'error',
          message: `the system "${dataset.system}" is not in the register's systems.yaml${guess ? `: did you mean "${guess}"?` : ''}`,
          ...(guess ? { suggestion: guess } : {}),
          ...spanFinding(file, file.span([...p.base, 'system'])),
        });
      } else if (listed !== undefined && listed !== dataset.system) {
        problems.push({
          rule: 'dataset/system-mismatch',
          severity: 'error',
          message: `the dataset names the system "${dataset.system}", but systems.yaml lists this file under the system "${listed}"`,
          ...spanFinding(file, file.span([...p.base, 'system'])),
        });
      }
    } else if (listed !== undefined) {
      dataset.system = listed;
    }
    dataset.collections.forEach((c, ci) => {
      if (c.system === undefined || ids.includes(c.system)) return;
      const guess = suggestClosest(c.system, ids);
      problems.push({
        rule: 'dataset/unknown-system',
        severity: 'error',
        message: `the system "${c.system}" of collection "${c.name}" is not in the register's systems.yaml${guess ? `: did you mean "${guess}"?` : ''}`,
        ...(guess ? { suggestion: guess } : {}),
        ...spanFinding(file, file.span([...p.base, 'collections', ci, 'system'])),
      });
    });
  }
}
