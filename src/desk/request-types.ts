/**
 * What a person may ask, one schema per right (the single source of truth for the public API, the
 * staff's manual entry, and the OpenAPI document). Each type carries what its article needs to act
 * on it and nothing more (Art. 5(1)(c)); free text is bounded.
 */
import { z } from 'zod';
import { TransmitToUrl } from './transmit/transmit-url.js';

const Text = (max: number) => z.string().trim().min(1).max(max);
const ActivityIds = z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, { message: 'must be an activity id from the register' })).max(100);

export const REQUEST_TYPES = [
  'access',
  'portability',
  'rectification',
  'erasure',
  'restriction',
  'lift_restriction',
  'objection',
  'withdraw_consent',
  'automated_decision_review',
  'post_mortem',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/** The article each type exercises, for letters, the notice and the console. */
export const REQUEST_ARTICLES: Record<RequestType, string> = {
  access: 'Art. 15',
  portability: 'Art. 20',
  rectification: 'Art. 16',
  erasure: 'Art. 17',
  restriction: 'Art. 18',
  lift_restriction: 'Art. 18(3)',
  objection: 'Art. 21',
  withdraw_consent: 'Art. 7(3)',
  automated_decision_review: 'Art. 22(3)',
  post_mortem: 'loi Informatique et Libertés, art. 85',
};

export const RequestDetails = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('access') }),
  z.strictObject({
    type: z.literal('portability'),
    /** Art. 20(2): sent directly to another controller, where technically feasible. */
    transmit_to: z.strictObject({ controller: Text(200), url: TransmitToUrl }).optional(),
  }),
  z.strictObject({
    type: z.literal('rectification'),
    corrections: z.array(z.strictObject({ what: Text(200), corrected: Text(2000) })).min(1).max(50),
  }),
  z.strictObject({
    type: z.literal('erasure'),
    /** Art. 17(1)(a)-(f), when the person names one; the controller checks the grounds either way. */
    grounds: z.enum(['no_longer_necessary', 'consent_withdrawn', 'objection', 'unlawful', 'legal_obligation', 'child_information_society']).optional(),
  }),
  z.strictObject({
    type: z.literal('restriction'),
    /** Art. 18(1)(a)-(d). */
    grounds: z.enum(['accuracy_contested', 'unlawful_processing', 'needed_for_legal_claims', 'objection_pending']),
  }),
  z.strictObject({ type: z.literal('lift_restriction') }),
  z.strictObject({
    type: z.literal('objection'),
    /** Art. 21(2)-(3): an objection to direct marketing is absolute; any other states grounds (Art. 21(1)). */
    direct_marketing: z.boolean(),
    activities: ActivityIds.optional(),
    grounds: Text(5000).optional(),
  }),
  z.strictObject({ type: z.literal('withdraw_consent'), activities: ActivityIds.optional() }),
  z.strictObject({
    type: z.literal('automated_decision_review'),
    /** Art. 22(3): which decision, and the person's point of view. */
    decision: Text(2000),
    point_of_view: Text(5000).optional(),
  }),
  z.strictObject({
    type: z.literal('post_mortem'),
    /** Loi Informatique et Libertés art. 85: record directives, or tell of a death so they are carried out. */
    action: z.enum(['record_directives', 'notify_death']),
    scope: z.enum(['general', 'specific']).optional(),
    directives: Text(10_000).optional(),
    designated_person: z.strictObject({ name: Text(200), email: z.email().max(320) }).optional(),
  }),
]);
export type RequestDetails = z.infer<typeof RequestDetails>;

/** What a post-mortem request needs beyond its shape; undefined when complete. */
export function detailsProblem(details: RequestDetails): string | undefined {
  if (details.type === 'post_mortem' && details.action === 'record_directives' && (details.directives === undefined || details.scope === undefined)) {
    return 'details: directives to record need their scope (general or specific) and their text (loi Informatique et Libertés, art. 85)';
  }
  if (details.type === 'objection' && !details.direct_marketing && details.grounds === undefined) {
    return 'details.grounds: an objection other than to direct marketing states the grounds relating to the person\'s particular situation (Art. 21(1))';
  }
  return undefined;
}

/** An identity type that holds an email address (email, work_email...): checked as one, confirmed by a code sent to it. */
export const isEmailType = (type: string): boolean => type === 'email' || type.endsWith('_email');
