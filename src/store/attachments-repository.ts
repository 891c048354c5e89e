/**
 * The originals kept with a request (src/desk/attachments, decision 0032): a letter's scan, the
 * email it came in, each sealed (the package vault's format) before it reaches the store. They are
 * written in the transaction that creates their request (DeskRepository.create calls
 * insertAttachments), with an audit entry each: a request is never stored without its attachments,
 * nor an attachment without its request. Reading them is a view of a person's data: the audit entry
 * of each view is written in the transaction that reads it.
 */
import type { Kysely, Selectable } from 'kysely';
import { appendAuditEntry, type AuditEntryInput } from './audit-log.js';
import type { Database } from './database.js';

/** Migration 0009. */
export interface DeskAttachmentsTable {
  organisation_id: string;
  request_id: string;
  /** 1, 2, ...: the file's place among the request's attachments. */
  seq: number;
  /** As sent, made safe: no path, no control characters, 200 characters at most. */
  filename: string;
  /** Detected from the content. */
  content_type: string;
  size_bytes: number;
  /** SHA-256 of the content, hex. */
  sha256: string;
  /** The content sealed (AES-256-GCM, the package vault's format): never the content in clear. */
  sealed: Buffer;
  created_at: string;
  created_by: string;
}

type AttachmentTables = { desk_attachments: DeskAttachmentsTable };

export type SealedAttachmentRow = Selectable<DeskAttachmentsTable>;
/** An attachment as listed: everything but its content. */
export type AttachmentRow = Omit<SealedAttachmentRow, 'sealed'>;
export type NewAttachmentRow = Omit<SealedAttachmentRow, 'organisation_id' | 'request_id'>;

const LISTED = ['organisation_id', 'request_id', 'seq', 'filename', 'content_type', 'size_bytes', 'sha256', 'created_at', 'created_by'] as const;

/** Writes a new request's attachments inside `trx`, the transaction that creates the request. */
export async function insertAttachments(trx: Kysely<Database>, organisationId: string, requestId: string, rows: readonly NewAttachmentRow[]): Promise<void> {
  const db = trx.withTables<AttachmentTables>();
  for (const row of rows) {
    await db
      .insertInto('desk_attachments')
      .values({ ...row, organisation_id: organisationId, request_id: requestId })
      .execute();
  }
}

export class AttachmentsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly isConflict: (err: unknown) => boolean,
  ) {}

  /** A request's attachments, without their content, in order; with `audit`, the view recorded in the same transaction. */
  async list(organisationId: string, requestId: string, audit?: (rows: readonly AttachmentRow[]) => AuditEntryInput): Promise<AttachmentRow[]> {
    return this.inTransaction(organisationId, async (trx) => {
      const rows = await trx.selectFrom('desk_attachments').select(LISTED).where('organisation_id', '=', organisationId).where('request_id', '=', requestId).orderBy('seq').execute();
      return { result: rows, audit: audit ? [audit(rows)] : [] };
    });
  }

  /** One attachment with its sealed content, and the audit entry of the view written with the read (none when there is no such attachment). */
  async read(organisationId: string, requestId: string, seq: number, audit: (row: AttachmentRow) => AuditEntryInput): Promise<SealedAttachmentRow | undefined> {
    return this.inTransaction(organisationId, async (trx) => {
      const row = await trx
        .selectFrom('desk_attachments')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('request_id', '=', requestId)
        .where('seq', '=', seq)
        .executeTakeFirst();
      return { result: row, audit: row ? [audit(row)] : [] };
    });
  }

  /**
   * Every attachment's place and seal, a page at a time in key order (keyset on organisation,
   * request, number): for re-sealing under a new key, without holding every file in memory.
   */
  async sealedPage(after: { organisationId: string; requestId: string; seq: number } | undefined, limit: number): Promise<Pick<SealedAttachmentRow, 'organisation_id' | 'request_id' | 'seq' | 'content_type' | 'size_bytes' | 'sha256' | 'sealed'>[]> {
    let q = this.db
      .withTables<AttachmentTables>()
      .selectFrom('desk_attachments')
      .select(['organisation_id', 'request_id', 'seq', 'content_type', 'size_bytes', 'sha256', 'sealed']);
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('organisation_id', '>', after.organisationId),
          eb.and([eb('organisation_id', '=', after.organisationId), eb('request_id', '>', after.requestId)]),
          eb.and([eb('organisation_id', '=', after.organisationId), eb('request_id', '=', after.requestId), eb('seq', '>', after.seq)]),
        ]),
      );
    }
    return q.orderBy('organisation_id').orderBy('request_id').orderBy('seq').limit(limit).execute();
  }

  /** Replaces an attachment's seal with one of the same content under another key, with its audit entry; false when the seal changed meanwhile. */
  async replaceSeal(organisationId: string, requestId: string, seq: number, previous: Uint8Array, sealed: Uint8Array, audit: AuditEntryInput): Promise<boolean> {
    return this.inTransaction(organisationId, async (trx) => {
      const current = await trx
        .selectFrom('desk_attachments')
        .select('sealed')
        .where('organisation_id', '=', organisationId)
        .where('request_id', '=', requestId)
        .where('seq', '=', seq)
        .executeTakeFirst();
      if (!current || !Buffer.from(current.sealed).equals(Buffer.from(previous))) return { result: false, audit: [] };
      await trx
        .updateTable('desk_attachments')
        .set({ sealed: Buffer.from(sealed) })
        .where('organisation_id', '=', organisationId)
        .where('request_id', '=', requestId)
        .where('seq', '=', seq)
        .execute();
      return { result: true, audit: [audit] };
    });
  }

  private async inTransaction<T>(organisationId: string, work: (trx: Kysely<Database & AttachmentTables>) => Promise<{ result: T; audit: AuditEntryInput[] }>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const { result, audit } = await work(trx.withTables<AttachmentTables>());
          for (const entry of audit) await appendAuditEntry(trx, organisationId, entry);
          return result;
        });
      } catch (err) {
        // Another entry took this place in the audit chain meanwhile: read and record again.
        if (!this.isConflict(err) || attempt >= 20) throw err;
      }
    }
  }
}
