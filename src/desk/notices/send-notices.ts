/**
 * Delivers the Art. 19 notices the desk wrote with each completed rectification, erasure or
 * restriction: it takes a notice whose time has come (a claim on the row, so of several processes
 * on one database one delivers it), hands it to the recipient's notifier (src/notify), and records
 * every attempt and the answer. A delivery that fails is tried again later (after 1 minute, 10
 * minutes, 1 hour, 6 hours, 1 day); after the last it becomes a task for a person, who tells the
 * recipient another way or records why it proved impossible (Art. 19). Logs and the audit log carry
 * ids and counts only.
 */
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { Mailer } from '../../mail/mailer.js';
import { EmailNotifier } from '../../notify/email/email-notifier.js';
import { NatsNotifier, defaultNatsSubject } from '../../notify/nats/nats-notifier.js';
import { checkNotice, type DeliveryAttempt, type DeliveryResult, type NoticeAction, type Notifier, type RecipientNotice } from '../../notify/notifier.js';
import type { NotificationRoute, NotificationRoutes } from '../../notify/routes-schema.js';
import { WebhookNotifier } from '../../notify/webhook/webhook-notifier.js';
import type { Store } from '../../store/open-store.js';
import type { RecipientNoticeRow } from '../../store/notices-repository.js';

/** The waits between deliveries of a notice that failed: its 6th failed delivery hands it to a person. */
export const REDELIVERY_DELAYS_MS: readonly number[] = [60_000, 600_000, 3_600_000, 21_600_000, 86_400_000];

export interface NoticeSource {
  organisationId: string;
  routes?: NotificationRoutes | undefined;
  /** The controller's name as recipients read it in an email notice. */
  controllerName: string;
  language: 'en' | 'fr';
}

export interface NoticeSenderOptions {
  store: Store;
  sources: readonly NoticeSource[];
  mailer?: Mailer | undefined;
  /** The NATS server for `nats` routes (OPENDPO_NATS_URL). */
  natsUrl?: string | undefined;
  owner: string;
  /** How long a sender holds a notice it delivers (default 2 minutes: a webhook's three tries fit). */
  holdMs?: number;
  redeliveryDelaysMs?: readonly number[];
  /** The tries within one delivery (the notifiers' default: 0.5 s, 1 s). */
  retryDelaysMs?: readonly number[];
  pollMs?: number;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  log?: (fields: Record<string, unknown>, message: string) => void;
}

/** Every configuration problem of the routes at start: better refused at start than found at the first erasure. */
export function routeProblems(sources: readonly NoticeSource[], options: { mailer?: Mailer | undefined; natsUrl?: string | undefined }): string[] {
  const problems: string[] = [];
  for (const s of sources) {
    for (const [id, route] of Object.entries(s.routes?.routes ?? {})) {
      if (route.channel === 'email' && !options.mailer) problems.push(`${s.organisationId}: recipient ${id} is told by email, and no mail server is configured (OPENDPO_SMTP_URL)`);
      if (route.channel === 'nats' && !options.natsUrl) problems.push(`${s.organisationId}: recipient ${id} is told on NATS, and no NATS server is configured (OPENDPO_NATS_URL)`);
    }
  }
  return problems;
}

export class NoticeSender {
  private readonly notifiers = new Map<string, Notifier>();
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private options: NoticeSenderOptions) {
    this.now = options.now ?? (() => new Date());
  }

  start(log?: NoticeSenderOptions['log']): void {
    if (log) this.options = { ...this.options, log };
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.sendDue()
        .catch((err: unknown) => this.options.log?.({ code: err instanceof OpendpoError ? err.code : 'INTERNAL' }, 'art19: poll failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs ?? 5000);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    for (const n of this.notifiers.values()) if (n instanceof NatsNotifier) await n.close().catch(() => {});
    this.notifiers.clear();
  }

  /** Delivers the notices whose time has come; returns how many deliveries were made. */
  async sendDue(): Promise<number> {
    const { store, owner } = this.options;
    let made = 0;
    for (;;) {
      const now = this.now();
      const due = await store.notices.due(
        this.options.sources.map((s) => s.organisationId),
        now.toISOString(),
        10,
      );
      if (due.length === 0) return made;
      let took = false;
      for (const row of due) {
        if (this.stopped) return made;
        const until = new Date(now.getTime() + (this.options.holdMs ?? 120_000)).toISOString();
        if (!(await store.notices.claim(row.organisation_id, row.id, owner, until, now.toISOString()))) continue;
        took = true;
        await this.deliver(row);
        made++;
      }
      if (!took) return made;
    }
  }

  private async deliver(row: RecipientNoticeRow): Promise<void> {
    const { store, owner, log } = this.options;
    const source = this.options.sources.find((s) => s.organisationId === row.organisation_id)!;
    const route = source.routes?.routes[row.recipient_id];
    const auditBase = { notice: row.id, recipient: row.recipient_id, channel: row.channel };
    if (!route || route.channel !== row.channel) {
      // notifications.yaml changed since the notice was written: a person tells this recipient.
      const at = this.now().toISOString();
      await store.notices.recordDelivery(
        row.organisation_id,
        row.id,
        owner,
        { state: 'by_hand', next_attempt_at: null, note: route ? `its route in notifications.yaml is now ${route.channel}, not ${row.channel}` : 'its route was removed from notifications.yaml', updated_at: at },
        { actor: `worker:${owner}`, action: 'request.recipient_notice_to_person', subject: { kind: 'request', id: row.request_id }, detail: { ...auditBase, reason: 'route_changed' } },
      );
      return;
    }
    let result: DeliveryResult;
    try {
      result = await this.notifierFor(source, row.recipient_id, route).deliver(this.noticeOf(row));
    } catch (err) {
      // A notice the notifier refuses as malformed (a programming error) or a notifier that cannot be built: a person's task.
      result = { outcome: 'failed', attempts: [{ at: this.now().toISOString(), error: err instanceof Error ? err.message.slice(0, 300) : 'delivery failed', durationMs: 0 }] };
    }
    const at = this.now();
    const attempts: DeliveryAttempt[] = [...(JSON.parse(row.attempts_json) as DeliveryAttempt[]), ...result.attempts];
    const deliveries = row.deliveries + 1;
    const delays = this.options.redeliveryDelaysMs ?? REDELIVERY_DELAYS_MS;
    const common = { deliveries, attempts_json: JSON.stringify(attempts), answer: result.answer ?? row.answer, updated_at: at.toISOString() };
    const actor = `worker:${owner}`;
    const subject = { kind: 'request', id: row.request_id };
    const detail = { ...auditBase, deliveries, attempts: result.attempts.length, ...(result.attempts.at(-1)?.status === undefined ? {} : { status: result.attempts.at(-1)!.status }) };
    if (result.outcome === 'delivered') {
      await store.notices.recordDelivery(row.organisation_id, row.id, owner, { ...common, state: 'delivered', told_at: at.toISOString(), next_attempt_at: null }, { actor, action: 'request.recipient_notified', subject, detail });
      log?.({ request: row.request_id, notice: row.id, recipient: row.recipient_id, channel: row.channel }, 'art19: recipient told');
      return;
    }
    const delay = delays[deliveries - 1];
    if (delay === undefined) {
      await store.notices.recordDelivery(row.organisation_id, row.id, owner, { ...common, state: 'failed', next_attempt_at: null }, { actor, action: 'request.recipient_notice_failed', subject, detail });
      log?.({ request: row.request_id, notice: row.id, recipient: row.recipient_id, deliveries }, 'art19: delivery failed for good; a person tells the recipient');
      return;
    }
    const next = new Date(at.getTime() + delay).toISOString();
    await store.notices.recordDelivery(row.organisation_id, row.id, owner, { ...common, next_attempt_at: next }, { actor, action: 'request.recipient_notice_retrying', subject, detail: { ...detail, next } });
    log?.({ request: row.request_id, notice: row.id, recipient: row.recipient_id, deliveries }, 'art19: delivery failed; will try again');
  }

  private noticeOf(row: RecipientNoticeRow): RecipientNotice {
    return checkNotice({
      id: row.id,
      organisationId: row.organisation_id,
      requestId: row.request_id,
      recipientId: row.recipient_id,
      action: row.action as NoticeAction,
      categories: JSON.parse(row.categories_json) as string[],
      occurredAt: row.created_at,
      ...(row.subject_ref === null ? {} : { subjectRef: row.subject_ref }),
    });
  }

  private notifierFor(source: NoticeSource, recipientId: string, route: NotificationRoute): Notifier {
    const key = `${source.organisationId}\u0000${recipientId}`;
    let notifier = this.notifiers.get(key);
    if (notifier) return notifier;
    const retries = this.options.retryDelaysMs ? { retryDelaysMs: this.options.retryDelaysMs } : {};
    const env = this.options.env ?? process.env;
    switch (route.channel) {
      case 'webhook': {
        const secret = env[route.secretEnv];
        if (secret === undefined) throw new OpendpoError('CONFIG_INVALID', `the environment variable ${route.secretEnv} (the secret shared with ${recipientId}) is not set`);
        notifier = new WebhookNotifier({ url: route.url, secret, ...retries });
        break;
      }
      case 'email':
        if (!this.options.mailer) throw new OpendpoError('CONFIG_INVALID', 'no mail server is configured (OPENDPO_SMTP_URL)');
        notifier = new EmailNotifier({ mailer: this.options.mailer, to: route.to, controller: source.controllerName, language: route.language ?? source.language });
        break;
      case 'nats': {
        if (!this.options.natsUrl) throw new OpendpoError('CONFIG_INVALID', 'no NATS server is configured (OPENDPO_NATS_URL)');
        const subject = route.subject;
        notifier = new NatsNotifier({ url: this.options.natsUrl, subject: subject ? () => subject : defaultNatsSubject, ...retries });
        break;
      }
    }
    this.notifiers.set(key, notifier);
    return notifier;
  }
}
