/**
 * The store's tables, as Kysely sees them. Every table is keyed by organisation: a query that
 * forgets the organisation cannot address a row (composite primary keys start with it).
 * JSON columns hold text, so SQLite and PostgreSQL store exactly the same bytes.
 */
import type { Generated } from 'kysely';

export interface OrganisationsTable {
  id: string;
  name: string;
  /** ISO 8601, UTC. */
  created_at: string;
}

export interface RegisterVersionsTable {
  organisation_id: string;
  version: number;
  /** sha256 (hex) of the canonical JSON of the register. */
  content_hash: string;
  /** ISO 8601, UTC. */
  published_at: string;
  author: string;
  message: string | null;
  /** The register, as canonical JSON. */
  register_json: string;
  /** Lint findings at publish time (JSON array). */
  findings_json: string;
  /** Material changes from the previous version (JSON), null for the first version. */
  diff_json: string | null;
  /** Counts kept beside the JSON so listings need not parse it. */
  error_count: Generated<number>;
  warning_count: Generated<number>;
}

export interface Database {
  organisations: OrganisationsTable;
  register_versions: RegisterVersionsTable;
}
