/**
 * The seam through which recipients are told of a rectification, an erasure or a restriction
 * (Art. 19: "The controller shall communicate any rectification or erasure of personal data or
 * restriction of processing carried out in accordance with Article 16, Article 17(1) and Article 18
 * to each recipient to whom the personal data have been disclosed, unless this proves impossible or
 * involves disproportionate effort").
 *
 * One interface, one folder per way of reaching a recipient: webhook/ (a signed HTTP POST), email/
 * (a plain-text message through a mailer), nats/ (a JetStream subject). Which recipients are told,
 * and how each is reached, is decided before any of them runs (recipients.ts).
 *
 * A delivery that does not reach the recipient is an outcome, not an exception: the caller records
 * the attempts and tries again later (or hands the notice to a person). Only a programming error
 * (a malformed notice) throws.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

/** What was carried out. `restriction_lifted` goes to the same recipients as the restriction did (Art. 18(3)). */
export const NOTICE_ACTIONS = ['rectification', 'erasure', 'restriction', 'restriction_lifted'] as const;
export type NoticeAction = (typeof NOTICE_ACTIONS)[number];

/** One token of a NATS subject, and a safe path segment: register ids and UUIDs fit. */
const token = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be letters, digits, _ and - (at most 100)');

export const RecipientNotice = z.strictObject({
  /** A UUID, also the idempotency key: a notice sent twice is the same notice. */
  id: z.uuid(),
  organisationId: token,
  requestId: z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/, 'a request id is letters, digits and . _ : -'),
  /** The recipient's id in recipients.yaml. */
  recipientId: token,
  action: z.enum(NOTICE_ACTIONS),
  /** The data categories concerned (fideslang codes, e.g. user.contact.address). */
  categories: z.array(z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'a data category is a fideslang code such as user.contact.email')).min(1),
  /** When the change was carried out (ISO 8601 with its offset). */
  occurredAt: z.iso.datetime({ offset: true }),
  /**
   * An opaque pseudonymous reference the recipient can match against its own records (its customer
   * number, a hash agreed with it). Never an email address or a name (Art. 5(1)(c), 25(1): the
   * notice carries no more than the recipient needs); the shape refuses both.
   */
  subjectRef: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,200}$/, 'an opaque reference of letters, digits and . _ : - (no spaces, no @: never a name or an email address)')
    .optional(),
});
export type RecipientNotice = z.infer<typeof RecipientNotice>;

export interface DeliveryAttempt {
  /** When the attempt started (ISO 8601, UTC). */
  at: string;
  /** The recipient's status code, when it answered (HTTP status; none for a message bus or a mailer). */
  status?: number;
  /** Why the attempt did not deliver, in words safe to log (never the secret, never the notice body). */
  error?: string;
  durationMs: number;
}

export interface DeliveryResult {
  outcome: 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  /** What the recipient answered (a webhook's body, the JetStream ack, the mailer's message id), at most 2 KB. */
  answer?: string;
}

export interface Notifier {
  readonly kind: 'webhook' | 'email' | 'nats';
  /** Resolves to the outcome; rejects only when the notice itself is malformed (a programming error). */
  deliver(notice: RecipientNotice): Promise<DeliveryResult>;
}

/** The notice, checked; a malformed one is a bug in the caller, never the recipient's problem. */
export function checkNotice(notice: RecipientNotice): RecipientNotice {
  const parsed = RecipientNotice.safeParse(notice);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'notice'}: ${i.message}`).join('; ');
  throw new TypeError(`malformed recipient notice: ${issues}`);
}

/**
 * The notice as it travels (webhook body, NATS payload): snake_case JSON like the systems protocol,
 * with a type and version so a receiver can tell it from anything else on the same endpoint.
 */
export function noticeMessage(notice: RecipientNotice): string {
  return JSON.stringify({
    type: 'opendpo.art19.notice',
    version: 1,
    id: notice.id,
    organisation_id: notice.organisationId,
    request_id: notice.requestId,
    recipient_id: notice.recipientId,
    action: notice.action,
    categories: notice.categories,
    occurred_at: notice.occurredAt,
    ...(notice.subjectRef === undefined ? {} : { subject_ref: notice.subjectRef }),
  });
}

/** The recipient's answer is kept as evidence, not as a store of whatever it sends back. */
export const MAX_ANSWER_BYTES = 2048;

/** The first 2 KB of a text, cut on a character boundary. */
export function truncateAnswer(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength <= MAX_ANSWER_BYTES) return text;
  // stream: true holds back a character cut in half instead of writing a replacement character.
  return new TextDecoder('utf-8').decode(bytes.subarray(0, MAX_ANSWER_BYTES), { stream: true });
}

/** 3 tries: at once, after 0.5 s, after 1 s more. A later delivery is the caller's (it schedules one). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [500, 1000];

export interface AttemptOutcome {
  attempt: DeliveryAttempt;
  /** delivered: stop, done; retry: worth another try; failed: another try would get the same answer. */
  verdict: 'delivered' | 'retry' | 'failed';
  answer?: string;
  /** The recipient asked to wait at least this long (HTTP Retry-After). */
  retryAfterMs?: number;
}

/** The longest a delivery waits on a Retry-After; longer, it fails and the caller's later try takes over. */
const MAX_WAIT_MS = 30_000;

/**
 * Runs `once` until it delivers, fails for good, or the delays run out (one try more than delays).
 * Every attempt is kept: the evidence of a notice is all of its tries (Art. 5(2)).
 */
export async function deliverWithRetries(delaysMs: readonly number[], once: () => Promise<AttemptOutcome>): Promise<DeliveryResult> {
  const attempts: DeliveryAttempt[] = [];
  for (let i = 0; ; i++) {
    const outcome = await once();
    attempts.push(outcome.attempt);
    const answer = outcome.answer === undefined ? {} : { answer: truncateAnswer(outcome.answer) };
    if (outcome.verdict === 'delivered') return { outcome: 'delivered', attempts, ...answer };
    const delay = delaysMs[i];
    if (outcome.verdict === 'failed' || delay === undefined) return { outcome: 'failed', attempts, ...answer };
    const wait = Math.max(delay, outcome.retryAfterMs ?? 0);
    if (wait > MAX_WAIT_MS) return { outcome: 'failed', attempts, ...answer };
    await sleep(wait);
  }
}

/** Times an attempt: its start (ISO) and a function giving the milliseconds since. */
export function startAttempt(): { at: string; elapsed: () => number } {
  const at = new Date().toISOString();
  const start = performance.now();
  return { at, elapsed: () => Math.round(performance.now() - start) };
}
