/**
 * The staff console (web/console, built into dist/web/console at install): its files at /console/,
 * and index.html for every other path under it, so that a link into the app (a request's page)
 * opens it. The console calls only the API; these routes hand out files and hold no data.
 *
 * Its Content-Security-Policy allows its own scripts, styles and API and nothing else: no inline
 * script, no other origin, no framing.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodApp } from '../route-context.js';

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/web/console, from dist/src/http/routes (the build) or src/http/routes (tests run the sources). */
export function builtWebFolder(name: 'console' | 'privacy-center'): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, '../../../..') : path.resolve(here, '../../..');
  return path.join(root, 'dist', 'web', name);
}

export async function addConsoleRoutes(app: ZodApp, folder = builtWebFolder('console')): Promise<void> {
  const indexFile = path.join(folder, 'index.html');
  if (!existsSync(indexFile)) {
    // The API works without the console; say why the console is missing rather than answer 404.
    app.get('/console/*', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('The console is not built: run npm run build (npm ci does it).'),
    );
    return;
  }
  const index = readFileSync(indexFile);
  const page = { schema: { hide: true }, config: { access: 'public' as const } };
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', CONSOLE_CSP);
      return payload;
    });
    // The files are sent by our own routes (serve: false), so that each declares its access like every route.
    await scope.register(fastifyStatic, { serve: false, root: folder });
    const sendIndex = async (_request: FastifyRequest, reply: FastifyReply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(index);
    scope.get('/console', page, async (_request, reply) => reply.redirect('/console/', 301));
    scope.get('/console/', page, sendIndex);
    // Hashed names under assets/ never change: cached for a year. send() refuses a path out of the folder.
    scope.get<{ Params: { file: string } }>('/console/assets/:file', page, async (request, reply) =>
      reply.sendFile(`assets/${request.params.file}`, folder, { maxAge: 365 * 24 * 3600 * 1000, immutable: true }),
    );
    scope.get('/console/*', page, sendIndex);
  });
}
