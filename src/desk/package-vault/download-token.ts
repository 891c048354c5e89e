/**
 * The secret in a download link for an access package (Art. 15(3): the copy reaches the person, and
 * only them, Art. 32). The desk binds a token to one package and one verified identity; this file
 * only makes tokens and checks them.
 *
 * A token is 256 random bits, url-safe. Only its SHA-256 is stored: whoever reads the store cannot
 * download anything. A plain hash is enough (no key, no slow hash such as argon2): a password is
 * guessable and needs one, a 256-bit random token is not, so its hash can be neither reversed nor
 * searched. Checks compare hashes in constant time, so the time taken says nothing of how much of a
 * guess was right.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const DOWNLOAD_TOKEN_BYTES = 32;
/** 32 bytes in base64url, no padding. */
export const DOWNLOAD_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const HASH_PATTERN = /^[0-9a-f]{64}$/;

export interface DownloadToken {
  /** Goes into the link sent to the person, nowhere else (never stored, never logged). */
  token: string;
  /** What is stored: the SHA-256 of the token, hex. */
  hash: string;
}

export function issueDownloadToken(): DownloadToken {
  const token = randomBytes(DOWNLOAD_TOKEN_BYTES).toString('base64url');
  return { token, hash: downloadTokenHash(token) };
}

/** The hash a token is stored and looked up by. */
export function downloadTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Does `token` (from a link) match the stored `hash`? Anything not shaped like a token never does. */
export function tokenMatches(hash: string, token: string): boolean {
  // Hashed whatever its shape, so a malformed token takes the same time as a wrong one.
  const actual = createHash('sha256').update(token, 'utf8').digest();
  if (!HASH_PATTERN.test(hash)) return false;
  return timingSafeEqual(Buffer.from(hash, 'hex'), actual) && DOWNLOAD_TOKEN_PATTERN.test(token);
}
