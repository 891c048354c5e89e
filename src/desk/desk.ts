/**
 * The request desk: a person's request from receipt to its answer, every step decided by the pure
 * rules (request-states.ts, deadline.ts, one-time-code.ts) and written with its audit entry in one
 * transaction (src/store/desk-repository.ts). The HTTP routes and the CLI call this; nothing here
 * knows HTTP.
 *
 * What the person holds: the request's id and a status secret given once at submission (only its
 * hash is kept); every public action needs both, so a code or a status is never read for another
 * request. What staff hold: a session or token whose role allows the action (staff/roles.ts).
 * Nothing personal is logged or put in the audit log: ids, types, counts and outcomes only.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { Mailer } from '../mail/mailer.js';
import { downloadLink, followLink, type FollowPage } from './follow-link.js';
import { issueDownloadToken, tokenMatches } from './package-vault/download-token.js';
import type { OpenedPackage, PackageVault } from './package-vault/package-vault.js';
import type { Register } from '../register/schema.js';
import type { AuditEntryInput } from '../store/audit-log.js';
import type { DeskChange, DeskIdentityRow, DeskRequestRow, QueueFilter, StoredDeskRequest } from '../store/desk-repository.js';
import type { Store } from '../store/open-store.js';
import { answerDeadline, calendarDay, countryTimeZone, type IdentityWait } from './deadline.js';
import { checkCode, issueCode, type CodeChallenge } from './one-time-code.js';
import { commonLetterFacts } from './letter-facts-from-register.js';
import type { LetterFacts, LetterKind } from './letters/letter-facts.js';
import { renderLetter } from './letters/render-letter.js';
import { contractDeadline } from './forwarded/contract-deadline.js';
import { ANSWERED_TO_CONTROLLER, contractTerms, CONTROLLER_VERIFICATION, type ForwardedFacts } from './forwarded/forwarded-request.js';
import { decide, FINAL_STATES, type RequestFacts, type RequestState, type TransitionInput } from './request-states.js';
import { detailsProblem, isEmailType, type RequestDetails } from './request-types.js';
import { randomSecret, secretHash, secretMatches } from './staff/credentials.js';
import type { CheckedAttachment } from './attachments/check-attachment.js';
import { attachmentAudit, openAttachment, sealAttachments } from './attachments/seal-attachments.js';
import type { AttachmentRow } from '../store/attachments-repository.js';
import type { Dataset } from '../dataset/model.js';
import type { NotificationRoutes } from '../notify/routes-schema.js';
import type { RecipientNoticeRow } from '../store/notices-repository.js';
import { NOTICE_ACTION_OF, planNotices, recipientsLine, subjectReference } from './notices/plan-notices.js';

export type Language = 'en' | 'fr';
export type Channel = 'web' | 'email' | 'post' | 'controller';

export interface IdentityInput {
  type: string;
  value: string;
}

export interface SubmitInput {
  organisationId: string;
  details: RequestDetails;
  identities: readonly IdentityInput[];
  language: Language;
  channel: Channel;
  /** Who entered it: "person" for the public form, "staff:<id>", "token:<id>". */
  actor: string;
  /** When it was received (a letter entered by staff: the day it arrived); default now. */
  receivedAt?: Date;
  /** The controller whose data subject this is, for a request forwarded to its processor (channel `controller`). */
  controllerId?: string;
  /** How a forwarded request came (our shape or the Data Rights Protocol's) and the controller's reference. */
  forwarded?: Omit<ForwardedFacts, 'terms'>;
  /** Free text the person wrote. */
  message?: string;
  /** The originals of a request entered by staff (a letter's scan, the email), checked (src/desk/attachments). */
  attachments?: readonly CheckedAttachment[];
}

/** What the person is told once: the secret is never shown again. */
export interface Submitted {
  request: StoredDeskRequest;
  statusSecret: string;
  codes: CodeSent[];
  /** The originals stored with the request (without their content), when staff attached any. */
  attachments?: AttachmentRow[];
}

export interface CodeSent {
  identity: number;
  sent: boolean;
  /** Why not: the mail server refused or is down, or no code is sent to this kind of identity. */
  reason?: string;
}

/**
 * A new status key (Desk.reissueStatusKey): emailed to the confirmed address, or the link given to
 * staff once (`followUrl`), never kept: the desk keeps only the key's hash.
 */
export type StatusKeyReissued = { request: StoredDeskRequest; sent: 'email' } | { request: StoredDeskRequest; sent: 'staff'; followUrl: string };

/** What stands for the key in the kept copy of a status_link letter: the desk never keeps a key. */
const KEY_NOT_KEPT = '(key not kept)';

/** What staff may do to a request beyond the engine's own steps. */
export type StaffAction =
  | { action: 'request_identity'; reason: string }
  | { action: 'confirm_identity'; identity: number; method: 'document' | 'match' | 'staff'; note: string }
  | { action: 'approve' }
  | { action: 'refuse'; reasons: string[] }
  | { action: 'charge_fee'; grounds: string; amount_cents: number; currency: string }
  | { action: 'receive_fee' }
  | { action: 'extend'; months: number; reasons: string[] }
  | { action: 'withdraw'; note?: string | undefined }
  | { action: 'retry' }
  | { action: 'assign'; assignee: string | null }
  | { action: 'record_done'; done: string };

export interface DeskOptions {
  store: Store;
  mailer?: Mailer | undefined;
  /** Where access packages wait for their download. */
  vault?: PackageVault | undefined;
  /** The organisation's time zone (default: its country's). */
  timeZone?: string | undefined;
  /** How many days back a request of the same type and identity counts as a repetition (Art. 12(5)). */
  repeatWindowDays?: number;
  /**
   * Art. 19, per organisation: its datasets and notifications.yaml, from which the notices to the
   * recipients of a completed rectification, erasure or restriction are worked out.
   */
  noticeSources?: ReadonlyMap<string, { datasets: readonly Dataset[]; routes?: NotificationRoutes | undefined }>;
  /** How people reach the privacy center (OPENDPO_PUBLIC_URL): the links in the code emails of requests staff entered. */
  publicUrl?: string | undefined;
  /** Where the keys of subject references are read (notifications.yaml subject_ref.key_env); default process.env. */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

/** The changes of the engine's run, for Art. 19: the collections in which it changed the person's rows. */
export type ChangedCollections = readonly { dataset: string; collection: string; categories: readonly string[] }[];

/** A person's record of a notice they handled, or could not (Art. 19: "unless this proves impossible or involves disproportionate effort"). */
export type NoticeDecision = { outcome: 'told' | 'impossible' | 'disproportionate'; note: string } | { outcome: 'retry' };

/** At most this many codes per identity of a request, and one a minute. */
export const MAX_CODES_PER_IDENTITY = 5;
/** OPENDPO_PUBLIC_URL's default (src/config/config.ts), for a desk made without one (tests, the CLI's one-off commands). */
const DEFAULT_PUBLIC_URL = 'http://localhost:4750';
const CODE_RESEND_MS = 60_000;

export class Desk {
  private readonly now: () => Date;
  private codeKey: string | undefined;
  private readonly registers = new Map<string, { at: number; register: Register }>();

  constructor(private readonly options: DeskOptions) {
    this.now = options.now ?? (() => new Date());
  }

  private get store(): Store {
    return this.options.store;
  }

  /** Receives a request (Art. 12(3): its clock starts today) and, from the public form, sends the codes. */
  async submit(input: SubmitInput): Promise<Submitted> {
    const problem = detailsProblem(input.details);
    if (problem) throw new OpendpoError('INVALID_INPUT', problem);
    if ((input.channel === 'controller') !== (input.controllerId !== undefined)) {
      throw new OpendpoError('INVALID_INPUT', 'a request a controller forwards comes through the controller channel with the controller\'s id, and only such a request does');
    }
    const identities = normaliseIdentities(input.identities);
    const register = await this.register(input.organisationId);
    const country = register.organisation.address?.country ?? register.organisation.supervisory_authority?.country;
    if (!country) throw new OpendpoError('REGISTER_INVALID', `organisation ${input.organisationId}: its register gives no country (organisation.address.country): the public holidays that end a period are unknown`);
    // Art. 28(3)(e): a forwarded request is answered on the contract's terms; refused before anything is
    // stored when the register records no processing for this controller, or not the contract's period.
    const terms = input.controllerId !== undefined ? contractTerms(register, input.controllerId) : undefined;
    const receivedAt = input.receivedAt ?? this.now();
    if (receivedAt.getTime() > this.now().getTime() + 60_000) throw new OpendpoError('INVALID_INPUT', 'received_at: a request cannot be received in the future');
    const receivedOn = calendarDay(receivedAt, this.timeZone(country));
    const statusSecret = randomSecret();
    const id = randomUUID();
    const { message, details } = { message: input.message, details: input.details };
    const row: Omit<DeskRequestRow, 'version'> = {
      organisation_id: input.organisationId,
      id,
      reference: newReference(),
      type: details.type,
      channel: input.channel,
      state: 'received',
      language: input.language,
      country,
      received_at: receivedAt.toISOString(),
      received_on: receivedOn,
      due_on: terms ? contractDeadline({ receivedOn, country, terms }).dueOn : answerDeadline({ receivedOn, country }).dueOn,
      extension_months: 0,
      assignee: null,
      controller_id: input.controllerId ?? null,
      status_secret_hash: secretHash(statusSecret),
      details_json: JSON.stringify({
        ...details,
        ...(message !== undefined ? { message } : {}),
        ...(terms ? { forwarded: { ...(input.forwarded ?? { protocol: 'opendpo' }), terms } satisfies ForwardedFacts } : {}),
      }),
      created_by: input.actor,
      updated_at: this.now().toISOString(),
      closed_at: null,
      worker_owner: null,
      worker_lease_expires_at: null,
      run_id: null,
      package_id: null,
      package_expires_at: null,
      download_secret_hash: null,
    };
    // The originals staff attached, sealed here and stored with the request or not at all: proof of
    // what was received and when (Art. 5(2), 12(3)), encrypted at rest (Art. 32(1)(a)), decision 0032.
    const attachments = sealAttachments(this.options.vault, { organisationId: input.organisationId, requestId: id, actor: input.actor, now: this.now() }, input.attachments ?? []);
    await this.store.desk.create(
      input.organisationId,
      { request: row, identities: identities.map((i, n) => ({ seq: n + 1, ...i })), ...(attachments.rows.length > 0 ? { attachments: attachments.rows } : {}) },
      [
        audit(input.actor, 'request.received', id, {
          type: details.type,
          channel: input.channel,
          identities: identities.map((i) => i.type),
          due_on: row.due_on,
          ...(input.controllerId !== undefined ? { controller: input.controllerId } : {}),
        }),
        ...attachments.audit,
      ],
    );
    if (input.channel === 'controller') await this.confirmedByController(input.organisationId, id, input.actor);
    const codes: CodeSent[] = [];
    // A request from the public form is confirmed by a code to each email it names; one entered by staff
    // is confirmed as staff decide (they may have the original letter, or send codes from the console).
    // A request received by email gets its codes at once, each with the link that opens the request
    // (the key in it): the person made it from that mailbox, never on a page (follow-link.ts).
    if (input.channel === 'web' || input.channel === 'email') {
      for (let seq = 1; seq <= identities.length; seq++) {
        codes.push(await this.sendCodeUnchecked(input.organisationId, id, seq, input.actor, statusSecret).catch((err: unknown) => ({ identity: seq, sent: false, reason: reasonOf(err) })));
      }
    }
    const kept = attachments.rows.map(({ sealed: _sealed, ...r }): AttachmentRow => ({ ...r, organisation_id: input.organisationId, request_id: id }));
    return { request: await this.get(input.organisationId, id), statusSecret, codes, ...(kept.length > 0 ? { attachments: kept } : {}) };
  }

  /**
   * The controller confirmed its data subject's identity before forwarding the request (Art. 12(6) is
   * the controller's to apply): each identity is recorded as confirmed by the controller and the request
   * waits for a decision. No code and no acknowledgement go to the person: the controller answers them.
   * A second write after the request's own (the repository creates a request as received); were it to
   * fail, the request stays received, for staff to confirm.
   */
  private async confirmedByController(organisationId: string, requestId: string, actor: string): Promise<void> {
    const stored = await this.get(organisationId, requestId);
    const now = this.now().toISOString();
    const change: DeskChange = {
      requestId,
      expectedVersion: stored.request.version,
      set: { updated_at: now },
      identities: stored.identities.map((i) => ({ seq: i.seq, set: { verified_at: now, verified_by: CONTROLLER_VERIFICATION } })),
      audit: [audit(actor, 'request.identity_confirmed', requestId, { identities: stored.identities.length, method: CONTROLLER_VERIFICATION, document_kept: false })],
    };
    this.transition(stored, change, { name: 'verify_identity' }, actor, { identities: stored.identities.length, method: CONTROLLER_VERIFICATION });
    await this.store.desk.apply(organisationId, change);
  }

  /** A request as the controller that forwarded it may follow it: another controller's, or a request made to us, is not found. */
  async forController(organisationId: string, requestId: string, controllerId: string): Promise<StoredDeskRequest> {
    const stored = await this.store.desk.get(organisationId, requestId);
    // The same answer for an unknown id and another controller's request: an id alone reveals nothing.
    if (!stored || stored.request.channel !== 'controller' || stored.request.controller_id !== controllerId) {
      throw new OpendpoError('NOT_FOUND', 'no request with this id forwarded by this controller');
    }
    return stored;
  }

  /**
   * The controller withdraws a request it forwarded (its data subject withdrew it, or DRP's revoke):
   * only its own, and only before it runs (the state machine refuses a request in progress or
   * answered, with its reason).
   */
  async withdrawForController(organisationId: string, requestId: string, controllerId: string, actor: string, reason?: string): Promise<StoredDeskRequest> {
    const stored = await this.forController(organisationId, requestId, controllerId);
    return this.act(organisationId, requestId, actor, { action: 'withdraw', note: reason }, stored.request.version);
  }

  /**
   * The package of a completed access or portability request, for the controller that forwarded it
   * (Art. 28(3)(e): the answer is the controller's to give its data subject). The controller's token
   * stands for the person's status and download tokens; each download is in the audit log.
   */
  async openPackageForController(organisationId: string, requestId: string, controllerId: string, actor: string): Promise<OpenedPackage> {
    const r = (await this.forController(organisationId, requestId, controllerId)).request;
    if (r.package_id === null) throw new OpendpoError('NOT_FOUND', 'no package for this request (only a completed access or portability request has one)');
    return this.download(r, actor, 'ask the processor\'s data protection officer for a new copy', { by: 'controller', controller: controllerId });
  }

  /** A package handed over before its expiry, each download in the audit log (Art. 5(2)). */
  private async download(r: DeskRequestRow, actor: string, whenExpired: string, detail: Record<string, unknown>): Promise<OpenedPackage> {
    if (!this.options.vault) throw new OpendpoError('CONFIG_INVALID', 'no package vault is configured (OPENDPO_PACKAGE_KEY)');
    const now = this.now();
    if (r.package_expires_at !== null && r.package_expires_at <= now.toISOString()) {
      throw new OpendpoError('NOT_FOUND', `the package expired on ${r.package_expires_at.slice(0, 10)}: ${whenExpired}`);
    }
    const opened = await this.options.vault.open(r.package_id!, { now });
    await this.store.audit.append(r.organisation_id, audit(actor, 'request.package_downloaded', r.id, { bytes: opened.sizeBytes, ...detail }));
    return opened;
  }

  /** A new code for one identity, asked by the person (with the status secret). */
  async sendCode(organisationId: string, requestId: string, statusSecret: string, seq: number): Promise<CodeSent> {
    await this.forPerson(organisationId, requestId, statusSecret);
    return this.sendCodeUnchecked(organisationId, requestId, seq, 'person', statusSecret);
  }

  /**
   * Staff send the codes of a request they entered. The desk keeps only the status key's hash: the
   * email sends the person to the link they were given first (the entry's code email, or staff's letter).
   */
  async sendCodeAsStaff(organisationId: string, requestId: string, seq: number, actor: string): Promise<CodeSent> {
    return this.sendCodeUnchecked(organisationId, requestId, seq, actor);
  }

  /**
   * The link that hands a request's status key to the person's browser, for a request staff entered
   * (follow-link.ts); given once, with the key, in the entry's answer and code emails.
   */
  followLink(organisationId: string, requestId: string, statusSecret: string, page: FollowPage): string {
    return followLink(this.options.publicUrl ?? DEFAULT_PUBLIC_URL, organisationId, requestId, statusSecret, page);
  }

  /** `statusSecret`: the key, when the caller holds it (at entry, or the person asking again): the email of a staff-entered request carries its link. */
  private async sendCodeUnchecked(organisationId: string, requestId: string, seq: number, actor: string, statusSecret?: string): Promise<CodeSent> {
    const stored = await this.get(organisationId, requestId);
    const identity = identityOf(stored, seq);
    const state = stored.request.state as RequestState;
    if (FINAL_STATES.has(state) || (state !== 'received' && state !== 'awaiting_identity')) {
      throw new OpendpoError('REQUEST_REFUSED', `no code is sent for a request that is ${state.replace('_', ' ')}`);
    }
    if (identity.verified_at !== null) return { identity: seq, sent: false, reason: 'this identity is already confirmed' };
    if (!isEmailType(identity.type)) return { identity: seq, sent: false, reason: `a ${identity.type} is confirmed by staff (a code goes only to an email address)` };
    if (identity.challenges_sent >= MAX_CODES_PER_IDENTITY) {
      throw new OpendpoError('REQUEST_REFUSED', `${MAX_CODES_PER_IDENTITY} codes were already sent for this identity: contact the data protection officer`);
    }
    const now = this.now();
    if (identity.challenge_sent_at !== null && now.getTime() - Date.parse(identity.challenge_sent_at) < CODE_RESEND_MS) {
      throw new OpendpoError('REQUEST_REFUSED', 'a code was sent less than a minute ago: wait for it, or try again in a minute');
    }
    const mailer = this.options.mailer;
    // Not an error of the caller's: the identity is then confirmed by staff (step-up), and the answer says so.
    if (!mailer) return { identity: seq, sent: false, reason: 'no mail server is configured (OPENDPO_SMTP_URL): the identity is confirmed by staff' };
    const challengeId = randomUUID();
    const { code, challenge } = issueCode({ id: challengeId, secret: await this.codeSecret(), now });
    const register = await this.register(organisationId);
    // The code letter is not kept with the request (the code is kept only as its keyed hash); the audit log records that it was sent.
    // A web-form request's key is never emailed (its browser holds it); a staff-entered one's code email leads to its page.
    const enteredByStaff =
      stored.request.channel === 'email' || stored.request.channel === 'post'
        ? { ...(statusSecret !== undefined ? { followUrl: this.followLink(organisationId, requestId, statusSecret, 'code') } : {}) }
        : undefined;
    const letter = renderLetter('identity_code', stored.request.language as Language, { ...commonLetterFacts(register, stored.request), code, ...(enteredByStaff ? { enteredByStaff } : {}) });
    await mailer.send({ to: identity.value, ...letter, headers: { 'Auto-Submitted': 'auto-generated' } });
    const change: DeskChange = {
      requestId,
      expectedVersion: stored.request.version,
      set: { updated_at: now.toISOString() },
      identities: [
        {
          seq,
          set: {
            challenge_id: challenge.id,
            challenge_hash: challenge.hash,
            challenge_expires_at: challenge.expiresAt,
            challenge_attempts: 0,
            challenge_sent_at: now.toISOString(),
            challenges_sent: identity.challenges_sent + 1,
          },
        },
      ],
      audit: [audit(actor, 'request.code_sent', requestId, { identity: seq, type: identity.type })],
    };
    // The first code asks the person for identity information: the clock waits until it is given (Art. 12(6)).
    if (state === 'received') this.transition(stored, change, { name: 'request_identity' }, actor, { reason: 'code sent by email' });
    await this.store.desk.apply(organisationId, change);
    return { identity: seq, sent: true };
  }

  /** The person types the code they received; once every identity is confirmed, the request is verified. */
  async verifyCode(organisationId: string, requestId: string, statusSecret: string, seq: number, code: string): Promise<{ outcome: string; attemptsLeft: number; state: string }> {
    const stored = await this.forPerson(organisationId, requestId, statusSecret);
    const identity = identityOf(stored, seq);
    if (identity.challenge_id === null || identity.challenge_hash === null || identity.challenge_expires_at === null) {
      throw new OpendpoError('REQUEST_REFUSED', 'no code was sent for this identity: ask for one first');
    }
    const challenge: CodeChallenge = {
      id: identity.challenge_id,
      hash: identity.challenge_hash,
      expiresAt: identity.challenge_expires_at,
      attempts: identity.challenge_attempts,
      ...(identity.verified_at !== null ? { verifiedAt: identity.verified_at } : {}),
    };
    const now = this.now();
    const checked = checkCode(challenge, code, { secret: await this.codeSecret(), now });
    if (checked.outcome === 'already-verified') return { outcome: checked.outcome, attemptsLeft: checked.attemptsLeft, state: stored.request.state };
    const change: DeskChange = {
      requestId,
      expectedVersion: stored.request.version,
      set: { updated_at: now.toISOString() },
      identities: [
        {
          seq,
          set: {
            challenge_attempts: checked.challenge.attempts,
            ...(checked.outcome === 'verified' ? { verified_at: now.toISOString(), verified_by: 'code' } : {}),
          },
        },
      ],
      audit: [audit('person', 'request.code_checked', requestId, { identity: seq, outcome: checked.outcome, attempts: checked.challenge.attempts })],
    };
    if (checked.outcome === 'verified') this.verifyIfComplete(stored, change, seq, 'person');
    // Every try is recorded, an expired or locked one too: the log shows how the identity was confirmed, or not.
    await this.store.desk.apply(organisationId, change);
    if (change.transitions?.some((t) => t.name === 'verify_identity')) await this.sendLetter(organisationId, requestId, 'acknowledgement', {}, 'person');
    const after = await this.get(organisationId, requestId);
    return { outcome: checked.outcome, attemptsLeft: checked.attemptsLeft, state: after.request.state };
  }

  /**
   * The access package of a completed request, for the person: their status token (given at
   * submission) and the download token (sent to their confirmed address) both, and before the
   * link expires (Art. 15(3), 32). Each download is in the audit log.
   */
  async openPackage(organisationId: string, requestId: string, statusSecret: string, downloadToken: string): Promise<OpenedPackage> {
    const stored = await this.forPerson(organisationId, requestId, statusSecret);
    const r = stored.request;
    if (r.package_id === null || r.download_secret_hash === null || !tokenMatches(r.download_secret_hash, downloadToken)) {
      throw new OpendpoError('NOT_FOUND', 'no package for this request and download link');
    }
    return this.download(r, 'person', 'write to the data protection officer for a new copy', {});
  }

  /**
   * A new link to a completed request's copy, sent to the person (Art. 15(3), 12(2): the controller
   * facilitates the exercise of the right): the completion letter was lost, filtered as spam or sent
   * before the mailbox was fixed. A new download token replaces the old one in the same write, so the
   * earlier link stops working (a link sent astray is revoked by this too). The copy and its last
   * day are those of the vault: once it has expired, the person's way to a new copy is a new request.
   */
  async renewDownloadLink(organisationId: string, requestId: string, actor: string, expectedVersion?: number): Promise<StoredDeskRequest> {
    const stored = await this.get(organisationId, requestId);
    const r = stored.request;
    if (expectedVersion !== undefined && expectedVersion !== r.version) throw new OpendpoError('REQUEST_CHANGED', `the request changed (version ${r.version}, not ${expectedVersion}): read it again`);
    if (r.state !== 'completed' || r.package_id === null || r.package_expires_at === null) {
      throw new OpendpoError('REQUEST_REFUSED', 'only a completed access or portability request has a copy to link to');
    }
    if (r.channel === 'controller') throw new OpendpoError('REQUEST_REFUSED', 'a forwarded request\'s copy is fetched by the controller that forwarded it (Art. 28(3)(e)), not sent to the person');
    const now = this.now();
    if (r.package_expires_at <= now.toISOString()) {
      throw new OpendpoError('REQUEST_REFUSED', `the copy expired on ${r.package_expires_at.slice(0, 10)} and was deleted: a new copy answers a new request (enter one for the person)`);
    }
    const download = issueDownloadToken();
    await this.store.desk.apply(organisationId, {
      requestId,
      expectedVersion: r.version,
      set: { download_secret_hash: download.hash, updated_at: now.toISOString() },
      audit: [audit(actor, 'request.download_link_renewed', requestId, { expires_at: r.package_expires_at })],
    });
    const expiresOn = calendarDay(new Date(r.package_expires_at), this.timeZone(r.country));
    await this.sendLetter(organisationId, requestId, 'download_link', { download: { url: downloadLink(this.options.publicUrl ?? DEFAULT_PUBLIC_URL, organisationId, requestId, download.token), expiresOn } }, actor);
    return this.get(organisationId, requestId);
  }

  /**
   * A new status key for the person who lost theirs (another device, cleared cookies, the first email
   * or staff's letter gone): without it they can neither follow the request nor download its copy,
   * and the controller must facilitate the exercise of their rights (Art. 12(2)). A new key replaces
   * the old one's hash in one write with its audit entry, so the earlier key (and a link sent astray)
   * stops working. Any state, a closed one too: a completed request's copy needs the key, and a person
   * whose request was refused or withdrawn may still read its outcome.
   *
   * Where the link goes: by email to the request's first CONFIRMED address only. An unconfirmed
   * address could be anyone's, and the link opens the request (Art. 12(6)): it gets nothing. Without a
   * confirmed address (a letter, or no mail server), staff get the link once, for a postal answer or
   * to hand on after confirming who asks. The kept copy of the letter names no key: the desk keeps
   * only the key's hash (Art. 32(1)). A forwarded request is the controller's to answer
   * (Art. 28(3)(e)): the person never holds its key.
   */
  async reissueStatusKey(organisationId: string, requestId: string, actor: string, expectedVersion?: number): Promise<StatusKeyReissued> {
    const stored = await this.get(organisationId, requestId);
    const r = stored.request;
    if (expectedVersion !== undefined && expectedVersion !== r.version) throw new OpendpoError('REQUEST_CHANGED', `the request changed (version ${r.version}, not ${expectedVersion}): read it again`);
    if (r.channel === 'controller') throw new OpendpoError('REQUEST_REFUSED', 'a forwarded request is followed by the controller that forwarded it (Art. 28(3)(e)): the person holds no key to it');
    const confirmed = stored.identities.find((i) => isEmailType(i.type) && i.verified_at !== null);
    const mailer = this.options.mailer;
    const email = confirmed !== undefined && mailer !== undefined ? { to: confirmed, mailer } : undefined;
    const sent = email ? 'email' : 'staff';
    const key = randomSecret();
    const followUrl = this.followLink(organisationId, requestId, key, 'status');
    const language = r.language as Language;
    // Rendered before the write: a letter that cannot be written leaves the old key working.
    const rendered = email ? renderLetter('status_link', language, { ...commonLetterFacts(await this.register(organisationId), r), followUrl }) : undefined;
    const now = this.now().toISOString();
    await this.store.desk.apply(organisationId, {
      requestId,
      expectedVersion: r.version,
      set: { status_secret_hash: secretHash(key), updated_at: now },
      audit: [audit(actor, 'request.status_key_reissued', requestId, { sent, ...(email ? { identity: email.to.seq } : {}) })],
    });
    if (!email || !rendered) return { request: await this.get(organisationId, requestId), sent: 'staff', followUrl };
    let status: 'sent' | 'failed' = 'failed';
    let messageId: string | null = null;
    let error: string | null = null;
    try {
      messageId = (await email.mailer.send({ to: email.to.value, ...rendered, headers: { 'Auto-Submitted': 'auto-generated' } })).messageId;
      status = 'sent';
    } catch (err) {
      error = reasonOf(err);
    }
    const withoutKey = (text: string) => text.replaceAll(key, KEY_NOT_KEPT);
    await this.store.desk.addLetter(
      organisationId,
      {
        request_id: requestId,
        kind: 'status_link',
        language,
        identity_seq: email.to.seq,
        subject: withoutKey(rendered.subject),
        body_text: withoutKey(rendered.text),
        body_html: withoutKey(rendered.html),
        status,
        message_id: messageId,
        error,
        at: this.now().toISOString(),
        actor,
      },
      audit(actor, status === 'sent' ? 'request.letter_sent' : 'request.letter_failed', requestId, { kind: 'status_link', language, identity: email.to.seq }),
    );
    return { request: await this.get(organisationId, requestId), sent: 'email' };
  }

  /** What the person may see of their request (with its status secret). */
  async status(organisationId: string, requestId: string, statusSecret: string): Promise<StoredDeskRequest> {
    // The person sees the state, the deadline and their identities: the history and letters are not read.
    return this.forPerson(organisationId, requestId, statusSecret, { history: false });
  }

  async get(organisationId: string, requestId: string): Promise<StoredDeskRequest> {
    const stored = await this.store.desk.get(organisationId, requestId);
    if (!stored) throw new OpendpoError('NOT_FOUND', `no request ${requestId} in organisation ${organisationId}`);
    return stored;
  }

  /** A staff view of a request's identities and content: recorded in the audit log (Art. 5(2), 32). */
  async viewAsStaff(organisationId: string, requestId: string, actor: string): Promise<StoredDeskRequest> {
    const stored = await this.get(organisationId, requestId);
    await this.store.audit.append(organisationId, audit(actor, 'request.viewed', requestId, { identities: stored.identities.length }));
    return stored;
  }

  /** The originals kept with a request (names, types, sizes): a view of a person's data, in the audit log (Art. 5(2), 32). */
  async attachments(organisationId: string, requestId: string, actor: string): Promise<AttachmentRow[]> {
    if (!(await this.store.desk.get(organisationId, requestId, { history: false }))) throw new OpendpoError('NOT_FOUND', `no request ${requestId} in organisation ${organisationId}`);
    return this.store.attachments.list(organisationId, requestId, (rows) => audit(actor, 'request.attachments_listed', requestId, { attachments: rows.length }));
  }

  /** One original, opened and checked against what was recorded when it was received; each view in the audit log. */
  async openAttachment(organisationId: string, requestId: string, seq: number, actor: string): Promise<{ attachment: AttachmentRow; content: Buffer }> {
    if (!(await this.store.desk.get(organisationId, requestId, { history: false }))) throw new OpendpoError('NOT_FOUND', `no request ${requestId} in organisation ${organisationId}`);
    const row = await this.store.attachments.read(organisationId, requestId, seq, (r) => attachmentAudit(actor, 'request.attachment_viewed', requestId, r));
    if (!row) throw new OpendpoError('NOT_FOUND', `request ${requestId} has no attachment ${seq}`);
    const { sealed: _sealed, ...attachment } = row;
    return { attachment, content: openAttachment(this.options.vault, row, this.now()) };
  }

  /** Today in the organisation's calendar (its time zone, or its country's): the day overdue is counted from. */
  async today(organisationId: string): Promise<string> {
    const register = await this.register(organisationId);
    const country = register.organisation.address?.country ?? register.organisation.supervisory_authority?.country;
    return calendarDay(this.now(), this.options.timeZone ?? (country ? countryTimeZone(country) : 'UTC'));
  }

  async queue(organisationId: string, filter: QueueFilter): Promise<DeskRequestRow[]> {
    return this.store.desk.queue(organisationId, filter);
  }

  /** Earlier requests of the same type by the same person within the window: the grounds of an "excessive" decision are the DPO's. */
  async repetitions(stored: StoredDeskRequest): Promise<DeskRequestRow[]> {
    const days = this.options.repeatWindowDays ?? 90;
    const since = new Date(Date.parse(stored.request.received_at) - days * 86_400_000).toISOString();
    const found = await this.store.desk.similarSince(stored.request.organisation_id, stored.request.type, stored.identities, since, stored.request.id);
    return found.filter((r) => r.received_at <= stored.request.received_at);
  }

  /** A staff action, decided on the version of the request the staff member saw. */
  async act(organisationId: string, requestId: string, actor: string, action: StaffAction, expectedVersion?: number): Promise<StoredDeskRequest> {
    const stored = await this.get(organisationId, requestId);
    if (expectedVersion !== undefined && expectedVersion !== stored.request.version) {
      throw new OpendpoError('REQUEST_CHANGED', `the request changed since version ${expectedVersion} was read (it is at ${stored.request.version}): read it again and decide on what it is now`);
    }
    const now = this.now();
    const change: DeskChange = { requestId, expectedVersion: stored.request.version, set: { updated_at: now.toISOString() }, audit: [] };
    switch (action.action) {
      case 'assign': {
        if (action.assignee !== null && !(await this.store.staff.user(organisationId, action.assignee))) {
          throw new OpendpoError('INVALID_INPUT', `assignee: no staff account ${action.assignee} in organisation ${organisationId}`);
        }
        change.set = { ...change.set, assignee: action.assignee };
        change.audit.push(audit(actor, 'request.assigned', requestId, { assignee: action.assignee }));
        break;
      }
      case 'confirm_identity': {
        const identity = identityOf(stored, action.identity);
        if (identity.verified_at !== null) throw new OpendpoError('REQUEST_REFUSED', `identity ${action.identity} is already confirmed`);
        const state = stored.request.state as RequestState;
        if (state !== 'received' && state !== 'awaiting_identity') throw new OpendpoError('REQUEST_REFUSED', `identities are confirmed before a decision; the request is ${state.replace('_', ' ')}`);
        // A document is looked at and not kept (EDPB Guidelines 01/2022 § 77): the record says so, the file is never stored.
        change.identities = [{ seq: action.identity, set: { verified_at: now.toISOString(), verified_by: action.method } }];
        change.audit.push(audit(actor, 'request.identity_confirmed', requestId, { identity: action.identity, method: action.method, note_length: action.note.length, document_kept: false }));
        this.verifyIfComplete(stored, change, action.identity, actor);
        break;
      }
      case 'request_identity':
        this.transition(stored, change, { name: 'request_identity' }, actor, { reason: action.reason });
        break;
      case 'approve':
        this.transition(stored, change, { name: 'approve' }, actor, {});
        break;
      case 'refuse': {
        const register = await this.register(organisationId);
        const authority = register.organisation.supervisory_authority;
        // Art. 12(4): the refusal tells the reasons, the right to complain to the authority and to a judicial remedy.
        this.transition(stored, change, { name: 'refuse', reasons: action.reasons }, actor, {
          reasons: action.reasons,
          complaint_authority: authority?.name ?? null,
          complaint_authority_url: authority?.url ?? null,
          judicial_remedy: true,
        });
        break;
      }
      case 'charge_fee':
        this.transition(stored, change, { name: 'charge_fee', grounds: action.grounds, amountCents: action.amount_cents }, actor, {
          grounds: action.grounds,
          amount_cents: action.amount_cents,
          currency: action.currency,
          repetitions: (await this.repetitions(stored)).map((r) => r.id),
        });
        break;
      case 'receive_fee':
        this.transition(stored, change, { name: 'receive_fee' }, actor, {});
        break;
      case 'extend':
        if (stored.request.channel === 'controller') {
          throw new OpendpoError('REQUEST_REFUSED', 'a forwarded request is due on its contract\'s day (Art. 28(3)(e)); Art. 12(3)\'s extension is the controller\'s to tell its data subject: agree a later day with the controller');
        }
        this.transition(stored, change, { name: 'extend', months: action.months, reasons: action.reasons }, actor, { months: action.months, reasons: action.reasons });
        break;
      case 'withdraw':
        this.transition(stored, change, { name: 'withdraw' }, actor, action.note !== undefined ? { note: action.note } : {});
        break;
      case 'retry':
        this.transition(stored, change, { name: 'retry' }, actor, {});
        break;
      case 'record_done': {
        // What the engine does not do (an objection, a consent withdrawn, a human review, post-mortem
        // directives, a rectification by hand) is done by staff, and recorded: started and completed at once.
        if (stored.request.type === 'access' || stored.request.type === 'portability') {
          throw new OpendpoError('REQUEST_REFUSED', `an ${stored.request.type} request is answered with its copy, which the worker makes and hands over (OPENDPO_DATASETS): it is not recorded as done by hand`);
        }
        this.transition(stored, change, { name: 'start' }, actor, {});
        this.transition(stored, change, { name: 'complete' }, actor, { done: action.done, by_hand: true });
        await this.addNotices(stored, change, undefined, actor);
        break;
      }
    }
    await this.store.desk.apply(organisationId, change);
    await this.tell(organisationId, stored, change, action, actor);
    return this.get(organisationId, requestId);
  }

  /**
   * A worker takes a request to run: an approved one (started), or one in progress whose worker
   * stopped renewing its hold (taken over, to resume: the engine's own evidence says where it was).
   * Refused (REQUEST_CHANGED) when another worker took it first: on one database, one runs it.
   */
  async take(organisationId: string, requestId: string, owner: string, leaseMs: number): Promise<StoredDeskRequest> {
    const stored = await this.get(organisationId, requestId);
    const now = this.now();
    const change: DeskChange = {
      requestId,
      expectedVersion: stored.request.version,
      set: { updated_at: now.toISOString(), worker_owner: owner, worker_lease_expires_at: new Date(now.getTime() + leaseMs).toISOString() },
      audit: [],
    };
    if (stored.request.state === 'approved') this.transition(stored, change, { name: 'start' }, `worker:${owner}`, {});
    else if (stored.request.state === 'in_progress' && (stored.request.worker_lease_expires_at ?? '') < now.toISOString()) {
      change.audit.push(audit(`worker:${owner}`, 'request.taken_over', requestId, { previous_worker: stored.request.worker_owner }));
    } else throw new OpendpoError('REQUEST_CHANGED', 'the request is not waiting to run');
    await this.store.desk.apply(organisationId, change);
    return this.get(organisationId, requestId);
  }

  /** The run ended: completed (with the package waiting, for access and portability) or failed, retryable by the DPO. */
  async finishRun(
    organisationId: string,
    requestId: string,
    owner: string,
    result:
      | { outcome: 'completed'; runId: string; summary: Record<string, unknown>; package?: { id: string; expiresAt: string; downloadHash: string }; changed?: ChangedCollections }
      | { outcome: 'failed'; runId: string | null; errorCode: string },
  ): Promise<StoredDeskRequest> {
    const stored = await this.get(organisationId, requestId);
    if (stored.request.worker_owner !== owner || stored.request.state !== 'in_progress') {
      throw new OpendpoError('REQUEST_CHANGED', 'the request is no longer held by this worker');
    }
    const change: DeskChange = {
      requestId,
      expectedVersion: stored.request.version,
      set: { updated_at: this.now().toISOString(), worker_owner: null, worker_lease_expires_at: null, run_id: result.runId },
      audit: [],
    };
    const actor = `worker:${owner}`;
    if (result.outcome === 'completed') {
      if (result.package) change.set = { ...change.set, package_id: result.package.id, package_expires_at: result.package.expiresAt, download_secret_hash: result.package.downloadHash };
      this.transition(stored, change, { name: 'complete' }, actor, { run: result.runId, ...result.summary });
      await this.addNotices(stored, change, result.changed ?? [], actor);
    } else {
      this.transition(stored, change, { name: 'fail', errorCode: result.errorCode }, actor, { run: result.runId, error_code: result.errorCode });
    }
    await this.store.desk.apply(organisationId, change);
    return this.get(organisationId, requestId);
  }

  /**
   * Adds to a completing change the notices to each recipient (Art. 19), written in the same
   * transaction: a process killed after the completion still tells them all. A request forwarded
   * by a controller is not told here: telling the recipients is that controller's, which this
   * organisation assists as its processor (Art. 28(3)(e)).
   */
  private async addNotices(stored: StoredDeskRequest, change: DeskChange, changed: ChangedCollections | undefined, actor: string): Promise<void> {
    const action = NOTICE_ACTION_OF[stored.request.type];
    if (action === undefined || stored.request.channel === 'controller') return;
    const organisationId = stored.request.organisation_id;
    const source = this.options.noticeSources?.get(organisationId);
    const register = await this.register(organisationId);
    const env = this.options.env ?? process.env;
    const notices = planNotices({
      register,
      action,
      datasets: source?.datasets ?? [],
      changed,
      routes: source?.routes,
      subjectRef: (recipientId) => {
        const ref = source?.routes?.routes[recipientId]?.subjectRef;
        const key = ref ? env[ref.keyEnv] : undefined;
        const identity = ref ? stored.identities.find((i) => i.type === ref.identity && i.verified_at !== null) : undefined;
        return key !== undefined && identity ? subjectReference(key, identity.type, identity.value) : undefined;
      },
      now: this.now(),
    });
    if (notices.length === 0) return;
    change.notices = notices;
    const channels: Record<string, number> = {};
    for (const n of notices) channels[n.channel] = (channels[n.channel] ?? 0) + 1;
    change.audit.push(audit(actor, 'request.recipient_notices_planned', stored.request.id, { action, recipients: notices.length, channels }));
  }

  /** The Art. 19 notices of a request, for staff. */
  async recipientNotices(organisationId: string, requestId: string): Promise<RecipientNoticeRow[]> {
    await this.get(organisationId, requestId);
    return this.store.notices.forRequest(organisationId, requestId);
  }

  /** Art. 19, second sentence: the person asks who the recipients told of their request were. */
  async recipientsForPerson(organisationId: string, requestId: string, statusSecret: string): Promise<{ request: StoredDeskRequest; notices: RecipientNoticeRow[]; register: Register }> {
    const request = await this.forPerson(organisationId, requestId, statusSecret, { history: false });
    const notices = await this.store.notices.forRequest(organisationId, requestId);
    await this.store.audit.append(organisationId, audit('person', 'request.recipients_read', requestId, { recipients: notices.length }));
    return { request, notices, register: await this.register(organisationId) };
  }

  /**
   * A person's record on a notice that is theirs to handle (no route, or every delivery failed): the
   * recipient was told another way, or telling it proved impossible or disproportionate (with why:
   * the controller bears the burden of that proof, Art. 5(2)); or deliver it again.
   */
  async decideNotice(organisationId: string, requestId: string, noticeId: string, actor: string, decision: NoticeDecision): Promise<RecipientNoticeRow> {
    const notice = await this.store.notices.get(organisationId, noticeId);
    if (!notice || notice.request_id !== requestId) throw new OpendpoError('NOT_FOUND', `no notice ${noticeId} of request ${requestId}`);
    const at = this.now().toISOString();
    const detail = { notice: noticeId, recipient: notice.recipient_id, outcome: decision.outcome };
    let done: boolean;
    if (decision.outcome === 'retry') {
      if (notice.channel === 'by_hand') throw new OpendpoError('REQUEST_REFUSED', `recipient ${notice.recipient_id} has no route in notifications.yaml: it is told by a person`);
      done = await this.store.notices.decide(organisationId, noticeId, ['failed'], { state: 'pending', next_attempt_at: at, deliveries: 0, updated_at: at, decided_by: actor }, audit(actor, 'request.recipient_notice_retried', requestId, detail));
    } else {
      const state = decision.outcome === 'told' ? 'told_by_hand' : 'not_told';
      done = await this.store.notices.decide(
        organisationId,
        noticeId,
        ['by_hand', 'failed'],
        { state, note: decision.note, decided_by: actor, updated_at: at, next_attempt_at: null, ...(decision.outcome === 'told' ? { told_at: at } : {}) },
        audit(actor, 'request.recipient_notice_decided', requestId, { ...detail, note_length: decision.note.length }),
      );
    }
    if (!done) {
      throw new OpendpoError('REQUEST_REFUSED', `the notice to ${notice.recipient_id} is ${notice.state.replace('_', ' ')}: ${decision.outcome === 'retry' ? 'only a notice whose deliveries failed is delivered again' : 'only a notice a person must handle (no route, or every delivery failed) is recorded by hand'}`);
    }
    return (await this.store.notices.get(organisationId, noticeId))!;
  }

  /** The letter a decision sends the person (Art. 12(1), (3), (4), (5)), once it is recorded. */
  private async tell(organisationId: string, before: StoredDeskRequest, change: DeskChange, action: StaffAction, actor: string): Promise<void> {
    const taken = new Set((change.transitions ?? []).map((t) => t.name));
    const id = before.request.id;
    if (taken.has('verify_identity')) await this.sendLetter(organisationId, id, 'acknowledgement', {}, actor);
    if (action.action === 'refuse') await this.sendLetter(organisationId, id, 'refusal', { reasons: action.reasons }, actor);
    if (action.action === 'extend') {
      await this.sendLetter(organisationId, id, 'extension', { newDueOn: String(change.set?.due_on), reasons: action.reasons }, actor, before.request.due_on);
    }
    if (action.action === 'charge_fee') {
      await this.sendLetter(organisationId, id, 'fee', { basis: 'unfounded_or_excessive', amountCents: action.amount_cents, currency: action.currency, grounds: action.grounds }, actor);
    }
    if (action.action === 'request_identity') await this.sendLetter(organisationId, id, 'identity_request', { reason: action.reason, information: [action.reason] }, actor);
    if (action.action === 'record_done') {
      const told = recipientsLine(before.request.language as Language, change.notices?.length ?? 0);
      await this.sendLetter(organisationId, id, 'completion', { actions: [action.done, ...told] }, actor);
    }
  }

  /**
   * Sends a letter to the person (the first confirmed email the request names, else the first
   * email) and keeps it with the request, sent or not: a letter that could not go (no email, the
   * mail server down) is recorded as failed, for staff to send by post or again. Never throws: the
   * decision it tells of is already recorded.
   */
  async sendLetter<K extends Exclude<LetterKind, 'identity_code'>>(
    organisationId: string,
    requestId: string,
    kind: K,
    extra: Omit<LetterFacts<K>, 'controller' | 'dpo' | 'supervisoryAuthority' | 'request'>,
    actor: string,
    dueOn?: string,
  ): Promise<void> {
    const stored = await this.get(organisationId, requestId);
    // Art. 28(3)(e): a forwarded request is answered to the controller; the letter is kept with it, not sent to the person.
    const forController = stored.request.channel === 'controller';
    const emails = forController ? [] : stored.identities.filter((i) => isEmailType(i.type));
    const to = emails.find((i) => i.verified_at !== null) ?? emails[0];
    const language = stored.request.language as Language;
    const at = this.now().toISOString();
    let rendered: { subject: string; text: string; html: string } | undefined;
    let status: 'sent' | 'failed' | 'not_sent' = 'failed';
    let messageId: string | null = null;
    let error: string | null = null;
    try {
      const register = await this.register(organisationId);
      rendered = renderLetter(kind, language, { ...commonLetterFacts(register, stored.request, dueOn), ...extra } as LetterFacts<K>);
      if (forController) {
        status = 'not_sent';
        error = ANSWERED_TO_CONTROLLER;
      } else {
        if (!to) throw new OpendpoError('INVALID_INPUT', 'the request names no email address: send this letter by post');
        if (!this.options.mailer) throw new OpendpoError('CONFIG_INVALID', 'no mail server is configured (OPENDPO_SMTP_URL): send this letter by hand');
        messageId = (await this.options.mailer.send({ to: to.value, ...rendered, headers: { 'Auto-Submitted': 'auto-generated' } })).messageId;
        status = 'sent';
      }
    } catch (err) {
      error = reasonOf(err);
    }
    await this.store.desk.addLetter(
      organisationId,
      {
        request_id: requestId,
        kind,
        language,
        identity_seq: to?.seq ?? null,
        subject: rendered?.subject ?? kind,
        body_text: rendered?.text ?? '',
        body_html: rendered?.html ?? null,
        status,
        message_id: messageId,
        error,
        at,
        actor,
      },
      audit(actor, status === 'sent' ? 'request.letter_sent' : status === 'not_sent' ? 'request.letter_kept' : 'request.letter_failed', requestId, { kind, language, identity: to?.seq ?? null }),
    );
  }

  /**
   * Decides a transition on the request as the change leaves it and adds it to the change: the new
   * state, the deadline worked out again (waits and extensions), the history entry and its audit
   * entry. Refused: REQUEST_REFUSED with the machine's reason, nothing written.
   */
  private transition(stored: StoredDeskRequest, change: DeskChange, input: TransitionInput, actor: string, recorded: Record<string, unknown>): void {
    const now = this.now();
    const today = calendarDay(now, this.timeZone(stored.request.country));
    const pending = change.transitions ?? [];
    const state = (pending.at(-1)?.to_state ?? stored.request.state) as RequestState;
    const identities = stored.identities.map((i) => ({ ...i, ...(change.identities?.find((c) => c.seq === i.seq)?.set ?? {}) }));
    const extensionMonths = Number(change.set?.extension_months ?? stored.request.extension_months);
    const history = [...stored.transitions, ...pending];
    const facts: RequestFacts = {
      state,
      receivedOn: stored.request.received_on,
      country: stored.request.country,
      today,
      extensionMonths,
      identityWaits: this.identityWaits(history, stored.request.country, now),
      unverifiedIdentities: identities.filter((i) => i.verified_at === null || i.verified_at === undefined).length,
    };
    const decision = decide(facts, input);
    if (!decision.allowed) throw new OpendpoError('REQUEST_REFUSED', decision.reason);
    const entry = { name: input.name, from_state: state, to_state: decision.to, at: now.toISOString(), actor, input_json: JSON.stringify(recorded) };
    change.transitions = [...pending, entry];
    const months = input.name === 'extend' ? extensionMonths + input.months : extensionMonths;
    const waits = this.identityWaits([...history, entry], stored.request.country, now);
    change.set = {
      ...change.set,
      state: decision.to,
      extension_months: months,
      // A forwarded request keeps the contract's day set on receipt (Art. 28(3)(e)); Art. 12(3)'s month is the controller's.
      due_on:
        stored.request.channel === 'controller'
          ? stored.request.due_on
          : answerDeadline({ receivedOn: stored.request.received_on, country: stored.request.country, extensionMonths: months, identityWaits: waits }).dueOn,
      ...(FINAL_STATES.has(decision.to) ? { closed_at: now.toISOString() } : {}),
    };
    change.audit.push(audit(actor, `request.${input.name}`, stored.request.id, { from: state, to: decision.to, ...withoutText(recorded) }));
  }

  /** Once the last identity is confirmed, the request goes on (never one confirmed and another trusted). */
  private verifyIfComplete(stored: StoredDeskRequest, change: DeskChange, seq: number, actor: string): void {
    const remaining = stored.identities.filter((i) => i.seq !== seq && i.verified_at === null).length;
    if (remaining > 0) return;
    this.transition(stored, change, { name: 'verify_identity' }, actor, { identities: stored.identities.length });
  }

  /** Each time the desk waited for identity information: from a request_identity to the next verify_identity (or today). */
  /**
   * Whether the period can still be extended (Art. 12(3)): by how many months, and the last day the
   * extension can be told (one month from receipt, the identity waits not counted, as deadline.ts
   * counts them). Null once it cannot: closed, two months already granted, the first month over, or
   * a request forwarded by a controller, whose contract sets its day (Art. 28(3)(e)). Staff pages
   * offer the extension from this; the state machine decides again when it is asked.
   */
  extensionWindow(stored: StoredDeskRequest): { monthsLeft: number; tellBy: string } | null {
    const r = stored.request;
    if (FINAL_STATES.has(r.state as RequestState) || r.channel === 'controller' || r.extension_months >= 2) return null;
    const now = this.now();
    const tellBy = answerDeadline({ receivedOn: r.received_on, country: r.country, identityWaits: this.identityWaits(stored.transitions, r.country, now) }).dueOn;
    return calendarDay(now, this.timeZone(r.country)) > tellBy ? null : { monthsLeft: 2 - r.extension_months, tellBy };
  }

  private identityWaits(history: readonly { name: string; at: string }[], country: string, now: Date): IdentityWait[] {
    const zone = this.timeZone(country);
    const waits: IdentityWait[] = [];
    let from: string | undefined;
    for (const t of history) {
      if (t.name === 'request_identity' && from === undefined) from = calendarDay(new Date(t.at), zone);
      if (t.name === 'verify_identity' && from !== undefined) {
        waits.push({ from, until: calendarDay(new Date(t.at), zone) });
        from = undefined;
      }
    }
    if (from !== undefined) waits.push({ from, until: calendarDay(now, zone) });
    return waits;
  }

  private async forPerson(organisationId: string, requestId: string, statusSecret: string, options: { history?: boolean } = {}): Promise<StoredDeskRequest> {
    const stored = await this.store.desk.get(organisationId, requestId, { history: options.history ?? true });
    // The same answer for an unknown request and a wrong secret: an id alone reveals nothing.
    if (!stored || !secretMatches(stored.request.status_secret_hash, statusSecret)) {
      throw new OpendpoError('NOT_FOUND', 'no request with this id and status token');
    }
    return stored;
  }

  /** The organisation's latest register, asked of the store at most once a second (as the notices are). */
  /**
   * What the public request form offers (Art. 12(2): facilitate the exercise of the rights): the
   * published register, and the identity types the organisation's systems can look a person up by
   * (the identity fields of its datasets), email first since the code that confirms a request goes
   * there (Art. 12(6)). Without datasets, email only.
   */
  async requestForm(organisationId: string): Promise<{ register: Register; identityTypes: string[] }> {
    const register = await this.register(organisationId);
    const types = new Set<string>(['email']);
    for (const dataset of this.options.noticeSources?.get(organisationId)?.datasets ?? []) {
      for (const collection of dataset.collections) {
        for (const field of collection.fields) if (field.identity !== undefined) types.add(field.identity);
      }
    }
    return { register, identityTypes: [...types] };
  }

  private async register(organisationId: string): Promise<Register> {
    const cached = this.registers.get(organisationId);
    if (cached && this.now().getTime() - cached.at < 1000) return cached.register;
    const latest = await this.store.registerVersions.latest(organisationId);
    if (!latest) throw new OpendpoError('NOT_FOUND', `no organisation ${organisationId} has published a register`);
    this.registers.set(organisationId, { at: this.now().getTime(), register: latest.register });
    return latest.register;
  }

  private timeZone(country: string): string {
    return this.options.timeZone ?? countryTimeZone(country);
  }

  private async codeSecret(): Promise<string> {
    return (this.codeKey ??= await this.store.desk.secret('desk-code'));
  }
}

const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A reference a person can read out on the phone: no 0/O, 1/I/L, U. */
function newReference(): string {
  const pick = () => Array.from({ length: 4 }, () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)]).join('');
  return `R-${pick()}-${pick()}`;
}

function normaliseIdentities(identities: readonly IdentityInput[]): IdentityInput[] {
  const seen = new Set<string>();
  return identities.map((i, n) => {
    const value = i.value.normalize('NFC').trim();
    const key = `${i.type}\u0000${isEmailType(i.type) ? value.toLowerCase() : value}`;
    if (seen.has(key)) throw new OpendpoError('INVALID_INPUT', `identities[${n}]: the same identity is named twice`);
    seen.add(key);
    return { type: i.type, value };
  });
}

function identityOf(stored: StoredDeskRequest, seq: number): DeskIdentityRow {
  const identity = stored.identities.find((i) => i.seq === seq);
  if (!identity) throw new OpendpoError('NOT_FOUND', `the request names no identity ${seq} (it names ${stored.identities.length})`);
  return identity;
}

function audit(actor: string, action: string, requestId: string, detail: Record<string, unknown>): AuditEntryInput {
  return { actor, action, subject: { kind: 'request', id: requestId }, detail };
}

/** The audit log keeps ids and counts: free text (reasons, notes) is counted, and kept in the request's history. */
function withoutText(recorded: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(recorded)) {
    if (k === 'reasons' && Array.isArray(v)) out.reasons = v.length;
    else if (k === 'note' || k === 'reason' || k === 'grounds') out[`${k}_length`] = typeof v === 'string' ? v.length : 0;
    else out[k] = v;
  }
  return out;
}

function reasonOf(err: unknown): string {
  return err instanceof OpendpoError ? err.message : 'the code could not be sent';
}
