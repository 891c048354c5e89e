/**
 * The one-time code that confirms a person controls the email address a request names (Art. 12(6),
 * EDPB Guidelines 01/2022 §§ 60-79: a check proportionate to the request, no ID document by default).
 * Six digits, valid ten minutes, five tries; then the challenge is locked and a new code must be sent.
 * The code is never stored: only its keyed hash (HMAC-SHA-256 with the store's secret and the
 * challenge's id, so a code for one request or identity never verifies another), compared in constant
 * time. Pure: the clock, the randomness and the secret are given.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const CODE_DIGITS = 6;
export const CODE_LIFETIME_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;

/** What is kept of a code sent: never the code. */
export interface CodeChallenge {
  /** The challenge's id: one per identity of one request, bound into the hash. */
  id: string;
  hash: string;
  expiresAt: string;
  attempts: number;
  verifiedAt?: string;
}

export interface IssueOptions {
  id: string;
  secret: string;
  now: Date;
  /** For tests; default node:crypto's uniform random integer. */
  random?: (max: number) => number;
}

/** A new code and what to keep of it. The code goes to the person by email, nowhere else. */
export function issueCode(options: IssueOptions): { code: string; challenge: CodeChallenge } {
  const max = 10 ** CODE_DIGITS;
  const code = String((options.random ?? randomInt)(max)).padStart(CODE_DIGITS, '0');
  return {
    code,
    challenge: { id: options.id, hash: codeHash(options.secret, options.id, code), expiresAt: new Date(options.now.getTime() + CODE_LIFETIME_MS).toISOString(), attempts: 0 },
  };
}

export type CheckOutcome = 'verified' | 'wrong' | 'expired' | 'locked' | 'already-verified';

/**
 * Checks a code typed by the person. Every try counts, a right one included once the five are used;
 * the challenge returned is what to store (with its attempts), whatever the outcome.
 */
export function checkCode(challenge: CodeChallenge, typed: string, options: { secret: string; now: Date }): { outcome: CheckOutcome; challenge: CodeChallenge; attemptsLeft: number } {
  const left = (c: CodeChallenge) => Math.max(0, MAX_ATTEMPTS - c.attempts);
  if (challenge.verifiedAt !== undefined) return { outcome: 'already-verified', challenge, attemptsLeft: left(challenge) };
  if (challenge.attempts >= MAX_ATTEMPTS) return { outcome: 'locked', challenge, attemptsLeft: 0 };
  if (options.now.getTime() >= Date.parse(challenge.expiresAt)) return { outcome: 'expired', challenge, attemptsLeft: left(challenge) };
  const counted = { ...challenge, attempts: challenge.attempts + 1 };
  // Only six digits are ever a code; anything else is a wrong try, hashed all the same (no shortcut to time).
  const normalised = typed.trim();
  const expected = Buffer.from(challenge.hash, 'hex');
  const actual = Buffer.from(codeHash(options.secret, challenge.id, normalised), 'hex');
  const match = expected.length === actual.length && timingSafeEqual(expected, actual) && /^\d{6}$/.test(normalised);
  if (match) return { outcome: 'verified', challenge: { ...counted, verifiedAt: options.now.toISOString() }, attemptsLeft: left(counted) };
  return { outcome: counted.attempts >= MAX_ATTEMPTS ? 'locked' : 'wrong', challenge: counted, attemptsLeft: left(counted) };
}

function codeHash(secret: string, id: string, code: string): string {
  return createHmac('sha256', secret).update(`${id}\u0000${code}`).digest('hex');
}
