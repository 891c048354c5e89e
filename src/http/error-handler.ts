/**
 * The one place errors become HTTP responses: an OpendpoError keeps its code and message and gets
 * its status from the catalogue; invalid input names the parameter; anything else is a 500 with
 * a correlation id (the request id, to find the details in the log), never a stack or SQL.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isOpendpoError } from '../errors/opendpo-error.js';
import { presentError } from './presenters/error-presenter.js';

const PLACE: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  headers: 'header',
  body: 'body field',
};

export function handleError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isOpendpoError(err)) {
    if (err.status >= 500) request.log.error({ code: err.code }, 'request failed');
    return reply.code(err.status).send(presentError(err.code, err.message));
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const place = PLACE[(err as { validationContext?: string }).validationContext ?? ''] ?? 'parameter';
    const messages = err.validation.map((v) => {
      const name = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      return `${place} ${name ? `"${name}" ` : ''}${v.message ?? 'is invalid'}`;
    });
    return reply.code(400).send(presentError('INVALID_INPUT', messages.join('; ')));
  }
  // Fastify's own client errors (malformed URL, unsupported media type, body too large).
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return reply.code(err.statusCode).send(presentError('INVALID_INPUT', 'the request is malformed'));
  }
  request.log.error({ err }, 'unexpected error');
  return reply.code(500).send(presentError('INTERNAL', `internal error (correlation id ${request.id})`, String(request.id)));
}
