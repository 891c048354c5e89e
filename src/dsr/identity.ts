/**
 * The identities a request is made with (`--identity email=a@b.example --identity phone_number=...`).
 * They are verified by the controller before the request is run (Art. 12(6)); here they are only
 * checked to be usable: a known shape of type, a value that can be bound as a parameter. Values are
 * NFC-normalised and trimmed, compared by their type's rule (identity-match.ts), never interpolated.
 */
import { OpendpoError } from '../errors/opendpo-error.js';
import { canonicalIdentity } from './identity-match.js';

/** Long enough for any real identifier, short enough that a pasted document is refused. */
export const MAX_IDENTITY_LENGTH = 1024;
const TYPE = /^[a-z][a-z0-9_]{0,63}$/;

export function parseIdentities(options: readonly string[]): Record<string, string> {
  if (options.length === 0) throw new OpendpoError('INVALID_INPUT', 'give at least one --identity type=value (e.g. --identity email=jane@example.com)');
  const identities: Record<string, string> = {};
  for (const option of options) {
    const eq = option.indexOf('=');
    if (eq <= 0) throw new OpendpoError('INVALID_INPUT', `--identity must be type=value (e.g. email=jane@example.com); got an option without "="`);
    const type = option.slice(0, eq).trim();
    const value = canonicalIdentity(option.slice(eq + 1));
    if (!TYPE.test(type)) throw new OpendpoError('INVALID_INPUT', `identity type "${type.slice(0, 64)}" must be lower-case letters, digits and _ (e.g. email, phone_number)`);
    if (Object.hasOwn(identities, type)) throw new OpendpoError('INVALID_INPUT', `identity type "${type}" is given twice: one value per type and request`);
    if (value.length === 0) throw new OpendpoError('INVALID_INPUT', `identity "${type}" has an empty value`);
    if (value.includes('\u0000')) throw new OpendpoError('INVALID_INPUT', `identity "${type}" contains a NUL byte, which no identifier holds`);
    if (value.length > MAX_IDENTITY_LENGTH) {
      throw new OpendpoError('INVALID_INPUT', `identity "${type}" is ${value.length} characters long; at most ${MAX_IDENTITY_LENGTH} are accepted`);
    }
    identities[type] = value;
  }
  return identities;
}
