/**
 * The staff side of the desk: the queue by deadline, one request (its history without personal
 * data; its identities and content on a separate, logged route), manual entry of a request received
 * by email or post, and one route per action, each with the one permission it needs.
 */
import { z } from 'zod';
import { addDays } from '../../desk/reminders/calendar-days.js';
import { REQUEST_STATES } from '../../desk/request-states.js';
import { REQUEST_TYPES, RequestDetails } from '../../desk/request-types.js';
import type { Desk, StaffAction, Submitted } from '../../desk/desk.js';
import type { Permission } from '../../desk/staff/roles.js';
import { Id } from '../../register/schema.js';
import { principalOf } from '../auth.js';
import { BadRequestView, ConflictView, ForbiddenView, RequestNotFoundView, UnauthenticatedView } from '../presenters/error-presenter.js';
import {
  CodeSentView,
  PersonalRequestView,
  QueueEntryView,
  StaffRequestView,
  presentPersonalRequest,
  presentQueueEntry,
  presentStaffRequest,
} from '../presenters/request-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';
import { IdentitiesBody } from './public-requests.js';

const OrgParams = z.object({ org: Id.describe('organisation id') });
const RequestParams = OrgParams.extend({ id: z.uuid({ message: 'must be a request id (a UUID)' }) });
const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(500)
    .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0))
    .pipe(z.array(z.enum(values, { message: `each must be one of ${values.join(', ')}` })));
const Errors = { 400: BadRequestView, 401: UnauthenticatedView, 403: ForbiddenView, 404: RequestNotFoundView, 409: ConflictView };

const QueueSchema = {
  summary: 'The request queue, by due day (keyset paging)',
  tags: ['desk'],
  params: OrgParams,
  querystring: z.strictObject({
    state: csv(REQUEST_STATES).optional(),
    type: csv(REQUEST_TYPES).optional(),
    channel: csv(['web', 'email', 'post', 'controller']).optional(),
    assignee: z.string().max(64).optional(),
    overdue: z.enum(['true', 'false']).optional().describe('true: open requests whose due day has passed'),
    due_before: z.iso.date().optional(),
    due_within: z.coerce
      .number()
      .int()
      .min(1)
      .max(60)
      .optional()
      .describe(
        "due soon: open requests due from today to today + this many calendar days (1-60), both included, in the organisation's calendar — calendar days, as the Art. 12(3) period is counted; not those awaiting identity information, whose clock waits (Art. 12(6)); by due day. Not with overdue=true",
      ),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    after: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}~[0-9a-f-]{36}$/, { message: 'must be the next_after value of the previous page' })
      .optional(),
  }).refine((q) => !(q.overdue === 'true' && q.due_within !== undefined), {
    message: 'cannot be given with overdue=true: overdue requests were due before today, due_within counts from today',
    path: ['due_within'],
  }),
  response: { 200: z.object({ requests: z.array(QueueEntryView), next_after: z.string().nullable() }).describe('A page of the queue; next_after gives the next page'), ...Errors },
};

/** A request entered by staff: this route's body, and the `request` part of the form with attachments (desk-attachments.ts). */
export const EntryBody = z.strictObject({
  channel: z.enum(['email', 'post']),
  received_at: z.iso.datetime({ offset: true }).describe('when the email or letter arrived'),
  language: z.enum(['en', 'fr']).default('en'),
  identities: IdentitiesBody,
  details: RequestDetails,
  message: z.string().trim().min(1).max(20_000).optional(),
});

/**
 * What staff are given once when they enter a request: the person's key to it, as the public form
 * gives it to the person's browser (docs/privacy-center.md, "A request entered by staff"). Only its
 * hash is kept: like an API token's secret, it is never shown again. For a request received by email
 * the code email already carries the link; for one received by post, staff put the link in their
 * postal answer, so the person can follow the request (Art. 12(3)) and download its answer (Art. 15(3)).
 */
export const EntryKeyFields = {
  status_token: z
    .string()
    .describe('shown once: the person\'s key to the request (the x-status-token of the public request routes); only its hash is kept'),
  follow_url: z
    .string()
    .describe(
      'shown once: the privacy center\'s link that hands the key to the person\'s browser and opens the request\'s status page; for a postal answer. A request received by email gets it in its code email',
    ),
};

/** The key and its link, for the answer that enters a request (here, and with attachments in desk-attachments.ts). */
export function presentEntryKey(desk: Desk, submitted: Submitted): { status_token: string; follow_url: string } {
  const { id, organisation_id: org } = submitted.request.request;
  return { status_token: submitted.statusSecret, follow_url: desk.followLink(org, id, submitted.statusSecret, 'status') };
}

const EntrySchema = {
  summary: 'Enter a request received by email or post (its clock runs from the day it was received)',
  tags: ['desk'],
  params: OrgParams,
  body: EntryBody,
  response: { 201: StaffRequestView.extend(EntryKeyFields).meta({ id: 'EnteredRequest' }).describe('The request entered, with the person\'s key and its link (shown once)'), ...Errors },
};

const GetSchema = { summary: 'One request: state, deadline, identities confirmed or not, history', tags: ['desk'], params: RequestParams, response: { 200: StaffRequestView.describe('The request, without identities or content'), ...Errors } };
const PersonalSchema = {
  summary: 'The identities and content of a request (this view is recorded in the audit log)',
  tags: ['desk'],
  params: RequestParams,
  response: { 200: PersonalRequestView.describe('The identities and content; the view is in the audit log'), ...Errors },
};
const SendCodesSchema = {
  summary: 'Send the codes of a request entered by staff to the emails it names',
  tags: ['desk'],
  params: RequestParams,
  body: z.strictObject({ identity: z.number().int().min(1).max(5) }),
  response: { 200: CodeSentView.describe('Whether the code was sent, and why not'), ...Errors },
};

const Version = z.number().int().positive().optional().describe('the version of the request the decision was made on: refused with 409 if it changed since');
const Reasons = z.array(z.string().trim().min(1).max(5000)).min(1).max(20);

/** Each staff action: its path, its permission, its body. */
const ACTIONS = {
  assign: { permission: 'requests.identity', summary: 'Assign the request to a staff member (or to nobody)', body: z.strictObject({ assignee: z.string().max(64).nullable(), version: Version }) },
  'request-identity': {
    permission: 'requests.identity',
    summary: 'Ask the person for further information to confirm their identity (the clock waits, Art. 12(6))',
    body: z.strictObject({ reason: z.string().trim().min(1).max(5000), version: Version }),
  },
  'confirm-identity': {
    permission: 'requests.identity',
    summary: 'Confirm an identity by step-up: a document looked at (not kept) or data the controller holds',
    body: z.strictObject({ identity: z.number().int().min(1).max(5), method: z.enum(['document', 'match', 'staff']), note: z.string().trim().min(1).max(5000), version: Version }),
  },
  approve: { permission: 'requests.decide', summary: 'Approve the request', body: z.strictObject({ version: Version }) },
  refuse: {
    permission: 'requests.decide',
    summary: 'Refuse with reasons; the person is told of the supervisory authority and the judicial remedy (Art. 12(4))',
    body: z.strictObject({ reasons: Reasons, version: Version }),
  },
  'charge-fee': {
    permission: 'requests.decide',
    summary: 'Ask a reasonable fee for a manifestly unfounded or excessive request, with the grounds (Art. 12(5)(a))',
    body: z.strictObject({ grounds: z.string().trim().min(1).max(5000), amount_cents: z.number().int({ message: 'must be a whole number of cents' }).positive({ message: 'must be more than 0' }).max(100_000_00, { message: 'must be at most 100,000.00 in the currency (10,000,000 cents)' }), currency: z.string().regex(/^[A-Z]{3}$/), version: Version }),
  },
  'receive-fee': { permission: 'requests.decide', summary: 'Record that the fee was paid', body: z.strictObject({ version: Version }) },
  extend: {
    permission: 'requests.identity',
    summary: 'Extend the period by one or two months, with reasons, within the first month (Art. 12(3))',
    body: z.strictObject({ months: z.number().int().min(1).max(2), reasons: Reasons, version: Version }),
  },
  withdraw: { permission: 'requests.identity', summary: 'Record that the person withdrew the request', body: z.strictObject({ note: z.string().trim().min(1).max(5000).optional(), version: Version }) },
  retry: { permission: 'requests.decide', summary: 'Run a failed request again', body: z.strictObject({ version: Version }) },
  'record-done': {
    permission: 'requests.decide',
    summary: 'Record an approved request carried out by staff (objection, consent withdrawal, human review, post-mortem directives, rectification by hand); the person is told what was done',
    body: z.strictObject({ done: z.string().trim().min(1).max(5000).describe('what was done, as the completion letter tells the person'), version: Version }),
  },
} as const satisfies Record<string, { permission: Permission; summary: string; body: z.ZodType }>;

type ActionPath = keyof typeof ACTIONS;

function toAction(path: ActionPath, body: Record<string, unknown>): StaffAction {
  // The route's schema validated the body for this path: each branch reads only its own fields.
  const b = body as unknown as {
    assignee: string | null;
    reason: string;
    identity: number;
    method: 'document' | 'match' | 'staff';
    note: string;
    reasons: string[];
    grounds: string;
    amount_cents: number;
    currency: string;
    months: number;
    done: string;
  };
  switch (path) {
    case 'assign':
      return { action: 'assign', assignee: b.assignee };
    case 'request-identity':
      return { action: 'request_identity', reason: b.reason };
    case 'confirm-identity':
      return { action: 'confirm_identity', identity: b.identity, method: b.method, note: b.note };
    case 'approve':
      return { action: 'approve' };
    case 'refuse':
      return { action: 'refuse', reasons: b.reasons };
    case 'charge-fee':
      return { action: 'charge_fee', grounds: b.grounds, amount_cents: b.amount_cents, currency: b.currency };
    case 'receive-fee':
      return { action: 'receive_fee' };
    case 'extend':
      return { action: 'extend', months: b.months, reasons: b.reasons };
    case 'withdraw':
      return { action: 'withdraw', note: b.note };
    case 'retry':
      return { action: 'retry' };
    case 'record-done':
      return { action: 'record_done', done: b.done };
  }
}

export function addDeskRequestRoutes(app: ZodApp, { desk }: RouteContext): void {
  app.get('/api/v1/organisations/:org/desk/requests', { schema: QueueSchema, config: { access: 'requests.read' } }, async (request) => {
    const q = request.query;
    const [dueOn, id] = q.after ? (q.after.split('~') as [string, string]) : [undefined, undefined];
    // Overdue: open and past its day; not while the desk waits for identity information (its clock stands still, Art. 12(6)).
    const open = REQUEST_STATES.filter((s) => !['completed', 'refused', 'withdrawn', 'awaiting_identity'].includes(s));
    const today = await desk.today(request.params.org);
    // Due soon: open requests (as for overdue), due from today to today + due_within days, both included.
    const dueSoonBefore = q.due_within !== undefined ? addDays(today, q.due_within + 1) : undefined;
    const states = q.due_within !== undefined ? (q.state ?? open).filter((s) => open.includes(s)) : q.state;
    if (states?.length === 0) return { requests: [], next_after: null };
    const dueBefore = [q.due_before, q.overdue === 'true' ? today : undefined, dueSoonBefore].filter((d) => d !== undefined).sort()[0];
    const rows = await desk.queue(request.params.org, {
      ...(states ? { states } : q.overdue === 'true' ? { states: open } : {}),
      ...(q.type ? { types: q.type } : {}),
      ...(q.channel ? { channels: q.channel } : {}),
      ...(q.assignee !== undefined ? { assignee: q.assignee } : {}),
      ...(dueBefore !== undefined ? { dueBefore } : {}),
      ...(q.due_within !== undefined ? { dueFrom: today } : {}),
      ...(dueOn !== undefined && id !== undefined ? { after: { dueOn, id } } : {}),
      limit: q.limit,
    });
    const last = rows.at(-1);
    return { requests: rows.map((r) => presentQueueEntry(r, today)), next_after: rows.length === q.limit && last ? `${last.due_on}~${last.id}` : null };
  });

  app.post('/api/v1/organisations/:org/desk/requests', { schema: EntrySchema, config: { access: 'requests.create' }, bodyLimit: 256 * 1024 }, async (request, reply) => {
    const p = principalOf(request);
    const b = request.body;
    const submitted = await desk.submit({
      organisationId: request.params.org,
      details: b.details,
      identities: b.identities,
      language: b.language,
      channel: b.channel,
      actor: p.actor,
      receivedAt: new Date(b.received_at),
      ...(b.message !== undefined ? { message: b.message } : {}),
    });
    // The key is never logged: ids and counts only.
    request.log.info({ requestId: submitted.request.request.id, channel: b.channel, identities: b.identities.length, codesSent: submitted.codes.filter((c) => c.sent).length }, 'request entered');
    return reply.code(201).send({ ...presentStaffRequest(submitted.request, desk), ...presentEntryKey(desk, submitted) });
  });

  app.get('/api/v1/organisations/:org/desk/requests/:id', { schema: GetSchema, config: { access: 'requests.read' } }, async (request) => {
    return presentStaffRequest(await desk.get(request.params.org, request.params.id), desk);
  });

  app.get('/api/v1/organisations/:org/desk/requests/:id/personal-data', { schema: PersonalSchema, config: { access: 'requests.read_personal' } }, async (request) => {
    const stored = await desk.viewAsStaff(request.params.org, request.params.id, principalOf(request).actor);
    return presentPersonalRequest(stored, await desk.repetitions(stored));
  });

  app.post('/api/v1/organisations/:org/desk/requests/:id/codes', { schema: SendCodesSchema, config: { access: 'requests.identity' } }, async (request) => {
    return desk.sendCodeAsStaff(request.params.org, request.params.id, request.body.identity, principalOf(request).actor);
  });

  for (const [path, action] of Object.entries(ACTIONS) as [ActionPath, (typeof ACTIONS)[ActionPath]][]) {
    const schema = { summary: action.summary, tags: ['desk'], params: RequestParams, body: action.body, response: { 200: StaffRequestView.describe('The request, without identities or content'), ...Errors } };
    app.post(`/api/v1/organisations/:org/desk/requests/:id/${path}`, { schema, config: { access: action.permission } }, async (request) => {
      const body = request.body as Record<string, unknown> & { version?: number };
      const stored = await desk.act(request.params.org, request.params.id, principalOf(request).actor, toAction(path, body), body.version);
      return presentStaffRequest(stored, desk);
    });
  }
}
