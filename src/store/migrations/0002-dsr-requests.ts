/**
 * Data subject requests (Art. 15-20): the request, its evidence steps, the durable work log that
 * makes an erasure resumable, and the people whose processing is restricted (Art. 18).
 *
 * No personal data values are stored, except in dsr_work while a request is unfinished: the keys
 * of the rows to write and the values to write (masked values). It is emptied when the request
 * completes. Identities are kept only as keyed fingerprints (HMAC with the store's own secret).
 */
import type { Kysely, Migration } from 'kysely';

export const dsrRequestsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('store_secrets')
      .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('dsr_requests')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('kind', 'varchar(20)', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('identity_fingerprint', 'varchar(64)', (c) => c.notNull())
      .addColumn('identity_types', 'text', (c) => c.notNull())
      .addColumn('datasets_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('completed_at', 'varchar(40)')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error_code', 'varchar(40)')
      .addColumn('error_message', 'text')
      .addColumn('summary_json', 'text')
      .execute();
    await db.schema.createIndex('dsr_requests_open').on('dsr_requests').columns(['identity_fingerprint', 'kind', 'status']).execute();
    await db.schema
      .createTable('dsr_steps')
      .addColumn('request_id', 'varchar(64)', (c) => c.notNull().references('dsr_requests.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('connection', 'varchar(200)', (c) => c.notNull())
      .addColumn('collection', 'varchar(400)')
      .addColumn('kind', 'varchar(20)', (c) => c.notNull())
      .addColumn('rows_found', 'integer', (c) => c.notNull())
      .addColumn('rows_changed', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('note', 'text')
      .addPrimaryKeyConstraint('dsr_steps_pkey', ['request_id', 'seq'])
      .execute();
    await db.schema
      .createTable('dsr_work')
      .addColumn('request_id', 'varchar(64)', (c) => c.notNull().references('dsr_requests.id').onDelete('cascade'))
      .addColumn('connection', 'varchar(200)', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('operations_json', 'text', (c) => c.notNull())
      .addColumn('done_at', 'varchar(40)')
      .addPrimaryKeyConstraint('dsr_work_pkey', ['request_id', 'connection'])
      .execute();
    await db.schema
      .createTable('dsr_restrictions')
      .addColumn('identity_fingerprint', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('identity_type', 'varchar(100)', (c) => c.notNull())
      .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('restricted_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('lifted_at', 'varchar(40)')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of ['dsr_restrictions', 'dsr_work', 'dsr_steps', 'dsr_requests', 'store_secrets']) await db.schema.dropTable(t).execute();
  },
};
