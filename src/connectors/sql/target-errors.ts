/**
 * Driver errors to the errors a user sees. Two kinds matter to the request engine:
 * - TARGET_UNAVAILABLE: the database cannot be reached, went away, or timed out. The request
 *   stops in a retryable state; running it again completes it.
 * - TARGET_INVALID: the database refuses the statement itself (a missing table or column, a
 *   constraint, a value the column cannot hold). Retrying will not help; the dataset or the
 *   data must change.
 *
 * Messages are built from the driver's error code and our own words, never from the driver's
 * message text: MySQL and PostgreSQL put the offending values (an email, a customer number) in
 * theirs, and a URL in an error would carry the password.
 */
import { OpendpoError } from '../../errors/opendpo-error.js';

export interface ErrorClass {
  kind: 'unavailable' | 'invalid';
  /** Safe to show: our words and the driver's code, no value, no SQL, no credentials. */
  reason: string;
  /**
   * `reason` then says why (wrong password, unknown role...), after "access denied".
   * The server refused the user (unknown user, wrong password, a host the user may not connect
   * from): opening the connection says which user, as the connection's owner wrote it.
   */
  denied?: boolean;
  /**
   * The database did not answer within the connection's timeout (a statement, a lock wait, the
   * connection itself): it is frozen or overloaded, and the request stops, resumable.
   */
  timeout?: boolean;
}

/** Recognises one driver's errors; undefined for anything it does not know (a bug, then). */
export type ErrorClassifier = (err: unknown) => ErrorClass | undefined;

export const errorCode = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : typeof code === 'number' ? String(code) : undefined;
};

export const errorMessage = (err: unknown): string => {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : '';
};

/** Errors of the socket itself, the same whatever the driver. */
const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
};

export function classifyNetworkError(err: unknown): ErrorClass | undefined {
  const code = errorCode(err);
  if (code !== undefined && NETWORK[code] !== undefined) return { kind: 'unavailable', reason: `${NETWORK[code]} (${code})` };
  return undefined;
}

export interface ErrorContext {
  /** What was being done: "select", "update", "delete", "commit", "introspection"... */
  action: string;
  /** Schema-qualified table name, when the error concerns one. */
  table?: string;
  /** The connection's timeout, said in the message of a timeout. */
  timeoutMs?: number;
}

/** "30 s", "1.5 s". */
export const secondsText = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

/** The OpendpoError for a classified driver error, naming the connection and the table. */
export function targetError(label: string, cls: ErrorClass, context: ErrorContext, cause: unknown): OpendpoError {
  const where = context.table === undefined ? context.action : `${context.action} on table ${context.table}`;
  if (cls.denied === true) {
    return new OpendpoError('TARGET_UNAVAILABLE', `${label}: the database refused the connection (${where}): access denied: ${cls.reason}; check the connection's user and password`, undefined, { cause });
  }
  if (cls.timeout === true) {
    const within = context.timeoutMs === undefined ? '' : ` within ${secondsText(context.timeoutMs)}`;
    const unknownOutcome = context.action === 'commit' ? '; whether the commit took effect is unknown' : '';
    return new OpendpoError(
      'TARGET_UNAVAILABLE',
      `${label}: the database is not answering (${where}): no answer${within}: ${cls.reason}${unknownOutcome}`,
      undefined,
      { cause },
    );
  }
  if (cls.kind === 'unavailable') {
    const unknownOutcome = context.action === 'commit' ? '; whether the commit took effect is unknown' : '';
    return new OpendpoError('TARGET_UNAVAILABLE', `${label}: the database cannot be reached (${where}): ${cls.reason}${unknownOutcome}; retry when it is back`, undefined, { cause });
  }
  return new OpendpoError('TARGET_INVALID', `${label}: the database refused the ${where}: ${cls.reason}`, undefined, { cause });
}
