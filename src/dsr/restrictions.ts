/**
 * The restrictions of processing in force (Art. 18) and their lifting (Art. 18(3)). A restriction
 * is recorded in the store by a keyed fingerprint of each identity (run-request.ts, `dsr restrict`)
 * and marked on the person's rows where a dataset declares a restriction flag; this module says
 * which are in force, from the store and the evidence of the request that made each, and lifts one
 * once the person has been told. The decision point that enforces a restriction reads the store.
 *
 * Lifting clears the flags too, where the dataset declares the value a flag takes once lifted
 * (`lifted_value`): on exactly the rows the restriction flagged, by the keys its work log keeps
 * while it is in force (the store keeps no identity to search again), and only where the flag
 * still holds the restriction's value. The data is cleared first, one transaction per database,
 * each recorded in the evidence as soon as it committed; the store marks the restriction lifted
 * last. A database not answering leaves the restriction in force, and the same command finishes it.
 */
import type { DatabaseConnector, TableRef, Value } from '../connectors/connector.js';
import { valueKey } from '../connectors/value-key.js';
import { collectionId, type Dataset } from '../dataset/model.js';
import { OpendpoError, isOpendpoError } from '../errors/opendpo-error.js';
import type { DsrRequest, DsrStep, NewDsrStep, RestrictionRecord } from '../store/dsr-repository.js';
import type { Store } from '../store/open-store.js';
import { decodeValue } from './erasure/encode-value.js';
import type { StoredWrite } from './erasure/execute-erasure.js';
import { committedWrites } from './request-lifecycle.js';
import type { OpenConnections } from './run-request.js';

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

/** What lifting did to the flags of one collection: counts only, never a value. */
export interface ClearedFlags {
  connection: string;
  collection: string;
  field: string;
  /** The rows the restriction flagged there (the keys it kept). */
  rows: number;
  /** Their flag held the restriction's value: it holds the lifted value now. */
  cleared: number;
  /** Their flag already held the lifted value (an earlier attempt cleared it, or someone else did). */
  alreadyLifted: number;
  /** Another restriction in force flagged them too: they stay flagged. */
  stillRestricted: number;
  /** Their flag holds another value (changed since the restriction), or the row is gone: left as they are. */
  leftAsTheyAre: number;
}

/** A collection where lifting leaves the flags the restriction set as they are, and why. */
export interface FlagsLeft {
  connection: string;
  collection: string;
  rows: number;
  /**
   * `no-lifted-value`: the collection's restriction_flag declares no `lifted_value`;
   * `flag-changed`: the datasets no longer declare the flag the restriction set (the collection, its
   * restriction_flag or its field changed); `keys-not-kept`: the store does not have the rows' keys
   * (a restriction made before they were kept).
   */
  reason: 'no-lifted-value' | 'flag-changed' | 'keys-not-kept';
}

/** The flags of one collection to clear: the rows by key, the restriction's value and the lifted one. */
export interface FlagClearing {
  connection: string;
  collection: string;
  table: TableRef;
  keyColumns: string[];
  keys: Value[][];
  field: string;
  value: Value;
  liftedValue: Value;
  /** Rows of the restriction another restriction in force flagged too: left out of `keys`. */
  stillRestricted: number;
}

/** The key of a row for comparing one restriction's rows with another's (1, 1n and "1" alike). */
const rowKey = (connection: string, collection: string, key: readonly Value[]) => JSON.stringify([connection, collection, ...key.map(valueKey)]);

/** The updates a restriction request keeps in its work log, per connection (systems' entries left out). */
async function storedUpdates(store: Store, requestId: string): Promise<Map<string, StoredWrite[]>> {
  const out = new Map<string, StoredWrite[]>();
  for (const item of await store.requests.work(requestId)) {
    const parsed = JSON.parse(item.operationsJson) as unknown;
    if (Array.isArray(parsed)) out.set(item.connection, (parsed as StoredWrite[]).filter((op) => op.kind === 'update'));
  }
  return out;
}

/** The rows the other restrictions in force flagged: lifting one leaves them flagged. */
async function rowsOfOtherRestrictions(store: Store, requestId: string): Promise<Set<string>> {
  const rows = new Set<string>();
  for (const other of await store.requests.restrictions()) {
    if (other.requestId === requestId) continue;
    for (const [connection, ops] of await storedUpdates(store, other.requestId)) {
      for (const op of ops) for (const key of op.keys) rows.add(rowKey(connection, op.node, key.map(decodeValue)));
    }
  }
  return rows;
}

/**
 * Which flags lifting clears, and which it leaves (pure): for each collection where the
 * restriction's writes committed, its rows' keys from the work log and the lifted value from the
 * dataset; the field must be the one the restriction set.
 */
export function planLifting(
  flagged: RestrictionView['flagged'],
  updates: ReadonlyMap<string, readonly StoredWrite[]>,
  datasets: readonly Dataset[],
  otherRestrictions: ReadonlySet<string>,
): { clearings: FlagClearing[]; left: FlagsLeft[] } {
  const collections = new Map(datasets.flatMap((d) => d.collections.map((c) => [collectionId(d.key, c.name), c] as const)));
  const clearings: FlagClearing[] = [];
  const left: FlagsLeft[] = [];
  for (const f of flagged) {
    const op = updates.get(f.connection)?.find((o) => o.node === f.collection);
    const flag = collections.get(f.collection)?.restrictionFlag;
    const leave = (reason: FlagsLeft['reason']) => left.push({ connection: f.connection, collection: f.collection, rows: f.rows, reason });
    if (op === undefined) leave('keys-not-kept');
    else if (flag === undefined || op.set?.[flag.field] === undefined) leave('flag-changed');
    else if (flag.liftedValue === undefined) leave('no-lifted-value');
    else {
      const keys = op.keys.map((k) => k.map(decodeValue)).filter((k) => !otherRestrictions.has(rowKey(f.connection, f.collection, k)));
      clearings.push({
        connection: f.connection,
        collection: f.collection,
        table: op.table,
        keyColumns: op.keyColumns,
        keys,
        field: flag.field,
        value: decodeValue(op.set[flag.field]!),
        liftedValue: flag.liftedValue,
        stillRestricted: op.keys.length - keys.length,
      });
    }
  }
  return { clearings, left };
}

/**
 * Clears the flags of one database in one transaction: the lifted value set on the rows by key,
 * only where the flag still holds the restriction's value (one statement: a row another writer
 * changed meanwhile is left alone). Read after the update, the rows holding the lifted value are
 * those cleared and those that already held it; the rest changed since, or are gone.
 */
async function clearFlags(connector: DatabaseConnector, clearings: readonly FlagClearing[]): Promise<ClearedFlags[]> {
  return connector.transaction(async (tx) => {
    const out: ClearedFlags[] = [];
    for (const c of clearings) {
      const where = { columns: c.keyColumns, values: c.keys };
      const { affected } = await tx.run({ kind: 'update', table: c.table, set: { [c.field]: c.liftedValue }, where, onlyIf: { [c.field]: c.value } });
      const { rows } = await tx.run({ kind: 'select', table: c.table, columns: [c.field], where });
      const lifted = rows.filter((r) => valueKey(r[c.field] ?? null) === valueKey(c.liftedValue)).length;
      out.push({
        connection: c.connection,
        collection: c.collection,
        field: c.field,
        rows: c.keys.length + c.stillRestricted,
        cleared: affected,
        alreadyLifted: lifted - affected,
        stillRestricted: c.stillRestricted,
        leftAsTheyAre: c.keys.length - lifted,
      });
    }
    return out;
  });
}

/** The evidence note of a collection's flags cleared: the field and the counts, never a value. */
export function clearedNote(c: ClearedFlags): string {
  const more = [
    ...(c.alreadyLifted > 0 ? [`${c.alreadyLifted} row(s) already held the lifted value`] : []),
    ...(c.stillRestricted > 0 ? [`${c.stillRestricted} row(s) stay flagged: another restriction in force flagged them too`] : []),
    ...(c.leftAsTheyAre > 0 ? [`${c.leftAsTheyAre} row(s) left as they are: their flag no longer holds the restriction's value, or the row is gone`] : []),
  ];
  return `restriction flag cleared: ${c.field} on ${c.cleared} of ${c.rows} row(s)${more.length > 0 ? `; ${more.join('; ')}` : ''}`;
}

/** What a person reads of a collection whose flags lifting leaves as they are. */
export function leftText(l: FlagsLeft): string {
  const why = {
    'no-lifted-value': 'its restriction_flag declares no lifted_value (docs/dataset-format.md#restriction)',
    'flag-changed': 'the datasets no longer declare the restriction flag it set (the collection, its restriction_flag or its field changed)',
    'keys-not-kept': 'the store does not have the keys of the rows the restriction flagged (it was made before opendpo kept them)',
  }[l.reason];
  return `${l.connection} / ${l.collection}: the restriction flag set on ${l.rows} row(s) is left as it is: ${why}; clear it in that system`;
}

export interface LiftContext {
  /** The datasets: the value each flag takes once the restriction is lifted. */
  datasets: readonly Dataset[];
  /** Opens these database connections (those where the restriction flagged rows to clear). */
  connect: (connections: readonly string[]) => Promise<Pick<OpenConnections, 'database' | 'close'>>;
}

export interface LiftOutcome {
  lifted: RestrictionView;
  acknowledgement: LiftAcknowledgement;
  cleared: ClearedFlags[];
  left: FlagsLeft[];
}

/**
 * Lifts the restriction made by request `requestId`, once the person has been told (Art. 18(3)):
 * the flags it set are cleared where the datasets say how, then the store stops recording it as in
 * force and the acknowledgement is appended to that request's evidence.
 */
export async function liftRestriction(
  store: Store,
  requestId: string,
  input: { informedOn?: string; informedBy?: string; by?: string },
  context: LiftContext,
  now: Date = new Date(),
): Promise<LiftOutcome> {
  const record = (await store.requests.restrictions({ includeLifted: true })).find((r) => r.requestId === requestId);
  if (record === undefined) throw new OpendpoError('NOT_FOUND', `no restriction was recorded by request ${requestId.slice(0, 80)} (dsr restrictions lists those in force)`);
  if (record.liftedAt !== null) throw new OpendpoError('INVALID_INPUT', `the restriction of request ${requestId} was already lifted on ${record.liftedAt}`);
  const acknowledgement = checkAcknowledgement(input, record.restrictedAt, now.toISOString().slice(0, 10));
  const request = await store.requests.get(requestId);
  const { flagged } = describeRestriction(record, request, await store.requests.steps(requestId));
  const { clearings, left } = planLifting(flagged, await storedUpdates(store, requestId), context.datasets, await rowsOfOtherRestrictions(store, requestId));

  const cleared = await clearInEveryDatabase(store, requestId, clearings, context);
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
    detail: { ...acknowledgement, ...(left.length > 0 ? { flagsLeft: left.map((l) => ({ ...l })) } : {}) },
  });
  // Lifted meanwhile by another process: its lifting stands, recorded once.
  if (!lifted) throw new OpendpoError('INVALID_INPUT', `the restriction of request ${requestId} is no longer in force`);
  const view = describeRestriction({ ...record, liftedAt: now.toISOString() }, await store.requests.get(requestId), await store.requests.steps(requestId));
  return { lifted: view, acknowledgement, cleared, left };
}

/**
 * Clears the flags database by database, each recorded in the restriction's evidence as soon as it
 * committed. One that fails leaves the restriction in force: the same command runs again, clearing
 * what is left (rows already cleared are counted as holding the lifted value).
 */
async function clearInEveryDatabase(store: Store, requestId: string, clearings: readonly FlagClearing[], context: LiftContext): Promise<ClearedFlags[]> {
  const names = [...new Set(clearings.map((c) => c.connection))];
  if (names.length === 0) return [];
  const cleared: ClearedFlags[] = [];
  const done: string[] = [];
  try {
    const connections = await context.connect(names);
    try {
      for (const name of names) {
        const startedAt = new Date().toISOString();
        const t0 = performance.now();
        const result = await clearFlags(connections.database(name), clearings.filter((c) => c.connection === name));
        const durationMs = performance.now() - t0;
        const steps: NewDsrStep[] = result.map((c) => ({
          connection: c.connection,
          collection: c.collection,
          kind: 'unflag',
          rowsFound: c.rows,
          rowsChanged: c.cleared,
          startedAt,
          durationMs,
          status: 'done',
          note: clearedNote(c),
          detail: { field: c.field, cleared: c.cleared, alreadyLifted: c.alreadyLifted, stillRestricted: c.stillRestricted, leftAsTheyAre: c.leftAsTheyAre },
        }));
        if (!(await store.requests.addRestrictionSteps(requestId, steps))) {
          throw new OpendpoError('INVALID_INPUT', `the restriction of request ${requestId} was lifted meanwhile by another process`);
        }
        cleared.push(...result);
        done.push(name);
      }
    } finally {
      await connections.close().catch(() => {});
    }
  } catch (err) {
    if (isOpendpoError(err) && err.code !== 'INVALID_INPUT') {
      const so = done.length > 0 ? `; the flags were cleared in ${done.join(', ')}, as its evidence records` : '';
      err.message = `${err.message} (the restriction of request ${requestId} stays in force${so}: run the same command again to finish lifting it)`;
    }
    throw err;
  }
  return cleared;
}
