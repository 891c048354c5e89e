/**
 * The name an attachment is kept and downloaded under, from the name its sender gave: never a path
 * (the last segment only, whatever the separator), no control or invisible format characters (a
 * right-to-left override makes `exe.pdf` read as `fdp.exe`), no leading dots (a hidden file, `..`),
 * at most MAX_FILENAME_LENGTH characters with the extension kept. A name with nothing left is
 * replaced by `fallback`.
 *
 * The name may say who the person is ("lettre-jean-dupont.pdf"): it is kept with the request for
 * staff allowed a person's data, and never written to a log or the audit log.
 */

export const MAX_FILENAME_LENGTH = 200;

// Cc: C0, DEL and C1 controls; Cf: format characters (bidirectional overrides, zero-width); Cs: lone
// surrogates; Zl, Zp: line and paragraph separators.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
const EXTENSION = /\.[\p{L}\p{N}]{1,16}$/u;

export function sanitiseFilename(name: string | undefined, fallback: string): string {
  let s = (name ?? '').replace(INVISIBLE, '').normalize('NFC');
  s = s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
  s = s.replace(/\s+/gu, ' ').replace(/^[\s.]+/u, '').replace(/[\s.]+$/u, '');
  if (s === '') return fallback;
  const chars = [...s];
  if (chars.length <= MAX_FILENAME_LENGTH) return s;
  const extension = [...(EXTENSION.exec(s)?.[0] ?? '')];
  return [...chars.slice(0, MAX_FILENAME_LENGTH - extension.length), ...extension].join('').trimEnd();
}

/**
 * The Content-Disposition of a download under this name (RFC 6266): an ASCII fallback for old
 * clients, and the name itself in UTF-8 (RFC 8187).
 */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9._ -]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
