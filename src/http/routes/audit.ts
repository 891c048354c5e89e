/**
 * The organisation's audit log for staff with `audit.read` (DPO, auditors, admins): its entries a
 * page at a time, and the verification of its hash chain (src/store/audit-log.ts), as `opendpo
 * audit verify` does it.
 *
 * Pages go in chain order, oldest first, keyset on the entry's number: `after` is the last `seq`
 * read (`next_after` of the previous page). A reader that keeps it — a SIEM export, a nightly copy —
 * asks again later with it and gets every newer entry once, in the order the chain links them, so
 * it can check each entry's `prev_hash` against the one before as it goes.
 */
import { z } from 'zod';
import { Id } from '../../register/schema.js';
import type { AuditEntry } from '../../store/audit-log.js';
import { BadRequestView, ForbiddenView, UnauthenticatedView } from '../presenters/error-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';

const OrgParams = z.object({ org: Id.describe('organisation id') });
const Errors = { 400: BadRequestView, 401: UnauthenticatedView, 403: ForbiddenView };

const AuditEntryView = z
  .object({
    seq: z.number().int().describe('the entry\'s place in the chain, from 1'),
    at: z.string(),
    actor: z.string().describe('staff:<id>, token:<id>, person, system, cli:<user>'),
    action: z.string().describe('a dotted name: request.received, request.approve, staff.signed_in, register.published, …'),
    subject: z.object({ kind: z.string(), id: z.string() }),
    detail: z.record(z.string(), z.unknown()).describe('ids and counts, never a person\'s identity or what they wrote'),
    prev_hash: z.string().describe('the hash of the entry before (64 zeros for the first)'),
    hash: z.string().describe('SHA-256 of the entry\'s canonical JSON, prev_hash included'),
  })
  .meta({ id: 'AuditEntry' });

const ListSchema = {
  summary: 'The audit log, oldest first, a page at a time (keyset on seq)',
  tags: ['audit'],
  params: OrgParams,
  querystring: z.strictObject({
    after: z
      .string()
      .regex(/^\d{1,15}$/, { message: 'must be the seq of the last entry read (next_after of the previous page)' })
      .transform(Number)
      .optional()
      .describe('the seq of the last entry read: the page starts after it'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    action: z
      .string()
      .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, { message: 'must be an action such as request.approve' })
      .max(80)
      .optional()
      .describe('only entries of this action'),
    subject_kind: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'must be a kind such as request, staff, token or register' })
      .optional(),
    subject_id: z.string().min(1).max(200).optional().describe('only entries about this subject (a request id, a staff id…)'),
  }),
  response: {
    200: z
      .object({ entries: z.array(AuditEntryView), next_after: z.number().int().nullable().describe('give it as `after` for the next page; null at the end') })
      .describe('A page of the audit log in chain order'),
    ...Errors,
  },
};

const VerificationSchema = {
  summary: 'Verify the audit log\'s hash chain: entries edited, deleted or moved, or (given the head kept earlier) cut off',
  tags: ['audit'],
  params: OrgParams,
  querystring: z.strictObject({
    expect_head: z
      .string()
      .regex(/^\d{1,15}:[0-9a-f]{64}$/, { message: 'must be SEQ:HASH as an earlier verification gave it (64 lowercase hex digits)' })
      .optional()
      .describe('a head kept from an earlier verification: the chain must still hold it'),
  }),
  response: {
    200: z
      .object({
        organisation: z.string(),
        entries: z.number().int(),
        intact: z.boolean().describe('true when no problem was found'),
        head: z.object({ seq: z.number().int(), hash: z.string() }).nullable().describe('the newest entry: keep it elsewhere, give it back as expect_head later'),
        problems: z.array(z.object({ seq: z.number().int(), problem: z.string() })),
      })
      .describe('The verification: the head to keep, and every problem found (the answer is 200 whether or not the chain holds)'),
    ...Errors,
  },
};

export function addAuditRoutes(app: ZodApp, { store }: RouteContext): void {
  app.get('/api/v1/organisations/:org/audit', { schema: ListSchema, config: { access: 'audit.read' } }, async (request) => {
    const q = request.query;
    const entries = await store.audit.page(request.params.org, {
      limit: q.limit,
      ...(q.after !== undefined ? { after: q.after } : {}),
      ...(q.action !== undefined ? { action: q.action } : {}),
      ...(q.subject_kind !== undefined ? { subjectKind: q.subject_kind } : {}),
      ...(q.subject_id !== undefined ? { subjectId: q.subject_id } : {}),
    });
    const last = entries.at(-1);
    return { entries: entries.map(presentEntry), next_after: entries.length === q.limit && last ? last.seq : null };
  });

  app.get('/api/v1/organisations/:org/audit/verification', { schema: VerificationSchema, config: { access: 'audit.read' } }, async (request) => {
    const head = request.query.expect_head?.split(':');
    const v = await store.audit.verify(request.params.org, head ? { seq: Number(head[0]), hash: head[1]! } : undefined);
    return { organisation: v.organisationId, entries: v.entries, intact: v.problems.length === 0, head: v.head, problems: v.problems };
  });
}

function presentEntry(e: AuditEntry): z.infer<typeof AuditEntryView> {
  return { seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail, prev_hash: e.prevHash, hash: e.hash };
}
