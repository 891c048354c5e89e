import { describe, expect, it } from 'vitest';
import { parseIdentities } from '../../src/dsr/identity.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';

const refusal = (options: string[]) => {
  try {
    parseIdentities(options);
  } catch (err) {
    if (isOpendpoError(err)) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('identities given to a request', () => {
  it('are type=value pairs, the value kept exactly (NFC, trimmed), with any characters a database can bind', () => {
    expect(parseIdentities(['email=alice@example.com', 'phone_number= +33 6 12 34 56 78 '])).toEqual({ email: 'alice@example.com', phone_number: '+33 6 12 34 56 78' });
    expect(parseIdentities([`email=' OR 1=1; DROP TABLE customer; --`])).toEqual({ email: `' OR 1=1; DROP TABLE customer; --` });
    expect(parseIdentities(['email=a=b@example.com'])).toEqual({ email: 'a=b@example.com' });
    // "é" written as e + combining acute is the same identity as the precomposed "é".
    expect(parseIdentities(['email=chloe\u0301@example.com']).email).toBe('chlo\u00e9@example.com');
  });

  it('refuses what no identifier is, with a message that does not echo the value', () => {
    const nul = refusal(['email=alice\u0000@example.com']);
    expect(nul.code).toBe('INVALID_INPUT');
    expect(nul.message).toContain('NUL byte');
    expect(nul.message).not.toContain('alice');
    const long = refusal([`email=${'x'.repeat(10_000)}`]);
    expect(long.message).toBe('identity "email" is 10000 characters long; at most 1024 are accepted');
    expect(refusal(['email=']).message).toContain('empty value');
    expect(refusal(['alice@example.com']).message).toContain('type=value');
    expect(refusal(['Email=x']).message).toContain('lower-case');
    expect(refusal(['email=a', 'email=b']).message).toContain('given twice');
    expect(refusal([]).message).toContain('at least one --identity');
  });
});
