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
