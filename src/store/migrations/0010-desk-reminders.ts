/**
 * The daily reminder to staff (src/desk/reminders): one run per organisation and calendar day, and
 * what became of each digest of that run. The primary keys are the promise: of several `opendpo
 * serve` processes on one database, or one started again the same day, the first to insert the
 * (organisation, day) run sends it and the others lose; a digest is recorded (organisation, day,
 * staff account) before its mail goes, so that no account is written to twice in a day, even by a
 * process taking over a run whose process died.
 *
 * Ids, counts and outcomes only: the requests a digest listed are not kept here (they are in the
 * queue), nor the address it went to.
 */
import type { Kysely, Migration } from 'kysely';

export const deskRemindersMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('desk_reminder_runs')
      .addColumn('organisation_id', 'varchar(100)', (c) => c.notNull())
      // YYYY-MM-DD in the organisation's calendar.
      .addColumn('day', 'varchar(10)', (c) => c.notNull())
      // The process sending it (host:pid), and until when it holds the run unless it renews.
      .addColumn('owner', 'varchar(200)', (c) => c.notNull())
      .addColumn('started_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('lease_expires_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('finished_at', 'varchar(40)')
      .addColumn('digests', 'integer')
      .addColumn('sent', 'integer')
      .addColumn('failed', 'integer')
      .addPrimaryKeyConstraint('desk_reminder_runs_pk', ['organisation_id', 'day'])
      .execute();
    await db.schema
      .createTable('desk_reminder_digests')
      .addColumn('organisation_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('day', 'varchar(10)', (c) => c.notNull())
      .addColumn('staff_id', 'varchar(64)', (c) => c.notNull())
      // sending (recorded before the mail goes) | sent | failed
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('overdue', 'integer', (c) => c.notNull())
      .addColumn('due_soon', 'integer', (c) => c.notNull())
      .addColumn('message_id', 'varchar(300)')
      // Why it was not sent: the mail server's error (it names the server, never the address).
      .addColumn('error', 'text')
      .addColumn('at', 'varchar(40)', (c) => c.notNull())
      .addPrimaryKeyConstraint('desk_reminder_digests_pk', ['organisation_id', 'day', 'staff_id'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('desk_reminder_digests').execute();
    await db.schema.dropTable('desk_reminder_runs').execute();
  },
};
