/**
 * The shared signing secret of an HTTP connection, read where connections.yaml points (an
 * environment variable or a file, e.g. a mounted secret) by the datasets' own secret reader, and
 * checked to be long enough. Errors name the variable or the file and the connection, never the
 * value (Art. 32).
 */
import type { SecretRef } from '../../dataset/model.js';
import { describeSecretRef, resolveSecret } from '../../dataset/secrets.js';
import { OpendpoError } from '../../errors/opendpo-error.js';

/** HMAC-SHA-256 keys shorter than this are guessable; 32 bytes is the hash's own strength. */
export const MIN_SECRET_BYTES = 32;

export async function resolveSigningSecret(ref: SecretRef, connection: string): Promise<string> {
  const value = await resolveSecret(ref, { purpose: `the signing secret of connection ${connection}` });
  if (Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES) {
    throw new OpendpoError('CONFIG_INVALID', `the signing secret of connection ${connection} (${describeSecretRef(ref)}) is shorter than ${MIN_SECRET_BYTES} bytes`);
  }
  return value;
}
