/**
 * The public side of the desk: a person submits a request, confirms each email it names with the
 * code sent there (Art. 12(6)), and follows it. Rate-limited per address; the status token given
 * once at submission is the person's key to the request (header x-status-token).
 */
import { z } from 'zod';
import { isEmailType, REQUEST_TYPES, RequestDetails } from '../../desk/request-types.js';
import { Id } from '../../register/schema.js';
import { BadRequestView, ConflictView, RateLimitedView, RequestNotFoundView } from '../presenters/error-presenter.js';
import { CodeSentView, PublicRequestView, SubmittedView, presentPublicRequest } from '../presenters/request-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';
import { sendPackage } from '../send-package.js';
import { addRequestFormRoute } from './request-form.js';

const PersonEmail = z.email({ pattern: z.regexes.unicodeEmail });

export const IdentityBody = z.strictObject({
  type: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, { message: 'must be an identity type such as email or phone_number' }),
  value: z.string().trim().min(1).max(320),
});

export const IdentitiesBody = z
  .array(IdentityBody)
  .min(1)
  .max(5)
  .superRefine((ids, ctx) => {
    // The engine looks a person up by one value per identity type: a second address is a second request.
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id.type)) ctx.addIssue({ code: 'custom', path: [i, 'type'], message: `names a second ${id.type}: one value per identity type (a request per address)` });
      seen.add(id.type);
      // People's addresses may be internationalised (RFC 6531: zoé@exemple.fr): accepted as written.
      if (isEmailType(id.type) && !PersonEmail.safeParse(id.value).success) ctx.addIssue({ code: 'custom', path: [i, 'value'], message: 'must be an email address' });
    });
  })
  .describe('every identity the request names; each is confirmed before anything is done (an email by a code sent to it)');

const OrgParams = z.object({ org: Id.describe('organisation id') });
const RequestParams = OrgParams.extend({ id: z.uuid({ message: 'must be a request id (a UUID)' }) });
const StatusHeaders = z.object({
  'x-status-token': z.string({ message: 'is required: the status token given when the request was submitted' }).min(1).max(200).describe('the status token given at submission'),
});

const SubmitSchema = {
  summary: 'Submit a request to exercise a right (Art. 15-22, loi Informatique et Libertés art. 85)',
  tags: ['requests'],
  params: OrgParams,
  body: z.strictObject({
    language: z.enum(['en', 'fr']).default('en').describe('the language of the letters and codes'),
    identities: IdentitiesBody,
    details: RequestDetails.describe(`what is asked, by type: ${REQUEST_TYPES.join(', ')}`),
    message: z.string().trim().min(1).max(5000).optional(),
  }),
  response: { 201: SubmittedView.describe('Received: the request, its status token (shown once) and whether each code was sent'), 400: BadRequestView, 404: RequestNotFoundView.describe('No organisation of this id has published a register'), 429: RateLimitedView },
};

const StatusSchema = {
  summary: 'Follow a request: its state and the day its answer is due',
  tags: ['requests'],
  params: RequestParams,
  headers: StatusHeaders,
  response: { 200: PublicRequestView.describe('The request as the person may see it'), 400: BadRequestView, 404: RequestNotFoundView, 429: RateLimitedView },
};

const SendCodeSchema = {
  summary: 'Send a new code to an email the request names (at most 5, one a minute)',
  tags: ['requests'],
  params: RequestParams,
  headers: StatusHeaders,
  body: z.strictObject({ identity: z.number().int().min(1).max(5).describe('the identity\'s number in the request (1, 2, ...)') }),
  response: { 200: CodeSentView.describe('Whether the code was sent, and why not'), 400: BadRequestView, 404: RequestNotFoundView, 409: ConflictView, 429: RateLimitedView },
};

const VerifySchema = {
  summary: 'Confirm an email with the code sent to it; the request goes on once every identity is confirmed',
  tags: ['requests'],
  params: RequestParams,
  headers: StatusHeaders,
  body: z.strictObject({ identity: z.number().int().min(1).max(5), code: z.string().trim().min(1).max(20) }),
  response: {
    200: z.object({
      outcome: z.enum(['verified', 'wrong', 'expired', 'locked', 'already-verified']),
      attempts_left: z.number().int(),
      state: z.string(),
    }).describe('The outcome of the try, the tries left, and the request\'s state'),
    400: BadRequestView,
    404: RequestNotFoundView,
    409: ConflictView,
    429: RateLimitedView,
  },
};

const PackageSchema = {
  summary: 'Download the access package (the link of the completion letter, with the status token)',
  tags: ['requests'],
  params: RequestParams,
  headers: StatusHeaders,
  querystring: z.strictObject({ download: z.string().regex(/^[A-Za-z0-9_-]{43}$/, { message: 'must be the download token of the completion letter' }) }),
  response: {
    200: { description: 'The package (a zip of CSV files for access, JSON for portability)', content: { 'application/octet-stream': { schema: z.string() } } },
    400: BadRequestView,
    404: RequestNotFoundView.describe('No such request, status token, package or download token, or the link expired'),
    429: RateLimitedView,
  },
};

export function addPublicRequestRoutes(app: ZodApp, context: RouteContext): void {
  const { desk, publicRateLimit } = context;
  // Per address and route. A code is guessed one try at a time, and five tries lock it: the limit
  // guards against floods, not guesses (a status token is 256 random bits).
  const config = { access: 'public' as const, rateLimit: { max: publicRateLimit, timeWindow: 60_000 } };
  addRequestFormRoute(app, context);

  app.post('/api/v1/organisations/:org/requests', { schema: SubmitSchema, config, bodyLimit: 64 * 1024 }, async (request, reply) => {
    const { body } = request;
    const submitted = await desk.submit({
      organisationId: request.params.org,
      details: body.details,
      identities: body.identities,
      language: body.language,
      channel: 'web',
      actor: 'person',
      ...(body.message !== undefined ? { message: body.message } : {}),
    });
    request.log.info({ requestId: submitted.request.request.id, type: body.details.type, identities: body.identities.length, codesSent: submitted.codes.filter((c) => c.sent).length }, 'request received');
    return reply.code(201).send({ request: presentPublicRequest(submitted.request), status_token: submitted.statusSecret, codes: submitted.codes });
  });

  app.get('/api/v1/organisations/:org/requests/:id', { schema: StatusSchema, config }, async (request) => {
    const { org, id } = request.params;
    return presentPublicRequest(await desk.status(org, id, request.headers['x-status-token']));
  });

  app.post('/api/v1/organisations/:org/requests/:id/codes', { schema: SendCodeSchema, config }, async (request) => {
    const { org, id } = request.params;
    return desk.sendCode(org, id, request.headers['x-status-token'], request.body.identity);
  });

  app.get('/api/v1/organisations/:org/requests/:id/package', { schema: PackageSchema, config }, async (request, reply) => {
    const { org, id } = request.params;
    const opened = await desk.openPackage(org, id, request.headers['x-status-token'], request.query.download);
    return sendPackage(reply, opened);
  });

  app.post('/api/v1/organisations/:org/requests/:id/verification', { schema: VerifySchema, config }, async (request) => {
    const { org, id } = request.params;
    const result = await desk.verifyCode(org, id, request.headers['x-status-token'], request.body.identity, request.body.code);
    return { outcome: result.outcome as 'verified', attempts_left: result.attemptsLeft, state: result.state };
  });
}
