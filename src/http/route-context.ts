import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Desk } from '../desk/desk.js';
import type { WorkerSource } from '../desk/worker/request-worker.js';
import type { Store } from '../store/open-store.js';
import type { HttpMetrics } from './metrics.js';
import type { NoticeCache } from './notice-cache.js';

/** The Fastify instance routes are added to: request and response types come from zod schemas. */
export type ZodApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** What route handlers may use: the store, and which organisation a request means by default. */
export interface RouteContext {
  readonly store: Store;
  /** The organisation of the first register in OPENDPO_REGISTERS, when known. */
  readonly defaultOrganisation: string | undefined;
  /** The privacy notices, rendered once per published version, language and format. */
  readonly notices: NoticeCache;
  /** The request desk. */
  readonly desk: Desk;
  /** Requests per minute and address on each public route. */
  readonly publicRateLimit: number;
  readonly now: () => Date;
  /** The organisations' time zone when configured (OPENDPO_TIMEZONE); otherwise each one's country's. */
  readonly timeZone: string | undefined;
  /** The server's Prometheus registry and its HTTP metrics. */
  readonly metrics: HttpMetrics;
  /** The datasets the worker runs each organisation's requests on (OPENDPO_DATASETS): the Systems page, a request's dry run. */
  readonly sources: readonly WorkerSource[];
  /** The register folders the server was started with (OPENDPO_REGISTERS, and those the datasets name): what publishing publishes. */
  readonly registerFolders: readonly string[];
  /** How long a system's database may take to answer a check or a dry run (OPENDPO_TARGET_TIMEOUT_SECONDS). */
  readonly targetTimeoutMs: number | undefined;
}
