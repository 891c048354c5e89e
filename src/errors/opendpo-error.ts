/**
 * The error catalogue: every error a user can see has a stable code, a message safe to show
 * (no personal data, no SQL, no stack), and one mapping to an HTTP status and a CLI exit code.
 * Anything else is a bug: it becomes a generic internal error with a correlation id.
 */
export const ERROR_CODES = {
  /** The register has errors (lint or schema); details carry the findings. */
  REGISTER_INVALID: { status: 422, exit: 1 },
  /** The datasets folder has errors (a dataset file, connections.yaml, a reference); details carry the findings. */
  DATASET_INVALID: { status: 422, exit: 1 },
  /** A command-line argument, query parameter or body is wrong. */
  INVALID_INPUT: { status: 400, exit: 2 },
  /** What was sent is over a limit (a file's size, a number of files): the message names the limit; nothing was written. */
  TOO_LARGE: { status: 413, exit: 2 },
  /** What was sent is of a kind not taken here (a file's content, a body's media type): the message says which are. */
  UNSUPPORTED_TYPE: { status: 415, exit: 2 },
  /** An environment variable is missing or wrong. */
  CONFIG_INVALID: { status: 500, exit: 2 },
  /** No valid session or API token was given for a route that needs one (or it expired). */
  UNAUTHENTICATED: { status: 401, exit: 2 },
  /** The session or token is valid, but its role does not allow this, or it belongs to another organisation. */
  FORBIDDEN: { status: 403, exit: 2 },
  /** Too many requests from one address in a short time (public routes, sign-in): try again later. */
  RATE_LIMITED: { status: 429, exit: 3 },
  /** The thing asked for does not exist (a register version, a file, a git revision). */
  NOT_FOUND: { status: 404, exit: 2 },
  /** The store (SQLite file, PostgreSQL) cannot be reached or written. */
  STORE_UNAVAILABLE: { status: 503, exit: 3 },
  /** A system holding personal data (database, HTTP endpoint) cannot be reached or did not answer in time: retryable. */
  TARGET_UNAVAILABLE: { status: 503, exit: 3 },
  /** A system holding personal data answered what opendpo cannot accept (malformed, oversized, refused signature). */
  TARGET_INVALID: { status: 502, exit: 1 },
  /** Another process is running this request (it holds the request's lease): one run of a request at a time. */
  REQUEST_IN_PROGRESS: { status: 409, exit: 4 },
  /**
   * The unfinished request these identities name was made with other input (rectification values,
   * datasets): it is not resumed with different input; a new request is started explicitly.
   */
  REQUEST_CHANGED: { status: 409, exit: 2 },
  /**
   * The request asks what the rules forbid (a field under a legal hold, a row that is not the
   * person's): refused as a whole, nothing written; details carry each refusal.
   */
  REQUEST_REFUSED: { status: 409, exit: 2 },
  /**
   * What the command produces could not be written where it was asked (an --out file, standard
   * output closed or full): a request whose package was not written is not completed (exit 74, EX_IOERR).
   */
  OUTPUT_FAILED: { status: 500, exit: 74 },
  /** A bug: never shown with details. */
  INTERNAL: { status: 500, exit: 70 },
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class OpendpoError extends Error {
  override readonly name = 'OpendpoError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra data safe to show (e.g. findings). */
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  get status(): number {
    return ERROR_CODES[this.code].status;
  }
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
}

export const isOpendpoError = (e: unknown): e is OpendpoError => e instanceof OpendpoError;
