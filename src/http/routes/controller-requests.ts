/**
 * Requests a controller forwards to us, its processor (Art. 28(3)(e): the processor assists the
 * controller in answering its data subjects' requests): submitted and followed with the controller's
 * API token (role `controller`), in our own shape (/api/v1/controller/...) and in the Data Rights
 * Protocol's (/api/drp/v1/..., decision 0033). The organisation and the controller are the token's,
 * never the body's; a controller sees only the requests it forwarded (another's, or anyone else's,
 * is not found). The answer is the controller's to give: nothing is sent to the person.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DrpExerciseRequest, fromDrpExercise } from '../../desk/forwarded/data-rights-protocol.js';
import { REQUEST_TYPES, RequestDetails } from '../../desk/request-types.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { principalOf, type Principal } from '../auth.js';
import { BadRequestView, ErrorView, ForbiddenView, RequestNotFoundView, UnauthenticatedView } from '../presenters/error-presenter.js';
import { DrpStatusView, ForwardedRequestView, presentDrpStatus, presentForwardedRequest } from '../presenters/forwarded-request-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';
import { sendPackage } from '../send-package.js';
import { IdentitiesBody } from './public-requests.js';

const ACCESS = { access: 'controller.forward' as const };
const RequestParams = z.object({ id: z.uuid({ message: 'must be a request id (a UUID)' }) });
const DrpParams = z.object({ request_id: z.uuid({ message: 'must be a request_id this server gave (a UUID)' }) });
const Errors = {
  400: BadRequestView,
  401: UnauthenticatedView,
  403: ForbiddenView.describe('Not a controller token, or (on submission) the register records no activity processed for this controller'),
  404: RequestNotFoundView.describe('No request with this id forwarded by this controller'),
  422: ErrorView.describe('The register does not give the contract\'s period for this controller\'s requests (requests.answer_within_days)'),
};

const SubmitSchema = {
  summary: 'Forward a data subject\'s request to us, the processor (Art. 28(3)(e)); the controller confirmed the identities',
  tags: ['controller'],
  body: z.strictObject({
    controller_reference: z.string().trim().min(1).max(100).optional().describe('the controller\'s own reference, given back in every status'),
    language: z.enum(['en', 'fr']).default('en').describe('the language of the letters kept with the request'),
    identities: IdentitiesBody.describe('the identities of the data subject, which the controller confirmed (Art. 12(6))'),
    details: RequestDetails.describe(`what is asked, by type: ${REQUEST_TYPES.join(', ')}`),
    message: z.string().trim().min(1).max(5000).optional(),
  }),
  response: { 201: ForwardedRequestView.describe('Received and confirmed: waiting for the processor\'s decision, due on the contract\'s day'), ...Errors },
};

const StatusSchema = {
  summary: 'Follow a forwarded request: its state, the contract\'s deadline and, once closed, the answer',
  tags: ['controller'],
  params: RequestParams,
  response: { 200: ForwardedRequestView.describe('The request as the controller that forwarded it sees it'), ...Errors },
};

const PackageSchema = {
  summary: 'Download the package of a completed access or portability request (the download is in the audit log)',
  tags: ['controller'],
  params: RequestParams,
  response: {
    200: { description: 'The package (a zip of CSV files for access, JSON for portability)', content: { 'application/octet-stream': { schema: z.string() } } },
    ...Errors,
    404: RequestNotFoundView.describe('No such request forwarded by this controller, no package, or it expired'),
  },
};

const DrpExerciseSchema = {
  summary: 'Data Rights Protocol 0.9.4 §2.01: exercise a right (access, access:specific, deletion), as JSON with the controller\'s API token',
  tags: ['controller'],
  body: DrpExerciseRequest,
  response: { 200: DrpStatusView.describe('§3.03: the Exercise Status of the request received'), ...Errors },
};

const DrpStatusSchema = {
  summary: 'Data Rights Protocol 0.9.4 §2.02: the status of a request',
  tags: ['controller'],
  params: DrpParams,
  response: { 200: DrpStatusView.describe('§3.03: the Exercise Status'), ...Errors },
};

const Reason = z.string().trim().min(1).max(2000).optional().describe('why, as the data subject or the controller gave it (kept in the request\'s history, not in the audit log)');
const Conflict = { 409: ErrorView.describe('The request can no longer be withdrawn: it is running or answered (the message says which)') };

const WithdrawSchema = {
  summary: 'Withdraw a forwarded request the data subject no longer wants answered (before it runs)',
  tags: ['controller'],
  params: RequestParams,
  body: z.strictObject({ reason: Reason }),
  response: { 200: ForwardedRequestView.describe('The request, withdrawn'), ...Errors, ...Conflict },
};

const DrpRevokeSchema = {
  summary: 'Data Rights Protocol 0.9.4 §2.04: revoke a request (before it runs), as JSON with the controller\'s API token',
  tags: ['controller'],
  params: DrpParams,
  body: z.strictObject({ reason: Reason }).nullish().describe('optional: a DELETE may carry no body'),
  response: { 200: DrpStatusView.describe('§3.03: the Exercise Status, revoked'), ...Errors, ...Conflict },
};

/** The controller a token forwards for: a `controller` token without one is refused (opendpo user token gives one). */
function controllerOf(p: Principal): string {
  if (p.controllerId === undefined) throw new OpendpoError('FORBIDDEN', 'this API token names no controller: make one with opendpo user token --role controller --controller <id>');
  return p.controllerId;
}

/** Where the controller downloads a request's package, on the address it called. */
const packageUrl = (request: FastifyRequest) => (id: string) => `${request.protocol}://${request.host}/api/v1/controller/requests/${id}/package`;

export function addControllerRequestRoutes(app: ZodApp, { desk, now }: RouteContext): void {
  app.post('/api/v1/controller/requests', { schema: SubmitSchema, config: ACCESS, bodyLimit: 64 * 1024 }, async (request, reply) => {
    const p = principalOf(request);
    const controllerId = controllerOf(p);
    const b = request.body;
    const submitted = await desk.submit({
      organisationId: p.organisationId,
      details: b.details,
      identities: b.identities,
      language: b.language,
      channel: 'controller',
      controllerId,
      actor: p.actor,
      forwarded: { protocol: 'opendpo', ...(b.controller_reference !== undefined ? { controller_reference: b.controller_reference } : {}) },
      ...(b.message !== undefined ? { message: b.message } : {}),
    });
    request.log.info({ requestId: submitted.request.request.id, type: b.details.type, controller: controllerId, identities: b.identities.length }, 'forwarded request received');
    return reply.code(201).send(presentForwardedRequest(submitted.request, packageUrl(request)));
  });

  app.get('/api/v1/controller/requests/:id', { schema: StatusSchema, config: ACCESS }, async (request) => {
    const p = principalOf(request);
    return presentForwardedRequest(await desk.forController(p.organisationId, request.params.id, controllerOf(p)), packageUrl(request));
  });

  app.get('/api/v1/controller/requests/:id/package', { schema: PackageSchema, config: ACCESS }, async (request, reply) => {
    const p = principalOf(request);
    const opened = await desk.openPackageForController(p.organisationId, request.params.id, controllerOf(p), p.actor);
    return sendPackage(reply, opened);
  });

  app.post('/api/drp/v1/data-rights-request', { schema: DrpExerciseSchema, config: ACCESS, bodyLimit: 64 * 1024 }, async (request) => {
    const p = principalOf(request);
    const controllerId = controllerOf(p);
    const { details, identities, forwarded } = fromDrpExercise(request.body, { organisationId: p.organisationId, controllerId, now: now() });
    const submitted = await desk.submit({ organisationId: p.organisationId, details, identities, language: 'en', channel: 'controller', controllerId, actor: p.actor, forwarded });
    request.log.info({ requestId: submitted.request.request.id, type: details.type, controller: controllerId, identities: identities.length, protocol: 'drp' }, 'forwarded request received');
    // §3.06: a request processed is answered 200, with the Exercise Status.
    return presentDrpStatus(submitted.request, packageUrl(request));
  });

  app.post('/api/v1/controller/requests/:id/withdrawal', { schema: WithdrawSchema, config: ACCESS, bodyLimit: 16 * 1024 }, async (request) => {
    const p = principalOf(request);
    const withdrawn = await desk.withdrawForController(p.organisationId, request.params.id, controllerOf(p), p.actor, request.body.reason);
    return presentForwardedRequest(withdrawn, packageUrl(request));
  });

  app.delete('/api/drp/v1/data-rights-request/:request_id', { schema: DrpRevokeSchema, config: ACCESS, bodyLimit: 16 * 1024 }, async (request) => {
    const p = principalOf(request);
    const withdrawn = await desk.withdrawForController(p.organisationId, request.params.request_id, controllerOf(p), p.actor, request.body?.reason);
    return presentDrpStatus(withdrawn, packageUrl(request));
  });

  app.get('/api/drp/v1/data-rights-request/:request_id', { schema: DrpStatusSchema, config: ACCESS }, async (request) => {
    const p = principalOf(request);
    return presentDrpStatus(await desk.forController(p.organisationId, request.params.request_id, controllerOf(p)), packageUrl(request));
  });
}
