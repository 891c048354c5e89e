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

/**
 * A refusal with the problems behind it (a register lint refuses, datasets that do not match their
 * databases): each at its file (relative to its folder), line and column, so that it can be fixed.
 */
export const ProblemView = z
  .object({
    rule: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    message: z.string(),
    article: z.string().optional(),
    file: z.string().describe('relative to the register or datasets folder'),
    line: z.number().int(),
    column: z.number().int(),
  })
  .meta({ id: 'Problem' });

export const RefusedWithProblemsView = z
  .object({ error: ErrorView.shape.error.extend({ findings: z.array(ProblemView).describe('every problem found, errors first') }) })
  .meta({ id: 'ErrorWithFindings' });

export function presentProblems(
  code: string,
  message: string,
  findings: readonly { rule: string; severity: 'error' | 'warning' | 'info'; message: string; article?: string | undefined; file: string; line: number; column: number }[],
  fileName: (file: string) => string,
): z.infer<typeof RefusedWithProblemsView> {
  const order = { error: 0, warning: 1, info: 2 } as const;
  return {
    error: {
      code,
      message,
      findings: [...findings]
        .sort((a, b) => order[a.severity] - order[b.severity])
        .map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, ...(f.article === undefined ? {} : { article: f.article }), file: fileName(f.file), line: f.line, column: f.column })),
    },
  };
}
