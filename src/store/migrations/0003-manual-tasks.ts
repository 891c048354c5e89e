/**
 * Manual tasks: a step of a data subject request (Art. 15-18) that a person does in a system
 * opendpo cannot reach (a paper archive, a SaaS without an API), then confirms or declines.
 *
 * No identity values: the person looks the request up in opendpo by its id. What the person
 * confirms may carry the rows found for an access request (Art. 15): they wait in rows_json only
 * until the request engine has built the access package, which then empties them.
 * Portable SQL only: SQLite and PostgreSQL run the same migration.
 */
import type { Kysely, Migration } from 'kysely';

export const manualTasksMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('manual_tasks')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('connection', 'varchar(200)', (c) => c.notNull())
      .addColumn('action', 'varchar(20)', (c) => c.notNull())
      .addColumn('instructions', 'text', (c) => c.notNull())
      .addColumn('assignee', 'text')
      // Rectification: the names of the fields to change ("collection.field"), never the new values.
      .addColumn('changed_fields', 'text')
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      // open | confirmed | declined
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('decided_at', 'varchar(40)')
      .addColumn('decided_by', 'text')
      .addColumn('note', 'text')
      .addColumn('reason', 'text')
      .addColumn('affected', 'integer')
      .addColumn('rows_json', 'text')
      // Submitting the same step again (a retry, a re-run) finds the task instead of adding one.
      .addUniqueConstraint('manual_tasks_step', ['request_id', 'connection', 'action'])
      .execute();
    await db.schema.createIndex('manual_tasks_status').on('manual_tasks').columns(['status', 'created_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('manual_tasks').execute();
  },
};
