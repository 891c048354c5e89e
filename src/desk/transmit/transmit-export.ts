/**
 * Sends a portability export directly to another controller (Art. 20(2): "the data subject shall
 * have the right to have the personal data transmitted directly from one controller to another,
 * where technically feasible").
 *
 * The receiving controller's endpoint is the data subject's choice, not ours: no agreement and no
 * signature scheme exists between the two controllers, so the POST says what it is in its headers
 * (`content-type: application/json`, `idempotency-key: <request id>` so that a retried POST is the
 * same export, `user-agent: opendpo/<version> ...`, `opendpo-organisation-id: <sender>`) and the
 * body is the export exactly as the person could download it. The person is told where it went (the
 * completion letter names the URL) and the caller keeps the outcome and its attempts as evidence
 * (Art. 5(2)). Where the transmission is not feasible (refused, or failed), the export stays in the
 * package vault for the person to download and take over themselves (Art. 20(1)).
 *
 * Because a person chose the URL, the server must not become a tool against its own network
 * (server-side request forgery; Art. 32(1)):
 *   - the URL is checked as the request schema checks it (transmit-url.ts): https: only, no
 *     credentials, no IP literal outside the public internet, no local names;
 *   - the host name is resolved once, and every address it resolves to must be public
 *     (classify-address.ts): a name with one private address among public ones is refused whole;
 *   - the connection goes to a checked address, with no second resolution in between (a DNS answer
 *     changed between the check and the connection, "DNS rebinding", has nothing to change), and
 *     TLS checks the certificate against the name in the URL (SNI and host verification) with
 *     Node's bundled roots;
 *   - a redirect is not followed (it would take the export wherever the endpoint points): a 3xx is
 *     a failure recorded with its status;
 *   - at most 2 KB of the answer is read, and each attempt has one deadline for everything
 *     (connection, TLS, sending, the answer), so a slow server cannot hold the worker.
 * A refusal happens before any connection: the outcome is 'refused', with no attempt.
 *
 * Within one transmission, a network error, a timeout, 408, 429 and 5xx are tried again after a
 * growing delay (the Art. 19 notifiers' deliverWithRetries), each try on the next resolved address;
 * any other answer is final. A certificate that does not verify is final too: a retry would meet
 * the same certificate.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkServerIdentity, type SecureContextOptions } from 'node:tls';
import { DEFAULT_RETRY_DELAYS_MS, deliverWithRetries, MAX_ANSWER_BYTES, startAttempt, type AttemptOutcome, type DeliveryAttempt } from '../../notify/notifier.js';
import { VERSION } from '../../version.js';
import { classifyAddress, describeRange } from './classify-address.js';
import { checkTransmitUrl, type TransmitHost } from './transmit-url.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const ORGANISATION_HEADER = 'opendpo-organisation-id';
export const TRANSMIT_USER_AGENT = `opendpo/${VERSION} (GDPR Art. 20(2) transmission)`;
/** One attempt, connection to the last byte of the answer read: an export may be megabytes. */
export const DEFAULT_TRANSMIT_TIMEOUT_MS = 30_000;

/** An address a resolver answered, as node:dns gives it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface TransmitExportOptions {
  /** `transmit_to.url` of the request, as the person gave it. */
  url: string;
  /** The export, exactly the bytes sealed in the vault. */
  body: string | Uint8Array;
  /** A JSON media type (default `application/json`): Art. 20(1)'s machine-readable format. */
  contentType?: string;
  /** The request's id, sent as the idempotency key. */
  requestId: string;
  /** The sending organisation's id in opendpo, so the receiving controller knows who sends. */
  organisationId: string;
  /** How long one attempt may take, everything included (default 30 s). */
  timeoutMs?: number;
  /** The delays between tries (default 0.5 s, 1 s: three tries). */
  retryDelaysMs?: readonly number[];
  /**
   * Lets a loopback host through (127.0.0.0/8, ::1, localhost). Only for tests, which reach an HTTPS
   * server on this machine; never set from configuration.
   */
  allowLoopback?: boolean;
  /** The certificates trusted instead of Node's bundled roots. Only for tests (a self-signed one); never from configuration. */
  ca?: SecureContextOptions['ca'];
  /**
   * The resolver (default: the system's, node:dns lookup). Tests give one of their own to play DNS
   * answers no real resolver gives on demand; whatever it answers is checked the same way.
   */
  lookup?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
}

export type TransmissionResult =
  | {
      outcome: 'delivered' | 'failed';
      attempts: DeliveryAttempt[];
      /** What the receiving controller answered, at most 2 KB. */
      answer?: string;
      /** The checked addresses the host resolved to, in the order tried (evidence of where the export went). */
      addresses: string[];
    }
  | {
      outcome: 'refused';
      /** Always empty: nothing was connected to. */
      attempts: DeliveryAttempt[];
      /** Why, in words safe to show to the staff and the person (no URL path, no personal data). */
      reason: string;
    };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,200}$/;
const ORGANISATION_ID = /^[A-Za-z0-9_-]{1,100}$/;
const JSON_MEDIA_TYPE = /^application\/([a-z0-9.-]+\+)?json(\s*;\s*charset=utf-8)?$/i;

/**
 * Transmits the export to the URL. Resolves to the outcome; rejects only on a programming error (a
 * malformed request id, organisation id or content type), never because of the receiving server.
 */
export async function transmitExport(options: TransmitExportOptions): Promise<TransmissionResult> {
  if (!REQUEST_ID.test(options.requestId)) throw new TypeError('transmitExport: the request id must be letters, digits and . _ : - (at most 200)');
  if (!ORGANISATION_ID.test(options.organisationId)) throw new TypeError('transmitExport: the organisation id must be letters, digits, _ and - (at most 100)');
  const contentType = options.contentType ?? 'application/json';
  if (!JSON_MEDIA_TYPE.test(contentType)) throw new TypeError('transmitExport: the content type must be a JSON media type such as application/json');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TRANSMIT_TIMEOUT_MS;
  const allowLoopback = options.allowLoopback === true;

  const checked = checkTransmitUrl(options.url, { allowLoopback });
  if (!checked.ok) return { outcome: 'refused', attempts: [], reason: `the URL ${checked.reason}` };
  const { url, host } = checked;

  const resolved = await addressesOf(host, options.lookup ?? systemLookup, timeoutMs);
  if ('failure' in resolved) return { outcome: 'failed', attempts: [resolved.failure], addresses: [] };
  const addresses: Target[] = [];
  for (const answer of resolved.answers) {
    const a = classifyAddress(answer.address);
    if (a === undefined) {
      return { outcome: 'failed', attempts: [{ at: resolved.at, error: 'the resolver answered something that is not an IP address', durationMs: 0 }], addresses: [] };
    }
    // One address outside the internet refuses the name whole: a name that points inside the
    // network is not a controller's endpoint, whatever else it points to.
    if (!a.public && !(allowLoopback && a.range === 'loopback')) {
      return { outcome: 'refused', attempts: [], reason: `the host resolves to ${a.address}, ${describeRange(a.range)}, not a host on the internet` };
    }
    if (!addresses.some((t) => t.address === a.address)) addresses.push({ address: a.address, family: a.family });
  }
  if (addresses.length === 0) return { outcome: 'failed', attempts: [{ at: resolved.at, error: 'the host name resolves to no address', durationMs: 0 }], addresses: [] };

  const body = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
  const post: Omit<Post, 'target'> = {
    url,
    // SNI and the certificate check are on the name in the URL (RFC 6066 forbids an IP address in SNI).
    serverName: host.kind === 'name' ? host.name : undefined,
    verifyName: host.kind === 'name' ? host.name : host.address,
    headers: {
      host: url.host,
      'content-type': contentType,
      'content-length': String(body.byteLength),
      'user-agent': TRANSMIT_USER_AGENT,
      [IDEMPOTENCY_HEADER]: options.requestId,
      [ORGANISATION_HEADER]: options.organisationId,
    },
    body,
    timeoutMs,
    ca: options.ca,
  };
  let tries = 0;
  const result = await deliverWithRetries(options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS, () => {
    const target = addresses[tries++ % addresses.length]!;
    return postOnce({ ...post, target });
  });
  return { ...result, addresses: addresses.map((t) => t.address) };
}

// ---------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------

interface Target {
  address: string;
  family: 4 | 6;
}

const systemLookup = (hostname: string): Promise<readonly ResolvedAddress[]> => dnsLookup(hostname, { all: true, verbatim: true });

/** The addresses to check: the literal itself, this machine for a localhost name, else the resolver's answer (once). */
async function addressesOf(
  host: TransmitHost,
  lookup: (hostname: string) => Promise<readonly ResolvedAddress[]>,
  timeoutMs: number,
): Promise<{ at: string; answers: readonly ResolvedAddress[] } | { failure: DeliveryAttempt }> {
  const clock = startAttempt();
  if (host.kind === 'address') return { at: clock.at, answers: [{ address: host.address, family: host.family }] };
  // RFC 6761 §6.3: localhost names are this machine, whatever a resolver would say (and only get here with allowLoopback).
  if (host.loopback) return { at: clock.at, answers: [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }] };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ResolutionTimeout()), timeoutMs);
  });
  try {
    return { at: clock.at, answers: await Promise.race([lookup(host.name), deadline]) };
  } catch (err) {
    return { failure: { at: clock.at, error: describeResolutionError(err, timeoutMs), durationMs: clock.elapsed() } };
  } finally {
    clearTimeout(timer);
  }
}

class ResolutionTimeout extends Error {}

function describeResolutionError(err: unknown, timeoutMs: number): string {
  if (err instanceof ResolutionTimeout) return `the host name was not resolved within ${timeoutMs} ms`;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOTFOUND') return 'the host name does not exist (ENOTFOUND)';
  return `the host name could not be resolved${typeof code === 'string' ? ` (${code})` : ''}`;
}

// ---------------------------------------------------------------------------
// One attempt
// ---------------------------------------------------------------------------

interface Post {
  url: URL;
  target: Target;
  serverName: string | undefined;
  verifyName: string;
  headers: Record<string, string>;
  body: Uint8Array;
  timeoutMs: number;
  ca: SecureContextOptions['ca'];
}

/** How one exchange ended, before it is judged. */
type Exchange =
  | { kind: 'answered'; status: number; answer: Buffer; cut: boolean; location: string | undefined; retryAfter: string | undefined }
  | { kind: 'interrupted'; status: number; error: string }
  | { kind: 'unreachable'; error: string; final: boolean };

/** The connection was given an IP address: a lookup here would be a second resolution, which the checks did not see. */
const noSecondLookup: LookupFunction = (_hostname, _options, callback) => {
  callback(new Error('a second DNS resolution was attempted'), '', 4);
};

async function postOnce(post: Post): Promise<AttemptOutcome> {
  const clock = startAttempt();
  const exchange = await exchangeOnce(post);
  if (exchange.kind === 'unreachable') {
    return { attempt: { at: clock.at, error: exchange.error, durationMs: clock.elapsed() }, verdict: exchange.final ? 'failed' : 'retry' };
  }
  if (exchange.kind === 'interrupted') {
    // The status came but not the whole answer: the receiver may or may not have kept the export,
    // and the idempotency key makes another try safe either way.
    return { attempt: { at: clock.at, status: exchange.status, error: `the answer was cut off: ${exchange.error}`, durationMs: clock.elapsed() }, verdict: 'retry' };
  }
  const { status } = exchange;
  const attempt = { at: clock.at, status, durationMs: clock.elapsed() };
  // stream: true drops a character cut in half at the 2 KB mark rather than mangling it.
  const text = new TextDecoder('utf-8').decode(exchange.answer, { stream: exchange.cut });
  const withAnswer = text === '' ? {} : { answer: text };
  if (status >= 200 && status < 300) return { attempt, verdict: 'delivered', ...withAnswer };
  if (status >= 300 && status < 400) {
    return {
      attempt: {
        ...attempt,
        error: `answered a redirect (HTTP ${status}${describeLocation(exchange.location, post.url)}), which is not followed: the receiving controller's final URL is needed`,
      },
      verdict: 'failed',
      ...withAnswer,
    };
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  const retryAfterMs = retryable ? parseRetryAfter(exchange.retryAfter) : undefined;
  return {
    attempt: { ...attempt, error: `answered HTTP ${status}${retryable ? '' : ': refused, not tried again'}` },
    verdict: retryable ? 'retry' : 'failed',
    ...withAnswer,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** The POST to the checked address; settles once, on the answer (its first 2 KB), an error or the deadline. Never rejects. */
function exchangeOnce(post: Post): Promise<Exchange> {
  return new Promise((resolve) => {
    let settled = false;
    let status: number | undefined;
    const req = request({
      // The checked address, never the name: net.connect does no lookup for an IP address.
      host: post.target.address,
      family: post.target.family,
      port: post.url.port === '' ? 443 : Number(post.url.port),
      path: `${post.url.pathname}${post.url.search}`,
      method: 'POST',
      headers: post.headers,
      lookup: noSecondLookup,
      // A connection of its own: no pooled socket to an address checked for another transmission.
      agent: false,
      ...(post.serverName === undefined ? {} : { servername: post.serverName }),
      checkServerIdentity: (_host, cert) => checkServerIdentity(post.verifyName, cert),
      // Explicit, so NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot turn verification off.
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      ...(post.ca === undefined ? {} : { ca: post.ca }),
    });
    const settle = (exchange: Exchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Ends the connection: nothing more of the answer is read (a server streaming forever holds nothing).
      req.destroy();
      resolve(exchange);
    };
    const timer = setTimeout(() => {
      const error = `no answer within ${post.timeoutMs} ms`;
      settle(status === undefined ? { kind: 'unreachable', error, final: false } : { kind: 'interrupted', status, error });
    }, post.timeoutMs);
    req.on('error', (err) => {
      settle(status === undefined ? unreachable(err, post.target) : { kind: 'interrupted', status, error: errorCode(err) ?? 'the connection closed' });
    });
    req.on('response', (res) => {
      const answered = res.statusCode ?? 0;
      status = answered;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (cut: boolean) =>
        settle({
          kind: 'answered',
          status: answered,
          answer: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES),
          cut,
          location: res.headers.location,
          retryAfter: typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : undefined,
        });
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.byteLength;
        // The answer is evidence, not a store of whatever the server sends back.
        if (size > MAX_ANSWER_BYTES) done(true);
      });
      res.on('end', () => done(false));
      res.on('error', (err) => settle({ kind: 'interrupted', status: answered, error: errorCode(err) ?? 'the connection closed' }));
    });
    req.end(post.body);
  });
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** OpenSSL's verification codes and Node's name check: the certificate is what it is, a retry changes nothing. */
const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY|ALTNAME/;

function unreachable(err: unknown, target: Target): Exchange {
  const code = errorCode(err);
  if (code !== undefined && CERTIFICATE_ERROR.test(code)) {
    return { kind: 'unreachable', error: `the receiving server's certificate was not accepted (${code}): not tried again`, final: true };
  }
  const where = target.family === 6 ? `[${target.address}]` : target.address;
  return { kind: 'unreachable', error: `could not reach ${where}${code === undefined ? '' : ` (${code})`}`, final: false };
}

/** A redirect's target for the error: only its origin (a path may carry anything). */
function describeLocation(location: string | undefined, from: URL): string {
  if (location === undefined) return '';
  try {
    const to = new URL(location, from);
    return to.origin === from.origin ? ' to another path of the same host' : ` to ${to.origin}`;
  } catch {
    return ' to an unreadable location';
  }
}

/** Retry-After in seconds or as an HTTP date (as the webhook notifier reads it); undefined when absent or unreadable. */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,9}$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
