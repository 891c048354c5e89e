/**
 * Tells a recipient by a signed HTTP POST of the notice as JSON (Art. 19).
 *
 * The signature is Stripe's scheme: `opendpo-signature: t=<unix seconds>,v1=<hex HMAC-SHA-256 of
 * "<t>.<body>">` with a secret shared with this recipient alone, so the receiver knows the notice
 * comes from the controller and can refuse one replayed more than five minutes later
 * (verifyWebhookSignature, exported for receivers written in TypeScript). `idempotency-key` carries
 * the notice id: a retried POST is the same notice, and the receiver acts on it once.
 *
 * Within one delivery, a network error, a timeout, 408, 429 and 5xx are tried again after a
 * growing delay; any other answer is final. A redirect is never followed: it would send the notice
 * wherever the endpoint points (Art. 32), so it fails with the URL to fix.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MIN_SECRET_BYTES } from '../../connectors/http/secret.js';
import { VERSION } from '../../version.js';
import {
  checkNotice,
  DEFAULT_RETRY_DELAYS_MS,
  deliverWithRetries,
  MAX_ANSWER_BYTES,
  noticeMessage,
  startAttempt,
  type AttemptOutcome,
  type DeliveryResult,
  type Notifier,
  type RecipientNotice,
} from '../notifier.js';

export const SIGNATURE_HEADER = 'opendpo-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** How old (or how far ahead) a signed notice may be when it arrives. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface WebhookNotifierOptions {
  /** The recipient's endpoint, http: or https: (notifications.yaml requires https: beyond this machine). */
  url: string;
  /** The secret shared with this recipient only, at least 32 bytes. */
  secret: string;
  /** How long one attempt may take, answer included (default 10 s). */
  timeoutMs?: number;
  /** The delays between tries within one delivery (default 0.5 s, 1 s: three tries). */
  retryDelaysMs?: readonly number[];
}

export class WebhookNotifier implements Notifier {
  readonly kind = 'webhook' as const;
  readonly #url: URL;
  readonly #secret: string;
  readonly #timeoutMs: number;
  readonly #retryDelaysMs: readonly number[];

  constructor(options: WebhookNotifierOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new TypeError('the webhook URL is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`the webhook URL must be http: or https:, not ${url.protocol}`);
    // Credentials are given by reference (secret_env), never inside a URL that ends up in logs.
    if (url.username !== '' || url.password !== '') throw new TypeError('the webhook URL must not carry a user name or password');
    if (Buffer.byteLength(options.secret, 'utf8') < MIN_SECRET_BYTES) throw new TypeError(`the webhook secret must be at least ${MIN_SECRET_BYTES} bytes`);
    this.#url = url;
    this.#secret = options.secret;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  }

  async deliver(notice: RecipientNotice): Promise<DeliveryResult> {
    const body = noticeMessage(checkNotice(notice));
    return deliverWithRetries(this.#retryDelaysMs, () => this.#post(notice.id, body));
  }

  async #post(id: string, body: string): Promise<AttemptOutcome> {
    const clock = startAttempt();
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': `opendpo/${VERSION}`,
          // Signed at each try: a retry a second later is not a replay.
          [SIGNATURE_HEADER]: signWebhookBody(this.#secret, body, new Date()),
          [IDEMPOTENCY_HEADER]: id,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      return { attempt: { at: clock.at, error: this.#unreachable(err), durationMs: clock.elapsed() }, verdict: 'retry' };
    }
    const status = response.status;
    let answer: string;
    try {
      answer = await readAnswer(response);
    } catch (err) {
      // The status came but the body did not (cut off, or too slow): the recipient may or may not
      // have acted, and the idempotency key makes a retry safe either way.
      return { attempt: { at: clock.at, status, error: `the answer was cut off: ${this.#unreachable(err)}`, durationMs: clock.elapsed() }, verdict: 'retry' };
    }
    const attempt = { at: clock.at, status, durationMs: clock.elapsed() };
    const withAnswer = answer === '' ? {} : { answer };
    if (status >= 200 && status < 300) return { attempt, verdict: 'delivered', ...withAnswer };
    if (status >= 300 && status < 400) {
      const to = response.headers.get('location');
      return {
        attempt: { ...attempt, error: `answered a redirect (HTTP ${status}${to ? ` to ${describeLocation(to, this.#url)}` : ''}), which opendpo does not follow: set the final URL in notifications.yaml` },
        verdict: 'failed',
        ...withAnswer,
      };
    }
    const retryable = status === 408 || status === 429 || status >= 500;
    const retryAfterMs = retryable ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
    return {
      attempt: { ...attempt, error: `answered HTTP ${status}${retryable ? '' : ': refused, not tried again'}` },
      verdict: retryable ? 'retry' : 'failed',
      ...withAnswer,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }

  #unreachable(err: unknown): string {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${this.#timeoutMs} ms`;
    // undici puts the system error (ECONNREFUSED, ENOTFOUND, ECONNRESET) in the cause.
    const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
    const code = typeof cause?.code === 'string' ? cause.code : undefined;
    return `could not reach ${this.#url.host}${code ? ` (${code})` : err instanceof Error ? ` (${err.message})` : ''}`;
  }
}

/** A redirect's target for the error: its origin, or "another host" is all that matters. */
function describeLocation(location: string, from: URL): string {
  try {
    const to = new URL(location, from);
    return to.host === from.host ? to.pathname : to.origin;
  } catch {
    return 'an unreadable location';
  }
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\d{1,9}$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The first 2 KB of the body; the rest is not read (the connection is released at once). */
async function readAnswer(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size <= MAX_ANSWER_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES);
  // stream: true drops a character cut in half at the 2 KB mark rather than mangling it.
  return new TextDecoder('utf-8').decode(bytes, { stream: size > MAX_ANSWER_BYTES });
}

// ---------------------------------------------------------------------------
// Signature
// ---------------------------------------------------------------------------

function computeSignature(secret: string, timestamp: string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest('hex');
}

/** The `opendpo-signature` header of a body sent at `now`. */
export function signWebhookBody(secret: string, body: string, now: Date): string {
  const t = String(Math.floor(now.getTime() / 1000));
  return `t=${t},v1=${computeSignature(secret, t, body)}`;
}

export type WebhookSignatureVerdict = { valid: true; timestamp: number } | { valid: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * For receivers: checks the `opendpo-signature` header against the raw body as received (before
 * any JSON parsing). A timestamp more than `toleranceSeconds` from `now`, either way, is stale: a
 * notice captured and sent again later is refused. Several v1 values are accepted (a secret being
 * rotated); each is compared in constant time, and all of them, so timing says nothing of which matched.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string | Uint8Array,
  now: Date = new Date(),
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
): WebhookSignatureVerdict {
  if (!header) return { valid: false, reason: 'missing' };
  let t: string | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (value === undefined || rest.length > 0) return { valid: false, reason: 'malformed' };
    if (key === 't') {
      if (t !== undefined) return { valid: false, reason: 'malformed' };
      t = value;
    } else if (key === 'v1') candidates.push(value);
    // Other schemes (v0, a later v2) are ignored, as Stripe's receivers do.
  }
  if (t === undefined || !/^\d{1,12}$/.test(t) || candidates.length === 0) return { valid: false, reason: 'malformed' };
  if (candidates.some((c) => !/^[0-9a-f]{64}$/i.test(c))) return { valid: false, reason: 'malformed' };
  const timestamp = Number(t);
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) return { valid: false, reason: 'stale' };
  const expected = Buffer.from(computeSignature(secret, t, body), 'hex');
  let matched = false;
  for (const candidate of candidates) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  return matched ? { valid: true, timestamp } : { valid: false, reason: 'mismatch' };
}
