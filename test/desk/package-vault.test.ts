/**
 * The vault of access packages (Art. 15(3) copies waiting for the person, Art. 32 encrypted at rest,
 * Art. 5(1)(e) gone when their link expires), on real files in a temporary folder: what goes in comes
 * out, nothing unauthenticated ever comes out, and nothing half-written or out of place is visible.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';
import { downloadTokenHash, issueDownloadToken, tokenMatches } from '../../src/desk/package-vault/download-token.js';
import { derivedKeyId, PackageKeyRing, parsePackageKey, parsePackageKeyRing } from '../../src/desk/package-vault/package-key.js';
import type { PackageMeta } from '../../src/desk/package-vault/package-vault.js';
import { DEFAULT_TTL_MS, PackageVault, RECORD_SIZE } from '../../src/desk/package-vault/package-vault.js';

const T0 = new Date('2026-12-02T10:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const META: PackageMeta = { organisationId: 'org-1', requestId: 'req-42', filename: 'access-package.zip', contentType: 'application/zip' };
const TAG = 16;
const RECORD = RECORD_SIZE + TAG;

const keyHex = () => randomBytes(32).toString('hex');
const keyBase64 = () => randomBytes(32).toString('base64');

let folder: string;
let ring: PackageKeyRing;
let vault: PackageVault;

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'opendpo-vault-'));
  ring = parsePackageKeyRing(`k1:${keyBase64()}`);
  vault = new PackageVault({ folder, keys: ring });
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const fileOf = (packageId: string) => path.join(folder, `${packageId}.pkg`);

/** Everything the vault hands out for a package, and the error that stopped it (from open or the stream). */
async function readPackage(v: PackageVault, packageId: string, now = T0): Promise<{ bytes: Buffer; error?: unknown }> {
  let opened;
  try {
    opened = await v.open(packageId, { now });
  } catch (error) {
    return { bytes: Buffer.alloc(0), error };
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
  return { bytes: Buffer.concat(chunks) };
}

/** The header's length: what is left of the file once the records are counted off. */
function headerLength(fileSize: number, plaintextBytes: number): number {
  const records = Math.max(1, Math.ceil(plaintextBytes / RECORD_SIZE));
  return fileSize - plaintextBytes - records * TAG;
}

async function flipByte(file: string, offset: number): Promise<void> {
  const bytes = await readFile(file);
  bytes[offset]! ^= 0x01;
  await writeFile(file, bytes);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function expectCode(error: unknown, code: string): void {
  expect(isOpendpoError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

describe('the package vault: round trips', () => {
  for (const size of [0, 1, RECORD_SIZE - 1, RECORD_SIZE, RECORD_SIZE + 1, 3 * RECORD_SIZE]) {
    it(`gives back ${size} bytes as they went in, with their size, hash, meta and dates`, async () => {
      const plaintext = randomBytes(size);
      const sealed = await vault.seal(plaintext, META, { now: T0 });
      expect(sealed.packageId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(sealed).toMatchObject({ sizeBytes: size, sha256: sha256(plaintext), expiresAt: later(DEFAULT_TTL_MS).toISOString() });
      const opened = await vault.open(sealed.packageId, { now: T0 });
      expect(opened).toMatchObject({ meta: META, sizeBytes: size, sealedAt: T0.toISOString(), expiresAt: sealed.expiresAt });
      const chunks: Buffer[] = [];
      for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(plaintext)).toBe(true);
      // Exactly one record is one final record: an empty final record is only for an empty package.
      const records = Math.max(1, Math.ceil(size / RECORD_SIZE));
      const { size: fileSize } = await stat(fileOf(sealed.packageId));
      expect(fileSize - headerLength(fileSize, size)).toBe(size + records * TAG);
    });
  }

  it('streams 5 MB in and out without holding it: one verified record at a time', async () => {
    const total = 5 * 1024 * 1024;
    const hash = createHash('sha256');
    async function* source() {
      for (let sent = 0; sent < total; sent += 10_000) {
        const chunk = randomBytes(Math.min(10_000, total - sent));
        hash.update(chunk);
        yield chunk;
      }
    }
    const sealed = await vault.seal(Readable.from(source()), META, { now: T0 });
    expect(sealed).toMatchObject({ sizeBytes: total, sha256: hash.digest('hex') });

    const opened = await vault.open(sealed.packageId, { now: T0 });
    expect(opened.sizeBytes).toBe(total);
    const out = createHash('sha256');
    let read = 0;
    let largestChunk = 0;
    let mostBuffered = 0;
    for await (const chunk of opened.stream) {
      const bytes = chunk as Buffer;
      out.update(bytes);
      read += bytes.length;
      largestChunk = Math.max(largestChunk, bytes.length);
      // A slow reader: the vault must wait for it, not read the file ahead into memory.
      await new Promise((resolve) => setImmediate(resolve));
      mostBuffered = Math.max(mostBuffered, opened.stream.readableLength);
    }
    expect(read).toBe(total);
    expect(out.digest('hex')).toBe(sealed.sha256);
    expect(largestChunk).toBeLessThanOrEqual(RECORD_SIZE);
    expect(mostBuffered).toBeLessThanOrEqual(2 * RECORD_SIZE);
  });

  it('writes a file of its own readable only by the server (0600), with the key id and no plaintext in it', async () => {
    const plaintext = Buffer.from('Alice Martin, 12 rue des Lilas, alice@example.org');
    const sealed = await vault.seal(plaintext, META, { now: T0 });
    const file = fileOf(sealed.packageId);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('ODPK');
    expect(bytes.includes(Buffer.from('k1'))).toBe(true);
    expect(bytes.includes(Buffer.from('Alice'))).toBe(false);
    expect(await readdir(folder)).toEqual([`${sealed.packageId}.pkg`]);
    // A fresh salt and iv: the same content twice is two different files.
    const again = await vault.seal(plaintext, META, { now: T0 });
    const other = await readFile(fileOf(again.packageId));
    expect(other.subarray(-plaintext.length - TAG).equals(bytes.subarray(-plaintext.length - TAG))).toBe(false);
  });

  it('accepts a Uint8Array, a stream of strings, and a ttl of its own', async () => {
    const sealed = await vault.seal(Readable.from(['ab', 'cd']), META, { now: T0, ttlMs: 60_000 });
    expect(sealed.expiresAt).toBe(later(60_000).toISOString());
    expect((await readPackage(vault, sealed.packageId)).bytes.toString()).toBe('abcd');
    const fromArray = await vault.seal(new Uint8Array([1, 2, 3]), META, { now: T0 });
    expect([...(await readPackage(vault, fromArray.packageId)).bytes]).toEqual([1, 2, 3]);
  });

  it('refuses metadata that is not what a download needs, and a ttl that is not a duration', async () => {
    const bad: PackageMeta[] = [
      { ...META, filename: '../../etc/passwd' },
      { ...META, filename: 'a\nb.zip' },
      { ...META, requestId: '' },
      { ...META, contentType: 'zip' },
    ];
    for (const meta of bad) await expect(vault.seal(Buffer.from('x'), meta, { now: T0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(vault.seal(Buffer.from('x'), META, { now: T0, ttlMs: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(vault.seal(Buffer.from('x'), META, { now: new Date('nope') })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await readdir(folder)).toEqual([]);
  });
});

describe('the package vault: nothing unauthenticated comes out', () => {
  const THREE_RECORDS = 2 * RECORD_SIZE + 1000;

  async function sealThree(): Promise<{ packageId: string; plaintext: Buffer; file: string; header: number; size: number }> {
    const plaintext = randomBytes(THREE_RECORDS);
    const { packageId } = await vault.seal(plaintext, META, { now: T0 });
    const file = fileOf(packageId);
    const { size } = await stat(file);
    return { packageId, plaintext, file, header: headerLength(size, THREE_RECORDS), size };
  }

  it('refuses a header changed anywhere: magic, key id, dates, metadata, its tag', async () => {
    const { packageId, file } = await sealThree();
    const original = await readFile(file);
    const metaAt = original.indexOf(Buffer.from('access-package.zip'));
    const headerEnd = headerLength(original.length, THREE_RECORDS);
    // magic 0-3, version 4, record size 5-8, sealed at 9-16, expires at 17-24, key id length 25,
    // key id "k1" 26-27, salt 28-59, key commitment 60-91, iv 92-103, then the metadata and the tag.
    for (const offset of [0, 4, 8, 16, 24, 25, 26, 40, 70, 100, metaAt, headerEnd - TAG - 20, headerEnd - 1]) {
      await writeFile(file, original);
      await flipByte(file, offset);
      const { bytes, error } = await readPackage(vault, packageId);
      expect(bytes.length, `offset ${offset}`).toBe(0);
      expect(isOpendpoError(error), `offset ${offset}: ${String(error)}`).toBe(true);
    }
  });

  it('stops at a changed record: the records before it come out, not a byte of it', async () => {
    const { packageId, plaintext, file, header } = await sealThree();
    await flipByte(file, header + RECORD + 10);
    const { bytes, error } = await readPackage(vault, packageId);
    expectCode(error, 'INTERNAL');
    expect(String((error as Error).message)).toContain('record 2 of 3');
    expect(bytes.equals(plaintext.subarray(0, RECORD_SIZE))).toBe(true);
  });

  it('refuses a changed tag, the final one included', async () => {
    const { packageId, plaintext, file, header, size } = await sealThree();
    const original = await readFile(file);
    await flipByte(file, header + RECORD - 1);
    let read = await readPackage(vault, packageId);
    expectCode(read.error, 'INTERNAL');
    expect(read.bytes.length).toBe(0);
    await writeFile(file, original);
    await flipByte(file, size - 1);
    read = await readPackage(vault, packageId);
    expectCode(read.error, 'INTERNAL');
    expect(read.bytes.equals(plaintext.subarray(0, 2 * RECORD_SIZE))).toBe(true);
  });

  it('refuses a file cut short, at a record boundary or inside one, and one with bytes added', async () => {
    const { packageId, plaintext, file, header, size } = await sealThree();
    const original = await readFile(file);
    for (const length of [header + 2 * RECORD, header + RECORD, size - 1, size - 500, header + 5, header]) {
      await writeFile(file, original.subarray(0, length));
      const { bytes, error } = await readPackage(vault, packageId);
      expect(isOpendpoError(error), `cut at ${length}: ${String(error)}`).toBe(true);
      // Whatever came out is whole verified records of the start, never the cut one.
      expect(bytes.length % RECORD_SIZE, `cut at ${length}`).toBe(0);
      expect(bytes.equals(plaintext.subarray(0, bytes.length))).toBe(true);
      expect(bytes.length).toBeLessThan(THREE_RECORDS);
    }
    await writeFile(file, Buffer.concat([original, Buffer.from([0])]));
    const appended = await readPackage(vault, packageId);
    expectCode(appended.error, 'INTERNAL');
    expect(appended.bytes.length).toBeLessThan(THREE_RECORDS);
  });

  it('refuses records swapped or repeated', async () => {
    const { packageId, file, header } = await sealThree();
    const original = await readFile(file);
    const first = original.subarray(header, header + RECORD);
    const second = original.subarray(header + RECORD, header + 2 * RECORD);
    const rest = original.subarray(header + 2 * RECORD);
    for (const body of [
      [second, first, rest],
      [first, first, rest],
      [first, rest],
    ]) {
      await writeFile(file, Buffer.concat([original.subarray(0, header), ...body]));
      const { bytes, error } = await readPackage(vault, packageId);
      expectCode(error, 'INTERNAL');
      expect(bytes.length).toBeLessThanOrEqual(RECORD_SIZE);
    }
  });

  it('refuses a package with the wrong key under its id, or a key the ring no longer holds', async () => {
    const { packageId } = await sealThree();
    const sameIdOtherKey = new PackageVault({ folder, keys: parsePackageKeyRing(`k1:${keyHex()}`) });
    let read = await readPackage(sameIdOtherKey, packageId);
    expectCode(read.error, 'CONFIG_INVALID');
    expect(read.bytes.length).toBe(0);
    const otherRing = new PackageVault({ folder, keys: parsePackageKeyRing(`k2:${keyHex()}`) });
    read = await readPackage(otherRing, packageId);
    expectCode(read.error, 'CONFIG_INVALID');
    expect((read.error as Error).message).toContain('"k1"');
    // Neither deletes it: the right key still opens it.
    expect((await readPackage(vault, packageId)).error).toBeUndefined();
  });

  it('opens a package sealed under a key since rotated out of first place', async () => {
    const oldKey = keyBase64();
    const before = new PackageVault({ folder, keys: parsePackageKeyRing(oldKey) });
    const plaintext = randomBytes(1000);
    const old = await before.seal(plaintext, META, { now: T0 });
    const rotated = parsePackageKeyRing(`2027-01:${keyHex()}, ${oldKey}`);
    expect(rotated.currentId).toBe('2027-01');
    const after = new PackageVault({ folder, keys: rotated });
    const read = await readPackage(after, old.packageId);
    expect(read.error).toBeUndefined();
    expect(read.bytes.equals(plaintext)).toBe(true);
    // New packages are sealed under the new key, and say so.
    const fresh = await after.seal(plaintext, META, { now: T0 });
    expect((await readFile(fileOf(fresh.packageId))).includes(Buffer.from('2027-01'))).toBe(true);
    expectCode((await readPackage(before, fresh.packageId)).error, 'CONFIG_INVALID');
  });
});

describe('the package vault: expiry, sweep, delete', () => {
  it('refuses an expired package and deletes it', async () => {
    const { packageId, expiresAt } = await vault.seal(Buffer.from('copy'), META, { now: T0, ttlMs: 60_000 });
    expect((await readPackage(vault, packageId, later(59_999))).error).toBeUndefined();
    const { error } = await readPackage(vault, packageId, new Date(expiresAt));
    expectCode(error, 'NOT_FOUND');
    expect((error as { details: unknown }).details).toEqual({ reason: 'expired' });
    expect(await readdir(folder)).toEqual([]);
    expectCode((await readPackage(vault, packageId, T0)).error, 'NOT_FOUND');
  });

  it('sweeps expired packages and abandoned temporary files, keeps the rest and names what it cannot read', async () => {
    const short = await vault.seal(Buffer.from('a'), META, { now: T0, ttlMs: 60_000 });
    const day = await vault.seal(Buffer.from('b'), META, { now: T0, ttlMs: 86_400_000 });
    const week = await vault.seal(Buffer.from('c'), META, { now: T0 });
    // Under a key no longer held: still swept at its time.
    const dropped = await new PackageVault({ folder, keys: parsePackageKeyRing(keyHex()) }).seal(Buffer.from('d'), META, { now: T0, ttlMs: 60_000 });
    const abandoned = path.join(folder, '.AAAAAAAAAAAAAAAAAAAAAA.tmp');
    const inProgress = path.join(folder, '.BBBBBBBBBBBBBBBBBBBBBB.tmp');
    const sweepAt = later(2 * 3_600_000);
    await writeFile(abandoned, 'half');
    await utimes(abandoned, later(0), later(0));
    await writeFile(inProgress, 'half');
    await utimes(inProgress, later(3_600_000 + 1_800_000), later(3_600_000 + 1_800_000));
    await writeFile(path.join(folder, 'CCCCCCCCCCCCCCCCCCCCCC.pkg'), 'not a package');
    await writeFile(path.join(folder, 'README'), 'not ours to judge');

    expect(await vault.sweep({ now: sweepAt })).toEqual({ deleted: 2, abandonedTemporaryFiles: 1, unreadable: ['CCCCCCCCCCCCCCCCCCCCCC'] });
    const left = (await readdir(folder)).sort();
    expect(left).toEqual(['.BBBBBBBBBBBBBBBBBBBBBB.tmp', 'CCCCCCCCCCCCCCCCCCCCCC.pkg', 'README', `${day.packageId}.pkg`, `${week.packageId}.pkg`].sort());
    expect(left).not.toContain(`${short.packageId}.pkg`);
    expect(left).not.toContain(`${dropped.packageId}.pkg`);
    expect(await vault.sweep({ now: sweepAt })).toMatchObject({ deleted: 0, abandonedTemporaryFiles: 0 });
    expect(await vault.sweep({ now: later(DEFAULT_TTL_MS) })).toMatchObject({ deleted: 2 });
  });

  it('sweeps a vault folder not yet created as an empty one', async () => {
    const none = new PackageVault({ folder: path.join(folder, 'not-yet'), keys: ring });
    expect(await none.sweep({ now: T0 })).toEqual({ deleted: 0, abandonedTemporaryFiles: 0, unreadable: [] });
  });

  it('deletes a package once, then says there was none', async () => {
    const { packageId } = await vault.seal(Buffer.from('x'), META, { now: T0 });
    expect(await vault.delete(packageId)).toBe(true);
    expect(await vault.delete(packageId)).toBe(false);
    expectCode((await readPackage(vault, packageId)).error, 'NOT_FOUND');
  });

  it('refuses ids that are not its own before touching the file system', async () => {
    const outside = path.join(folder, '..', `${path.basename(folder)}-outside.pkg`);
    await writeFile(outside, 'someone else');
    try {
      const ids = [
        `../${path.basename(outside, '.pkg')}`,
        '..',
        '../../../../etc/passwd',
        'AAAAAAAAAAAAAAAAAAAA/A',
        'AAAAAAAAAAAAAAAAAAAA..',
        '%2e%2e%2fAAAAAAAAAAAAA',
        'AAAAAAAAAAAAAAAAAAAAAA.pkg',
        'AAAAAAAAAAAAAAAAAAAAA\u0000',
        'AAAAAAAAAAAAAAAAAAAAAAA',
        '',
      ];
      for (const id of ids) {
        await expect(vault.open(id, { now: T0 }), id).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        await expect(vault.delete(id), id).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      }
      expect(await readFile(outside, 'utf8')).toBe('someone else');
    } finally {
      await rm(outside, { force: true });
    }
  });

  it('leaves no file behind when the source fails, and passes its error on', async () => {
    async function* failing() {
      yield randomBytes(3 * RECORD_SIZE);
      throw new Error('the database connection was lost');
    }
    await expect(vault.seal(Readable.from(failing()), META, { now: T0 })).rejects.toThrow('the database connection was lost');
    expect(await readdir(folder)).toEqual([]);
    const destroyed = new Readable({ read() {} });
    const sealing = vault.seal(destroyed, META, { now: T0 });
    destroyed.push(randomBytes(1000));
    setImmediate(() => destroyed.destroy(new Error('cancelled')));
    await expect(sealing).rejects.toThrow('cancelled');
    expect(await readdir(folder)).toEqual([]);
    // Failed before the vault could read it (while the file was being created).
    const early = new Readable({ read() {} });
    const sealingEarly = vault.seal(early, META, { now: T0 });
    early.destroy(new Error('gone at once'));
    await expect(sealingEarly).rejects.toThrow('gone at once');
    expect(await readdir(folder)).toEqual([]);
  });

  it('stops the source when it refuses to seal', async () => {
    const source = new Readable({ read() {} });
    await expect(vault.seal(source, { ...META, filename: '' }, { now: T0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(source.destroyed).toBe(true);
  });
});

describe('the package key', () => {
  it('reads 32 bytes in hex, base64 or base64url, padded or not', () => {
    const key = randomBytes(32);
    for (const text of [key.toString('hex'), key.toString('hex').toUpperCase(), key.toString('base64'), key.toString('base64').replace(/=$/, ''), key.toString('base64url')]) {
      expect(parsePackageKey(` ${text} `).equals(key)).toBe(true);
      const single = parsePackageKeyRing(text);
      expect(single.currentId).toBe(derivedKeyId(key));
      expect(single.current.key.equals(key)).toBe(true);
    }
  });

  it('refuses a missing or wrong key naming the variable, never echoing the value', () => {
    const secretish = 'c2VjcmV0LXRoYXQtaXMtdG9vLXNob3J0';
    const wrong = [
      undefined,
      '',
      secretish,
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('hex'),
      `${randomBytes(32).toString('base64').slice(0, 42)}B=`,
      `${keyHex()},`,
      `${keyHex()},,${keyHex()}`,
      `bad id:${keyHex()}`,
      // A key pasted where the id goes.
      `c2VjcmV0+LXRoYXQ/aXMtdG9v=:${keyHex()}`,
      `a:${keyHex()},a:${keyHex()}`,
    ];
    for (const value of wrong) {
      let error: unknown;
      try {
        parsePackageKeyRing(value);
      } catch (e) {
        error = e;
      }
      expectCode(error, 'CONFIG_INVALID');
      const message = (error as Error).message;
      expect(message).toContain('OPENDPO_PACKAGE_KEY');
      if (value) for (const part of value.split(/[,:]/).filter((p) => p.length > 2)) expect(message).not.toContain(part);
    }
    expect(() => parsePackageKey('short', 'OPENDPO_OTHER_KEY')).toThrow(/OPENDPO_OTHER_KEY/);
  });

  it('reads a ring, the first key sealing, and never shows a key', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const keys = parsePackageKeyRing(`new:${a.toString('base64')} , old:${b.toString('hex')}`);
    expect(keys.currentId).toBe('new');
    expect(keys.ids).toEqual(['new', 'old']);
    expect(keys.key('old')?.equals(b)).toBe(true);
    expect(keys.key('gone')).toBeUndefined();
    for (const shown of [inspect(keys, { showHidden: true }), JSON.stringify(keys), String(keys)]) {
      expect(shown).not.toContain(a.toString('base64'));
      expect(shown).not.toContain(a.toString('hex'));
      expect(shown).not.toContain(b.toString('hex'));
    }
    expect(() => PackageKeyRing.of([])).toThrow(/at least one key/);
  });
});

describe('the download token', () => {
  it('is 256 random bits, url-safe; only its SHA-256 is kept', () => {
    const { token, hash } = issueDownloadToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(downloadTokenHash(token)).toBe(hash);
    expect(new Set(Array.from({ length: 100 }, () => issueDownloadToken().token)).size).toBe(100);
  });

  it('matches its own hash only', () => {
    const { token, hash } = issueDownloadToken();
    const other = issueDownloadToken();
    expect(tokenMatches(hash, token)).toBe(true);
    expect(tokenMatches(hash, other.token)).toBe(false);
    expect(tokenMatches(other.hash, token)).toBe(false);
    expect(tokenMatches(hash, `${token} `)).toBe(false);
    expect(tokenMatches(hash, '')).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
    expect(tokenMatches(hash.toUpperCase(), token)).toBe(false);
    expect(tokenMatches(hash.slice(2), token)).toBe(false);
    // A value that is not a token never matches, even stored by mistake with its own hash.
    expect(tokenMatches(downloadTokenHash('short'), 'short')).toBe(false);
  });
});
