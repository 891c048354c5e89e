/**
 * Rotating the package key without losing the originals attached to requests (decision 0032): with
 * the new key first and the old one still in the ring, `resealAttachments` (and `opendpo attachments
 * reseal`) seals each again under the new key; the old key can then be dropped and every original
 * still opens, byte for byte. On SQLite and PostgreSQL stores; each re-seal is in the audit log.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAttachment } from '../../src/desk/attachments/check-attachment.js';
import { resealAttachments } from '../../src/desk/attachments/seal-attachments.js';
import { Desk } from '../../src/desk/desk.js';
import { PackageKeyRing } from '../../src/desk/package-vault/package-key.js';
import { PackageVault } from '../../src/desk/package-vault/package-vault.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';

const ORG = 'acme-boutique';
const OLD = { id: 'k2025', key: randomBytes(32) };
const NEW = { id: 'k2026', key: randomBytes(32) };
const ring = (...keys: { id: string; key: Buffer }[]) => PackageKeyRing.of(keys);
const pdf = () => Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1'), randomBytes(70_000), Buffer.from('\n%%EOF\n')]);
const text = () => Buffer.from(`Madame, Monsieur,\nje demande l'accès à mes données.\n${randomBytes(8).toString('hex')}\n`, 'utf8');

describe.each([sqliteCase(), postgresCase()])('re-sealing the originals on $name', (dialect) => {
  let store: Store;
  let location: Awaited<ReturnType<typeof dialect.setUp>>;
  const vault = (keys: PackageKeyRing) => new PackageVault({ folder: '/nonexistent-not-used', keys });
  const files: Buffer[] = [];
  const ids: string[] = [];

  beforeAll(async () => {
    if (!dialect.available) return;
    location = await dialect.setUp();
    store = await openStore(location);
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    const desk = new Desk({ store, vault: vault(ring(OLD)) });
    for (const email of ['a@example.org', 'b@example.org']) {
      const content = [pdf(), text()];
      files.push(...content);
      const submitted = await desk.submit({
        organisationId: ORG,
        details: { type: 'access' },
        identities: [{ type: 'email', value: email }],
        language: 'fr',
        channel: 'post',
        actor: 'staff:test',
        attachments: content.map((c, i) => checkAttachment({ filename: `lettre-${i}.bin`, content: c }, i + 1)),
      });
      ids.push(submitted.request.request.id);
    }
  });
  afterAll(async () => {
    await store?.close();
    await dialect.tearDown();
  });

  const openAll = async (keys: PackageKeyRing) => {
    const desk = new Desk({ store, vault: vault(keys) });
    const out: Buffer[] = [];
    for (const id of ids) for (const seq of [1, 2]) out.push((await desk.openAttachment(ORG, id, seq, 'staff:test')).content);
    return out;
  };

  it.runIf(dialect.available)('seals every original again under the new key, so that the old key can be dropped', async () => {
    // Without the old key, nothing opens: the originals were sealed under it.
    await expect(openAll(ring(NEW))).rejects.toThrow(/no longer holds|not the key/);
    const first = await resealAttachments(store, vault(ring(NEW, OLD)), new Date(), 'cli:test');
    expect(first).toEqual({ checked: 4, resealed: 4, current: 0 });
    expect(await openAll(ring(NEW))).toEqual(files);
    // Done once: a second run finds them all under the current key.
    expect(await resealAttachments(store, vault(ring(NEW, OLD)), new Date(), 'cli:test')).toEqual({ checked: 4, resealed: 0, current: 4 });
    const resealed = [];
    for await (const e of store.audit.entries(ORG)) if (e.action === 'request.attachment_resealed') resealed.push(e);
    expect(resealed).toHaveLength(4);
    expect(resealed[0]!.detail).toMatchObject({ from_key: 'k2025', to_key: 'k2026' });
    expect(JSON.stringify(resealed)).not.toContain('lettre');
    expect((await store.audit.verify(ORG)).problems).toEqual([]);
  });

  it.runIf(dialect.available)('is opendpo attachments reseal, which prints counts', async () => {
    const newer = { id: 'k2027', key: randomBytes(32) };
    const env = {
      DATABASE_URL: location.kind === 'sqlite' ? `sqlite:${location.file}` : location.url,
      OPENDPO_PACKAGE_KEY: `${newer.id}:${newer.key.toString('base64')},${NEW.id}:${NEW.key.toString('base64')}`,
    };
    await store.close();
    const run = await runCli(['attachments', 'reseal'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('4 attachment(s): 4 sealed again under key k2027, 0 already under it\n');
    store = await openStore(location);
    expect(await openAll(ring(newer))).toEqual(files);
  });
});
