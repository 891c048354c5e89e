/**
 * A new status key for the person who lost theirs (Art. 12(2): the controller facilitates the
 * exercise of the rights): without it they can neither follow their request nor download its copy.
 * The earlier key stops working. The link goes by email to the request's first confirmed address
 * only (Art. 12(6): an unconfirmed address could be anyone's, and the link opens the request); without
 * one, staff get it once in the answer, for a postal answer. It decides nothing about the request, so
 * it is not one of the request's transitions; the audit log records it (ids only, never the key).
 * Identity is the agents' business (staff/roles.ts): the permission is `requests.identity`.
 */
import { z } from 'zod';
import { Id } from '../../register/schema.js';
import { principalOf } from '../auth.js';
import { BadRequestView, ConflictView, ForbiddenView, RequestNotFoundView, UnauthenticatedView } from '../presenters/error-presenter.js';
import { StaffRequestView, presentStaffRequest } from '../presenters/request-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';

const ReissueSchema = {
  summary: 'Send the person a new status key (the earlier key stops working): emailed to the confirmed address, or the link given once to staff',
  tags: ['desk'],
  params: z.object({ org: Id.describe('organisation id'), id: z.uuid({ message: 'must be a request id (a UUID)' }) }),
  body: z.strictObject({ version: z.number().int().min(1).optional().describe('the version read: refused with REQUEST_CHANGED if the request changed since') }),
  response: {
    200: StaffRequestView.extend({
      follow_url: z
        .url()
        .optional()
        .describe(
          'Only when the link was NOT emailed (no confirmed email address, or no mail server): the privacy center link that carries the new key, shown once (the desk keeps only its hash), for staff to send by post. Absent when it was emailed: the email letter is then in `letters`',
        ),
    }).describe('The request, with the link when staff must send it'),
    400: BadRequestView,
    401: UnauthenticatedView,
    403: ForbiddenView,
    404: RequestNotFoundView,
    409: ConflictView.describe('The request was forwarded by a controller (the person holds no key to it), or it changed since the version read'),
  },
};

export function addDeskStatusKeyRoutes(app: ZodApp, { desk }: RouteContext): void {
  app.post('/api/v1/organisations/:org/desk/requests/:id/status-key', { schema: ReissueSchema, config: { access: 'requests.identity' } }, async (request, reply) => {
    const { org, id } = request.params;
    const reissued = await desk.reissueStatusKey(org, id, principalOf(request).actor, request.body.version);
    // The key is in this answer only: never cached by a browser or a proxy.
    if (reissued.sent === 'staff') void reply.header('cache-control', 'no-store');
    return { ...presentStaffRequest(reissued.request, desk), ...(reissued.sent === 'staff' ? { follow_url: reissued.followUrl } : {}) };
  });
}
