/**
 * The secrets staff and people hold: a session cookie, an API token, a request's status token. Each
 * is `<id>` + a 256-bit random secret; the store keeps the id and the secret's SHA-256 only, so a
 * copy of the database signs no one in. A fast hash is right here (unlike passwords): the secret is
 * random and long, not guessable. Comparison is constant-time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { OpendpoError } from '../../errors/opendpo-error.js';

export function randomId(): string {
  return randomBytes(16).toString('base64url');
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function secretMatches(storedHash: string, secret: string): boolean {
  const a = Buffer.from(storedHash, 'hex');
  const b = Buffer.from(secretHash(secret), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

const ID = '[A-Za-z0-9_-]{22}';
const SECRET = '[A-Za-z0-9_-]{43}';

/** An API token as shown once: `odp_<id>_<secret>` (the prefix lets secret scanners find a leaked one). */
export function formatApiToken(id: string, secret: string): string {
  return `odp_${id}_${secret}`;
}

export function parseApiToken(token: string): { id: string; secret: string } | undefined {
  const m = new RegExp(`^odp_(${ID})_(${SECRET})$`).exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** A session cookie's value: `<id>.<secret>`. */
export function formatSessionCookie(id: string, secret: string): string {
  return `${id}.${secret}`;
}

export function parseSessionCookie(value: string): { id: string; secret: string } | undefined {
  const m = new RegExp(`^(${ID})\\.(${SECRET})$`).exec(value);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

/** NIST SP 800-63B § 5.1.1.2: length over composition rules; a long passphrase is fine. */
export function checkPasswordPolicy(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new OpendpoError('INVALID_INPUT', `a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new OpendpoError('INVALID_INPUT', `a password has at most ${MAX_PASSWORD_LENGTH} characters`);
}

/** argon2id with the OWASP minimum (19 MiB, 2 passes, 1 lane): ~20 ms here, costly to guess offline. */
const ARGON2 = { algorithm: 2 /* Algorithm.Argon2id: a const enum the module syntax cannot import */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), ARGON2);
}

/** A hash of nothing anyone types, verified when the login is unknown: the answer takes as long either way. */
let decoy: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  const target = storedHash ?? (await (decoy ??= hashPassword(randomSecret())));
  try {
    const ok = await verify(target, password.normalize('NFC'));
    return ok && storedHash !== undefined;
  } catch {
    return false;
  }
}
