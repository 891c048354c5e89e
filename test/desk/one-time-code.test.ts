/**
 * The emailed one-time code (Art. 12(6)): six digits, ten minutes, five tries then locked; kept only
 * as a keyed hash bound to its challenge, so a code never verifies another request or identity.
 */
import { describe, expect, it } from 'vitest';
import { checkCode, issueCode } from '../../src/desk/one-time-code.js';

const SECRET = 'store-secret';
const T0 = new Date('2026-12-02T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('the one-time code', () => {
  it('is six digits, leading zeros kept, never stored: only its keyed hash and its expiry ten minutes on', () => {
    const { code, challenge } = issueCode({ id: 'req-1:email', secret: SECRET, now: T0, random: () => 4217 });
    expect(code).toBe('004217');
    expect(JSON.stringify(challenge)).not.toContain('004217');
    expect(challenge).toMatchObject({ id: 'req-1:email', attempts: 0, expiresAt: '2026-12-02T10:10:00.000Z' });
    expect(challenge.hash).toMatch(/^[0-9a-f]{64}$/);
    const codes = new Set(Array.from({ length: 50 }, () => issueCode({ id: 'x', secret: SECRET, now: T0 }).code));
    expect([...codes].every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(codes.size).toBeGreaterThan(45);
  });

  it('verifies the right code within ten minutes, once', () => {
    const { code, challenge } = issueCode({ id: 'req-1:email', secret: SECRET, now: T0 });
    const ok = checkCode(challenge, ` ${code} `, { secret: SECRET, now: at(9.9) });
    expect(ok.outcome).toBe('verified');
    expect(ok.challenge).toMatchObject({ attempts: 1, verifiedAt: at(9.9).toISOString() });
    expect(checkCode(ok.challenge, code, { secret: SECRET, now: at(9.95) }).outcome).toBe('already-verified');
  });

  it('refuses it after ten minutes, and for another challenge or with another secret', () => {
    const { code, challenge } = issueCode({ id: 'req-1:email', secret: SECRET, now: T0 });
    expect(checkCode(challenge, code, { secret: SECRET, now: at(10) }).outcome).toBe('expired');
    const other = issueCode({ id: 'req-2:email', secret: SECRET, now: T0 }).challenge;
    expect(checkCode(other, code, { secret: SECRET, now: at(1) }).outcome).toBe('wrong');
    expect(checkCode(challenge, code, { secret: 'another', now: at(1) }).outcome).toBe('wrong');
  });

  it('locks after five wrong tries: the right code then fails too, until a new one is sent', () => {
    let { code, challenge } = issueCode({ id: 'req-1:email', secret: SECRET, now: T0 });
    const outcomes: string[] = [];
    for (const typed of ['000000', '12345', 'abcdef', `${code}0`, '999999']) {
      const r = checkCode(challenge, typed, { secret: SECRET, now: at(1) });
      outcomes.push(`${r.outcome}:${r.attemptsLeft}`);
      challenge = r.challenge;
    }
    expect(outcomes).toEqual(['wrong:4', 'wrong:3', 'wrong:2', 'wrong:1', 'locked:0']);
    expect(checkCode(challenge, code, { secret: SECRET, now: at(2) })).toMatchObject({ outcome: 'locked', attemptsLeft: 0 });
    ({ code, challenge } = issueCode({ id: 'req-1:email', secret: SECRET, now: at(3) }));
    expect(checkCode(challenge, code, { secret: SECRET, now: at(4) }).outcome).toBe('verified');
  });
});
