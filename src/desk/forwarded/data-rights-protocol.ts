/**
 * The Data Rights Protocol (consumer-reports-innovation-lab/data-rights-protocol, v0.9.4), for the
 * requests a controller forwards to us as its processor (Art. 28(3)(e)): its exercise request read into
 * ours, our states told in its statuses. What fits and what does not is decision 0033:
 * - `access` and `access:specific` are an access request (Art. 15), `deletion` an erasure (Art. 17);
 *   `access:categories` (semantics not yet declared by the protocol), `sale:opt_out` and `sale:opt_in`
 *   (CCPA rights with no GDPR counterpart a processor acts on) are refused, naming the value;
 * - the request is read as JSON over TLS with the controller's API token, not as the protocol's
 *   libsodium-signed text: the token stands for the pairwise key, `agent-id` and `business-id` must be
 *   the token's controller and organisation, `issued-at`/`expires-at` are checked as §3.07 says;
 * - identities are the protocol's `email` and `phone_number` claims, which the controller confirmed;
 *   a claim it says it did not verify is refused, and `name`, `address` are not taken (Art. 5(1)(c):
 *   the data subject is looked up by email or phone number).
 */
import { z } from 'zod';
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { RequestState } from '../request-states.js';
import type { RequestDetails } from '../request-types.js';
import type { IdentityInput } from '../desk.js';
import type { ForwardedFacts } from './forwarded-request.js';

/** The protocol versions whose exercise request has these fields (0.9 to 0.9.4: `agent-request-id` came with 0.9.4, optional). */
export const DRP_VERSIONS = ['0.9', '0.9.1', '0.9.2', '0.9.3', '0.9.4'] as const;

/** The protocol's rights actions (§3.01) we carry out, and as which of our types. */
export const DRP_EXERCISES: Readonly<Record<string, RequestDetails['type']>> = {
  access: 'access',
  'access:specific': 'access',
  deletion: 'erasure',
};

/** The protocol's rights actions that do not fit, and why (the message of the refusal). */
export const DRP_EXERCISES_REFUSED: Readonly<Record<string, string>> = {
  'access:categories':
    'the protocol has not declared its semantics yet (§3.01), and under the GDPR the categories come with the copy: send access (Art. 15(1)(b), 15(3))',
  'sale:opt_out':
    'a CCPA right with no GDPR counterpart a processor carries out: forward an objection (Art. 21) or a consent withdrawal (Art. 7(3)) in opendpo\'s shape (POST /api/v1/controller/requests)',
  'sale:opt_in': 'a consent is given to the controller, not a request its processor answers (Art. 7, 28(3)(a))',
};

/** The regimes accepted: none (the protocol's "voluntary") or gdpr; the desk answers under the GDPR. */
const REGIMES = ['gdpr'];

/** How far `issued-at` may be ahead of our clock (§3.07 checks it against clock skew). */
export const DRP_CLOCK_SKEW_MS = 5 * 60_000;

const Timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp with its offset (2026-03-02T09:00:00Z)' });
const PartyId = z.string().min(1).max(100);

/** §2.01 and §3.04: the decoded exercise request, with the identity claims we take. */
export const DrpExerciseRequest = z
  .strictObject(
    {
      'agent-id': PartyId.describe('the controller forwarding the request: the controller id of the API token'),
      'business-id': PartyId.describe('the organisation the request is sent to: the organisation of the API token'),
      'issued-at': Timestamp.describe('when the request was created'),
      'expires-at': Timestamp.describe('after when it must not be taken (§3.07: keep it short)'),
      'agent-request-id': z.string().trim().min(1).max(100).optional().describe('the controller\'s own reference, given back in every status'),
      'drp.version': z.enum(DRP_VERSIONS).describe('the protocol version'),
      exercise: z
        .string()
        .min(1)
        .max(100)
        .describe(`the rights action: ${Object.keys(DRP_EXERCISES).join(', ')} (refused: ${Object.keys(DRP_EXERCISES_REFUSED).join(', ')})`),
      regime: z.string().min(1).max(50).optional().describe('absent (voluntary) or gdpr'),
      relationships: z.array(z.string().trim().min(1).max(100)).max(20).optional().describe('hints of the relationships the data subject has'),
      status_callback: z.string().max(2000).optional().describe('not supported: follow the request at GET /api/drp/v1/data-rights-request/{request_id}'),
      email: z.email({ pattern: z.regexes.unicodeEmail, message: 'must be an email address' }).max(320).optional(),
      email_verified: z.boolean().optional(),
      phone_number: z
        .string()
        .regex(/^\+[1-9][0-9]{1,14}$/, { message: 'must be a phone number in E.164 form (+33612345678)' })
        .optional(),
      phone_number_verified: z.boolean().optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `not taken: ${issue.keys.join(', ')}; the processor looks the data subject up by email or phone_number only (Art. 5(1)(c)): leave name, address and other claims out`
          : undefined,
    },
  )
  .meta({ id: 'DrpExerciseRequest' });
export type DrpExerciseRequest = z.infer<typeof DrpExerciseRequest>;

export interface DrpContext {
  organisationId: string;
  controllerId: string;
  now: Date;
}

/** What the desk receives from a protocol request: refused (nothing written) where it does not fit. */
export function fromDrpExercise(body: DrpExerciseRequest, { organisationId, controllerId, now }: DrpContext): { details: RequestDetails; identities: IdentityInput[]; forwarded: ForwardedFacts } {
  // §3.07: the agent is the one the token belongs to, and the business is us: a request made for
  // another pair is not replayed here.
  if (body['agent-id'] !== controllerId) throw new OpendpoError('FORBIDDEN', `agent-id ${JSON.stringify(body['agent-id'])} is not the controller of this API token (${controllerId})`);
  if (body['business-id'] !== organisationId) throw new OpendpoError('FORBIDDEN', `business-id ${JSON.stringify(body['business-id'])} is not the organisation of this API token (${organisationId})`);
  const issued = Date.parse(body['issued-at']);
  const expires = Date.parse(body['expires-at']);
  if (issued > now.getTime() + DRP_CLOCK_SKEW_MS) throw new OpendpoError('INVALID_INPUT', 'issued-at is in the future: check the clock of the system that makes the requests');
  if (expires <= now.getTime()) throw new OpendpoError('INVALID_INPUT', 'expires-at has passed: the request is no longer valid (make a new one)');
  if (expires <= issued) throw new OpendpoError('INVALID_INPUT', 'expires-at is not after issued-at');
  const type = DRP_EXERCISES[body.exercise];
  if (type === undefined) {
    const why = DRP_EXERCISES_REFUSED[body.exercise];
    throw new OpendpoError(
      'INVALID_INPUT',
      why !== undefined
        ? `exercise ${JSON.stringify(body.exercise)} is not carried out: ${why}`
        : `exercise ${JSON.stringify(body.exercise)} is not a rights action of the protocol this processor carries out (it takes ${Object.keys(DRP_EXERCISES).join(', ')})`,
    );
  }
  if (body.regime !== undefined && !REGIMES.includes(body.regime)) {
    throw new OpendpoError('INVALID_INPUT', `regime ${JSON.stringify(body.regime)}: this desk answers under the GDPR; leave regime out or give gdpr`);
  }
  if (body.status_callback !== undefined) {
    throw new OpendpoError('INVALID_INPUT', 'status_callback: this processor does not call back; leave it out and follow the request at GET /api/drp/v1/data-rights-request/{request_id}');
  }
  // The controller forwards its data subject's request having confirmed who they are (Art. 12(6) is the
  // controller's): a claim it says it did not verify is not recorded as confirmed.
  if (body.email !== undefined && body.email_verified === false) throw new OpendpoError('INVALID_INPUT', 'email_verified is false: forward the request once the data subject\'s email is confirmed, or leave the email out');
  if (body.phone_number !== undefined && body.phone_number_verified === false) {
    throw new OpendpoError('INVALID_INPUT', 'phone_number_verified is false: forward the request once the data subject\'s phone number is confirmed, or leave it out');
  }
  const identities: IdentityInput[] = [
    ...(body.email !== undefined ? [{ type: 'email', value: body.email }] : []),
    ...(body.phone_number !== undefined ? [{ type: 'phone_number', value: body.phone_number }] : []),
  ];
  if (identities.length === 0) throw new OpendpoError('INVALID_INPUT', 'the request names no identity: give the data subject\'s email or phone_number');
  const details: RequestDetails = type === 'erasure' ? { type: 'erasure' } : { type: 'access' };
  return {
    details,
    identities,
    forwarded: {
      protocol: 'drp',
      ...(body['agent-request-id'] !== undefined ? { controller_reference: body['agent-request-id'] } : {}),
      drp: {
        version: body['drp.version'],
        exercise: body.exercise,
        ...(body.regime !== undefined ? { regime: body.regime } : {}),
        ...(body.relationships !== undefined ? { relationships: body.relationships } : {}),
      },
    },
  };
}

/** §3.02: the protocol's statuses. */
export const DRP_STATUSES = ['open', 'in_progress', 'fulfilled', 'revoked', 'denied', 'expired'] as const;
export type DrpStatus = (typeof DRP_STATUSES)[number];

/**
 * Our states in the protocol's statuses (§3.02): received but not yet confirmed is `open`; every
 * state on the way to the answer is `in_progress` (with what it waits for in processing_details);
 * completed is `fulfilled`, refused `denied` (reason `other`: the reasons are the DPO's words),
 * withdrawn `revoked`.
 */
export function drpStatusOf(state: RequestState): { status: DrpStatus; reason?: string; details?: string } {
  switch (state) {
    case 'received':
      return { status: 'open' };
    case 'awaiting_identity':
      return { status: 'in_progress', details: 'the processor asked for further information to confirm the data subject\'s identity' };
    case 'awaiting_fee':
      return { status: 'in_progress', details: 'waiting for a fee (Art. 12(5)(a))' };
    case 'failed':
      return { status: 'in_progress', details: 'a run did not finish; the processor runs it again' };
    case 'verified':
    case 'approved':
    case 'in_progress':
      return { status: 'in_progress' };
    case 'completed':
      return { status: 'fulfilled' };
    case 'refused':
      return { status: 'denied', reason: 'other' };
    case 'withdrawn':
      return { status: 'revoked' };
  }
}
