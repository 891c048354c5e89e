/**
 * Secret references ({ env } or { file }) resolved at the moment a value is needed: a database URL
 * with its password, an HMAC masking key, a signing key. Errors name the reference (the variable
 * or the file) and what it is for, never the value (Art. 32).
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { SecretRef } from './model.js';

/** A secret is a key or a URL: a file larger than this is not one. */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

export interface ResolveSecretOptions {
  /** What the value is for, for the error message, e.g. 'the url of connection "shop" (datasets/connections.yaml:4:5)'. */
  purpose: string;
  /** The environment to read (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The secret's value. A file secret loses one trailing newline (as written by `echo` or a secret mount). */
export async function resolveSecret(ref: SecretRef, options: ResolveSecretOptions): Promise<string> {
  const refused = (message: string, cause?: unknown) =>
    new OpendpoError('CONFIG_INVALID', `${message} (${options.purpose})`, undefined, cause === undefined ? undefined : { cause });
  if ('env' in ref) {
    const value = (options.env ?? process.env)[ref.env];
    if (value === undefined) throw refused(`the environment variable ${ref.env} is not set`);
    if (value.trim() === '') throw refused(`the environment variable ${ref.env} is empty`);
    return value;
  }
  const file = path.resolve(ref.file);
  let bytes: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_SECRET_FILE_BYTES) throw refused(`the secret file ${file} is ${size} bytes; a secret is at most ${MAX_SECRET_FILE_BYTES} bytes`);
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof OpendpoError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw refused(`cannot read the secret file ${file}${code === 'ENOENT' ? ': it does not exist' : code ? ` (${code})` : ''}`, err);
  }
  let value: string;
  try {
    value = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw refused(`the secret file ${file} is not UTF-8 text`);
  }
  value = value.replace(/\r?\n$/, '');
  if (value.trim() === '') throw refused(`the secret file ${file} is empty`);
  return value;
}

/** A value that is written out (holding nothing secret) or a secret reference. */
export function resolveValue(value: string | SecretRef, options: ResolveSecretOptions): Promise<string> {
  return typeof value === 'string' ? Promise.resolve(value) : resolveSecret(value, options);
}

/** How a secret reference is named in messages and plans: the variable or the file, never the value. */
export function describeSecretRef(ref: SecretRef): string {
  return 'env' in ref ? `environment variable ${ref.env}` : `file ${ref.file}`;
}
