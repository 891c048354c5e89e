/**
 * What a controller sees of a request it forwarded to us, its processor (Art. 28(3)(e)): the state,
 * the contract's deadline and, once closed, the answer (what was done, or why not, and the package to
 * download for an access or portability request). Never the identities it sent (it has them), the
 * history's actors or the letters kept: the answer is what the controller needs to answer its data
 * subject. In our shape, and in the Data Rights Protocol's Exercise Status (§3.03).
 */
import { z } from 'zod';
import { drpStatusOf, DRP_STATUSES } from '../../desk/forwarded/data-rights-protocol.js';
import { forwardedFacts, forwardedOutcome } from '../../desk/forwarded/forwarded-request.js';
import { REQUEST_STATES, type RequestState } from '../../desk/request-states.js';
import { REQUEST_TYPES, type RequestType } from '../../desk/request-types.js';
import { FORWARDED_REQUEST_DAYS } from '../../register/schema.js';
import type { StoredDeskRequest } from '../../store/desk-repository.js';

export const ForwardedRequestView = z
  .object({
    id: z.string().describe('the request id: follow the request with it'),
    reference: z.string().describe('the processor\'s reference, to quote to its data protection officer'),
    controller_reference: z.string().nullable().describe('the controller\'s own reference, as it gave it'),
    protocol: z.enum(['opendpo', 'drp']).describe('the shape the request came in'),
    type: z.enum(REQUEST_TYPES),
    state: z.enum(REQUEST_STATES),
    received_on: z.string().describe('YYYY-MM-DD, in the processor\'s calendar'),
    due_on: z.string().describe('the last day of the answer, from the contract\'s period (Art. 28(3)(e))'),
    terms: z.object({ answer_within_days: z.number().int(), days: z.enum(FORWARDED_REQUEST_DAYS) }).nullable().describe('the contract\'s period the deadline was computed from'),
    identities: z.array(z.object({ identity: z.number().int(), type: z.string(), confirmed_by: z.string().nullable() })).describe('the identity types the request names (values are not repeated)'),
    outcome: z
      .object({
        result: z.enum(['completed', 'refused', 'withdrawn']),
        at: z.string(),
        reasons: z.array(z.string()).describe('a refusal\'s reasons'),
        actions: z.array(z.string()).describe('what was done'),
        records: z.number().int().nullable().describe('records found or acted on, when the engine ran the request'),
      })
      .nullable()
      .describe('the answer, once the request is closed'),
    package: z
      .object({ url: z.string(), expires_at: z.string().nullable() })
      .nullable()
      .describe('for a completed access or portability request: download it with the same API token, before it expires'),
  })
  .meta({ id: 'ForwardedRequest' });
export type ForwardedRequestView = z.infer<typeof ForwardedRequestView>;

export const DrpStatusView = z
  .object({
    request_id: z.string(),
    agent_request_id: z.string().optional(),
    status: z.enum(DRP_STATUSES),
    reason: z.string().optional(),
    received_at: z.string(),
    expected_by: z.string().describe('the contract\'s day (ISO 8601 date)'),
    processing_details: z.string().optional(),
    results_url: z.string().optional().describe('fulfilled access: the package, downloaded with the same API token'),
    expires_at: z.string().optional().describe('fulfilled access: when the package is deleted'),
  })
  .meta({ id: 'DrpExerciseStatus' });
export type DrpStatusView = z.infer<typeof DrpStatusView>;

/** The package's download address, when there is one to download (`packageUrl` builds it from the request id). */
function packageOf(stored: StoredDeskRequest, packageUrl: (id: string) => string): { url: string; expires_at: string | null } | null {
  const r = stored.request;
  return r.state === 'completed' && r.package_id !== null ? { url: packageUrl(r.id), expires_at: r.package_expires_at } : null;
}

export function presentForwardedRequest(stored: StoredDeskRequest, packageUrl: (id: string) => string): ForwardedRequestView {
  const r = stored.request;
  const facts = forwardedFacts(stored);
  return {
    id: r.id,
    reference: r.reference,
    controller_reference: facts?.controller_reference ?? null,
    protocol: facts?.protocol ?? 'opendpo',
    type: r.type as RequestType,
    state: r.state as RequestState,
    received_on: r.received_on,
    due_on: r.due_on,
    terms: facts?.terms ? { answer_within_days: facts.terms.answer_within_days, days: facts.terms.days ?? 'calendar' } : null,
    identities: stored.identities.map((i) => ({ identity: i.seq, type: i.type, confirmed_by: i.verified_by })),
    outcome: forwardedOutcome(stored) ?? null,
    package: packageOf(stored, packageUrl),
  };
}

/** §3.03: the Exercise Status object. */
export function presentDrpStatus(stored: StoredDeskRequest, packageUrl: (id: string) => string): DrpStatusView {
  const r = stored.request;
  const facts = forwardedFacts(stored);
  const mapped = drpStatusOf(r.state as RequestState);
  const outcome = forwardedOutcome(stored);
  const details = outcome ? [...outcome.reasons, ...outcome.actions].join(' ') : mapped.details;
  const download = packageOf(stored, packageUrl);
  return {
    request_id: r.id,
    ...(facts?.controller_reference !== undefined ? { agent_request_id: facts.controller_reference } : {}),
    status: mapped.status,
    ...(mapped.reason !== undefined ? { reason: mapped.reason } : {}),
    received_at: r.received_at,
    expected_by: r.due_on,
    ...(details ? { processing_details: details } : {}),
    ...(download ? { results_url: download.url, ...(download.expires_at !== null ? { expires_at: download.expires_at } : {}) } : {}),
  };
}
