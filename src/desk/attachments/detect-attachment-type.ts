/**
 * What a file sent as the original of a request is, read from its content, never from its name or
 * the type its sender claimed: an executable renamed `letter.pdf` is still an executable. Only what a
 * letter or an email arrives as is taken: PDF, PNG, JPEG and TIFF (a scan or a photo of a letter),
 * plain text in UTF-8, and an email saved by a mail program (message/rfc822: RFC 5322 header fields,
 * then the body). Anything else is refused with the reason: executables, archives and office
 * documents (which may carry code), and HTML, XML or SVG, which a browser would run.
 *
 * Pure: bytes in, a type or a problem out.
 */

export const ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'text/plain', 'message/rfc822'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** The extension of a file of each type, for a name made when the sender gave none. */
export const ATTACHMENT_EXTENSIONS: Record<AttachmentType, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/tiff': 'tif',
  'text/plain': 'txt',
  'message/rfc822': 'eml',
};

export type DetectedType = { type: AttachmentType } | { problem: string };

const ACCEPTED: readonly { type: AttachmentType; magic: readonly number[] }[] = [
  { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { type: 'image/tiff', magic: [0x49, 0x49, 0x2a, 0x00] }, // II*\0, little-endian
  { type: 'image/tiff', magic: [0x4d, 0x4d, 0x00, 0x2a] }, // MM\0*, big-endian
];

/** Formats recognised only to say what they are when refused (a clearer reason than "not text"). */
const REFUSED: readonly { what: string; magic: readonly number[]; at?: number }[] = [
  { what: 'a Windows executable', magic: [0x4d, 0x5a] }, // MZ
  { what: 'an executable (ELF)', magic: [0x7f, 0x45, 0x4c, 0x46] },
  { what: 'an executable (Mach-O)', magic: [0xcf, 0xfa, 0xed, 0xfe] },
  { what: 'an executable (Mach-O)', magic: [0xce, 0xfa, 0xed, 0xfe] },
  { what: 'an executable (Mach-O)', magic: [0xfe, 0xed, 0xfa, 0xce] },
  { what: 'an executable (Mach-O)', magic: [0xfe, 0xed, 0xfa, 0xcf] },
  { what: 'an executable (Mach-O universal) or a Java class', magic: [0xca, 0xfe, 0xba, 0xbe] },
  { what: 'a script (#!)', magic: [0x23, 0x21] },
  { what: 'a zip archive (or an office document, which is one)', magic: [0x50, 0x4b, 0x03, 0x04] },
  { what: 'a zip archive', magic: [0x50, 0x4b, 0x05, 0x06] },
  { what: 'a gzip archive', magic: [0x1f, 0x8b] },
  { what: 'a 7-Zip archive', magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { what: 'a RAR archive', magic: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { what: 'an old Office document (OLE)', magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { what: 'an RTF document', magic: [0x7b, 0x5c, 0x72, 0x74, 0x66] }, // {\rtf
  { what: 'a GIF image', magic: [0x47, 0x49, 0x46, 0x38] },
  { what: 'a WebP image', magic: [0x57, 0x45, 0x42, 0x50], at: 8 },
  { what: 'an ISO media file (a HEIC photo, a video)', magic: [0x66, 0x74, 0x79, 0x70], at: 4 }, // ftyp
];

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export function detectAttachmentType(bytes: Uint8Array): DetectedType {
  if (bytes.length === 0) return { problem: 'empty' };
  for (const { type, magic } of ACCEPTED) if (startsWith(bytes, magic)) return { type };
  for (const { what, magic, at } of REFUSED) if (startsWith(bytes, magic, at)) return { problem: what };
  // An email is told apart before plain text: its body may be 8-bit text in another charset.
  if (isEmail(bytes)) return { type: 'message/rfc822' };
  const text = utf8Text(startsWith(bytes, UTF8_BOM) ? bytes.subarray(UTF8_BOM.length) : bytes);
  if (text === undefined) return { problem: 'neither a PDF, PNG, JPEG or TIFF file nor text in UTF-8 (binary content of another kind)' };
  if (isMarkup(text)) return { problem: 'HTML, XML or SVG (markup a browser would run)' };
  return { type: 'text/plain' };
}

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}

/** Text in UTF-8 without control characters other than tab, line feed, form feed and carriage return; undefined otherwise. */
function utf8Text(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f) return undefined;
  }
  return text;
}

const MARKUP_START = /^[\s\uFEFF]*</;
const MARKUP_ANYWHERE = /<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|script[\s>]|svg[\s>]|iframe[\s>]|object[\s>]|embed[\s>]|\?xml[\s])/i;

/** Markup: a text that opens with a tag, or names an HTML or SVG element near its start (where a browser sniffing it would look). */
function isMarkup(text: string): boolean {
  return MARKUP_START.test(text) || MARKUP_ANYWHERE.test(text.slice(0, 4096));
}

// An RFC 5322 field name: printable US-ASCII but the colon (ftext, §3.6.8).
const FIELD = /^([!-9;-~]+)[ \t]*:/;
const HEADER_BLOCK_MAX = 256 * 1024;

/**
 * An email as saved by a mail program: RFC 5322 header fields from the first byte (a field name and
 * a colon; folded lines start with white space), up to the empty line before the body, with the two
 * fields RFC 5322 § 3.6 requires of every message (Date and From); no NUL anywhere (§ 2.2, 2.3). The
 * header block is UTF-8 (RFC 6532); the body may be 8-bit text in another charset.
 */
function isEmail(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  const end = headerEnd(bytes);
  const block = utf8Text(bytes.subarray(0, end));
  if (block === undefined) return false;
  const lines = block.split(/\r?\n/);
  const names = new Set<string>();
  for (const [i, line] of lines.entries()) {
    if (line === '' && i === lines.length - 1) break;
    if (i > 0 && /^[ \t]/.test(line)) continue; // a folded line continues the field above (§ 2.2.3)
    const field = FIELD.exec(line);
    if (!field) return false;
    names.add(field[1]!.toLowerCase());
  }
  return names.has('from') && names.has('date');
}

/** Where the header block ends: the empty line before the body, or the end (a message without a body). */
function headerEnd(bytes: Uint8Array): number {
  const limit = Math.min(bytes.length, HEADER_BLOCK_MAX);
  for (let i = 0; i < limit; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a) return i + 1;
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return i + 1;
  }
  return limit;
}
