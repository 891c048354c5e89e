/**
 * Secret references resolve to their value only when needed, and every failure names the
 * reference and its purpose, never a value.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSecretRef, resolveSecret, resolveValue } from '../../src/dataset/secrets.js';
import { OpendpoError } from '../../src/errors/opendpo-error.js';
import { datasetsFolder } from './temp-datasets.js';

const purpose = 'the url of connection "shop" (datasets/connections.yaml:4:10)';

async function refusal(p: Promise<unknown>): Promise<OpendpoError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpendpoError);
  expect((err as OpendpoError).code).toBe('CONFIG_INVALID');
  return err as OpendpoError;
}

describe('resolveSecret', () => {
  it('reads an environment variable', async () => {
    expect(await resolveSecret({ env: 'SHOP_URL' }, { purpose, env: { SHOP_URL: 'postgres://u:p@h/db' } })).toBe('postgres://u:p@h/db');
  });

  it('names a missing or empty variable and the purpose', async () => {
    expect((await refusal(resolveSecret({ env: 'SHOP_URL' }, { purpose, env: {} }))).message).toBe(`the environment variable SHOP_URL is not set (${purpose})`);
    expect((await refusal(resolveSecret({ env: 'SHOP_URL' }, { purpose, env: { SHOP_URL: '  ' } }))).message).toBe(`the environment variable SHOP_URL is empty (${purpose})`);
  });

  it('reads a file, without its one trailing newline', async () => {
    const dir = await datasetsFolder({ 'key': 'k3y-value\n', 'crlf': 'line one\r\n', 'two': 'x\n\n' });
    expect(await resolveSecret({ file: path.join(dir, 'key') }, { purpose })).toBe('k3y-value');
    expect(await resolveSecret({ file: path.join(dir, 'crlf') }, { purpose })).toBe('line one');
    expect(await resolveSecret({ file: path.join(dir, 'two') }, { purpose })).toBe('x\n');
  });

  it('names a missing, empty, oversized or binary file, never its content', async () => {
    const dir = await datasetsFolder({ empty: '\n', binary: Buffer.from([0x73, 0x65, 0xff, 0xfe]) });
    await writeFile(path.join(dir, 'huge'), 'secret-content'.repeat(10_000));
    const missing = path.join(dir, 'nope');
    expect((await refusal(resolveSecret({ file: missing }, { purpose }))).message).toBe(`cannot read the secret file ${missing}: it does not exist (${purpose})`);
    expect((await refusal(resolveSecret({ file: path.join(dir, 'empty') }, { purpose }))).message).toBe(`the secret file ${path.join(dir, 'empty')} is empty (${purpose})`);
    const huge = await refusal(resolveSecret({ file: path.join(dir, 'huge') }, { purpose }));
    expect(huge.message).toBe(`the secret file ${path.join(dir, 'huge')} is 140000 bytes; a secret is at most 65536 bytes (${purpose})`);
    expect(huge.message).not.toContain('secret-content');
    expect((await refusal(resolveSecret({ file: path.join(dir, 'binary') }, { purpose }))).message).toBe(`the secret file ${path.join(dir, 'binary')} is not UTF-8 text (${purpose})`);
    expect((await refusal(resolveSecret({ file: dir }, { purpose }))).message).toBe(`cannot read the secret file ${dir} (EISDIR) (${purpose})`);
  });
});

describe('resolveValue and describeSecretRef', () => {
  it('passes a written-out value through and resolves a reference', async () => {
    expect(await resolveValue('sqlite:shop.db', { purpose })).toBe('sqlite:shop.db');
    expect(await resolveValue({ env: 'A' }, { purpose, env: { A: 'value' } })).toBe('value');
  });

  it('names a reference without its value', () => {
    expect(describeSecretRef({ env: 'SHOP_HMAC_KEY' })).toBe('environment variable SHOP_HMAC_KEY');
    expect(describeSecretRef({ file: '/run/secrets/key' })).toBe('file /run/secrets/key');
  });
});
