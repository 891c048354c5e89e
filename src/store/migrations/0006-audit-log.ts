/**
 * The audit log: an append-only chain of what was done (a register published, a request's
 * transitions and decisions, a staff view, a letter sent), one chain per organisation. Each entry
 * carries the hash of the previous one, so that an edit, a deletion or a reordering is detected
 * (`opendpo audit verify`). The primary key (organisation, seq) makes two writers that read the same
 * tail conflict: one of them retries on the new tail. Portable SQL: SQLite and PostgreSQL alike.
 */
import type { Kysely, Migration } from 'kysely';

export const auditLogMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('audit_log')
      .addColumn('organisation_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'varchar(40)', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'varchar(80)', (c) => c.notNull())
      .addColumn('subject_kind', 'varchar(40)', (c) => c.notNull())
      .addColumn('subject_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('detail_json', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('hash', 'varchar(64)', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_log_pk', ['organisation_id', 'seq'])
      .execute();
    await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['organisation_id', 'subject_kind', 'subject_id']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('audit_log').execute();
  },
};
