/**
 * The one way the console and the privacy center reach opendpo: openapi-fetch over the types
 * generated from the server's own OpenAPI document (scripts/write-api-types.ts). A route whose
 * schema changes changes these types, and a caller that no longer fits fails to compile.
 *
 * In the browser it calls the server it was loaded from (cookies sent, the session's CSRF token on
 * every change); on the server, the privacy center's pages pass a `fetch` that answers in-process.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './generated/api.js';

export type { paths } from './generated/api.js';
export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** Where the API is: '' (the page's own origin) in the browser. */
  baseUrl?: string;
  /** How to send a request (default: the global fetch). */
  fetch?: (request: Request) => Promise<Response>;
  /** The session's CSRF token, read at each change (it is renewed at sign-in). */
  csrfToken?: () => string | undefined;
  /** Headers on every request (the privacy center passes the visitor's language and address). */
  headers?: Record<string, string>;
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? '',
    credentials: 'same-origin',
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
  const csrf: Middleware = {
    onRequest({ request }) {
      const token = options.csrfToken?.();
      if (token !== undefined && CHANGES.has(request.method)) request.headers.set('x-csrf-token', token);
      return request;
    },
  };
  client.use(csrf);
  return client;
}

/** The error every route answers with (`{ error: { code, message } }`), or undefined for another body. */
export function apiError(body: unknown): { code: string; message: string } | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? { code, message } : undefined;
}
