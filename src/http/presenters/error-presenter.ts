import { z } from 'zod';

/** Every error response: a stable code and a message safe to show. */
export const ErrorView = z
  .object({
    error: z.object({
      code: z.string().describe('stable id: INVALID_INPUT, NOT_FOUND, STORE_UNAVAILABLE, INTERNAL, ...'),
      message: z.string(),
      correlation_id: z.string().optional().describe('for INTERNAL errors: quote it to the operator, who finds it in the logs'),
    }),
  })
  .meta({ id: 'Error' });

/** The error responses routes declare, described for the OpenAPI document. */
export const BadRequestView = ErrorView.describe('A parameter is invalid: the message names it and what it must be');
export const NotFoundView = ErrorView.describe('No such organisation, or no published register or version');

export function presentError(code: string, message: string, correlationId?: string): z.infer<typeof ErrorView> {
  return { error: { code, message, ...(correlationId ? { correlation_id: correlationId } : {}) } };
}
export const UnauthenticatedView = ErrorView.describe('No valid session or API token (or it expired): sign in or give a token');
export const ForbiddenView = ErrorView.describe("The session's or token's role does not allow this, it belongs to another organisation, or a change lacks the CSRF token");
export const ConflictView = ErrorView.describe('Refused as the request stands: the transition is not possible from its state (the message says why), or it changed since it was read');
export const RateLimitedView = ErrorView.describe('Too many requests from this address: the message says when to try again');
export const RequestNotFoundView = ErrorView.describe('No request with this id (and, for the public routes, this status token)');
export const UnavailableView = ErrorView.describe('The store or the mail server does not answer');
