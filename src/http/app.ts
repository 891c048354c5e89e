/**
 * The HTTP server: Fastify with zod schemas on every route (validation, and the OpenAPI
 * document generated from them), one error handler, and one log line per request that says
 * what happened without saying who asked for what (no query strings, no bodies).
 */
import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config/config.js';
import type { Store } from '../store/open-store.js';
import { VERSION } from '../version.js';
import { handleClientError, handleError, handleFrameworkError, MAX_PARAM_LENGTH } from './error-handler.js';
import { NoticeCache, type NoticeCacheOptions } from './notice-cache.js';
import { presentError } from './presenters/error-presenter.js';
import type { RouteContext, ZodApp } from './route-context.js';
import { addHealthRoutes } from './routes/health.js';
import { addOpenApiRoute } from './routes/openapi.js';
import { addOrganisationRoutes } from './routes/organisations.js';
import { addPrivacyNoticeRoutes } from './routes/privacy-notice.js';

export interface BuildAppOptions {
  config: Pick<Config, 'logLevel'>;
  store: Store;
  /** The organisation /privacy-notice serves without ?org= (default: the first one published). */
  defaultOrganisation?: string | undefined;
  /** Where logs go (default stderr); tests pass their own stream or set the level to silent. */
  logStream?: NodeJS.WritableStream;
  /** How the notices are kept (default: the latest version asked of the store at most once a second). */
  notices?: NoticeCacheOptions;
}

export async function buildApp({ config, store, defaultOrganisation, logStream, notices }: BuildAppOptions): Promise<ZodApp> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, stream: logStream ?? process.stderr },
    // Fastify's own request logs carry the URL with its query string: we log our own line instead.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Ids are short here; a long path parameter is an attack or a mistake.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // What Fastify and Node refuse before a route runs (a long path parameter, oversized headers)
    // answers in the same error format as the rest, without repeating the path.
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: handleClientError,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  // The path is not repeated: it may carry what a visitor typed (/requests/alice@example.com), and
  // an error answer ends up in logs and screenshots. The method is one of the few Node's parser takes.
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(presentError('NOT_FOUND', `no endpoint answers ${request.method} at this path: the endpoints are listed in /openapi.json`));
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, route: request.routeOptions.url ?? '(no route)', status: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'opendpo',
        version: VERSION,
        description: 'The published register of processing activities (Art. 30 GDPR), its lint findings, and the privacy notice generated from it (Art. 13-14).',
      },
      tags: [
        { name: 'notice', description: 'The privacy notice' },
        { name: 'register', description: 'Published registers of processing activities' },
        { name: 'operations', description: 'Health' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  const context: RouteContext = { store, defaultOrganisation, notices: new NoticeCache(store, defaultOrganisation, notices) };
  addHealthRoutes(app, context);
  addPrivacyNoticeRoutes(app, context);
  addOrganisationRoutes(app, context);
  addOpenApiRoute(app);
  await app.ready();
  return app;
}
