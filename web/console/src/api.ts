/**
 * The console's one way to the server: the generated client (web/client/api-client.ts), with the
 * session's CSRF token, and the answer's error turned into a message to show.
 */
import { apiError, createApiClient } from '../../client/api-client.js';
import type { components } from '../../client/generated/api.js';

export type Schemas = components['schemas'];
export type RequestView = Schemas['Request'];
export type QueueEntry = Schemas['QueueEntry'];
export type Session = Schemas['Session'];
export type RequestType = QueueEntry['type'];
export type RequestState = QueueEntry['state'];

export const REQUEST_TYPES: readonly RequestType[] = ['access', 'portability', 'rectification', 'erasure', 'restriction', 'lift_restriction', 'objection', 'withdraw_consent', 'automated_decision_review', 'post_mortem'];
export const REQUEST_STATES: readonly RequestState[] = ['received', 'awaiting_identity', 'verified', 'awaiting_fee', 'approved', 'in_progress', 'failed', 'completed', 'refused', 'withdrawn'];
export const CHANNELS = ['web', 'email', 'post', 'controller'] as const;

let csrf: string | undefined;
export function setCsrfToken(token: string | null | undefined): void {
  csrf = token ?? undefined;
}

/** Called when an answer says the session is gone (401): the app shows the sign-in form. */
let onSignedOut: () => void = () => undefined;
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

export const api = createApiClient({
  csrfToken: () => csrf,
});
api.use({
  onResponse({ response, request }) {
    // GET /api/v1/session answers signed_in: false rather than 401; a wrong password at sign-in (POST) is the form's to show.
    if (response.status === 401 && !request.url.endsWith('/api/v1/session')) onSignedOut();
    return response;
  },
});

/** The failure of an answer, as a message: the server's own, or the status. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function failure(error: unknown, response: Response): ApiFailure {
  const e = apiError(error);
  return new ApiFailure(response.status, e?.message ?? `HTTP ${response.status}`, e?.code);
}

/** The data of an answer, or the failure thrown. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || data === undefined) throw failure(error, response);
  return data;
}
