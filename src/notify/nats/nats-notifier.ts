/**
 * Tells a recipient by publishing the notice on a NATS JetStream subject (Art. 19), for recipients
 * that read a message bus rather than expose an endpoint (a group's other companies, an internal
 * system run by a processor on the controller's infrastructure).
 *
 * The notice id is the message id (`Nats-Msg-Id`): JetStream stores a notice published twice
 * within the stream's duplicate window once, so a retry after a lost ack never tells the recipient
 * twice. The ack (stream and sequence) is the evidence that the notice was stored.
 *
 * The connection opens at the first delivery and is kept until close(); a connection that cannot
 * be opened is a failed attempt like any other, tried again.
 */
import { jetstream, JetStreamApiCodes, JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  checkNotice,
  DEFAULT_RETRY_DELAYS_MS,
  deliverWithRetries,
  noticeMessage,
  startAttempt,
  type AttemptOutcome,
  type DeliveryResult,
  type Notifier,
  type RecipientNotice,
} from '../notifier.js';

/** `opendpo.<organisation>.art19.<recipient>`: a recipient subscribes to its own subject only. */
export function defaultNatsSubject(notice: Pick<RecipientNotice, 'organisationId' | 'recipientId'>): string {
  return `opendpo.${notice.organisationId}.art19.${notice.recipientId}`;
}

/** A subject to publish on: dot-separated tokens, no wildcards, no spaces. */
const PUBLISH_SUBJECT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * How long JetStream remembers a message id (ensureStream). Its default is two minutes; a notice
 * retried by the caller an hour after a lost ack must still be recognised.
 */
export const DEFAULT_DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface NatsNotifierOptions {
  /** The server, e.g. nats://127.0.0.1:4222. */
  url: string;
  /** The subject of a notice (default: defaultNatsSubject), e.g. from notifications.yaml. */
  subject?: (notice: RecipientNotice) => string;
  /** How long one attempt waits for the connection and for the ack (default 5 s). */
  timeoutMs?: number;
  /** The delays between tries within one delivery (default 0.5 s, 1 s: three tries). */
  retryDelaysMs?: readonly number[];
}

export interface EnsureStreamOptions {
  name: string;
  /** The subjects the stream stores, e.g. ["opendpo.acme.art19.>"]. */
  subjects: string[];
  duplicateWindowMs?: number;
}

export class NatsNotifier implements Notifier {
  readonly kind = 'nats' as const;
  readonly #url: string;
  readonly #subject: (notice: RecipientNotice) => string;
  readonly #timeoutMs: number;
  readonly #retryDelaysMs: readonly number[];
  #connection: Promise<NatsConnection> | undefined;
  #closed = false;

  constructor(options: NatsNotifierOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new TypeError('the NATS URL is not a URL');
    }
    if (!['nats:', 'tls:'].includes(url.protocol)) throw new TypeError(`the NATS URL must be nats: or tls:, not ${url.protocol}`);
    this.#url = options.url;
    this.#subject = options.subject ?? defaultNatsSubject;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  }

  async deliver(notice: RecipientNotice): Promise<DeliveryResult> {
    if (this.#closed) throw new Error('the NATS notifier is closed');
    const checked = checkNotice(notice);
    const subject = this.#subject(checked);
    if (!PUBLISH_SUBJECT.test(subject)) throw new TypeError(`"${subject}" is not a NATS subject to publish on (tokens of letters, digits, _ and -, no wildcards)`);
    const payload = noticeMessage(checked);
    return deliverWithRetries(this.#retryDelaysMs, () => this.#publish(subject, checked.id, payload));
  }

  async #publish(subject: string, id: string, payload: string): Promise<AttemptOutcome> {
    const clock = startAttempt();
    try {
      const js = jetstream(await this.#connect());
      const ack = await js.publish(subject, payload, { msgID: id, timeout: this.#timeoutMs });
      return {
        attempt: { at: clock.at, durationMs: clock.elapsed() },
        verdict: 'delivered',
        // duplicate: true is a success too: the recipient has had this notice since an earlier try.
        answer: JSON.stringify({ stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate }),
      };
    } catch (err) {
      // The stream refused the message (a limit, a sealed stream): the same message meets the same refusal.
      const refused = err instanceof JetStreamApiError;
      return { attempt: { at: clock.at, error: describeNatsError(err, subject), durationMs: clock.elapsed() }, verdict: refused ? 'failed' : 'retry' };
    }
  }

  #connect(): Promise<NatsConnection> {
    if (this.#connection === undefined) {
      const opening = connect({ servers: this.#url, timeout: this.#timeoutMs, name: 'opendpo-art19' });
      this.#connection = opening;
      // A connection that failed to open, or was lost for good, is opened again at the next try.
      opening.then(
        (nc) => void nc.closed().then(() => {
          if (this.#connection === opening) this.#connection = undefined;
        }),
        () => {
          if (this.#connection === opening) this.#connection = undefined;
        },
      );
    }
    return this.#connection;
  }

  /**
   * Creates the stream that stores the notices, or adds the subjects to it when it exists. For
   * tests and first installs; in production the stream is usually declared by whoever runs NATS.
   */
  async ensureStream(options: EnsureStreamOptions): Promise<void> {
    const jsm = await jetstreamManager(await this.#connect());
    const duplicate_window = nanos(options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS);
    try {
      const info = await jsm.streams.info(options.name);
      const subjects = [...new Set([...(info.config.subjects ?? []), ...options.subjects])];
      await jsm.streams.update(options.name, { ...info.config, subjects, duplicate_window });
    } catch (err) {
      if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
      await jsm.streams.add({ name: options.name, subjects: options.subjects, duplicate_window });
    }
  }

  /** Sends what is pending and closes the connection; deliveries after this are a programming error. */
  async close(): Promise<void> {
    this.#closed = true;
    const opening = this.#connection;
    this.#connection = undefined;
    if (opening === undefined) return;
    const nc = await opening.catch(() => undefined);
    if (nc && !nc.isClosed()) await nc.drain();
  }
}

/** An error in words safe to log: the client's message, which names no credentials. */
function describeNatsError(err: unknown, subject: string): string {
  if (!(err instanceof Error)) return 'the NATS client failed';
  // The client reads "no responders" on a publish as JetStream being off; far more often no stream stores the subject.
  if (err.name === 'JetStreamNotEnabled' || err.name === 'NoRespondersError') {
    return `no JetStream stream stores ${subject} (or JetStream is not enabled on the server)`;
  }
  const name = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
  return `${name}${err.message}`.slice(0, 500);
}
