/**
 * The queue of open requests, by due day, served by an index of the open requests alone. Once a desk
 * has answered for years, nearly every row is completed, refused or withdrawn: "overdue" and "due
 * soon" (the console's first page, the daily reminder) would otherwise read the whole past to find
 * the few open ones — and which index a database picks for `state IN (...)` depends on statistics
 * that go stale as the table grows (measured: 15 ms for 100,000 requests without them, 0.4 ms with
 * this index; docs/BENCHMARKS.md). Partial indexes are in both SQLite and PostgreSQL; the query
 * repeats the index's condition (desk-repository.ts) so that each planner can prove it applies.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const deskOpenQueueMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('desk_requests_open_due')
      .on('desk_requests')
      .columns(['organisation_id', 'due_on', 'id'])
      .where(sql.ref('state'), 'not in', ['completed', 'refused', 'withdrawn'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('desk_requests_open_due').execute();
  },
};
