/**
 * What an access request found: the person's rows, collection by collection, with the fields'
 * declarations. This is the input of the access package (Art. 15), of the portability export
 * (Art. 20) and, as row keys only, of erasure.
 */
import type { Row } from '../connectors/connector.js';
import type { Provenance } from '../dataset/model.js';

export interface CollectedField {
  name: string;
  categories: string[];
  provenance?: Provenance;
  identity?: string;
  primaryKey: boolean;
}

export interface CollectedCollection {
  dataset: string;
  collection: string;
  /** The register system (systems.yaml id) the dataset describes, when declared. */
  system?: string;
  /** The fields included in `rows` (personal-data fields and keys), in declaration order. */
  fields: CollectedField[];
  /** Each row holds exactly the included fields. */
  rows: Row[];
}

export interface CollectedData {
  requestId: string;
  /** ISO 8601 instant the data was collected. */
  collectedAt: string;
  /** The identities the request was made with (type -> value), shown back to the person. */
  identities: Record<string, string>;
  /** Every collection the planner reached, also those where nothing was found (rows: []). */
  collections: CollectedCollection[];
  /** Collections that could not be reached or systems that have not answered, safe to show. */
  warnings: string[];
}
