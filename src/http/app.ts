/**
 * The HTTP server: Fastify with zod schemas on every route (validation, and the OpenAPI
 * document generated from them), one error handler, and one log line per request that says
 * what happened without saying who asked for what (no query strings, no bodies).
 */
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config/config.js';
import { Desk } from '../desk/desk.js';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { Mailer } from '../mail/mailer.js';
import type { PackageVault } from '../desk/package-vault/package-vault.js';
import type { Store } from '../store/open-store.js';
import { VERSION } from '../version.js';
import { addAuth } from './auth.js';
import { addHttpMetricsHook, createHttpMetrics } from './metrics.js';
import { handleClientError, handleError, handleFrameworkError, MAX_PARAM_LENGTH } from './error-handler.js';
import { NoticeCache, type NoticeCacheOptions } from './notice-cache.js';
import { presentError } from './presenters/error-presenter.js';
import type { RouteContext, ZodApp } from './route-context.js';
import { addAuditRoutes } from './routes/audit.js';
import { addConsoleRoutes } from './routes/console.js';
import { addControllerRequestRoutes } from './routes/controller-requests.js';
import { addDeskAttachmentRoutes, ATTACHMENT_FORM_LIMITS } from './routes/desk-attachments.js';
import { addDeskReportRoutes } from './routes/desk-report.js';
import { addHealthRoutes } from './routes/health.js';
import { addMetricsRoutes } from './routes/metrics.js';
import { addOpenApiRoute } from './routes/openapi.js';
import { addDeskRequestRoutes } from './routes/desk-requests.js';
import { addOrganisationRoutes } from './routes/organisations.js';
import { addPrivacyCenterRoutes } from './routes/privacy-center.js';
import { addPrivacyNoticeRoutes } from './routes/privacy-notice.js';
import { addPublicRequestRoutes } from './routes/public-requests.js';
import { addRecipientNoticeRoutes } from './routes/recipient-notices.js';
import { addSessionRoutes } from './routes/session.js';
import { addStaffRoutes } from './routes/staff.js';
import { addSystemsRoutes } from './routes/systems.js';
import { addDeskPlanRoutes } from './routes/desk-plan.js';
import { addDeskDownloadLinkRoutes } from './routes/desk-download-link.js';
import { addDeskStatusKeyRoutes } from './routes/desk-status-key.js';
import { addRegisterPublishRoutes } from './routes/register-publish.js';
import type { WorkerSource } from '../desk/worker/request-worker.js';

export interface BuildAppOptions {
  config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'publicRateLimit' | 'timeZone' | 'trustProxy' | 'targetTimeoutMs' | 'publicUrl'>>;
  store: Store;
  /** The organisation /privacy-notice serves without ?org= (default: the first one published). */
  defaultOrganisation?: string | undefined;
  /** Where logs go (default stderr); tests pass their own stream or set the level to silent. */
  logStream?: NodeJS.WritableStream;
  /** How the notices are kept (default: the latest version asked of the store at most once a second). */
  notices?: NoticeCacheOptions;
  /** How codes and letters are sent (none: requests are received, codes cannot be sent). */
  mailer?: Mailer | undefined;
  /** The clock (tests move it). */
  now?: () => Date;
  /** Where access packages wait for their download. */
  vault?: PackageVault | undefined;
  /** The desk, when the caller shares it with a worker (default: one made here). */
  desk?: Desk;
  /** The datasets the worker runs requests on (the Systems page, a request's dry run; default none). */
  sources?: readonly WorkerSource[];
  /** The register folders the server was started with, which publishing publishes (default none). */
  registerFolders?: readonly string[];
}

export async function buildApp({ config, store, defaultOrganisation, logStream, notices, mailer, vault, desk: given, sources = [], registerFolders = [], now = () => new Date() }: BuildAppOptions): Promise<ZodApp> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, stream: logStream ?? process.stderr },
    // Fastify's own request logs carry the URL with its query string: we log our own line instead.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    // Behind a reverse proxy the visitor's address and scheme come from its X-Forwarded-* headers, from
    // the proxies configured only (OPENDPO_TRUST_PROXY): the rate limits count each visitor, not the proxy.
    ...(config.trustProxy === undefined ? {} : { trustProxy: trustedProxies(config.trustProxy) }),
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
    // HSTS only where it means something: a browser ignores it over plain HTTP, and a local install is plain HTTP.
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
  // Security headers on every answer: the API is JSON, no page may frame it; pages set their own CSP.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"] } },
    hsts: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  await app.register(fastifyCookie);
  // Limits are set per public route (config.rateLimit); staff routes are behind a sign-in.
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => new OpendpoError('RATE_LIMITED', `too many requests from this address: at most ${context.max} a minute here; try again in ${Math.ceil(context.ttl / 1000)} s`),
  });
  addAuth(app, store, now);
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, route: request.routeOptions.url ?? '(no route)', status: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
  });
  const metrics = createHttpMetrics();
  addHttpMetricsHook(app, metrics);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'opendpo',
        version: VERSION,
        description: 'The published register of processing activities (Art. 30 GDPR), its lint findings, and the privacy notice generated from it (Art. 13-14).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'opendpo_session', description: 'Staff session (POST /api/v1/session); changes also carry the x-csrf-token header' },
          token: { type: 'http', scheme: 'bearer', description: 'API token (opendpo user token): odp_…' },
        },
      },
      tags: [
        { name: 'notice', description: 'The privacy notice' },
        { name: 'register', description: 'Published registers of processing activities' },
        { name: 'requests', description: 'Requests of data subjects (public): submit, confirm identity, follow' },
        { name: 'desk', description: 'The request desk (staff): queue, decisions, history' },
        { name: 'controller', description: 'Requests a controller forwards to us as its processor (Art. 28(3)(e)), in our shape and the Data Rights Protocol\'s' },
        { name: 'audit', description: 'The hash-chained audit log (staff): read and verify' },
        { name: 'session', description: 'Staff sign-in' },
        { name: 'staff', description: 'Staff accounts and API tokens (admins)' },
        { name: 'systems', description: 'The systems requests run on (datasets), and their check against their databases' },
        { name: 'operations', description: 'Health and metrics' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  const desk = given ?? new Desk({ store, mailer, vault, timeZone: config.timeZone, publicUrl: config.publicUrl, now });
  const context: RouteContext = {
    store,
    defaultOrganisation,
    notices: new NoticeCache(store, defaultOrganisation, notices),
    desk,
    publicRateLimit: config.publicRateLimit ?? 60,
    now,
    timeZone: config.timeZone,
    metrics,
    sources,
    registerFolders,
    targetTimeoutMs: config.targetTimeoutMs,
  };
  addHealthRoutes(app, context);
  addPrivacyNoticeRoutes(app, context);
  addOrganisationRoutes(app, context);
  addSessionRoutes(app, context);
  addPublicRequestRoutes(app, context);
  addDeskRequestRoutes(app, context);
  // Multipart bodies are parsed only where staff attach a request's originals, within limits
  // (decision 0032); every other route still refuses one (415).
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, { limits: ATTACHMENT_FORM_LIMITS });
    addDeskAttachmentRoutes(scope, context);
  });
  addControllerRequestRoutes(app, context);
  addDeskReportRoutes(app, context);
  addAuditRoutes(app, context);
  addMetricsRoutes(app, context);
  addRecipientNoticeRoutes(app, context);
  addStaffRoutes(app, context);
  addSystemsRoutes(app, context);
  addDeskPlanRoutes(app, context);
  addDeskDownloadLinkRoutes(app, context);
  addDeskStatusKeyRoutes(app, context);
  addRegisterPublishRoutes(app, context);
  addOpenApiRoute(app);
  await addConsoleRoutes(app);
  await addPrivacyCenterRoutes(app, context);
  await app.ready();
  return app;
}

/** Fastify's trust setting: the addresses and ranges given, or the first `hops` proxies (proxy-addr counts hops from 0, the connection's own). */
function trustedProxies(trust: number | readonly string[]): string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return [...trust];
  return (_address, hop) => hop < trust;
}
