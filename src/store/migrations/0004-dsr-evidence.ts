/**
 * Evidence that cannot lie, and one run of a request at a time (docs/decisions/0016):
 * - a request is bound to what it was asked with: a keyed fingerprint of the rectification
 *   values (never the values) and one fingerprint per dataset, so that a resume with other input
 *   is refused with the difference named;
 * - a lease (owner, host, pid, since, expiry) taken atomically when a run starts, renewed while
 *   it runs, cleared at its end: a second process is refused, a killed one leaves a lease that
 *   expires;
 * - at most one unfinished request per kind and identities (two processes starting the same new
 *   request at the same instant make one request, not two);
 * - the evidence steps are append-only: the store itself refuses to update or delete them
 *   (triggers on SQLite and PostgreSQL), and a step carries structured detail (a kept record's
 *   reason and legal hold, which attempt a commit marker settles), never a personal-data value.
 *
 * The triggers are the only dialect-specific SQL of the store's migrations.
 */
import { sql, type Kysely, type Migration } from 'kysely';

const OPEN = sql.raw(`('running', 'waiting', 'failed')`);

export function dsrEvidenceMigration(kind: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // SQLite adds one column per ALTER TABLE.
      const requestColumns: [string, 'varchar(64)' | 'varchar(255)' | 'varchar(40)' | 'text' | 'integer'][] = [
        ['changes_fingerprint', 'varchar(64)'],
        ['datasets_json', 'text'],
        ['lease_owner', 'varchar(64)'],
        ['lease_host', 'varchar(255)'],
        ['lease_pid', 'integer'],
        ['lease_since', 'varchar(40)'],
        ['lease_expires_at', 'varchar(40)'],
      ];
      for (const [name, type] of requestColumns) await db.schema.alterTable('dsr_requests').addColumn(name, type).execute();
      await db.schema.alterTable('dsr_steps').addColumn('detail_json', 'text').execute();

      // Two unfinished requests of the same kind and identities could only come from a race the
      // index below now prevents: the older ones are superseded by the newest.
      await sql`update dsr_requests set status = 'superseded'
        where status in ${OPEN} and exists (
          select 1 from dsr_requests newer
          where newer.kind = dsr_requests.kind and newer.identity_fingerprint = dsr_requests.identity_fingerprint and newer.status in ${OPEN}
            and (newer.created_at > dsr_requests.created_at or (newer.created_at = dsr_requests.created_at and newer.id > dsr_requests.id)))`.execute(db);
      await sql`create unique index dsr_requests_one_open on dsr_requests (kind, identity_fingerprint) where status in ${OPEN}`.execute(db);

      if (kind === 'sqlite') {
        for (const op of ['update', 'delete']) {
          await sql
            .raw(`create trigger dsr_steps_no_${op} before ${op} on dsr_steps begin select raise(abort, 'dsr_steps is append-only: evidence is never changed nor deleted'); end`)
            .execute(db);
        }
      } else {
        await sql
          .raw(
            `create function dsr_steps_append_only() returns trigger language plpgsql as $$
             begin raise exception 'dsr_steps is append-only: evidence is never changed nor deleted (%)', tg_op; end $$`,
          )
          .execute(db);
        await sql.raw(`create trigger dsr_steps_no_change before update or delete on dsr_steps for each row execute function dsr_steps_append_only()`).execute(db);
        await sql.raw(`create trigger dsr_steps_no_truncate before truncate on dsr_steps for each statement execute function dsr_steps_append_only()`).execute(db);
      }
    },
    async down(db: Kysely<unknown>) {
      if (kind === 'sqlite') {
        for (const op of ['update', 'delete']) await sql.raw(`drop trigger dsr_steps_no_${op}`).execute(db);
      } else {
        await sql.raw(`drop trigger dsr_steps_no_change on dsr_steps`).execute(db);
        await sql.raw(`drop trigger dsr_steps_no_truncate on dsr_steps`).execute(db);
        await sql.raw(`drop function dsr_steps_append_only()`).execute(db);
      }
      await sql`drop index dsr_requests_one_open`.execute(db);
      await db.schema.alterTable('dsr_steps').dropColumn('detail_json').execute();
      for (const name of ['changes_fingerprint', 'datasets_json', 'lease_owner', 'lease_host', 'lease_pid', 'lease_since', 'lease_expires_at']) {
        await db.schema.alterTable('dsr_requests').dropColumn(name).execute();
      }
    },
  };
}
