/**
 * The key that protects access packages at rest while they wait for the person (Art. 15(3) copies,
 * Art. 32(1)(a): encryption of personal data), read from one environment variable
 * (OPENDPO_PACKAGE_KEY by default).
 *
 * The value is a key ring: one or more entries separated by commas, the first the current key (it
 * seals new packages), the others older keys that still open what they sealed, so a key is rotated
 * by putting the new one first and dropping the old one once its packages have expired (seven days by
 * default). An entry is `id:KEY` or a bare `KEY`; a KEY is 32 bytes written in hex (64 digits) or in
 * base64 (standard or url-safe, padding optional). A bare key is known by an id derived from it (a
 * hash, which says nothing of a 256-bit key), so the simplest setting, one bare key, can later be
 * rotated by writing `NEWKEY,OLDKEY` without knowing any id. Every package records the id of the key
 * that sealed it.
 *
 * Errors name the variable and the entry's position, never the value nor an id (a key pasted where
 * the id goes would be echoed into a log): Art. 32, a secret stays out of logs.
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { OpendpoError } from '../../errors/opendpo-error.js';

export const PACKAGE_KEY_VARIABLE = 'OPENDPO_PACKAGE_KEY';
export const PACKAGE_KEY_BYTES = 32;
/** An id recorded in a package header: short, printable, no separator of the ring. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
// 32 bytes are 43 base64 characters and one '=' of padding; the last character carries 2 bits
// and 4 of padding, checked below by writing the key back.
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL_KEY = /^[A-Za-z0-9_-]{43}=?$/;
const HOW = `32 bytes in hex (64 digits) or base64, e.g. the output of \`openssl rand -base64 32\``;

/**
 * The keys that seal and open packages. The key bytes live in a private field: `console.log`,
 * `util.inspect` and `JSON.stringify` of a ring show its ids, never a key.
 */
export class PackageKeyRing {
  readonly #keys: ReadonlyMap<string, Buffer>;

  private constructor(
    /** The id of the key new packages are sealed with. */
    readonly currentId: string,
    keys: ReadonlyMap<string, Buffer>,
  ) {
    this.#keys = keys;
  }

  /** A ring from keys given in code (the first seals); ids are checked as in the variable. */
  static of(entries: readonly { id: string; key: Uint8Array }[]): PackageKeyRing {
    const first = entries[0];
    if (first === undefined) throw new OpendpoError('CONFIG_INVALID', 'a package key ring needs at least one key');
    const keys = new Map<string, Buffer>();
    for (const [i, { id, key }] of entries.entries()) {
      if (!KEY_ID_PATTERN.test(id)) throw new OpendpoError('CONFIG_INVALID', `package key ${i + 1}: the id must be 1 to 64 letters, digits, '.', '_' or '-'`);
      if (key.length !== PACKAGE_KEY_BYTES) throw new OpendpoError('CONFIG_INVALID', `package key ${i + 1} is not ${PACKAGE_KEY_BYTES} bytes`);
      if (keys.has(id)) throw new OpendpoError('CONFIG_INVALID', `package key ${i + 1} repeats the id of an earlier key`);
      keys.set(id, Buffer.from(key));
    }
    return new PackageKeyRing(first.id, keys);
  }

  /** The key that seals new packages. */
  get current(): { id: string; key: Buffer } {
    return { id: this.currentId, key: this.#keys.get(this.currentId)! };
  }

  /** The key with this id, if the ring still holds it. */
  key(id: string): Buffer | undefined {
    return this.#keys.get(id);
  }

  get ids(): string[] {
    return [...this.#keys.keys()];
  }

  toJSON(): { currentId: string; ids: string[] } {
    return { currentId: this.currentId, ids: this.ids };
  }

  [inspect.custom](): string {
    return `PackageKeyRing { current: ${this.currentId}, ids: ${this.ids.join(', ')} }`;
  }
}

/**
 * Reads the ring from the variable's value. `variable` names it in errors (CONFIG_INVALID: the server
 * does not start without a usable key rather than storing a copy of someone's data in clear).
 */
export function parsePackageKeyRing(value: string | undefined, variable: string = PACKAGE_KEY_VARIABLE): PackageKeyRing {
  if (value === undefined || value.trim() === '') {
    throw new OpendpoError('CONFIG_INVALID', `${variable} is not set: give ${HOW}`);
  }
  const entries = value.split(',').map((entry, i) => {
    const where = `${variable}, key ${i + 1}`;
    const text = entry.trim();
    if (text === '') throw new OpendpoError('CONFIG_INVALID', `${where} is empty: separate keys with single commas`);
    const colon = text.indexOf(':');
    // Neither hex nor base64 has a colon: one means an id was given.
    if (colon === -1) {
      const key = decodeKey(text, where);
      return { id: derivedKeyId(key), key };
    }
    const id = text.slice(0, colon).trim();
    if (!KEY_ID_PATTERN.test(id)) throw new OpendpoError('CONFIG_INVALID', `${where}: the id before ':' must be 1 to 64 letters, digits, '.', '_' or '-'`);
    return { id, key: decodeKey(text.slice(colon + 1).trim(), where) };
  });
  const seen = new Map<string, number>();
  for (const [i, { id }] of entries.entries()) {
    const earlier = seen.get(id);
    if (earlier !== undefined) throw new OpendpoError('CONFIG_INVALID', `${variable}: key ${i + 1} has the same id as key ${earlier + 1} (the same key twice?)`);
    seen.set(id, i);
  }
  return PackageKeyRing.of(entries);
}

/** One key, 32 bytes in hex or base64; `where` names it in errors. */
export function parsePackageKey(value: string | undefined, where: string = PACKAGE_KEY_VARIABLE): Buffer {
  if (value === undefined || value.trim() === '') throw new OpendpoError('CONFIG_INVALID', `${where} is not set: give ${HOW}`);
  return decodeKey(value.trim(), where);
}

/**
 * The id a bare key is known by: 16 hex digits of a SHA-256 of it, with a label so the hash is of
 * no use elsewhere. A 256-bit random key cannot be found from it.
 */
export function derivedKeyId(key: Uint8Array): string {
  return createHash('sha256').update('opendpo package key id\u0000').update(key).digest('hex').slice(0, 16);
}

function decodeKey(text: string, where: string): Buffer {
  if (HEX_KEY.test(text)) return Buffer.from(text, 'hex');
  if (BASE64_KEY.test(text) || BASE64URL_KEY.test(text)) {
    const key = Buffer.from(text, BASE64_KEY.test(text) ? 'base64' : 'base64url');
    // Buffer ignores the last character's spare bits: a key that does not write back the same was mistyped.
    const canonical = text.replace(/=$/, '').replace(/-/g, '+').replace(/_/g, '/');
    if (key.length === PACKAGE_KEY_BYTES && key.toString('base64').replace(/=$/, '') === canonical) return key;
  }
  const looksShort = text.length < 43;
  throw new OpendpoError('CONFIG_INVALID', `${where} is not ${looksShort ? `long enough: give ` : ''}${HOW}`);
}
