/**
 * Reads the shared signing secret (and a confidential base URL) from where connections.yaml points:
 * an environment variable or a file (e.g. a mounted Kubernetes secret), never the YAML itself.
 * Errors name the variable or the file and the connection, never the value (Art. 32).
 */
import { readFileSync } from 'node:fs';
import type { SecretRef } from '../../dataset/model.js';
import { OpendpoError } from '../../errors/opendpo-error.js';

/** HMAC-SHA-256 keys shorter than this are guessable; 32 bytes is the hash's own strength. */
export const MIN_SECRET_BYTES = 32;

/** The value a reference points at; `purpose` says what it is for in the error. */
export function resolveSecretRef(ref: SecretRef, purpose: string): string {
  if ('env' in ref) {
    const raw = process.env[ref.env];
    if (raw === undefined || raw.trim() === '') throw new OpendpoError('CONFIG_INVALID', `${purpose}: the environment variable ${ref.env} is not set`);
    return raw;
  }
  let value: string;
  try {
    // A trailing newline is what editors and `echo` add; it is not part of the secret.
    value = readFileSync(ref.file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new OpendpoError('CONFIG_INVALID', `${purpose}: cannot read the file ${ref.file}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  if (value.trim() === '') throw new OpendpoError('CONFIG_INVALID', `${purpose}: the file ${ref.file} is empty`);
  return value;
}

export function resolveSigningSecret(ref: SecretRef, connection: string): string {
  const value = resolveSecretRef(ref, `the signing secret of connection ${connection}`);
  if (Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES) {
    const where = 'env' in ref ? `environment variable ${ref.env}` : `file ${ref.file}`;
    throw new OpendpoError('CONFIG_INVALID', `the signing secret of connection ${connection} (${where}) is shorter than ${MIN_SECRET_BYTES} bytes`);
  }
  return value;
}
