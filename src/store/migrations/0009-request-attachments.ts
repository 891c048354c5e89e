/**
 * The originals of a request entered by staff (a letter's scan, the email it came in), kept with it
 * as proof of what was received and when (Art. 5(2), 12(3)), decision 0032. The content is kept
 * sealed by the package vault's format and keys (AES-256-GCM, decision 0029), bound to its
 * organisation, request and place: whoever reads this table reads no letter. The file name, its
 * detected type, size and SHA-256 are kept beside it for staff to list them.
 *
 * Keyed by the request; the foreign key makes an attachment without its request impossible, and
 * takes the attachments with a request deleted.
 */
import type { Kysely, Migration } from 'kysely';

export function requestAttachmentsMigration(kind: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('desk_attachments')
        .addColumn('organisation_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        // Sanitised (src/desk/attachments/sanitise-filename.ts): no path, no control characters, 200 characters at most.
        .addColumn('filename', 'varchar(200)', (c) => c.notNull())
        // Detected from the content, never the type claimed.
        .addColumn('content_type', 'varchar(100)', (c) => c.notNull())
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
        .addColumn('sealed', kind === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
        .addPrimaryKeyConstraint('desk_attachments_pk', ['organisation_id', 'request_id', 'seq'])
        .addForeignKeyConstraint('desk_attachments_request', ['organisation_id', 'request_id'], 'desk_requests', ['organisation_id', 'id'], (fk) => fk.onDelete('cascade'))
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('desk_attachments').execute();
    },
  };
}
