/**
 * A new link to a completed request's copy, sent to the person by email (Art. 15(3), 12(2)): for
 * the person who lost the completion letter. The old link stops working; the copy's last day does
 * not move. It decides nothing about the request, so it is not one of the request's transitions,
 * but it is in the audit log and the letter is kept with the request like every other.
 */
import { z } from 'zod';
import { Id } from '../../register/schema.js';
import { principalOf } from '../auth.js';
import { BadRequestView, ConflictView, ForbiddenView, RequestNotFoundView, UnauthenticatedView } from '../presenters/error-presenter.js';
import { StaffRequestView, presentStaffRequest } from '../presenters/request-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';

const RenewSchema = {
  summary: 'Send the person a new link to the copy (the old link stops working; the copy expires on the same day)',
  tags: ['desk'],
  params: z.object({ org: Id.describe('organisation id'), id: z.uuid({ message: 'must be a request id (a UUID)' }) }),
  body: z.strictObject({ version: z.number().int().min(1).optional().describe('the version read: refused with REQUEST_CHANGED if the request changed since') }),
  response: {
    200: StaffRequestView.describe('The request, with the letter that carried the new link'),
    400: BadRequestView,
    401: UnauthenticatedView,
    403: ForbiddenView,
    404: RequestNotFoundView,
    409: ConflictView.describe('The request has no copy (not a completed access or portability request, or forwarded by a controller), its copy has expired, or it changed since the version read'),
  },
};

export function addDeskDownloadLinkRoutes(app: ZodApp, { desk }: RouteContext): void {
  app.post('/api/v1/organisations/:org/desk/requests/:id/download-link', { schema: RenewSchema, config: { access: 'requests.decide' } }, async (request) => {
    const { org, id } = request.params;
    return presentStaffRequest(await desk.renewDownloadLink(org, id, principalOf(request).actor, request.body.version), desk);
  });
}
