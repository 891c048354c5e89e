/**
 * Organisations and the published versions of their register.
 * Portable SQL only: SQLite and PostgreSQL run the same migrations.
 */
import type { Kysely, Migration } from 'kysely';

export const registerVersionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('organisations')
      .addColumn('id', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('register_versions')
      .addColumn('organisation_id', 'varchar(100)', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('content_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('published_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('message', 'text')
      .addColumn('register_json', 'text', (c) => c.notNull())
      .addColumn('findings_json', 'text', (c) => c.notNull())
      .addColumn('diff_json', 'text')
      .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('warning_count', 'integer', (c) => c.notNull().defaultTo(0))
      // Two publishers racing for the same version number: one of them fails here and retries.
      .addPrimaryKeyConstraint('register_versions_pkey', ['organisation_id', 'version'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('register_versions').execute();
    await db.schema.dropTable('organisations').execute();
  },
};
