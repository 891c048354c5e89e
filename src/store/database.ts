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

export interface StoreSecretsTable {
  name: string;
  value: string;
}

export interface DsrRequestsTable {
  id: string;
  kind: string;
  /** running | waiting | failed | completed | superseded (at most one running, waiting or failed per kind and identities) */
  status: string;
  /** HMAC of the identities with the store's secret: finds an unfinished request again, reveals nothing. */
  identity_fingerprint: string;
  /** The identity types used (e.g. "email,phone_number"), never the values. */
  identity_types: string;
  datasets_hash: string;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  attempts: Generated<number>;
  error_code: string | null;
  error_message: string | null;
  /** Counts and kept-data reasons (JSON), no personal data. */
  summary_json: string | null;
  /** Rectification: HMAC of the new values (--set) with the store's secret, never the values. */
  changes_fingerprint: string | null;
  /** The datasets the request was made with: [{ key, file, hash }] (JSON); null before 0004. */
  datasets_json: string | null;
  /** The run holding the request (a random token per run), null when no run holds it. */
  lease_owner: string | null;
  lease_host: string | null;
  lease_pid: number | null;
  /** ISO 8601, UTC: when the run took the lease, and until when it holds it unless renewed. */
  lease_since: string | null;
  lease_expires_at: string | null;
}

export interface DsrStepsTable {
  request_id: string;
  seq: number;
  attempt: number;
  connection: string;
  collection: string | null;
  /** start | select | update | delete | kept | commit | restrict | system | error | superseded */
  kind: string;
  rows_found: number;
  rows_changed: number;
  started_at: string;
  duration_ms: number;
  /** done | failed | attempted (a write not yet known committed) | committed | rolled-back (a commit marker) */
  status: string;
  note: string | null;
  /** Structured detail, never a personal-data value: a kept record's reason and legal hold, the attempt a commit marker settles. */
  detail_json: string | null;
}

export interface DsrWorkTable {
  request_id: string;
  connection: string;
  /** pending | done */
  status: string;
  /** The writes to run (row keys and masked values); emptied when the request completes. */
  operations_json: string;
  done_at: string | null;
}

export interface DsrRestrictionsTable {
  identity_fingerprint: string;
  identity_type: string;
  request_id: string;
  restricted_at: string;
  lifted_at: string | null;
}

/** An erasure, per identity, for a later access request (Art. 15 after Art. 17); no identity values. */
export interface DsrErasuresTable {
  /** HMAC of one identity (type and value) with the store's secret. */
  identity_fingerprint: string;
  request_id: string;
  /** What the erasure kept and why (JSON lines: collection, rows, fields, hold, reason, start date); no values. */
  kept_json: string;
}

/** A step of a request a person does and confirms (src/connectors/manual); no identity values. */
export interface ManualTasksTable {
  id: string;
  request_id: string;
  connection: string;
  action: string;
  instructions: string;
  assignee: string | null;
  /** JSON array of "collection.field" (rectification), never the new values. */
  changed_fields: string | null;
  created_at: string;
  /** open | confirmed | declined */
  status: string;
  decided_at: string | null;
  decided_by: string | null;
  note: string | null;
  reason: string | null;
  affected: number | null;
  /** Access: the rows the person reported (JSON), until the access package has them. */
  rows_json: string | null;
}

/**
 * The audit log (src/store/audit-log.ts): append-only, one hash chain per organisation. No personal
 * values: an entry names what happened to what (ids), by whom, and when.
 */
export interface AuditLogTable {
  organisation_id: string;
  /** 1, 2, 3… per organisation, without gaps. */
  seq: number;
  /** ISO 8601, UTC. */
  at: string;
  actor: string;
  action: string;
  subject_kind: string;
  subject_id: string;
  /** Canonical JSON object of ids and counts. */
  detail_json: string;
  /** The previous entry's hash (64 zeros for the first). */
  prev_hash: string;
  /** sha256 (hex) of the entry's canonical JSON, its previous hash included. */
  hash: string;
}

/** A staff account (src/desk/staff): the login is the person's work email; the password only as an argon2id hash. */
export interface StaffUsersTable {
  organisation_id: string;
  id: string;
  login: string;
  display_name: string;
  /** admin | dpo | agent | engineer | auditor */
  role: string;
  password_hash: string;
  created_at: string;
  password_changed_at: string;
  disabled_at: string | null;
}

/** A signed-in staff session: the cookie carries `<id>.<secret>`; only the secret's SHA-256 is kept. */
export interface StaffSessionsTable {
  id: string;
  organisation_id: string;
  user_id: string;
  secret_hash: string;
  /** The session's CSRF token, sent back in a header with every change. */
  csrf_token: string;
  created_at: string;
  expires_at: string;
  idle_expires_at: string;
}

/** An API token: shown once as `odp_<id>_<secret>`; only the secret's SHA-256 is kept. */
export interface ApiTokensTable {
  id: string;
  organisation_id: string;
  name: string;
  role: string;
  controller_id: string | null;
  secret_hash: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** A request a person made (src/desk): its type, channel, state and deadline. */
export interface DeskRequestsTable {
  organisation_id: string;
  id: string;
  /** What the person quotes (e.g. R-7K3M-9QX2). */
  reference: string;
  type: string;
  /** web | email | post | controller */
  channel: string;
  state: string;
  version: number;
  language: string;
  country: string;
  received_at: string;
  received_on: string;
  due_on: string;
  extension_months: number;
  assignee: string | null;
  controller_id: string | null;
  /** SHA-256 of the secret the person follows the request with. */
  status_secret_hash: string;
  /** What the request asks, by type (JSON): may hold what the person wrote. */
  details_json: string;
  created_by: string;
  updated_at: string;
  closed_at: string | null;
  worker_owner: string | null;
  worker_lease_expires_at: string | null;
  run_id: string | null;
  package_id: string | null;
  package_expires_at: string | null;
  /** SHA-256 of the download token the completion letter carries. */
  download_secret_hash: string | null;
}

/** An identity a request names, and how it was confirmed (Art. 12(6)). */
export interface DeskIdentitiesTable {
  organisation_id: string;
  request_id: string;
  seq: number;
  type: string;
  value: string;
  verified_by: string | null;
  verified_at: string | null;
  challenge_id: string | null;
  challenge_hash: string | null;
  challenge_expires_at: string | null;
  challenge_attempts: Generated<number>;
  challenge_sent_at: string | null;
  challenges_sent: Generated<number>;
}

/** One step of a request's history (src/desk/request-states.ts). */
export interface DeskTransitionsTable {
  organisation_id: string;
  request_id: string;
  seq: number;
  name: string;
  from_state: string;
  to_state: string;
  at: string;
  actor: string;
  input_json: string;
}

/** A letter sent about a request (acknowledgement, code, extension, refusal...), kept with it. */
export interface DeskLettersTable {
  organisation_id: string;
  request_id: string;
  seq: number;
  kind: string;
  language: string;
  identity_seq: number | null;
  subject: string;
  body_text: string;
  body_html: string | null;
  /** sent | failed */
  status: string;
  message_id: string | null;
  error: string | null;
  at: string;
  actor: string;
}

/** Art. 19 notices to recipients (migration 0008). */
export interface DeskRecipientNoticesTable {
  organisation_id: string;
  id: string;
  request_id: string;
  recipient_id: string;
  action: string;
  channel: string;
  categories_json: string;
  subject_ref: string | null;
  /** pending | delivered | failed | by_hand | told_by_hand | not_told */
  state: string;
  deliveries: number;
  attempts_json: string;
  answer: string | null;
  next_attempt_at: string | null;
  claimed_by: string | null;
  claimed_until: string | null;
  told_at: string | null;
  decided_by: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
}

/** The daily reminder to staff (migration 0010): one run per organisation and calendar day. */
export interface DeskReminderRunsTable {
  organisation_id: string;
  /** YYYY-MM-DD in the organisation's calendar. */
  day: string;
  /** The process sending it (host:pid), holding it until lease_expires_at unless it renews. */
  owner: string;
  started_at: string;
  lease_expires_at: string;
  finished_at: string | null;
  digests: number | null;
  sent: number | null;
  failed: number | null;
}

/** One digest of a reminder run: to whom (a staff id), how many requests, and whether it went. */
export interface DeskReminderDigestsTable {
  organisation_id: string;
  day: string;
  staff_id: string;
  /** sending | sent | failed */
  status: string;
  overdue: number;
  due_soon: number;
  message_id: string | null;
  error: string | null;
  at: string;
}

export interface Database {
  organisations: OrganisationsTable;
  register_versions: RegisterVersionsTable;
  store_secrets: StoreSecretsTable;
  dsr_requests: DsrRequestsTable;
  dsr_steps: DsrStepsTable;
  dsr_work: DsrWorkTable;
  dsr_restrictions: DsrRestrictionsTable;
  dsr_erasures: DsrErasuresTable;
  manual_tasks: ManualTasksTable;
  audit_log: AuditLogTable;
  staff_users: StaffUsersTable;
  staff_sessions: StaffSessionsTable;
  api_tokens: ApiTokensTable;
  desk_requests: DeskRequestsTable;
  desk_identities: DeskIdentitiesTable;
  desk_transitions: DeskTransitionsTable;
  desk_letters: DeskLettersTable;
  desk_reminder_runs: DeskReminderRunsTable;
  desk_reminder_digests: DeskReminderDigestsTable;
  desk_recipient_notices: DeskRecipientNoticesTable;
}
