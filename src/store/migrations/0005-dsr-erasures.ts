/**
 * Erasures a later access request must speak of (Art. 15 after Art. 17): per identity, a keyed
 * fingerprint (HMAC with the store's own secret, never the identity), the erasure's request, and
 * what it kept (collections, row counts, fields, the legal hold with its reason, article and period,
 * the date the hold runs from): no personal data value. The erasure's completion is its request's.
 * Written when the erasure has decided its writes, before the first one, so a resumed erasure keeps it.
 * Portable SQL only: SQLite and PostgreSQL run the same migration.
 */
import type { Kysely, Migration } from 'kysely';

export const dsrErasuresMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('dsr_erasures')
      .addColumn('identity_fingerprint', 'varchar(64)', (c) => c.notNull())
      .addColumn('request_id', 'varchar(64)', (c) => c.notNull().references('dsr_requests.id').onDelete('cascade'))
      .addColumn('kept_json', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('dsr_erasures_pkey', ['identity_fingerprint', 'request_id'])
      .execute();
    await db.schema.createIndex('dsr_erasures_request').on('dsr_erasures').column('request_id').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('dsr_erasures').execute();
  },
};
