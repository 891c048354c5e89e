/**
 * Sends the daily reminder (plan-reminders.ts) of each organisation once per calendar day of its
 * own calendar, after a local hour (OPENDPO_REMINDER_HOUR, 08:00 by default): Art. 12(3) gives one
 * month, and a request nobody looked at for three weeks is the one answered late.
 *
 * Once, whatever the number of `opendpo serve` processes on the database and their restarts: a run
 * is claimed in the store by its (organisation, day) key, and each digest is recorded before its
 * mail goes (src/store/reminders-repository.ts). A process that died mid-run is taken over once its
 * hold lapsed: the digests it recorded are not sent again (one it was sending is recorded failed, as
 * it may have gone), the others are. A digest the mail server refused is recorded failed and not
 * tried again that day: tomorrow's lists it again.
 *
 * Logs and audit entries carry ids and counts: never a staff address, a name or a request's content.
 */
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { Mailer, MailFailureDetails } from '../../mail/mailer.js';
import type { Register } from '../../register/schema.js';
import type { AuditEntryInput } from '../../store/audit-log.js';
import type { Store } from '../../store/open-store.js';
import type { RunClaim } from '../../store/reminders-repository.js';
import { calendarDay, countryTimeZone } from '../deadline.js';
import type { RequestState } from '../request-states.js';
import type { RequestType } from '../request-types.js';
import { addDays } from './calendar-days.js';
import { DEFAULT_DUE_WITHIN_DAYS, digestSize, planReminders, type ReminderDigest } from './plan-reminders.js';
import { renderReminder, type ReminderFacts } from './render-reminder.js';

export const DEFAULT_REMINDER_HOUR = 8;
const ACTOR = 'system:reminders';

export interface ReminderSenderOptions {
  store: Store;
  /** Without one, nothing is sent (and the log says so once). */
  mailer: Mailer | undefined;
  /** This process (host:pid): who holds a run. */
  owner: string;
  /** OPENDPO_TIMEZONE; default each organisation's country's zone. */
  timeZone?: string | undefined;
  /** The local hour (0-23) from which the day's reminder goes; default 8. */
  hour?: number;
  /** The look-ahead of a digest, in calendar days (1-60); default 7. */
  dueWithinDays?: number;
  /** How long a run is held without news from its process; default 5 minutes. */
  leaseMs?: number;
  /** How often the clock is looked at; default 5 minutes. */
  checkMs?: number;
  now?: () => Date;
  log?: (fields: Record<string, unknown>, message: string) => void;
}

export interface ReminderRunOutcome {
  organisationId: string;
  day: string;
  /** claimed or taken_over: this process sent the run; done or held: another did or does; no_mailer: nothing can be sent. */
  claim: RunClaim | 'no_mailer';
  sent: number;
  failed: number;
  /** Digests of a taken-over run already recorded by the process that died. */
  skipped: number;
}

export class ReminderSender {
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private toldNoMailer = false;
  /** Runs known finished (organisation~day): not asked of the store again by this process. */
  private readonly done = new Set<string>();

  constructor(private options: ReminderSenderOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Looks at the clock now and every few minutes until stopped. */
  start(log?: ReminderSenderOptions['log']): void {
    if (log) this.options = { ...this.options, log };
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.sendDue()
        .catch((err: unknown) => this.options.log?.({ code: err instanceof OpendpoError ? err.code : 'INTERNAL' }, 'reminders: check failed'))
        .finally(() => {
          if (this.stopped) return;
          this.timer = setTimeout(tick, this.options.checkMs ?? 300_000);
          this.timer.unref();
        });
    };
    tick();
  }

  /** Stops looking at the clock and waits for a run under way to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Each organisation whose local hour has come and whose day's run is not known done: its run. */
  async sendDue(): Promise<ReminderRunOutcome[]> {
    if (!this.mailerOrTell()) return [];
    const outcomes: ReminderRunOutcome[] = [];
    for (const { id } of await this.options.store.registerVersions.organisations()) {
      if (this.stopped) break;
      try {
        const register = (await this.options.store.registerVersions.latest(id))?.register;
        if (!register) continue;
        const zone = this.zoneOf(register);
        const now = this.now();
        if (this.done.has(`${id}~${calendarDay(now, zone)}`) || localHour(now, zone) < (this.options.hour ?? DEFAULT_REMINDER_HOUR)) continue;
        outcomes.push(await this.run(id, register));
      } catch (err) {
        // One organisation's trouble (its store rows, its register) does not keep the others' reminders back.
        this.options.log?.({ organisation: id, code: err instanceof OpendpoError ? err.code : 'INTERNAL' }, 'reminders: run failed');
      }
    }
    return outcomes;
  }

  /**
   * The organisation's run of today (its calendar), whatever the hour: claimed, every digest sent
   * and recorded, finished. A run another process finished or holds is left to it.
   */
  async send(organisationId: string): Promise<ReminderRunOutcome> {
    const register = (await this.options.store.registerVersions.latest(organisationId))?.register;
    if (!register) throw new OpendpoError('NOT_FOUND', `no organisation ${organisationId} has published a register`);
    return this.run(organisationId, register);
  }

  private async run(organisationId: string, register: Register): Promise<ReminderRunOutcome> {
    const mailer = this.mailerOrTell();
    const reminders = this.options.store.reminders;
    const now = this.now();
    const day = calendarDay(now, this.zoneOf(register));
    const outcome: ReminderRunOutcome = { organisationId, day, claim: 'no_mailer', sent: 0, failed: 0, skipped: 0 };
    if (!mailer) return outcome;
    const owner = this.options.owner;
    const leaseMs = this.options.leaseMs ?? 300_000;
    outcome.claim = await reminders.claimRun(organisationId, day, owner, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString());
    if (outcome.claim === 'done') this.done.add(`${organisationId}~${day}`);
    if (outcome.claim === 'done' || outcome.claim === 'held') return outcome;
    if (outcome.claim === 'taken_over') {
      const interrupted = await reminders.failInterrupted(organisationId, day, now.toISOString(), (staffId) => audit('reminder.interrupted', staffId, { day }));
      this.options.log?.({ organisation: organisationId, day, interrupted: interrupted.length }, 'reminders: run taken over from a process that stopped');
    }

    const dueWithinDays = this.options.dueWithinDays ?? DEFAULT_DUE_WITHIN_DAYS;
    const requests = await reminders.dueRequests(organisationId, addDays(day, dueWithinDays));
    const staff = await this.options.store.staff.users(organisationId);
    const plan = planReminders({
      today: day,
      dueWithinDays,
      language: register.organisation.default_language,
      requests: requests.map((r) => ({ id: r.id, reference: r.reference, type: r.type as RequestType, state: r.state as RequestState, dueOn: r.due_on, assignee: r.assignee })),
      staff: staff.map((s) => ({ id: s.id, login: s.login, role: s.role, disabled: s.disabledAt !== null })),
    });

    for (const digest of plan.digests) {
      // Still ours? A process that lost its hold (paused past the lease) leaves the rest to the one that took over.
      if (!(await reminders.renewRun(organisationId, day, owner, new Date(this.now().getTime() + leaseMs).toISOString()))) return { ...outcome, claim: 'held' };
      const size = digestSize(digest);
      if (!(await reminders.startDigest(organisationId, day, digest.staffId, size, this.now().toISOString()))) {
        outcome.skipped++;
        continue;
      }
      const sent = await this.mail(mailer, digest, { organisationName: register.organisation.name, today: plan.today, lastDay: plan.lastDay });
      const detail = { day, overdue: size.overdue, due_soon: size.dueSoon, ...(sent.reason !== undefined ? { reason: sent.reason } : {}) };
      await reminders.finishDigest(
        organisationId,
        day,
        digest.staffId,
        { status: sent.messageId !== null ? 'sent' : 'failed', messageId: sent.messageId, error: sent.error, at: this.now().toISOString() },
        audit(sent.messageId !== null ? 'reminder.sent' : 'reminder.failed', digest.staffId, detail),
      );
      if (sent.messageId !== null) outcome.sent++;
      else outcome.failed++;
    }

    const figures = await reminders.finishRun(organisationId, day, owner, this.now().toISOString(), (f) => ({
      actor: ACTOR,
      action: 'reminders.run',
      subject: { kind: 'reminders', id: day },
      detail: { ...f, requests: plan.listed, untold: plan.untold, due_within_days: dueWithinDays },
    }));
    if (!figures) return { ...outcome, claim: 'held' };
    this.done.add(`${organisationId}~${day}`);
    this.options.log?.({ organisation: organisationId, day, digests: figures.digests, sent: outcome.sent, failed: outcome.failed, untold: plan.untold }, 'reminders: sent');
    return outcome;
  }

  /** Sends one digest; never throws for the mail: a refusal is an outcome, kept without the address. */
  private async mail(mailer: Mailer, digest: ReminderDigest, facts: ReminderFacts): Promise<{ messageId: string | null; error: string | null; reason?: string }> {
    try {
      const rendered = renderReminder(digest, facts);
      const { messageId } = await mailer.send({ to: digest.login, subject: rendered.subject, text: rendered.text, html: rendered.html, headers: { 'Auto-Submitted': 'auto-generated' } });
      return { messageId, error: null };
    } catch (err) {
      // The mailer's errors name the server, never the recipient (src/mail/mailer.ts); anything else is not repeated.
      if (err instanceof OpendpoError) {
        const reason = (err.details as Partial<MailFailureDetails> | undefined)?.reason;
        return { messageId: null, error: err.message, reason: reason ?? err.code };
      }
      return { messageId: null, error: 'the reminder could not be sent', reason: 'INTERNAL' };
    }
  }

  private mailerOrTell(): Mailer | undefined {
    if (!this.options.mailer && !this.toldNoMailer) {
      this.toldNoMailer = true;
      this.options.log?.({}, 'reminders: no mail server (OPENDPO_SMTP_URL): no reminder is sent');
    }
    return this.options.mailer;
  }

  private zoneOf(register: Register): string {
    const country = register.organisation.address?.country ?? register.organisation.supervisory_authority?.country;
    return this.options.timeZone ?? (country ? countryTimeZone(country) : 'UTC');
  }
}

/** The hour (0-23) an instant falls in, in a time zone. */
export function localHour(instant: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(instant));
}

function audit(action: string, staffId: string, detail: Record<string, unknown>): AuditEntryInput {
  return { actor: ACTOR, action, subject: { kind: 'staff', id: staffId }, detail };
}
