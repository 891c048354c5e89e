/**
 * The one place errors become HTTP responses: an OpendpoError keeps its code and message and gets
 * its status from the catalogue; invalid input names the parameter; anything else is a 500 with
 * a correlation id (the request id, to find the details in the log), never a stack or SQL.
 */
import { loggableError } from '../errors/loggable-error.js';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
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
  request.log.error({ err: loggableError(err) }, 'unexpected error');
  return reply.code(500).send(presentError('INTERNAL', `internal error (correlation id ${request.id})`, String(request.id)));
}

/** The longest path parameter the router takes (Fastify's maxParamLength): ids are short here. */
export const MAX_PARAM_LENGTH = 200;

/**
 * Errors Fastify meets before a route is chosen (a path that is not a valid URL, a path parameter
 * over MAX_PARAM_LENGTH): in our error format, never echoing the path, which may carry what a
 * visitor typed or an attacker's payload.
 */
export function handleFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return reply.code(414).send(presentError('INVALID_INPUT', `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`));
  }
  if (err.code === 'FST_ERR_BAD_URL') return reply.code(400).send(presentError('INVALID_INPUT', 'the path is not a valid URL'));
  return reply.code(400).send(presentError('INVALID_INPUT', 'the request is malformed'));
}

/**
 * Errors Node's HTTP parser meets before there is a request (headers or request line over
 * maxHeaderSize, a request that is not HTTP, a client too slow): answered in our error format,
 * then the connection closed, as Node does by default. Nothing of the request is repeated.
 */
export function handleClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  // A connection reset has nothing to answer (https://nodejs.org/api/http.html#event-clienterror).
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, `the request line and headers are larger than ${maxHeaderSize / 1024} KB`]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request did not arrive in time']
        : [400, 'the request is malformed'];
  const body = JSON.stringify(presentError('INVALID_INPUT', message));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}
