/**
 * The request desk: staff accounts, their sessions, API tokens, and the requests people make with
 * the history of each (src/desk). Every row carries its organisation; requests, identities and
 * transitions are keyed by it. Sessions and tokens are looked up by their own random id (the
 * credential says which organisation it belongs to) and hold only a hash of their secret.
 *
 * Unlike the engine's tables, the desk keeps the identities a person gave (an email address to write
 * to): a request cannot be answered without them (Art. 12(1)). They stay in desk_identities only,
 * never in logs, transitions or the audit log.
 */
import type { Kysely, Migration } from 'kysely';

export const deskMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('staff_users')
      .addColumn('organisation_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('id', 'varchar(64)', (c) => c.notNull())
      .addColumn('login', 'varchar(320)', (c) => c.notNull())
      .addColumn('display_name', 'varchar(200)', (c) => c.notNull())
      .addColumn('role', 'varchar(20)', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('password_changed_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('disabled_at', 'varchar(40)')
      .addPrimaryKeyConstraint('staff_users_pk', ['organisation_id', 'id'])
      .addUniqueConstraint('staff_users_login', ['organisation_id', 'login'])
      .execute();
    await db.schema
      .createTable('staff_sessions')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('organisation_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('idle_expires_at', 'varchar(40)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('staff_sessions_user').on('staff_sessions').columns(['organisation_id', 'user_id']).execute();
    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('organisation_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('role', 'varchar(20)', (c) => c.notNull())
      // A token of the `controller` role: the controller (register id) whose requests it forwards (Art. 28(3)(e)).
      .addColumn('controller_id', 'varchar(100)')
      .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('revoked_at', 'varchar(40)')
      .addColumn('last_used_at', 'varchar(40)')
      .execute();
    await db.schema.createIndex('api_tokens_organisation').on('api_tokens').columns(['organisation_id', 'created_at']).execute();
    await db.schema
      .createTable('desk_requests')
      .addColumn('organisation_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('id', 'varchar(64)', (c) => c.notNull())
      .addColumn('reference', 'varchar(20)', (c) => c.notNull())
      .addColumn('type', 'varchar(40)', (c) => c.notNull())
      .addColumn('channel', 'varchar(20)', (c) => c.notNull())
      .addColumn('state', 'varchar(20)', (c) => c.notNull())
      // Bumped by every transition: two staff deciding at once, one is told the request changed.
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('language', 'varchar(5)', (c) => c.notNull())
      .addColumn('country', 'varchar(2)', (c) => c.notNull())
      .addColumn('received_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('received_on', 'varchar(10)', (c) => c.notNull())
      .addColumn('due_on', 'varchar(10)', (c) => c.notNull())
      .addColumn('extension_months', 'integer', (c) => c.notNull())
      .addColumn('assignee', 'varchar(64)')
      .addColumn('controller_id', 'varchar(100)')
      .addColumn('status_secret_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('details_json', 'text', (c) => c.notNull())
      .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('closed_at', 'varchar(40)')
      // The worker running the request (src/desk/worker), and until when it holds it unless renewed.
      .addColumn('worker_owner', 'varchar(100)')
      .addColumn('worker_lease_expires_at', 'varchar(40)')
      // The engine's request (dsr_requests.id) and, for access and portability, the package waiting in the vault.
      .addColumn('run_id', 'varchar(64)')
      .addColumn('package_id', 'varchar(64)')
      .addColumn('package_expires_at', 'varchar(40)')
      .addColumn('download_secret_hash', 'varchar(64)')
      .addPrimaryKeyConstraint('desk_requests_pk', ['organisation_id', 'id'])
      .addUniqueConstraint('desk_requests_reference', ['organisation_id', 'reference'])
      .execute();
    await db.schema.createIndex('desk_requests_queue').on('desk_requests').columns(['organisation_id', 'state', 'due_on']).execute();
    await db.schema.createIndex('desk_requests_due').on('desk_requests').columns(['organisation_id', 'due_on']).execute();
    await db.schema
      .createTable('desk_identities')
      .addColumn('organisation_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('type', 'varchar(64)', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      // code (the emailed one-time code) | document (reviewed by staff, then deleted) | match (further data the controller holds) | staff
      // | controller (confirmed by the controller that forwarded the request to us, its processor: Art. 28(3)(e))
      .addColumn('verified_by', 'varchar(20)')
      .addColumn('verified_at', 'varchar(40)')
      .addColumn('challenge_id', 'varchar(64)')
      .addColumn('challenge_hash', 'varchar(64)')
      .addColumn('challenge_expires_at', 'varchar(40)')
      .addColumn('challenge_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('challenge_sent_at', 'varchar(40)')
      .addColumn('challenges_sent', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('desk_identities_pk', ['organisation_id', 'request_id', 'seq'])
      .execute();
    await db.schema
      .createTable('desk_transitions')
      .addColumn('organisation_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('name', 'varchar(40)', (c) => c.notNull())
      .addColumn('from_state', 'varchar(20)', (c) => c.notNull())
      .addColumn('to_state', 'varchar(20)', (c) => c.notNull())
      .addColumn('at', 'varchar(40)', (c) => c.notNull())
      .addColumn('actor', 'varchar(200)', (c) => c.notNull())
      // The transition's input (reasons, months, fee), never an identity value.
      .addColumn('input_json', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('desk_transitions_pk', ['organisation_id', 'request_id', 'seq'])
      .execute();
    // The letters sent about a request, kept with it (Art. 5(2), 12(1): what the person was told, and when).
    await db.schema
      .createTable('desk_letters')
      .addColumn('organisation_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('kind', 'varchar(40)', (c) => c.notNull())
      .addColumn('language', 'varchar(5)', (c) => c.notNull())
      // The identity written to (its number in the request), null for a letter to a controller.
      .addColumn('identity_seq', 'integer')
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body_text', 'text', (c) => c.notNull())
      .addColumn('body_html', 'text')
      // sent | failed
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('message_id', 'varchar(300)')
      .addColumn('error', 'text')
      .addColumn('at', 'varchar(40)', (c) => c.notNull())
      .addColumn('actor', 'varchar(200)', (c) => c.notNull())
      .addPrimaryKeyConstraint('desk_letters_pk', ['organisation_id', 'request_id', 'seq'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['desk_letters', 'desk_transitions', 'desk_identities', 'desk_requests', 'api_tokens', 'staff_sessions', 'staff_users']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
