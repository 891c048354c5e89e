/**
 * What leaves the server about a request's originals (decision 0032): for staff allowed a person's
 * data, each file's number, name, detected type, size and SHA-256; never the sealed content, which
 * only the download route opens.
 */
import { z } from 'zod';
import { ATTACHMENT_TYPES, type AttachmentType } from '../../desk/attachments/detect-attachment-type.js';
import type { AttachmentRow } from '../../store/attachments-repository.js';
import { StaffRequestView } from './request-presenter.js';

export const AttachmentView = z
  .object({
    seq: z.number().int().describe('the file\'s number in the request (1, 2, ...): GET .../attachments/{seq} downloads it'),
    filename: z.string().describe('the name it was sent under, made safe (no path, no control characters, 200 characters at most)'),
    content_type: z.enum(ATTACHMENT_TYPES).describe('what its content is, read from its bytes (never the name or the type it was sent as)'),
    size_bytes: z.number().int(),
    sha256: z.string().describe('SHA-256 of the content, hex: compare a copy with what was received'),
    created_at: z.string(),
    created_by: z.string(),
  })
  .meta({ id: 'RequestAttachment' });

export const RequestWithAttachmentsView = StaffRequestView.extend({
  attachments: z.array(AttachmentView).describe('the originals kept with the request, encrypted at rest'),
}).meta({ id: 'RequestWithAttachments' });

export function presentAttachment(row: AttachmentRow): z.infer<typeof AttachmentView> {
  return {
    seq: row.seq,
    filename: row.filename,
    content_type: row.content_type as AttachmentType,
    size_bytes: row.size_bytes,
    sha256: row.sha256,
    created_at: row.created_at,
    created_by: row.created_by,
  };
}
