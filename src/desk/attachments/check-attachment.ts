/**
 * The originals staff attach to a request they enter (a letter's scan, the email it came in): how
 * many, how large, and of what kind, decided from the bytes (detect-attachment-type.ts). A file
 * refused is named in the error, by the name it was sent under once made safe, with the reason.
 *
 * Why keep them at all: the controller demonstrates when a request was received and what it asked
 * (Art. 5(2), 12(3): the clock runs from receipt), and the letter itself is that proof. Why limits:
 * what is kept is the person's data (Art. 5(1)(c): no more than needed), and the server holds each
 * file in memory while it checks and seals it.
 */
import { createHash } from 'node:crypto';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { ATTACHMENT_EXTENSIONS, detectAttachmentType, type AttachmentType } from './detect-attachment-type.js';
import { sanitiseFilename } from './sanitise-filename.js';

/** Files kept with one request. */
export const MAX_ATTACHMENTS = 5;
/** Bytes of one file: a scanned letter of a few pages, an email with its own attachments. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface CheckedAttachment {
  /** The name it was sent under, made safe (sanitise-filename.ts). */
  filename: string;
  /** What its content is, whatever its name or the type it was sent as. */
  contentType: AttachmentType;
  content: Buffer;
  sizeBytes: number;
  /** SHA-256 of the content, hex: what was received, to compare a copy with. */
  sha256: string;
}

const ACCEPTED = 'PDF, PNG, JPEG or TIFF files, plain text (UTF-8) or an email saved as .eml';

/** The name a file is called by in errors, before its content is known: its safe name, or its place in the form. */
export function attachmentLabel(index: number, filename: string | undefined): string {
  return `attachment ${index} (${JSON.stringify(sanitiseFilename(filename, 'without a name'))})`;
}

/** Refuses the file at `index` (from 1) before it is read, when the request already has as many as it may. */
export function checkAttachmentCount(index: number, filename: string | undefined): void {
  if (index > MAX_ATTACHMENTS) {
    throw new OpendpoError('TOO_LARGE', `${attachmentLabel(index, filename)} is refused: at most ${MAX_ATTACHMENTS} files are kept with a request`);
  }
}

/** A file over MAX_ATTACHMENT_BYTES, refused (its reader stops at the limit, so its size is not known). */
export function attachmentTooLarge(index: number, filename: string | undefined): OpendpoError {
  return new OpendpoError('TOO_LARGE', `${attachmentLabel(index, filename)} is refused: a file is at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB (${MAX_ATTACHMENT_BYTES} bytes)`);
}

/** The file at `index` (from 1) of a request's originals, checked; refused with its name and the reason. */
export function checkAttachment(file: { filename: string | undefined; content: Buffer }, index: number): CheckedAttachment {
  checkAttachmentCount(index, file.filename);
  if (file.content.length > MAX_ATTACHMENT_BYTES) throw attachmentTooLarge(index, file.filename);
  const detected = detectAttachmentType(file.content);
  if ('problem' in detected) {
    if (detected.problem === 'empty') throw new OpendpoError('INVALID_INPUT', `${attachmentLabel(index, file.filename)} is empty`);
    throw new OpendpoError('UNSUPPORTED_TYPE', `${attachmentLabel(index, file.filename)} is refused: its content is ${detected.problem}, whatever its name says; the originals kept with a request are ${ACCEPTED}`);
  }
  return {
    filename: sanitiseFilename(file.filename, `attachment-${index}.${ATTACHMENT_EXTENSIONS[detected.type]}`),
    contentType: detected.type,
    content: file.content,
    sizeBytes: file.content.length,
    sha256: createHash('sha256').update(file.content).digest('hex'),
  };
}
