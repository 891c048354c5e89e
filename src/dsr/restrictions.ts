/**
 * The restrictions of processing in force (Art. 18) and their lifting (Art. 18(3)). A restriction
 * is recorded in the store by a keyed fingerprint of each identity (run-request.ts, `dsr restrict`)
 * and marked on the person's rows where a dataset declares a restriction flag; this module says
 * which are in force, from the store and the evidence of the request that made each, and lifts one
 * once the person has been told. The decision point that enforces a restriction reads the store.
 */
import { OpendpoError } from '../errors/opendpo-error.js';
import type { DsrRequest, DsrStep, RestrictionRecord } from '../store/dsr-repository.js';
import type { Store } from '../store/open-store.js';
import { committedWrites } from './request-lifecycle.js';

/** A restriction as `dsr restrictions` shows it: no identity, only its types, the request and counts. */
export interface RestrictionView {
  requestId: string;
  restrictedAt: string;
  liftedAt: string | null;
  identityTypes: string[];
  /** The status of the request that made it (a failed one may not have set every flag yet). */
  requestStatus: DsrRequest['status'] | 'unknown';
  /** The rows the restriction marked in the data, per connection (system) and collection, from the evidence. */
  flagged: { connection: string; collection: string; rows: number }[];
}

/** How the person was told that the restriction is about to be lifted (Art. 18(3)). */
export const INFORMED_BY = ['email', 'letter', 'phone', 'in-person', 'online-account', 'other'] as const;
export type InformedBy = (typeof INFORMED_BY)[number];

export interface LiftAcknowledgement {
  /** The date (YYYY-MM-DD) the person was told, before the lifting. */
  informedOn: string;
  informedBy: InformedBy;
  /** Who lifts the restriction (accountability, Art. 5(2)): a name or a role. */
  by: string;
}

export function describeRestriction(record: RestrictionRecord, request: DsrRequest | undefined, steps: readonly DsrStep[]): RestrictionView {
  const flagged = new Map<string, RestrictionView['flagged'][number]>();
  for (const s of committedWrites(steps)) {
    if (s.kind !== 'update') continue;
    const key = `${s.connection}\u0000${s.collection ?? ''}`;
    const entry = flagged.get(key) ?? { connection: s.connection, collection: s.collection ?? '', rows: 0 };
    entry.rows += s.rowsChanged;
    flagged.set(key, entry);
  }
  return {
    requestId: record.requestId,
    restrictedAt: record.restrictedAt,
    liftedAt: record.liftedAt,
    identityTypes: record.identityTypes,
    requestStatus: request?.status ?? 'unknown',
    flagged: [...flagged.values()],
  };
}

/**
 * Checks the acknowledgement that the person was told (Art. 18(3): "shall be informed by the
 * controller before the restriction of processing is lifted"): a real date, not after today and not
 * before the restriction began; a known channel; who lifts it.
 */
export function checkAcknowledgement(input: { informedOn?: string; informedBy?: string; by?: string }, restrictedAt: string, today: string): LiftAcknowledgement {
  const date = input.informedOn?.trim() ?? '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const valid = match !== null && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
  if (!valid) throw new OpendpoError('INVALID_INPUT', '--person-informed must be the date the person was told, as YYYY-MM-DD (Art. 18(3): before the restriction is lifted)');
  if (date > today) throw new OpendpoError('INVALID_INPUT', `--person-informed ${date} is after today (${today}): the person must be told before the restriction is lifted (Art. 18(3))`);
  if (date < restrictedAt.slice(0, 10)) {
    throw new OpendpoError('INVALID_INPUT', `--person-informed ${date} is before the restriction began (${restrictedAt.slice(0, 10)}): tell the person that it is about to be lifted, then lift it`);
  }
  const informedBy = INFORMED_BY.find((c) => c === input.informedBy);
  if (informedBy === undefined) throw new OpendpoError('INVALID_INPUT', `--informed-by must be one of ${INFORMED_BY.join(', ')}`);
  const by = input.by?.trim() ?? '';
  if (by === '' || by.length > 200) throw new OpendpoError('INVALID_INPUT', '--by must name who lifts the restriction (a name or a role, at most 200 characters)');
  return { informedOn: date, informedBy, by };
}

/** The restrictions recorded (in force, or all), each with what its request marked in the data. */
export async function listRestrictions(store: Store, options: { includeLifted?: boolean } = {}): Promise<RestrictionView[]> {
  const out: RestrictionView[] = [];
  for (const record of await store.requests.restrictions(options)) {
    out.push(describeRestriction(record, await store.requests.get(record.requestId), await store.requests.steps(record.requestId)));
  }
  return out;
}

/**
 * Lifts the restriction made by request `requestId`, once the person has been told (Art. 18(3)):
 * the store stops recording it as in force, and the acknowledgement is appended to that request's
 * evidence. Flags the restriction set in the data are not cleared here: the returned view names them.
 */
export async function liftRestriction(
  store: Store,
  requestId: string,
  input: { informedOn?: string; informedBy?: string; by?: string },
  now: Date = new Date(),
): Promise<{ lifted: RestrictionView; acknowledgement: LiftAcknowledgement }> {
  const record = (await store.requests.restrictions({ includeLifted: true })).find((r) => r.requestId === requestId);
  if (record === undefined) throw new OpendpoError('NOT_FOUND', `no restriction was recorded by request ${requestId.slice(0, 80)} (dsr restrictions lists those in force)`);
  if (record.liftedAt !== null) throw new OpendpoError('INVALID_INPUT', `the restriction of request ${requestId} was already lifted on ${record.liftedAt}`);
  const acknowledgement = checkAcknowledgement(input, record.restrictedAt, now.toISOString().slice(0, 10));
  const lifted = await store.requests.liftRestriction(requestId, {
    connection: 'opendpo',
    collection: null,
    kind: 'unrestrict',
    rowsFound: record.identityTypes.length,
    rowsChanged: 0,
    startedAt: now.toISOString(),
    durationMs: 0,
    status: 'done',
    note: `restriction lifted by ${acknowledgement.by}; the person was informed on ${acknowledgement.informedOn} by ${acknowledgement.informedBy} (Art. 18(3))`,
    detail: { ...acknowledgement },
  });
  // Lifted meanwhile by another process: its lifting stands, recorded once.
  if (!lifted) throw new OpendpoError('INVALID_INPUT', `the restriction of request ${requestId} is no longer in force`);
  const view = describeRestriction({ ...record, liftedAt: now.toISOString() }, await store.requests.get(requestId), await store.requests.steps(requestId));
  return { lifted: view, acknowledgement };
}
