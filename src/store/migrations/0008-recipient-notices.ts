/**
 * Art. 19: the notices telling each recipient of a rectification, an erasure or a restriction, one
 * row per recipient and request. A row is written in the transaction that completes the request
 * (so a process killed after the completion still tells everyone), then delivered by the server's
 * notice sender, which keeps every attempt: who was told, when, how, and what they answered is the
 * evidence the controller shows (Art. 5(2)) and what the person is told on asking (Art. 19, second
 * sentence). A recipient without a route (notifications.yaml) is a task for a person, recorded the
 * same way.
 */
import type { Kysely, Migration } from 'kysely';

export const recipientNoticesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('desk_recipient_notices')
      .addColumn('organisation_id', 'varchar(100)', (c) => c.notNull())
      // The notice id: a UUID, also the recipient's idempotency key.
      .addColumn('id', 'varchar(64)', (c) => c.notNull())
      .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('recipient_id', 'varchar(100)', (c) => c.notNull())
      // rectification | erasure | restriction | restriction_lifted
      .addColumn('action', 'varchar(30)', (c) => c.notNull())
      // webhook | email | nats | by_hand
      .addColumn('channel', 'varchar(20)', (c) => c.notNull())
      .addColumn('categories_json', 'text', (c) => c.notNull())
      // An opaque reference the recipient can match (an agreed HMAC of an identity): never the identity itself.
      .addColumn('subject_ref', 'varchar(200)')
      // pending | delivered | failed | by_hand | told_by_hand | not_told
      .addColumn('state', 'varchar(20)', (c) => c.notNull())
      .addColumn('deliveries', 'integer', (c) => c.notNull())
      // Every attempt of every delivery, oldest first: [{ at, status?, error?, durationMs }].
      .addColumn('attempts_json', 'text', (c) => c.notNull())
      .addColumn('answer', 'text')
      .addColumn('next_attempt_at', 'varchar(40)')
      // The sender holding the notice while it delivers it: of several processes, one delivers.
      .addColumn('claimed_by', 'varchar(200)')
      .addColumn('claimed_until', 'varchar(40)')
      .addColumn('told_at', 'varchar(40)')
      // For a person's decision: who, and what they wrote (why telling proved impossible, how it was done).
      .addColumn('decided_by', 'varchar(200)')
      .addColumn('note', 'text')
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
      .addPrimaryKeyConstraint('desk_recipient_notices_pk', ['organisation_id', 'id'])
      .addUniqueConstraint('desk_recipient_notices_once', ['organisation_id', 'request_id', 'recipient_id', 'action'])
      .execute();
    await db.schema.createIndex('desk_recipient_notices_due').on('desk_recipient_notices').columns(['state', 'next_attempt_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('desk_recipient_notices').execute();
  },
};
