/**
 * A request's dry run for staff: what the engine will do when it runs (`opendpo dsr plan` for a desk
 * request, src/desk/plan-request.ts). It counts the person's rows, so it needs what reading a
 * person's data needs (`requests.read_personal`) and each view is in the audit log; nothing is
 * written to the systems. Requests the engine does not run (staff carry them out) and closed ones
 * are refused (409), datasets that no longer match their databases answer their problems (422), a
 * database that does not answer is 503.
 */
import path from 'node:path';
import { z } from 'zod';
import { planDeskRequest } from '../../desk/plan-request.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { Finding } from '../../register/finding.js';
import { Id } from '../../register/schema.js';
import { principalOf } from '../auth.js';
import { BadRequestView, ConflictView, ForbiddenView, RefusedWithProblemsView, RequestNotFoundView, UnauthenticatedView, UnavailableView, presentProblems } from '../presenters/error-presenter.js';
import { RequestPlanView, presentPlan } from '../presenters/plan-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';

const PlanSchema = {
  summary: 'What the engine will do for the request (dry run, counts only; the view is recorded in the audit log)',
  tags: ['desk'],
  params: z.object({ org: Id.describe('organisation id'), id: z.uuid({ message: 'must be a request id (a UUID)' }) }),
  response: {
    200: RequestPlanView.describe('The plan: systems, tables, rows found and what would be written or kept, counted'),
    400: BadRequestView,
    401: UnauthenticatedView,
    403: ForbiddenView,
    404: RequestNotFoundView,
    409: ConflictView.describe('The engine does not run this type of request (staff do), the request is closed, or the server runs no request of the organisation'),
    422: RefusedWithProblemsView.describe('The datasets do not match their databases: each problem at its place'),
    503: UnavailableView.describe('A system\'s database does not answer'),
  },
};

export function addDeskPlanRoutes(app: ZodApp, { store, desk, sources, targetTimeoutMs }: RouteContext): void {
  app.get('/api/v1/organisations/:org/desk/requests/:id/plan', { schema: PlanSchema, config: { access: 'requests.read_personal' } }, async (request, reply) => {
    const { org, id } = request.params;
    try {
      const plan = await planDeskRequest({ store, desk, sources, organisationId: org, requestId: id, actor: principalOf(request).actor, timeoutMs: targetTimeoutMs });
      return presentPlan(plan);
    } catch (err) {
      const findings = err instanceof OpendpoError && err.code === 'DATASET_INVALID' ? (err.details as { findings?: Finding[] } | undefined)?.findings : undefined;
      if (!findings) throw err;
      return reply
        .code(422)
        .send(presentProblems('DATASET_INVALID', 'the datasets do not match their databases: nothing was read (fix the datasets or the databases, then plan again)', findings, (file) => path.basename(file)));
    }
  });
}
