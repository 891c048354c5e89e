/**
 * The systems the server runs an organisation's requests on, as the console's Systems page shows
 * them: each dataset of the worker's datasets folder (OPENDPO_DATASETS, `serve --datasets`), the
 * kind of connection that reaches it, its tables and fields with their data categories, and the
 * fields no category describes — to review, since an erasure leaves a field that no user.*
 * category marks as personal data, and a copy cannot say what it is (Art. 15(1)(b), 17, 30(1)(c)).
 *
 * Never a secret: a URL written in connections.yaml holds no password (the loader refuses one), and
 * is shown as the connectors label it (host, port, database or file); a URL kept in the environment
 * or a file is not read to be listed. Pure: the loaded datasets in, the description out.
 */
import { connectionServing, isDatabaseConnection, type Connection } from '../../dataset/connections.js';
import { isPersonalDataField, type Collection, type Dataset, type DatasetField, type LegalHold } from '../../dataset/model.js';
import { databaseLabel } from '../../connectors/open-database-connector.js';
import type { WorkerSource } from '../worker/request-worker.js';

export type ConnectionKind = Connection['type'];

export interface SystemConnection {
  name: string;
  kind: ConnectionKind;
  /** Where it points, for a URL written in connections.yaml; undefined when the URL is a secret (environment, file). */
  target: string | undefined;
  urlFrom: 'connections.yaml' | 'environment' | 'file' | undefined;
}

export interface FieldDescription {
  name: string;
  categories: string[];
  identity: string | undefined;
  primaryKey: boolean;
  /** A user.* category, or an identity (Art. 4(1)). */
  personal: boolean;
  legalHold: LegalHold | undefined;
  excludedFromCopy: boolean;
  /** "dataset.collection.field" of each field it references. */
  references: string[];
}

export interface CollectionDescription {
  name: string;
  schema: string | undefined;
  /** The register system the table's data belongs to (its own, else the dataset's). */
  system: string | undefined;
  subject: string | undefined;
  catalogue: boolean;
  erasure: 'mask' | 'delete';
  legalHold: LegalHold | undefined;
  skipped: boolean;
  fields: FieldDescription[];
}

export interface SystemDescription {
  /** The dataset's key: the system's id in these routes. */
  id: string;
  name: string | undefined;
  description: string | undefined;
  format: Dataset['format'];
  registerSystem: string | undefined;
  connection: SystemConnection | undefined;
  collections: CollectionDescription[];
  /** "collection.field" of every field no data category describes (not of skipped collections). */
  uncategorised: string[];
}

export function describeSystems(source: WorkerSource | undefined): SystemDescription[] {
  if (!source) return [];
  return source.loaded.datasets.map((dataset) => {
    const connection = connectionServing(source.loaded.connections, dataset.key);
    return {
      id: dataset.key,
      name: dataset.name,
      description: dataset.description,
      format: dataset.format,
      registerSystem: dataset.system,
      connection: connection && describeConnection(connection),
      collections: dataset.collections.map((c) => describeCollection(dataset, c)),
      uncategorised: dataset.collections.filter((c) => !c.skip).flatMap((c) => c.fields.filter((f) => f.categories.length === 0).map((f) => `${c.name}.${f.name}`)),
    };
  });
}

function describeConnection(c: Connection): SystemConnection {
  const base = { name: c.name, kind: c.type };
  if (c.type === 'manual') return { ...base, target: undefined, urlFrom: undefined };
  if (typeof c.url !== 'string') return { ...base, target: undefined, urlFrom: 'env' in c.url ? 'environment' : 'file' };
  if (isDatabaseConnection(c)) {
    let target: string | undefined;
    try {
      target = databaseLabel({ name: c.name, type: c.type, url: c.url });
    } catch {
      target = undefined; // a URL the connector cannot read: the check says why
    }
    return { ...base, target, urlFrom: 'connections.yaml' };
  }
  // An HTTP system: its host only (a path may carry an account or tenant name).
  let host: string | undefined;
  try {
    host = new URL(c.url).host;
  } catch {
    host = undefined;
  }
  return { ...base, target: host, urlFrom: 'connections.yaml' };
}

function describeCollection(dataset: Dataset, c: Collection): CollectionDescription {
  return {
    name: c.name,
    schema: c.schema,
    system: c.system ?? dataset.system,
    subject: c.subject,
    catalogue: c.catalogue === true,
    erasure: c.erasure.strategy,
    legalHold: c.legalHold,
    skipped: c.skip,
    fields: c.fields.map(describeField),
  };
}

function describeField(f: DatasetField): FieldDescription {
  return {
    name: f.name,
    categories: f.categories,
    identity: f.identity,
    primaryKey: f.primaryKey,
    personal: isPersonalDataField(f),
    legalHold: f.legalHold,
    excludedFromCopy: f.excludeFromCopy !== undefined,
    references: f.references.map((r) => `${r.dataset}.${r.collection}.${r.field}`),
  };
}
