/**
 * The HTTP connector: a system that holds personal data and answers for itself, through the opendpo
 * systems protocol (protocol.ts, docs/http-connector-protocol.md). opendpo POSTs the request, signed
 * with the shared secret, and GETs its status until it is done or refused.
 *
 * Everything that can go wrong on the way is one of two errors, each naming the connection, the
 * method and the path, never an identity, a row value or the secret:
 * - TARGET_UNAVAILABLE (retryable): the system cannot be reached, answers 5xx/429/408, or is slower
 *   than the timeout. The engine stops the request with its step log and the next run submits it
 *   again with the same request_id, which the system deduplicates.
 * - TARGET_INVALID: the system answered what the protocol does not allow (not JSON, a message that
 *   fails the schema, over the size or value-count limit, a redirect, its refusal of our signature).
 *
 * Node's own fetch (undici): no HTTP dependency. Nothing is logged here.
 */
import type { SecretRef } from '../../dataset/model.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { VERSION } from '../../version.js';
import type { SystemConnector, SystemOutcome, SystemRequest } from '../connector.js';
import { requestMessageSchema, requestPath, requestsPath, signOpendpoRequest, statusMessageSchema, type RequestMessage, type StatusMessage } from './protocol.js';
import { formatIssues } from './json-path.js';
import { resolveValue } from '../../dataset/secrets.js';
import { resolveSigningSecret } from './secret.js';
import { jsonValueLimitOffset } from '../../yaml/json-value-limit.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Access answers carry rows; 50 MiB is far more than one person's data and bounds memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
/**
 * Bytes alone do not bound the work of reading an answer: `[{},{},…]` holds a value every three
 * bytes, and JSON.parse of 20 MB of it took 24 s and 650 MB. A million values (a key counts as one)
 * is some 25,000 rows of twenty columns, far more than one person's data in one system; the same
 * bound as rows handed in by hand (`dsr task-confirm --rows`).
 */
export const DEFAULT_MAX_RESPONSE_VALUES = 1_000_000;

export interface HttpConnectorOptions {
  /** The connection's name in connections.yaml. */
  name: string;
  /**
   * The system's base URL: the endpoints are <url>/v1/requests and <url>/v1/requests/<id>. From a
   * secret reference when the URL itself is confidential; its path is then never shown.
   */
  url: string | SecretRef;
  /** The shared HMAC-SHA-256 signing secret (at least 32 bytes). */
  secret: SecretRef;
  /** Per exchange, from sending the request to the last byte of the answer. Default 30 s. */
  timeoutMs?: number;
  /** Answers larger than this are refused while they stream in. Default 50 MiB. */
  maxResponseBytes?: number;
  /**
   * Plain http:// is refused except on loopback: the request carries identities, and Art. 32
   * asks for their security in transit. Set only for a network that is already encrypted.
   */
  allowInsecureHttp?: boolean;
  /** The clock used for timestamps (tests). */
  now?: () => Date;
}

type Method = 'GET' | 'POST';

/** Resolves the URL and the secret (CONFIG_INVALID naming the variable or file when they cannot be read). */
export async function createHttpConnector(options: HttpConnectorOptions): Promise<HttpSystemConnector> {
  const url = await resolveValue(options.url, { purpose: `the url of connection ${options.name}` });
  const secret = await resolveSigningSecret(options.secret, options.name);
  return new HttpSystemConnector({ ...options, url, secret, urlIsSecret: typeof options.url !== 'string' });
}

/** The options with the URL and the secret resolved. */
export interface ResolvedHttpConnectorOptions extends Omit<HttpConnectorOptions, 'url' | 'secret'> {
  url: string;
  secret: string;
  /** The URL came from a secret reference: labels and messages show its origin only. */
  urlIsSecret?: boolean;
}

export class HttpSystemConnector implements SystemConnector {
  readonly type = 'http' as const;
  readonly label: string;
  private readonly origin: string;
  /** The base URL's path, without a trailing slash ("" or "/opendpo"). */
  private readonly prefix: string;
  /** The prefix as messages show it ("" when the URL is a secret). */
  private readonly shownPrefix: string;
  private readonly secret: string;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly now: () => Date;

  constructor(options: ResolvedHttpConnectorOptions) {
    const base = parseBaseUrl(options);
    this.origin = base.origin;
    this.prefix = base.pathname.replace(/\/+$/, '');
    this.shownPrefix = options.urlIsSecret ? '' : this.prefix;
    this.label = `http ${options.name} (${this.origin}${this.shownPrefix})`;
    this.timeoutMs = positive(options.timeoutMs, DEFAULT_TIMEOUT_MS, options.name, 'timeout_ms');
    this.maxResponseBytes = positive(options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, options.name, 'max_response_bytes');
    this.secret = options.secret;
    this.now = options.now ?? (() => new Date());
  }

  /** POST <base>/v1/requests. Submitting again (a retry, a re-run) sends the same request_id. */
  async submit(request: SystemRequest): Promise<SystemOutcome> {
    const message = this.message(request);
    const answer = await this.exchange('POST', requestsPath(), JSON.stringify(message));
    if (answer === 'not-found') throw this.invalid('POST', requestsPath(), 'answered HTTP 404: no opendpo endpoint at this URL');
    return this.outcome(request, 'POST', requestsPath(), answer);
  }

  /**
   * GET <base>/v1/requests/<id>. A system that does not know the request (404: the submission was
   * lost, or the system was reset) gets it submitted again: submission is idempotent, so this is
   * safe and the request cannot be stuck pending forever.
   */
  async poll(request: SystemRequest): Promise<SystemOutcome> {
    this.message(request);
    const path = requestPath(request.requestId);
    const answer = await this.exchange('GET', path, '');
    if (answer === 'not-found') return this.submit(request);
    return this.outcome(request, 'GET', path, answer);
  }

  close(): Promise<void> {
    // fetch's connection pool is Node's global one; there is nothing of ours to release.
    return Promise.resolve();
  }

  private message(request: SystemRequest): RequestMessage {
    const candidate = {
      request_id: request.requestId,
      action: request.action,
      identities: request.identities,
      ...(request.changes === undefined ? {} : { changes: request.changes }),
      regime: 'gdpr' as const,
      submitted_at: this.now().toISOString(),
    };
    const parsed = requestMessageSchema.safeParse(candidate);
    if (!parsed.success) {
      throw new OpendpoError('INVALID_INPUT', `${this.label}: the request cannot be sent: ${formatIssues(parsed.error.issues)}`);
    }
    return parsed.data;
  }

  private outcome(request: SystemRequest, method: Method, path: string, body: Uint8Array): SystemOutcome {
    const message = this.parseStatus(method, path, body);
    if (message.request_id !== request.requestId) {
      throw this.invalid(method, path, 'answered about another request (request_id differs from the one asked)');
    }
    switch (message.status) {
      case 'done':
        if (request.action === 'access' && message.rows === undefined) {
          throw this.invalid(method, path, 'answered an invalid message: at rows: an access request that is done returns rows ({} when there are none)');
        }
        return {
          status: 'done',
          ...(message.rows === undefined ? {} : { rows: message.rows }),
          ...(message.affected === undefined ? {} : { affected: message.affected }),
        };
      case 'pending':
        return { status: 'pending', reference: request.requestId, ...(message.message === undefined ? {} : { message: message.message }) };
      case 'refused':
        return { status: 'refused', reason: message.reason ?? '' };
    }
  }

  private parseStatus(method: Method, path: string, body: Uint8Array): StatusMessage {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw this.invalid(method, path, 'answered a body that is not UTF-8');
    }
    if (jsonValueLimitOffset(text, DEFAULT_MAX_RESPONSE_VALUES) !== undefined) {
      throw this.invalid(
        method,
        path,
        `answered more than ${DEFAULT_MAX_RESPONSE_VALUES.toLocaleString('en')} JSON values (the limit for one answer: far more than one person's data); nothing of it was read`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // JSON.parse's message quotes the text: it may hold personal data, so it is not repeated.
      throw this.invalid(method, path, 'answered a body that is not JSON');
    }
    const parsed = statusMessageSchema.safeParse(json);
    if (!parsed.success) throw this.invalid(method, path, `answered an invalid message: ${formatIssues(parsed.error.issues)}`);
    return parsed.data;
  }

  /** One signed exchange: the body of a 2xx answer, 'not-found' for 404, or an error. */
  private async exchange(method: Method, path: string, body: string): Promise<Uint8Array | 'not-found'> {
    const fullPath = `${this.prefix}${path}`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': `opendpo/${VERSION}`,
      ...signOpendpoRequest({ secret: this.secret, method, path: fullPath, body, now: this.now() }),
    };
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      let response: Response;
      try {
        response = await fetch(`${this.origin}${fullPath}`, {
          method,
          headers,
          ...(method === 'POST' ? { body } : {}),
          signal: controller.signal,
          // A redirect would send the identities to wherever the system points: never followed.
          redirect: 'manual',
        });
      } catch (err) {
        throw this.unreachable(method, path, err, controller.signal.aborted);
      }
      const status = response.status;
      if (status < 200 || status >= 300) {
        await response.body?.cancel().catch(() => {});
        if (status === 404 && method === 'GET') return 'not-found';
        throw this.httpStatusError(method, path, status);
      }
      try {
        return await readLimited(response, this.maxResponseBytes);
      } catch (err) {
        if (err instanceof TooLarge) {
          throw this.invalid(method, path, `answered more than ${formatBytes(this.maxResponseBytes)} (the limit for one answer)`);
        }
        throw this.unreachable(method, path, err, controller.signal.aborted);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private httpStatusError(method: Method, path: string, status: number): OpendpoError {
    if (status >= 500 || status === 429 || status === 408 || status === 425) {
      return new OpendpoError('TARGET_UNAVAILABLE', `${this.label} answered HTTP ${status} (${method} ${this.shownPrefix}${path}); the request can be run again`);
    }
    if (status === 401 || status === 403) {
      return this.invalid(method, path, `refused opendpo's signature (HTTP ${status}): check that both sides hold the same secret and that their clocks agree`);
    }
    if (status >= 300 && status < 400) return this.invalid(method, path, `answered a redirect (HTTP ${status}), which opendpo does not follow: set the final URL`);
    if (status === 404) return this.invalid(method, path, 'answered HTTP 404: no opendpo endpoint at this URL');
    return this.invalid(method, path, `answered HTTP ${status}`);
  }

  /** `path` is under the base URL ("/v1/requests"); messages show it as sent, with the base's prefix. */
  private invalid(method: Method, path: string, what: string): OpendpoError {
    return new OpendpoError('TARGET_INVALID', `${this.label} ${what} (${method} ${this.shownPrefix}${path})`);
  }

  private unreachable(method: Method, path: string, err: unknown, timedOut: boolean): OpendpoError {
    const reason = timedOut ? `did not answer within ${formatMs(this.timeoutMs)}` : `cannot be reached: ${networkReason(err)}`;
    return new OpendpoError('TARGET_UNAVAILABLE', `${this.label} ${reason} (${method} ${this.shownPrefix}${path}); the request can be run again`, undefined, {
      cause: err,
    });
  }
}

function parseBaseUrl(options: ResolvedHttpConnectorOptions): URL {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new OpendpoError('CONFIG_INVALID', `connection ${options.name}: url is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new OpendpoError('CONFIG_INVALID', `connection ${options.name}: url must start with https:// (found ${url.protocol}//)`);
  }
  if (url.username || url.password) {
    // Credentials in the URL would end up in labels and proxies' logs; the signature authenticates.
    throw new OpendpoError('CONFIG_INVALID', `connection ${options.name}: url must not hold a user name or password (the signing secret authenticates opendpo)`);
  }
  if (url.search || url.hash) {
    throw new OpendpoError('CONFIG_INVALID', `connection ${options.name}: url must be a base URL, without ?query or #fragment`);
  }
  if (url.protocol === 'http:' && !options.allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new OpendpoError(
      'CONFIG_INVALID',
      `connection ${options.name}: url must use https:// (requests carry identities; plain http:// is accepted only on loopback)`,
    );
  }
  return url;
}

const isLoopback = (host: string): boolean => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

function positive(value: number | undefined, fallback: number, connection: string, key: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new OpendpoError('CONFIG_INVALID', `connection ${connection}: ${key} must be a positive whole number`);
  }
  return value;
}

class TooLarge extends Error {}

/** Reads the body, refusing it as soon as it passes the limit (announced or streamed). */
async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  const announced = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(announced) && announced > limit) {
    await response.body?.cancel().catch(() => {});
    throw new TooLarge();
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** A short reason from Node's network error codes; never the error's own text (it may hold the URL). */
function networkReason(err: unknown): string {
  const code = errorCode(err);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return 'the connection was closed';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case undefined:
      return 'network error';
    default:
      return /CERT|SSL|TLS|SELF_SIGNED/.test(code) ? `TLS error (${code})` : `network error (${code})`;
  }
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

const formatMs = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

const formatBytes = (bytes: number): string => (bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`);
