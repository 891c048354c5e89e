/**
 * An access or portability package as an HTTP answer, to the person or to the controller that
 * forwarded the request: saved, never shown, never cached (a copy of a person's data), streamed as
 * it is decrypted and verified record by record (decision 0029).
 */
import type { FastifyReply } from 'fastify';
import type { OpenedPackage } from '../desk/package-vault/package-vault.js';

export function sendPackage(reply: FastifyReply, opened: OpenedPackage): FastifyReply {
  return reply
    .header('content-type', opened.meta.contentType)
    .header('content-length', String(opened.sizeBytes))
    .header('content-disposition', `attachment; filename="${opened.meta.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    .header('cache-control', 'no-store')
    .send(opened.stream);
}
