/**
 * What leaves the server about a request. Three views, by who asks: the person (their request's
 * state and deadline, identities masked: a status token forwarded by mistake reveals little), staff
 * who read the queue and the evidence (never an identity or what the person wrote: auditors and
 * engineers see this), and staff allowed a person's data (identities and content; each such view is
 * logged).
 */
import { z } from 'zod';
import { daysBetween } from '../../desk/reminders/calendar-days.js';
import { FINAL_STATES, REQUEST_STATES, type RequestState } from '../../desk/request-states.js';
import { REQUEST_TYPES } from '../../desk/request-types.js';
import type { DeskRequestRow, StoredDeskRequest } from '../../store/desk-repository.js';
import type { Desk } from '../../desk/desk.js';

const State = z.enum(REQUEST_STATES);
const Type = z.enum(REQUEST_TYPES);

export const PublicRequestView = z
  .object({
    id: z.string(),
    reference: z.string().describe('what to quote when writing to the data protection officer'),
    type: Type,
    state: State,
    received_on: z.string().describe('YYYY-MM-DD, in the organisation\'s calendar'),
    due_on: z.string().describe('the last day of the answer (Art. 12(3)), moved while identity information was awaited'),
    identities: z.array(z.object({ identity: z.number().int(), type: z.string(), masked: z.string(), confirmed: z.boolean() })),
  })
  .meta({ id: 'PublicRequest' });

export const CodeSentView = z.object({ identity: z.number().int(), sent: z.boolean(), reason: z.string().optional() });

export const SubmittedView = z
  .object({
    request: PublicRequestView,
    status_token: z.string().describe('shown once: send it as the x-status-token header to follow the request, confirm codes and download the answer'),
    codes: z.array(CodeSentView),
  })
  .meta({ id: 'SubmittedRequest' });

export const QueueItemView = z
  .object({
    id: z.string(),
    reference: z.string(),
    type: Type,
    channel: z.string(),
    state: State,
    version: z.number().int(),
    received_on: z.string(),
    due_on: z.string(),
    extension_months: z.number().int(),
    assignee: z.string().nullable(),
    closed_at: z.string().nullable(),
  })
  .meta({ id: 'RequestSummary' });

/** An item of the queue: the request's summary, and the days left to answer it. */
export const QueueEntryView = QueueItemView.extend({
  days_left: z
    .number()
    .int()
    .nullable()
    .describe("calendar days from today (the organisation's calendar) to the due day: 0 due today, negative when overdue; null once closed, or while the clock waits for identity information (Art. 12(6))"),
}).meta({ id: 'QueueEntry' });

export const TransitionView = z.object({
  seq: z.number().int(),
  name: z.string(),
  from: State,
  to: State,
  at: z.string(),
  actor: z.string(),
  input: z.record(z.string(), z.unknown()),
});

export const StaffRequestView = QueueItemView.extend({
  received_at: z.string(),
  created_by: z.string(),
  controller_id: z.string().nullable(),
  identities: z.array(z.object({ identity: z.number().int(), type: z.string(), confirmed_by: z.string().nullable(), confirmed_at: z.string().nullable(), codes_sent: z.number().int() })),
  history: z.array(TransitionView),
  extension: z
    .object({ months_left: z.number().int().min(1).max(2), tell_by: z.string().describe('YYYY-MM-DD, the last day the extension can be told (Art. 12(3))') })
    .nullable()
    .describe('whether the period can still be extended, by how much and until when; null once it cannot (closed, two months granted, the first month over, or forwarded by a controller)'),
  package_expires_at: z
    .string()
    .nullable()
    .describe('a completed access or portability request: the last instant its copy can be downloaded (the vault deletes it then); null when the request has no copy'),
  letters: z
    .array(z.object({ seq: z.number().int(), kind: z.string(), language: z.string(), status: z.enum(['sent', 'failed', 'not_sent']), at: z.string(), error: z.string().nullable() }))
    .describe('the letters sent about the request, or that could not be sent (to send by post); not_sent: kept, for a request answered to the controller that forwarded it'),
}).meta({ id: 'Request' });

export const PersonalRequestView = z
  .object({
    id: z.string(),
    identities: z.array(z.object({ identity: z.number().int(), type: z.string(), value: z.string() })),
    details: z.record(z.string(), z.unknown()).describe('what the person asked, by type (and their message)'),
    repetitions: z.array(z.object({ id: z.string(), reference: z.string(), received_on: z.string(), state: State })).describe('earlier requests of the same type naming one of these identities (Art. 12(5): repetitive character)'),
  })
  .meta({ id: 'RequestPersonalData' });

export function presentPublicRequest({ request, identities }: StoredDeskRequest): z.infer<typeof PublicRequestView> {
  return {
    id: request.id,
    reference: request.reference,
    type: request.type as z.infer<typeof Type>,
    state: request.state as z.infer<typeof State>,
    received_on: request.received_on,
    due_on: request.due_on,
    identities: identities.map((i) => ({ identity: i.seq, type: i.type, masked: mask(i.type, i.value), confirmed: i.verified_at !== null })),
  };
}

export function presentQueueItem(r: DeskRequestRow): z.infer<typeof QueueItemView> {
  return {
    id: r.id,
    reference: r.reference,
    type: r.type as z.infer<typeof Type>,
    channel: r.channel,
    state: r.state as z.infer<typeof State>,
    version: r.version,
    received_on: r.received_on,
    due_on: r.due_on,
    extension_months: r.extension_months,
    assignee: r.assignee,
    closed_at: r.closed_at,
  };
}

/** A queue item, with its days left counted from `today` (YYYY-MM-DD, the organisation's calendar). */
export function presentQueueEntry(r: DeskRequestRow, today: string): z.infer<typeof QueueEntryView> {
  // Art. 12(3) counts calendar days; a closed request owes nothing more, and one awaiting identity information has its clock stopped (Art. 12(6)).
  const counting = !FINAL_STATES.has(r.state as RequestState) && r.state !== 'awaiting_identity';
  return { ...presentQueueItem(r), days_left: counting ? daysBetween(today, r.due_on) : null };
}

/** `desk` says what the request still allows that its row does not (the extension's window). */
export function presentStaffRequest(stored: StoredDeskRequest, desk: Pick<Desk, 'extensionWindow'>): z.infer<typeof StaffRequestView> {
  const r = stored.request;
  const extension = desk.extensionWindow(stored);
  return {
    ...presentQueueItem(r),
    extension: extension ? { months_left: extension.monthsLeft, tell_by: extension.tellBy } : null,
    received_at: r.received_at,
    created_by: r.created_by,
    controller_id: r.controller_id,
    identities: stored.identities.map((i) => ({ identity: i.seq, type: i.type, confirmed_by: i.verified_by, confirmed_at: i.verified_at, codes_sent: i.challenges_sent })),
    history: stored.transitions.map((t) => ({
      seq: t.seq,
      name: t.name,
      from: t.from_state as z.infer<typeof State>,
      to: t.to_state as z.infer<typeof State>,
      at: t.at,
      actor: t.actor,
      input: JSON.parse(t.input_json) as Record<string, unknown>,
    })),
    package_expires_at: r.package_id !== null ? r.package_expires_at : null,
    letters: stored.letters.map((l) => ({ seq: l.seq, kind: l.kind, language: l.language, status: l.status as 'sent' | 'failed' | 'not_sent', at: l.at, error: l.error })),
  };
}

export function presentPersonalRequest(stored: StoredDeskRequest, repetitions: readonly DeskRequestRow[]): z.infer<typeof PersonalRequestView> {
  return {
    id: stored.request.id,
    identities: stored.identities.map((i) => ({ identity: i.seq, type: i.type, value: i.value })),
    details: JSON.parse(stored.request.details_json) as Record<string, unknown>,
    repetitions: repetitions.map((r) => ({ id: r.id, reference: r.reference, received_on: r.received_on, state: r.state as z.infer<typeof State> })),
  };
}

/** "j•••@example.org", "•••• 4321": enough for the person to recognise, little for anyone else. */
export function mask(type: string, value: string): string {
  if (type === 'email') {
    const at = value.lastIndexOf('@');
    if (at > 0) return `${[...value.slice(0, at)][0]}•••${value.slice(at)}`;
  }
  const chars = [...value];
  return chars.length <= 4 ? '••••' : `••••${chars.slice(-4).join('')}`;
}
