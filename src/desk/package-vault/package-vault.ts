/**
 * The vault where access packages wait for the person to download them (Art. 15(3): the copy; Art.
 * 12(3): given within the month; Art. 5(1)(e) and 32: kept encrypted, and no longer than the link
 * lives, seven days by default). One file per package in a folder of its own, decision 0029.
 *
 * A file, format version 1 (every integer big-endian):
 *
 *   "ODPK" | version 1 (u8) | record size (u32) | sealed at, expires at (u64 ms each)
 *   | key id length (u8) | key id | salt (32) | key commitment (32) | iv (12)
 *   | meta length (u32) | meta (UTF-8 JSON) | header tag (16)
 *   | record 0 | record 1 | ... | final record
 *
 * where each record is up to `record size` bytes of plaintext encrypted with AES-256-GCM, followed by
 * its 16-byte tag. HKDF-SHA-256 turns the master key (the key ring's, by the recorded id) and the
 * file's random salt into the file's data key and a key commitment; the header tag is GCM over no
 * plaintext with the whole header before it as additional data, so the metadata, the dates and the
 * layout are authenticated before anything is believed.
 *
 * Why records, each with its own tag, rather than one GCM stream and one tag at the end: GCM checks
 * its tag only once all the ciphertext has been read, and Node's decipher hands out plaintext as it
 * decrypts. A package of a few hundred MB cannot be held in memory until then, so one tag would mean
 * streaming bytes to the person (or the browser saving them) before knowing they are the ones we
 * wrote. With records, each is decrypted into memory (64 KiB), its tag checked, and only then passed
 * on: a damaged record stops the download before any of its bytes leave. Each record's nonce is the
 * file's iv XOR (record number, final flag), the STREAM construction (Hoang, Reyhanitabar, Rogaway and
 * Vizár, 2015; what age and Tink's streaming AEAD do): records swapped, dropped or repeated fail their
 * tag because their number is not the one expected; a file cut at a record boundary fails because
 * its last record was not sealed as final; bytes added after the final record make it not the last.
 * The header tag uses the flag 2, so no two encryptions under one data key share a nonce.
 *
 * Why a data key per file: the random 12-byte iv then only has to be unique within a file (a fresh
 * key per package, whatever the number of packages a master key seals), and the key commitment
 * (GCM alone does not commit to its key) tells "this is not the key that sealed it" (a rotation gone
 * wrong) apart from damage.
 *
 * I/O edge: the folder is the vault's alone. A package appears whole or not at all (written to a
 * temporary file, flushed, renamed), readable by the server's user only (0600).
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open as openFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { PackageKeyRing } from './package-key.js';
import { KEY_ID_PATTERN } from './package-key.js';

export const FORMAT_VERSION = 1;
/** Plaintext bytes per record: what the reader holds in memory before a tag says it may pass. */
export const RECORD_SIZE = 64 * 1024;
export const DEFAULT_TTL_MS = 7 * 24 * 60 * 60_000;
/** 128 random bits in base64url: what a package is named by, and all a file name may be. */
export const PACKAGE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/** A temporary file not written to for this long belongs to a seal that died: sweep removes it. */
export const ABANDONED_TEMPORARY_MS = 60 * 60_000;

const MAGIC = Buffer.from('ODPK', 'latin1');
const TAG_BYTES = 16;
const SALT_BYTES = 32;
const COMMITMENT_BYTES = 32;
const IV_BYTES = 12;
const MAX_RECORD_SIZE = 1024 * 1024;
const MAX_META_BYTES = 16 * 1024;
/** magic, version, record size, sealed at, expires at, key id length. */
const FIXED_BYTES = MAGIC.length + 1 + 4 + 8 + 8 + 1;
const MAX_HEADER_BYTES = FIXED_BYTES + 64 + SALT_BYTES + COMMITMENT_BYTES + IV_BYTES + 4 + MAX_META_BYTES + TAG_BYTES;
const HKDF_INFO = Buffer.from('opendpo access package v1', 'latin1');
/** The last byte of a nonce, XORed into the iv's: what the encryption is. */
const NONCE_FLAG = { record: 0, final: 1, header: 2 } as const;
const MAX_RECORDS = 2 ** 32;
const PACKAGE_FILE = /^([A-Za-z0-9_-]{22})\.pkg$/;
const TEMPORARY_FILE = /^\.[A-Za-z0-9_-]{22}\.tmp$/;

/**
 * What the desk says of a package: whose request it answers and how it is downloaded. Kept in the
 * header in clear (authenticated, not encrypted: the vault reads it without opening the content), so
 * nothing here names the person: a file name like `access-package-2026-12-02.zip`, not theirs.
 */
export interface PackageMeta {
  organisationId: string;
  requestId: string;
  /** The name the download is saved under. */
  filename: string;
  contentType: string;
}

export interface SealedPackage {
  packageId: string;
  /** ISO 8601. */
  expiresAt: string;
  /** Plaintext bytes. */
  sizeBytes: number;
  /** SHA-256 of the plaintext, hex: for the request's evidence (what was handed over). */
  sha256: string;
}

export interface OpenedPackage {
  meta: PackageMeta;
  sealedAt: string;
  expiresAt: string;
  /** Plaintext bytes, from the file's size (for Content-Length); the stream fails if they do not all verify. */
  sizeBytes: number;
  /**
   * The plaintext, one verified record at a time. It fails (and gives nothing more) at the first
   * record that does not verify. It holds the file open: read it to the end or destroy it.
   */
  stream: Readable;
}

/** What sealBytes sealed, opened: every record verified before any byte is returned. */
export interface OpenedBytes {
  meta: PackageMeta;
  /** The id of the key that sealed it (a re-seal under the ring's current key changes it). */
  keyId: string;
  sealedAt: string;
  expiresAt: string;
  plaintext: Buffer;
}

export interface SweepResult {
  /** Expired packages deleted. */
  deleted: number;
  /** Temporary files of seals that died, deleted. */
  abandonedTemporaryFiles: number;
  /** Files named as packages that are not (kept for the operator to look at). */
  unreadable: string[];
}

interface Header {
  version: number;
  recordSize: number;
  sealedAt: number;
  expiresAt: number;
  keyId: string;
  salt: Buffer;
  commitment: Buffer;
  iv: Buffer;
  meta: Buffer;
}

export class PackageVault {
  readonly #folder: string;
  readonly #keys: PackageKeyRing;

  constructor(options: { folder: string; keys: PackageKeyRing }) {
    this.#folder = path.resolve(options.folder);
    this.#keys = options.keys;
  }

  /** Encrypts `source` under the current key into a new package. Nothing is visible until it is whole. */
  async seal(source: Readable | Uint8Array, meta: PackageMeta, options: { now: Date; ttlMs?: number }): Promise<SealedPackage> {
    if (source instanceof Uint8Array) return this.#seal([source], meta, options, () => undefined);
    // The stream is the seal's from here. Its error is listened for at once: one that comes while the
    // file is being created must fail this seal, not the process (an 'error' nobody listens to).
    let sourceError: { error: unknown } | undefined;
    const onError = (error: unknown) => {
      sourceError ??= { error };
    };
    source.on('error', onError);
    try {
      return await this.#seal(source, meta, options, () => sourceError);
    } catch (err) {
      // A seal that fails (bad metadata, a full disk) stops the source rather than leaving it to wait.
      source.destroy();
      throw sourceError?.error ?? err;
    } finally {
      source.off('error', onError);
    }
  }

  async #seal(
    source: AsyncIterable<unknown> | Iterable<unknown>,
    meta: PackageMeta,
    options: { now: Date; ttlMs?: number },
    sourceFailed: () => { error: unknown } | undefined,
  ): Promise<SealedPackage> {
    const { header, dataKey, iv, expiresAt } = newHeader(this.#keys, meta, options);

    const packageId = randomBytes(16).toString('base64url');
    const temporary = path.join(this.#folder, `.${packageId}.tmp`);
    await onDisk(() => mkdir(this.#folder, { recursive: true, mode: 0o700 }), 'create the vault folder');
    let handle: FileHandle | undefined;
    try {
      // 'wx': a name no one else holds; 0600 whatever the umask (it only removes bits, fchmod makes sure).
      handle = await onDisk(() => openFile(temporary, 'wx', 0o600), 'create the package file');
      const file = handle;
      await onDisk(() => file.chmod(0o600), 'restrict the package file');
      await writeAll(file, header);

      const plaintextHash = createHash('sha256');
      let sizeBytes = 0;
      let index = 0;
      // A full record is held back until more bytes come: only the end of the source says it is the final one.
      const record = Buffer.allocUnsafe(RECORD_SIZE);
      let filled = 0;
      try {
        for await (const raw of source) {
          const chunk = toBytes(raw);
          plaintextHash.update(chunk);
          sizeBytes += chunk.length;
          let offset = 0;
          while (offset < chunk.length) {
            if (filled === RECORD_SIZE) {
              if (index + 1 >= MAX_RECORDS) throw new OpendpoError('INVALID_INPUT', 'the access package is too large for one file');
              await writeAll(file, sealRecord(dataKey, iv, index, false, record));
              index += 1;
              filled = 0;
            }
            const n = Math.min(RECORD_SIZE - filled, chunk.length - offset);
            chunk.copy(record, filled, offset, offset + n);
            filled += n;
            offset += n;
          }
        }
        // A stream that failed before it was read may end its iteration without throwing: never a package of what came before.
        const failed = sourceFailed();
        if (failed !== undefined) throw failed.error;
        await writeAll(file, sealRecord(dataKey, iv, index, true, record.subarray(0, filled)));
      } finally {
        record.fill(0);
      }
      // On disk before it takes its name: a machine that stops now leaves no package, never a cut one.
      await onDisk(() => file.sync(), 'flush the package file');
      handle = undefined;
      await onDisk(() => file.close(), 'close the package file');
      await onDisk(() => rename(temporary, this.#file(packageId)), 'name the package file');
      await syncFolder(this.#folder);
      return { packageId, expiresAt: new Date(expiresAt).toISOString(), sizeBytes, sha256: plaintextHash.digest('hex') };
    } catch (err) {
      // The source's own error is the caller's, passed on as it is; ours are OpendpoErrors already.
      await handle?.close().catch(() => {});
      await rm(temporary, { force: true }).catch(() => {});
      throw err;
    }
  }

  /**
   * Opens a package for download. An expired one is refused and deleted (Art. 5(1)(e)); the header
   * (meta, dates) is authenticated before it is returned; the stream passes each record on only once
   * its tag verified.
   */
  async open(packageId: string, options: { now: Date }): Promise<OpenedPackage> {
    const file = this.#file(checkedId(packageId));
    const now = validTime(options.now, 'now');
    let handle: FileHandle;
    try {
      // O_NOFOLLOW: a link put in the folder does not make the vault read another file.
      handle = await openFile(file, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
    } catch (err) {
      throw errnoOf(err) === 'ENOENT' ? notFound() : new OpendpoError('STORE_UNAVAILABLE', `cannot read access package ${packageId} (${errnoOf(err)})`, undefined, { cause: err });
    }
    try {
      const { size } = await handle.stat();
      const head = await readAt(handle, 0, Math.min(size, MAX_HEADER_BYTES));
      const parsed = decodeHeader(head);
      if ('problem' in parsed) throw damaged(packageId, parsed.problem);
      const { header, length: headerLength } = parsed;
      // Expiry is read before the header is authenticated: an expired date only makes the vault
      // refuse and delete, which anyone able to change the file could do anyway; a package is only
      // served once the same date has been authenticated below. So a package sealed under a key since
      // dropped from the ring still goes at its time.
      if (now >= header.expiresAt) {
        await handle.close();
        await rm(file, { force: true });
        throw new OpendpoError('NOT_FOUND', 'this access package has expired and was deleted', { reason: 'expired' });
      }
      const { dataKey, meta } = authenticateHeader(this.#keys, head, parsed, `access package ${packageId}`);

      const layout = recordLayout(size - headerLength, header.recordSize);
      if (layout === undefined) throw damaged(packageId, 'it is cut short');
      const stream = Readable.from(decryptRecords(handle, headerLength, layout, header, dataKey, packageId), { objectMode: false });
      return {
        meta,
        sealedAt: new Date(header.sealedAt).toISOString(),
        expiresAt: new Date(header.expiresAt).toISOString(),
        sizeBytes: layout.plaintextBytes,
        stream,
      };
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
  }

  /** Deletes the packages past their time, and what seals that died left behind. */
  async sweep(options: { now: Date }): Promise<SweepResult> {
    const now = validTime(options.now, 'now');
    const result: SweepResult = { deleted: 0, abandonedTemporaryFiles: 0, unreadable: [] };
    let names: string[];
    try {
      names = await readdir(this.#folder);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return result;
      throw new OpendpoError('STORE_UNAVAILABLE', `cannot read the package vault folder (${errnoOf(err)})`, undefined, { cause: err });
    }
    for (const name of names.sort()) {
      const file = path.join(this.#folder, name);
      if (TEMPORARY_FILE.test(name)) {
        const info = await stat(file).catch(() => undefined);
        if (info !== undefined && now - info.mtimeMs >= ABANDONED_TEMPORARY_MS && (await removed(file))) result.abandonedTemporaryFiles += 1;
        continue;
      }
      const packageId = PACKAGE_FILE.exec(name)?.[1];
      if (packageId === undefined) continue;
      const expiresAt = await readExpiry(file);
      if (expiresAt === 'gone') continue;
      if (expiresAt === 'unreadable') {
        result.unreadable.push(packageId);
        continue;
      }
      if (now >= expiresAt && (await removed(file))) result.deleted += 1;
    }
    return result;
  }

  /** Deletes a package (downloaded, withdrawn). False if there was none. */
  async delete(packageId: string): Promise<boolean> {
    const file = this.#file(checkedId(packageId));
    const gone = await removed(file);
    if (gone) await syncFolder(this.#folder);
    return gone;
  }

  /** The id of the key new seals are made with (the ring's first). */
  get currentKeyId(): string {
    return this.#keys.currentId;
  }

  /**
   * Seals bytes held in memory into the format of a package file (the same keys, header, records
   * and checks) and returns them instead of writing a file: for what is kept with its own record
   * elsewhere, such as a request's attachments in the store (decision 0032).
   */
  sealBytes(plaintext: Uint8Array, meta: PackageMeta, options: { now: Date; ttlMs?: number }): Buffer {
    const { header, dataKey, iv } = newHeader(this.#keys, meta, options);
    const bytes = Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
    const records = Math.max(1, Math.ceil(bytes.length / RECORD_SIZE));
    if (records > MAX_RECORDS) throw new OpendpoError('INVALID_INPUT', 'the content is too large to seal');
    const sealed = [header];
    for (let index = 0; index < records; index += 1) {
      sealed.push(sealRecord(dataKey, iv, index, index === records - 1, bytes.subarray(index * RECORD_SIZE, (index + 1) * RECORD_SIZE)));
    }
    return Buffer.concat(sealed);
  }

  /**
   * Opens what sealBytes returned: the header authenticated, then every record, before any byte is
   * returned. Expired is NOT_FOUND (reason `expired`); `name` says what it is in errors.
   */
  openBytes(sealed: Uint8Array, options: { now: Date; name?: string }): OpenedBytes {
    const name = options.name ?? 'sealed content';
    const now = validTime(options.now, 'now');
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    const parsed = decodeHeader(bytes.subarray(0, MAX_HEADER_BYTES));
    if ('problem' in parsed) throw damagedContent(name, parsed.problem);
    const { header, length: headerLength } = parsed;
    if (now >= header.expiresAt) throw new OpendpoError('NOT_FOUND', `${name} has expired`, { reason: 'expired' });
    const { dataKey, meta } = authenticateHeader(this.#keys, bytes, parsed, name);
    const layout = recordLayout(bytes.length - headerLength, header.recordSize);
    if (layout === undefined) throw damagedContent(name, 'it is cut short');
    const plaintext = Buffer.alloc(layout.plaintextBytes);
    for (let index = 0, at = headerLength, filled = 0; index < layout.records; index += 1) {
      const final = index === layout.records - 1;
      const length = final ? layout.lastBytes : layout.recordSize + TAG_BYTES;
      const record = openRecord(dataKey, header.iv, index, final, bytes.subarray(at, at + length));
      if (record === undefined) {
        // Nothing of content that does not verify is handed out.
        plaintext.fill(0);
        throw damagedContent(name, `record ${index + 1} of ${layout.records} does not verify (changed, moved, or cut)`);
      }
      filled += record.copy(plaintext, filled);
      record.fill(0);
      at += length;
    }
    return { meta, keyId: header.keyId, sealedAt: new Date(header.sealedAt).toISOString(), expiresAt: new Date(header.expiresAt).toISOString(), plaintext };
  }

  #file(packageId: string): string {
    return path.join(this.#folder, `${packageId}.pkg`);
  }
}

// ---------------------------------------------------------------------------------------------
// The format: pure functions over bytes.

function deriveKeys(masterKey: Buffer, salt: Buffer): { dataKey: Buffer; commitment: Buffer } {
  const okm = Buffer.from(hkdfSync('sha256', masterKey, salt, HKDF_INFO, 32 + COMMITMENT_BYTES));
  return { dataKey: okm.subarray(0, 32), commitment: okm.subarray(32) };
}

/** A new header under the ring's current key (its tag included), and what the records are sealed with. */
function newHeader(keys: PackageKeyRing, meta: PackageMeta, options: { now: Date; ttlMs?: number }): { header: Buffer; dataKey: Buffer; iv: Buffer; expiresAt: number } {
  const metaBytes = encodeMeta(meta);
  const sealedAt = validTime(options.now, 'now');
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new OpendpoError('INVALID_INPUT', 'ttlMs must be a positive whole number of milliseconds');
  const expiresAt = sealedAt + ttlMs;
  validTime(new Date(expiresAt), 'now + ttlMs');

  const { id: keyId, key: masterKey } = keys.current;
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const { dataKey, commitment } = deriveKeys(masterKey, salt);
  const headerBody = encodeHeader({ version: FORMAT_VERSION, recordSize: RECORD_SIZE, sealedAt, expiresAt, keyId, salt, commitment, iv, meta: metaBytes });
  return { header: Buffer.concat([headerBody, sealHeader(dataKey, iv, headerBody)]), dataKey, iv, expiresAt };
}

/**
 * The data key and metadata of a decoded header, once the ring's key that sealed it is found, its
 * commitment matches and the header's tag verifies; `name` says what it is in errors.
 */
function authenticateHeader(keys: PackageKeyRing, head: Buffer, parsed: { header: Header; length: number }, name: string): { dataKey: Buffer; meta: PackageMeta } {
  const { header, length: headerLength } = parsed;
  const masterKey = keys.key(header.keyId);
  if (masterKey === undefined) {
    throw new OpendpoError('CONFIG_INVALID', `${name} was sealed under the package key "${header.keyId}", which the key ring no longer holds`);
  }
  const { dataKey, commitment } = deriveKeys(masterKey, header.salt);
  if (!timingSafeEqual(commitment, header.commitment)) {
    throw new OpendpoError('CONFIG_INVALID', `${name}: the key "${header.keyId}" of the key ring is not the key that sealed it (or its header is damaged)`);
  }
  if (!openHeader(dataKey, header.iv, head.subarray(0, headerLength - TAG_BYTES), head.subarray(headerLength - TAG_BYTES, headerLength))) {
    throw damagedContent(name, 'its header does not verify');
  }
  const meta = decodeMeta(header.meta);
  if (meta === undefined) throw damagedContent(name, 'its metadata is not what a package holds');
  return { dataKey, meta };
}

/** One record's plaintext once its tag verified; undefined (and nothing of it kept) otherwise. */
function openRecord(dataKey: Buffer, iv: Buffer, index: number, final: boolean, sealed: Buffer): Buffer | undefined {
  const decipher = createDecipheriv('aes-256-gcm', dataKey, nonce(iv, index, final ? NONCE_FLAG.final : NONCE_FLAG.record), { authTagLength: TAG_BYTES });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const plaintext = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
  try {
    decipher.final();
    return plaintext;
  } catch {
    // Unauthenticated bytes are wiped, never passed on.
    plaintext.fill(0);
    return undefined;
  }
}

/** The iv with the record number in bytes 7-10 and the flag in byte 11 XORed in (STREAM). */
function nonce(iv: Buffer, index: number, flag: number): Buffer {
  const n = Buffer.from(iv);
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(index);
  for (let i = 0; i < 4; i += 1) n[7 + i]! ^= counter[i]!;
  n[11]! ^= flag;
  return n;
}

function sealRecord(dataKey: Buffer, iv: Buffer, index: number, final: boolean, plaintext: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', dataKey, nonce(iv, index, final ? NONCE_FLAG.final : NONCE_FLAG.record), { authTagLength: TAG_BYTES });
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function sealHeader(dataKey: Buffer, iv: Buffer, headerBody: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', dataKey, nonce(iv, 0, NONCE_FLAG.header), { authTagLength: TAG_BYTES });
  cipher.setAAD(headerBody);
  cipher.final();
  return cipher.getAuthTag();
}

function openHeader(dataKey: Buffer, iv: Buffer, headerBody: Buffer, tag: Buffer): boolean {
  const decipher = createDecipheriv('aes-256-gcm', dataKey, nonce(iv, 0, NONCE_FLAG.header), { authTagLength: TAG_BYTES });
  decipher.setAAD(headerBody);
  decipher.setAuthTag(tag);
  try {
    decipher.final();
    return true;
  } catch {
    return false;
  }
}

function encodeHeader(h: Header): Buffer {
  const keyId = Buffer.from(h.keyId, 'latin1');
  const fixed = Buffer.alloc(FIXED_BYTES);
  let at = MAGIC.copy(fixed, 0);
  at = fixed.writeUInt8(h.version, at);
  at = fixed.writeUInt32BE(h.recordSize, at);
  at = fixed.writeBigUInt64BE(BigInt(h.sealedAt), at);
  at = fixed.writeBigUInt64BE(BigInt(h.expiresAt), at);
  fixed.writeUInt8(keyId.length, at);
  const metaLength = Buffer.alloc(4);
  metaLength.writeUInt32BE(h.meta.length);
  return Buffer.concat([fixed, keyId, h.salt, h.commitment, h.iv, metaLength, h.meta]);
}

/** The header at the start of `bytes` (not yet authenticated), and its length with its tag. */
function decodeHeader(bytes: Buffer): { header: Header; length: number } | { problem: string } {
  if (bytes.length < FIXED_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return { problem: 'it is not an access package' };
  let at = MAGIC.length;
  const version = bytes.readUInt8(at);
  if (version !== FORMAT_VERSION) return { problem: `it is in format version ${version}, which this opendpo does not read` };
  at += 1;
  const recordSize = bytes.readUInt32BE(at);
  at += 4;
  const sealedAt = Number(bytes.readBigUInt64BE(at));
  at += 8;
  const expiresAt = Number(bytes.readBigUInt64BE(at));
  at += 8;
  const keyIdLength = bytes.readUInt8(at);
  at += 1;
  if (recordSize < 1 || recordSize > MAX_RECORD_SIZE) return { problem: 'its record size is out of range' };
  const keyIdEnd = at + keyIdLength;
  const metaLengthAt = keyIdEnd + SALT_BYTES + COMMITMENT_BYTES + IV_BYTES;
  if (bytes.length < metaLengthAt + 4) return { problem: 'its header is cut short' };
  const keyId = bytes.toString('latin1', at, keyIdEnd);
  if (!KEY_ID_PATTERN.test(keyId)) return { problem: 'its key id is malformed' };
  const salt = bytes.subarray(keyIdEnd, keyIdEnd + SALT_BYTES);
  const commitment = bytes.subarray(keyIdEnd + SALT_BYTES, keyIdEnd + SALT_BYTES + COMMITMENT_BYTES);
  const iv = bytes.subarray(metaLengthAt - IV_BYTES, metaLengthAt);
  const metaLength = bytes.readUInt32BE(metaLengthAt);
  if (metaLength > MAX_META_BYTES) return { problem: 'its metadata is too long' };
  const length = metaLengthAt + 4 + metaLength + TAG_BYTES;
  if (bytes.length < length) return { problem: 'its header is cut short' };
  const meta = bytes.subarray(metaLengthAt + 4, metaLengthAt + 4 + metaLength);
  return { header: { version, recordSize, sealedAt, expiresAt, keyId, salt, commitment, iv, meta }, length };
}

interface RecordLayout {
  recordSize: number;
  /** At least one: an empty package is one empty final record. */
  records: number;
  /** Ciphertext and tag of the last record. */
  lastBytes: number;
  plaintextBytes: number;
}

/** How the bytes after the header divide into records; undefined if they cannot be a package's. */
function recordLayout(bodyBytes: number, recordSize: number): RecordLayout | undefined {
  const full = recordSize + TAG_BYTES;
  const records = Math.max(1, Math.ceil(bodyBytes / full));
  const lastBytes = bodyBytes - (records - 1) * full;
  if (lastBytes < TAG_BYTES || records > MAX_RECORDS) return undefined;
  return { recordSize, records, lastBytes, plaintextBytes: bodyBytes - records * TAG_BYTES };
}

// Control characters (C0 and DEL) in a file name or header value are never meant; the rule would forbid writing them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTENT_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;[ -~]*)?$/i;

function encodeMeta(meta: PackageMeta): Buffer {
  const problem = metaProblem(meta);
  if (problem !== undefined) throw new OpendpoError('INVALID_INPUT', `access package metadata: ${problem}`);
  const { organisationId, requestId, filename, contentType } = meta;
  return Buffer.from(JSON.stringify({ organisationId, requestId, filename, contentType }), 'utf8');
}

function metaProblem(meta: PackageMeta): string | undefined {
  for (const name of ['organisationId', 'requestId', 'filename', 'contentType'] as const) {
    const value: unknown = meta[name];
    if (typeof value !== 'string' || value === '' || value.length > 255) return `${name} must be a text of 1 to 255 characters`;
    if (CONTROL.test(value)) return `${name} must not contain control characters`;
  }
  // The name a browser saves the download under: never a path.
  if (/[/\\]/.test(meta.filename) || meta.filename === '.' || meta.filename === '..') return 'filename must be a file name, not a path';
  if (!CONTENT_TYPE.test(meta.contentType)) return 'contentType must be a media type (type/subtype)';
  return undefined;
}

function decodeMeta(bytes: Buffer): PackageMeta | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const meta = value as PackageMeta;
  return metaProblem(meta) === undefined ? { organisationId: meta.organisationId, requestId: meta.requestId, filename: meta.filename, contentType: meta.contentType } : undefined;
}

// ---------------------------------------------------------------------------------------------
// The file system.

async function* decryptRecords(handle: FileHandle, start: number, layout: RecordLayout, header: Header, dataKey: Buffer, packageId: string): AsyncGenerator<Buffer> {
  try {
    for (let index = 0; index < layout.records; index += 1) {
      const final = index === layout.records - 1;
      const length = final ? layout.lastBytes : layout.recordSize + TAG_BYTES;
      const sealed = await readAt(handle, start + index * (layout.recordSize + TAG_BYTES), length);
      if (sealed.length !== length) throw damaged(packageId, `record ${index + 1} is cut short`);
      const plaintext = openRecord(dataKey, header.iv, index, final, sealed);
      if (plaintext === undefined) throw damaged(packageId, `record ${index + 1} of ${layout.records} does not verify (changed, moved, or the file was cut)`);
      if (plaintext.length > 0) yield plaintext;
    }
  } finally {
    await handle.close().catch(() => {});
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await onDisk(() => handle.write(bytes, written, bytes.length - written), 'write the package file');
    written += bytesWritten;
  }
}

/** A package's expiry from its fixed header, for sweep; unauthenticated, which is enough to delete. */
async function readExpiry(file: string): Promise<number | 'unreadable' | 'gone'> {
  let handle: FileHandle;
  try {
    handle = await openFile(file, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
  } catch (err) {
    return errnoOf(err) === 'ENOENT' ? 'gone' : 'unreadable';
  }
  try {
    const parsed = decodeHeader(await readAt(handle, 0, MAX_HEADER_BYTES));
    return 'problem' in parsed ? 'unreadable' : parsed.header.expiresAt;
  } catch {
    return 'unreadable';
  } finally {
    await handle.close().catch(() => {});
  }
}

/** Removes a file; false if it was not there (another sweep, a delete, got there first). */
async function removed(file: string): Promise<boolean> {
  try {
    await rm(file);
    return true;
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return false;
    throw new OpendpoError('STORE_UNAVAILABLE', `cannot delete from the package vault (${errnoOf(err)})`, undefined, { cause: err });
  }
}

/** A rename or unlink lasts once the folder is flushed; where folders cannot be (some systems), nothing more can be done. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await openFile(folder, 'r').catch(() => undefined);
  if (handle === undefined) return;
  await handle.sync().catch(() => {});
  await handle.close().catch(() => {});
}

async function onDisk<T>(step: () => Promise<T>, what: string): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw new OpendpoError('OUTPUT_FAILED', `cannot ${what} in the package vault (${errnoOf(err)}); no package was stored`, undefined, { cause: err });
  }
}

function toBytes(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new OpendpoError('INVALID_INPUT', 'an access package is made of bytes: the source gave something else');
}

function checkedId(packageId: string): string {
  // Checked before any path is built: an id is 22 url-safe characters, never "..", "/" or a name of ours.
  if (typeof packageId !== 'string' || !PACKAGE_ID_PATTERN.test(packageId)) throw new OpendpoError('INVALID_INPUT', 'not an access package id');
  return packageId;
}

function validTime(date: Date, name: string): number {
  const t = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isSafeInteger(t) || t < 0) throw new OpendpoError('INVALID_INPUT', `${name} must be a valid date after 1970`);
  return t;
}

const notFound = () => new OpendpoError('NOT_FOUND', 'no such access package (it may have been downloaded, withdrawn or expired)');

/** Not the person's fault nor fixable by them: a 500 whose message is safe to show (it names no one). */
const damaged = (packageId: string, problem: string) => damagedContent(`access package ${packageId}`, problem);
const damagedContent = (name: string, problem: string) => new OpendpoError('INTERNAL', `${name} cannot be opened: ${problem}`);

const errnoOf = (err: unknown): string => (err as NodeJS.ErrnoException | undefined)?.code ?? 'error';
