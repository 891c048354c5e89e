/**
 * A request's originals sealed for the store, and opened again for staff (decision 0032): the
 * package vault's format and keys (AES-256-GCM record by record, HKDF per seal, key commitment,
 * decision 0029) held in the store's row rather than in a file of the vault's folder, so that the
 * request and its attachments are written in one transaction, and read from any server on that
 * store (Art. 32(1)(a): encrypted at rest).
 *
 * A seal is bound to its place: its authenticated header names the organisation, the request and the
 * attachment's number, and opening checks them, with the SHA-256 and size recorded beside it. A
 * sealed file copied under another request, or swapped with another, does not open.
 */
import { createHash } from 'node:crypto';
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { AuditEntryInput } from '../../store/audit-log.js';
import type { AttachmentRow, NewAttachmentRow, SealedAttachmentRow } from '../../store/attachments-repository.js';
import type { Store } from '../../store/open-store.js';
import type { PackageMeta, PackageVault } from '../package-vault/package-vault.js';
import { MAX_ATTACHMENTS, type CheckedAttachment } from './check-attachment.js';

/**
 * The last instant a JavaScript date holds (year 275760). The vault's format gives every seal an
 * expiry; an original has none of its own: it is kept as long as its request, and goes with it.
 */
const KEPT_WITH_ITS_REQUEST = 8_640_000_000_000_000;

export interface SealContext {
  organisationId: string;
  requestId: string;
  /** Who attached them: "staff:<id>", "token:<id>". */
  actor: string;
  now: Date;
}

/** The rows to store with a new request, and the audit entry of each (ids, types and sizes: never a file name). */
export function sealAttachments(vault: PackageVault | undefined, context: SealContext, checked: readonly CheckedAttachment[]): { rows: NewAttachmentRow[]; audit: AuditEntryInput[] } {
  if (checked.length === 0) return { rows: [], audit: [] };
  if (checked.length > MAX_ATTACHMENTS) throw new OpendpoError('TOO_LARGE', `at most ${MAX_ATTACHMENTS} files are kept with a request (${checked.length} given)`);
  if (!vault) {
    throw new OpendpoError('CONFIG_INVALID', 'no package vault is configured (OPENDPO_PACKAGE_KEY): the originals of a request are kept encrypted with its key, so none can be kept');
  }
  const createdAt = context.now.toISOString();
  const rows = checked.map((a, i): NewAttachmentRow => {
    const seq = i + 1;
    const sealed = vault.sealBytes(a.content, metaOf(context.organisationId, context.requestId, seq, a.contentType), { now: context.now, ttlMs: KEPT_WITH_ITS_REQUEST - context.now.getTime() });
    return { seq, filename: a.filename, content_type: a.contentType, size_bytes: a.sizeBytes, sha256: a.sha256, sealed, created_at: createdAt, created_by: context.actor };
  });
  const audit = rows.map((r) => attachmentAudit(context.actor, 'request.attachment_received', context.requestId, r));
  return { rows, audit };
}

/** An attachment's content, once its seal verified, it proves to be this attachment's, and its hash matches. */
export function openAttachment(vault: PackageVault | undefined, row: SealedAttachmentRow, now: Date): Buffer {
  if (!vault) throw new OpendpoError('CONFIG_INVALID', 'no package vault is configured (OPENDPO_PACKAGE_KEY): the originals of a request cannot be opened');
  const name = `attachment ${row.seq} of request ${row.request_id}`;
  const opened = vault.openBytes(row.sealed, { now, name });
  const expected = metaOf(row.organisation_id, row.request_id, row.seq, row.content_type);
  const matches =
    opened.meta.organisationId === expected.organisationId &&
    opened.meta.requestId === expected.requestId &&
    opened.meta.filename === expected.filename &&
    opened.meta.contentType === expected.contentType &&
    opened.plaintext.length === row.size_bytes &&
    createHash('sha256').update(opened.plaintext).digest('hex') === row.sha256;
  if (!matches) {
    opened.plaintext.fill(0);
    // Not the caller's fault: a 500 whose message names no one.
    throw new OpendpoError('INTERNAL', `${name} cannot be opened: its sealed content is not the one recorded for this place (moved or swapped)`);
  }
  return opened.plaintext;
}

export interface ResealResult {
  /** Attachments looked at. */
  checked: number;
  /** Sealed again under the current key. */
  resealed: number;
  /** Already under the current key. */
  current: number;
}

/**
 * Seals every attachment not under the key ring's current key again under it (decision 0032): the
 * step between putting a new key first in OPENDPO_PACKAGE_KEY and dropping the old one, since an
 * original is kept as long as its request (Art. 32(1)(a): a key is rotated without losing what it
 * sealed). Each is opened and checked first, sealed again for the same place, and replaced with its
 * audit entry in one transaction; a page of 50 at a time.
 */
export async function resealAttachments(store: Store, vault: PackageVault, now: Date, actor: string): Promise<ResealResult> {
  const result: ResealResult = { checked: 0, resealed: 0, current: 0 };
  let after: { organisationId: string; requestId: string; seq: number } | undefined;
  for (;;) {
    const page = await store.attachments.sealedPage(after, 50);
    if (page.length === 0) return result;
    for (const row of page) {
      result.checked++;
      const place = { ...row, filename: '', created_at: '', created_by: '' };
      const opened = vault.openBytes(row.sealed, { now, name: `attachment ${row.seq} of request ${row.request_id}` });
      opened.plaintext.fill(0);
      if (opened.keyId === vault.currentKeyId) {
        result.current++;
        continue;
      }
      const content = openAttachment(vault, place, now);
      const sealed = vault.sealBytes(content, metaOf(row.organisation_id, row.request_id, row.seq, row.content_type), { now, ttlMs: KEPT_WITH_ITS_REQUEST - now.getTime() });
      content.fill(0);
      const audit: AuditEntryInput = { ...attachmentAudit(actor, 'request.attachment_resealed', row.request_id, row), detail: { attachment: row.seq, from_key: opened.keyId, to_key: vault.currentKeyId } };
      if (await store.attachments.replaceSeal(row.organisation_id, row.request_id, row.seq, row.sealed, sealed, audit)) result.resealed++;
    }
    const last = page.at(-1)!;
    after = { organisationId: last.organisation_id, requestId: last.request_id, seq: last.seq };
  }
}

/** An audit entry about one attachment: its number, detected type and size; the file name may name the person, so it is left out. */
export function attachmentAudit(actor: string, action: string, requestId: string, row: Pick<AttachmentRow, 'seq' | 'content_type' | 'size_bytes'>): AuditEntryInput {
  return { actor, action, subject: { kind: 'request', id: requestId }, detail: { attachment: row.seq, content_type: row.content_type, bytes: row.size_bytes } };
}

/**
 * What the seal's header says in clear (authenticated, not encrypted): where it belongs, never the
 * name it was sent under, which may name the person.
 */
function metaOf(organisationId: string, requestId: string, seq: number, contentType: string): PackageMeta {
  return { organisationId, requestId, filename: `attachment-${seq}`, contentType };
}
