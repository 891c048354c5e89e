/**
 * The opendpo systems protocol, version 1: how opendpo asks a system that acts for itself (a CRM, a
 * support desk, a SaaS back office) to answer an access, erasure, rectification or restriction
 * request (GDPR Art. 15-18), and how the system answers. docs/http-connector-protocol.md is the
 * reader's version; this file is the single source of truth for the messages (one zod schema per
 * message) and for the signature, and is exported so that a system written in TypeScript can use
 * both to implement its side.
 *
 * Close to the Data Rights Protocol (a request, then a status polled until it is final), but
 * simpler where opendpo's situation differs: opendpo and the system belong to the same controller
 * (or the system is its processor, Art. 28), so a shared secret and an HMAC replace DRP's
 * public-key directory and pairwise bearer tokens.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const PROTOCOL_VERSION = 'v1';
export const TIMESTAMP_HEADER = 'X-Opendpo-Timestamp';
export const SIGNATURE_HEADER = 'X-Opendpo-Signature';
/** How far the timestamp of a signed message may be from the receiver's clock, either way. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export const SYSTEM_ACTIONS = ['access', 'erasure', 'rectification', 'restriction'] as const;

/** The path of the endpoint that receives requests, under the system's base URL. */
export const requestsPath = (): string => `/${PROTOCOL_VERSION}/requests`;
/** The path of one request's status: the request id percent-encoded as one path segment. */
export const requestPath = (requestId: string): string => `${requestsPath()}/${encodeURIComponent(requestId)}`;

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

/** opendpo's request ids are UUIDs; any id of this shape is accepted, so the protocol outlives that choice. */
const requestId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'a request id is letters, digits and . _ : -');

/** Identity types as datasets name them (email, phone_number, customer_number...). */
const identityType = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'an identity type is letters, digits and _ . -');

/** One field of one row: a JSON scalar. Nested objects are a collection of their own. */
export const rowValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()], { error: 'expected a string, number, boolean or null' });
export const rowSchema = z.record(z.string().min(1).max(200), rowValueSchema);
/** The person's rows, by collection (table, object type) of the system. */
export const rowsSchema = z.record(z.string().min(1).max(200), z.array(rowSchema));

/**
 * POST <base>/v1/requests. The same request_id on every retry: the system treats a second POST
 * with a known request_id as a question about that request (idempotency), never as a new one.
 */
export const requestMessageSchema = z
  .object({
    request_id: requestId,
    action: z.enum(SYSTEM_ACTIONS),
    /** Identity type -> value, verified by the controller before the request was made (Art. 12(6)). */
    identities: z.record(identityType, z.string().min(1)).refine((ids) => Object.keys(ids).length > 0, 'at least one identity'),
    /** Rectification only (Art. 16): "collection.field" -> new value. */
    changes: z.record(z.string().min(1), z.string()).optional(),
    /** The legal regime the request is made under; DRP's field of the same name. */
    regime: z.literal('gdpr'),
    /** When this message was sent (ISO 8601, UTC). Not an idempotency key: it changes on retries. */
    submitted_at: z.iso.datetime(),
  })
  .superRefine((m, ctx) => {
    if (m.action === 'rectification' && (m.changes === undefined || Object.keys(m.changes).length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['changes'], message: 'a rectification says which fields change' });
    }
    if (m.action !== 'rectification' && m.changes !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['changes'], message: 'changes come only with a rectification' });
    }
  });
export type RequestMessage = z.infer<typeof requestMessageSchema>;

/**
 * The answer to POST <base>/v1/requests and to GET <base>/v1/requests/<id>: where the request
 * stands. Keys this version does not know are ignored, so a system may say more.
 */
export const statusMessageSchema = z
  .object({
    request_id: requestId,
    status: z.enum(['done', 'pending', 'refused']),
    /** Access, when done: every row the system holds about the person, by collection ({} for none). */
    rows: rowsSchema.optional(),
    /** Erasure, rectification, restriction, when done: how many records were changed. */
    affected: z.int().min(0).optional(),
    /** Refused: why, in words safe to show the data subject (no personal data). */
    reason: z.string().min(1).max(2000).optional(),
    /** Pending: what the system is waiting for, safe to show (no personal data). */
    message: z.string().max(2000).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.status === 'refused' && m.reason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a refused request must say why' });
    }
    if (m.status !== 'done' && m.rows !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['rows'], message: 'rows come only with status "done"' });
    }
  });
export type StatusMessage = z.infer<typeof statusMessageSchema>;

// ---------------------------------------------------------------------------
// Signature
// ---------------------------------------------------------------------------

type Bytes = string | Uint8Array;

const toBuffer = (b: Bytes): Buffer => (typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/**
 * HMAC-SHA-256, hex, of `timestamp + "." + METHOD + "." + path + "." + body`. The path is the
 * request target as sent (base URL path prefix included, request id percent-encoded); the body is
 * the exact bytes sent, empty for GET. Signing method and path stops a signed GET from being
 * replayed as a POST, or one request's status being asked with another's signature.
 */
export function computeOpendpoSignature(secret: Bytes, timestamp: string, method: string, path: string, body: Bytes): string {
  return createHmac('sha256', toBuffer(secret))
    .update(`${timestamp}.${method.toUpperCase()}.${path}.`, 'utf8')
    .update(toBuffer(body))
    .digest('hex');
}

/** The two headers that sign a request sent at `now`. */
export function signOpendpoRequest(input: { secret: Bytes; method: string; path: string; body: Bytes; now?: Date }): Record<string, string> {
  const timestamp = String(Math.floor((input.now ?? new Date()).getTime() / 1000));
  const signature = computeOpendpoSignature(input.secret, timestamp, input.method, input.path, input.body);
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `v1=${signature}` };
}

export interface VerifyOpendpoSignatureInput {
  /** The shared secret; several during a rotation (any one may have signed). */
  secret: Bytes | readonly Bytes[];
  method: string;
  /** The request target as received (path and query), e.g. "/opendpo/v1/requests". */
  path: string;
  /** The raw body bytes as received, before any JSON parsing; "" for GET. */
  body: Bytes;
  /** The X-Opendpo-Timestamp header. */
  timestamp: string | null | undefined;
  /** The X-Opendpo-Signature header: "v1=<hex>", possibly several separated by commas. */
  signature: string | null | undefined;
  now?: Date;
  toleranceSeconds?: number;
}

export type SignatureVerdict =
  | { valid: true; timestamp: number }
  | { valid: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * For systems implementing the endpoints: checks a request's signature. Constant-time compare;
 * a timestamp more than 5 minutes from `now` (either way) is stale. Replay protection within the
 * window is left to the receiver (docs/http-connector-protocol.md says how): requests are
 * idempotent by request_id, so a replay can only ask again what was already asked.
 */
export function verifyOpendpoSignature(input: VerifyOpendpoSignatureInput): SignatureVerdict {
  if (!input.timestamp || !input.signature) return { valid: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(input.timestamp)) return { valid: false, reason: 'malformed' };
  const candidates = input.signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3));
  if (candidates.length === 0 || candidates.some((c) => !/^[0-9a-f]{64}$/i.test(c))) return { valid: false, reason: 'malformed' };
  const timestamp = Number(input.timestamp);
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { valid: false, reason: 'stale' };
  const secrets: readonly Bytes[] = typeof input.secret === 'string' || input.secret instanceof Uint8Array ? [input.secret] : input.secret;
  let matched = false;
  // Every pair is compared, without stopping at the first match, so the time taken says nothing.
  for (const secret of secrets) {
    const expected = Buffer.from(computeOpendpoSignature(secret, input.timestamp, input.method, input.path, input.body), 'hex');
    for (const candidate of candidates) {
      if (timingSafeEqual(expected, Buffer.from(candidate.toLowerCase(), 'hex'))) matched = true;
    }
  }
  return matched ? { valid: true, timestamp } : { valid: false, reason: 'mismatch' };
}
