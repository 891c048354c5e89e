/**
 * Runs one data subject request end to end (Art. 15-18): check the datasets against the real
 * databases, find the person's rows, act on them, and keep the evidence of every step in the
 * store. A request that fails (a database down, a system not answering, the process killed) stays
 * unfinished with its step log; running the same request again (same kind, same identities, same
 * input) resumes it — one process at a time (evidence-journal.ts holds the request's lease).
 *
 * The planning and the written values are decided before the first write and kept in the work
 * log; writes run one transaction per database, recorded before each commit and confirmed after
 * it (erasure/execute-erasure.ts).
 */
import type { DatabaseConnector, Row, SystemAction, SystemConnector, SystemOutcome, TableShape, Value } from '../connectors/connector.js';
import type { Dataset, MaskingStrategy } from '../dataset/model.js';
import { OpendpoError, isOpendpoError } from '../errors/opendpo-error.js';
import type { Finding } from '../register/finding.js';
import type { Register } from '../register/schema.js';
import type { DsrKind, DsrRequest, NewDsrStep } from '../store/dsr-repository.js';
import type { Store } from '../store/open-store.js';
import { drawBoundary, ownRows, type Boundary } from './boundary.js';
import type { CollectedCollection, CollectedData, CollectedField, PastErasure } from './collected.js';
import { toCollectedData } from './collected-copy.js';
import { encodeValue } from './erasure/encode-value.js';
import { executeStoredWrites, type FaultPoint, type StoredWrite } from './erasure/execute-erasure.js';
import { EvidenceJournal } from './evidence-journal.js';
import { planErasure, referencedColumns, unusedValues, type ErasurePlan, type KeptRecord } from './erasure/plan-erasure.js';
import { collect, type CollectedNode, type CollectOptions } from './execute/collect.js';
import { checkNode, type CheckedNode } from './plan/check-against-databases.js';
import { columnsToRead, planRectification, readUnlinkedMatches, refusalText, resolveRectification, unchangedText, type RectificationUpdate } from './rectification.js';
import { buildRequestGraph, withoutContext, type GraphNode, type RequestGraph } from './plan/graph.js';
import { canonicalIdentity, identityKeys } from './identity-match.js';
import { keptLines, pastErasure, type KeptLine } from './past-erasures.js';
import { flagText, notSearchedText, reviewProcessing, type ProcessingReview } from './processing-review.js';
import { datasetFingerprints, datasetsHash, keptFromSteps, summariseEvidence, WRITING_KINDS, type LeaseTiming } from './request-lifecycle.js';

export interface ConnectionSpec {
  name: string;
  type: 'postgres' | 'mysql' | 'sqlite' | 'http' | 'manual';
  datasets: string[];
}

/** The connections of a datasets folder, opened. */
export interface OpenConnections {
  specs: readonly ConnectionSpec[];
  database(name: string): DatabaseConnector;
  system(name: string): SystemConnector;
  close(): Promise<void>;
}

export type ProgressEvent =
  | { phase: 'connect' | 'check' | 'plan' | 'done'; message: string }
  | { phase: 'collect'; collection: string; rows: number }
  | { phase: 'write'; connection: string; done: number; total: number }
  | { phase: 'system'; connection: string; status: SystemOutcome['status'] };

export interface RunRequestInput {
  kind: DsrKind;
  identities: Readonly<Record<string, string>>;
  /**
   * Erasure only: more people erased in the same request (a batch, e.g. accounts past their
   * retention period). Their rows are found together and erased in the same transactions; the
   * evidence counts them together. `identities` is the first of them.
   */
  batch?: readonly Readonly<Record<string, string>>[];
  datasets: readonly Dataset[];
  store: Store;
  connect: () => Promise<OpenConnections>;
  /** Rectification: "collection.field" or "dataset.collection.field" -> new value. */
  changes?: Readonly<Record<string, string>>;
  /**
   * Rectification: "collection.field" -> values, narrowing the rows of a collection a change names to
   * those holding one of the values (per field; every field must match). Only the person's own rows.
   */
  where?: Readonly<Record<string, readonly string[]>>;
  /** Resolves the key of an hmac masking strategy. */
  secretFor?: (strategy: MaskingStrategy & { strategy: 'hmac' }) => string;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Start a new request even if an unfinished one of the same kind and identities exists (it is
   * marked superseded): what a person does when the datasets or the values changed since.
   */
  newRequest?: boolean;
  /** How long a run's lease lasts and how often it is renewed (default 60 s, every 15 s). */
  lease?: LeaseTiming;
  /**
   * Hands the result over (access, portability: the package written to a file or standard output)
   * before the request is recorded completed, so that a package that could not be written leaves
   * the request failed, and the same command resumes it. Returns what the evidence says of it:
   * format and size, never a file name (it may name the person).
   */
  deliver?: (collected: CollectedData, warnings: readonly string[]) => Promise<string>;
  /** Test hook: simulate a crash at a point of the writes (throw, or never return). */
  fault?: (point: FaultPoint) => void | Promise<void>;
  /**
   * The register (access, portability): the evidence then flags what the DPO must see of the copy —
   * systems not searched, data no activity declares, rows held past their retention period.
   */
  register?: Register;
}

export interface RequestOutcome {
  request: DsrRequest;
  /** What was found (access, portability); for the other kinds, what the request acted on. */
  collected: CollectedData;
  /** Erasure: what was kept and why (from the evidence: a resumed erasure has its first attempt's). */
  kept: KeptRecord[];
  warnings: string[];
}

/** Everything a request needs once connected and checked; also what `dsr plan` prints. */
export interface PreparedRequest {
  graph: RequestGraph;
  connections: OpenConnections;
  checked: Map<string, CheckedNode>;
  tables: Map<string, TableShape[]>;
  connectionOf: (datasetKey: string) => string;
  warnings: string[];
}

const SYSTEM_ACTION: Record<DsrKind, SystemAction> = {
  access: 'access',
  portability: 'access',
  rectification: 'rectification',
  restriction: 'restriction',
  erasure: 'erasure',
};

export async function runRequest(input: RunRequestInput): Promise<RequestOutcome> {
  const repo = input.store.requests;
  if (input.batch !== undefined && input.kind !== 'erasure') throw new OpendpoError('INVALID_INPUT', 'only an erasure takes a batch of people');
  // The identities as compared (NFC, trimmed), and as the store keys them (an email in lower case:
  // "Alice@Example.com" resumes, and finds the erasure of, "alice@example.com"; identity-match.ts).
  input = { ...input, identities: canonicalIdentities(input.identities), ...(input.batch ? { batch: input.batch.map(canonicalIdentities) } : {}) };
  const people = [input.identities, ...(input.batch ?? [])];
  const keys = people.map((p) => identityKeys(p, input.datasets));
  const fingerprint =
    input.batch === undefined ? await repo.fingerprint(keys[0]!) : await repo.fingerprint({ batch: JSON.stringify(keys.map((p) => Object.entries(p).sort())) });
  // Refused here (nothing written) when another process runs the request, or when the unfinished
  // request was made with other values or datasets.
  const journal = await EvidenceJournal.open({
    repository: repo,
    kind: input.kind,
    fingerprint,
    identityTypes: Object.keys(input.identities),
    binding: {
      datasetsHash: datasetsHash(input.datasets),
      datasets: datasetFingerprints(input.datasets),
      // The new values are personal data: only their keyed fingerprint is kept.
      changesFingerprint: input.kind === 'rectification' ? await repo.fingerprint(rectificationInput(input)) : null,
    },
    ...(input.newRequest ? { newRequest: true } : {}),
    ...(input.lease ? { lease: input.lease } : {}),
  });
  const request = journal.request;

  let connections: OpenConnections | undefined;
  try {
    if (journal.superseded !== undefined) await withdrawTasks(input.store, journal.superseded, request.id);
    input.onProgress?.({ phase: 'connect', message: `request ${request.id}${journal.resumed ? ` (attempt ${request.attempts})` : ''}` });
    connections = await input.connect();
    // The identity types of everyone in the request decide where the search starts.
    const types = Object.fromEntries(people.flatMap((p) => Object.entries(p)));
    const prepared = await prepareRequest(input.kind, types, input.datasets, connections, input.onProgress);
    const outcome = await act(input, journal, prepared);
    const pending = outcome.pendingSystems;
    const warnings = [...prepared.warnings, ...outcome.warnings];
    if (input.deliver) {
      const startedAt = new Date().toISOString();
      const t0 = performance.now();
      const note = await input.deliver(outcome.collected, warnings);
      await journal.record([{ connection: 'opendpo', collection: null, kind: 'deliver', rowsFound: 0, rowsChanged: 0, startedAt, durationMs: performance.now() - t0, status: 'done', note }]);
    }
    // The summary is read from the evidence of every attempt, not from this run alone.
    const steps = await journal.steps();
    const done = await journal.end(pending ? 'waiting' : 'completed', summariseEvidence(steps, warnings.length));
    if (!pending) {
      // Row keys and values written (the work log), rows a person reported (manual access): gone now.
      // A restriction's keys stay while it is in force: lifting it clears the flags on exactly the
      // rows it flagged (Art. 18(3), restrictions.ts), and the store keeps no identity to search again.
      if (input.kind !== 'restriction') await repo.purgeWork(request.id);
      await input.store.manualTasks.clearRows(request.id);
    }
    input.onProgress?.({ phase: 'done', message: pending ? 'waiting for systems to answer' : 'completed' });
    return { request: done, collected: outcome.collected, kept: keptFromSteps(steps), warnings };
  } catch (err) {
    await journal.fail(err);
    // A run that lost its lease says so itself: the request is another run's now.
    if (isOpendpoError(err) && err.code !== 'REQUEST_IN_PROGRESS') {
      // A database or system that could not be reached: the same command resumes the request.
      const retryable = err.code === 'TARGET_UNAVAILABLE' || err.code === 'STORE_UNAVAILABLE' || err.code === 'OUTPUT_FAILED';
      err.message = retryable
        ? `${err.message} (request ${request.id} stays unfinished: run the same command again to resume it)`
        : `${err.message} (request ${request.id} failed)`;
    }
    throw err;
  } finally {
    await connections?.close().catch(() => {});
  }
}

/**
 * What a rectification is bound to beyond its identities: the --set values, and the --where ones
 * when given (a request made without --where keeps the fingerprint it always had).
 */
function rectificationInput(input: RunRequestInput): Record<string, string> {
  const bound: Record<string, string> = { ...input.changes };
  for (const [target, values] of Object.entries(input.where ?? {})) bound[`--where ${target}`] = [...values].sort().join('\u0000');
  return bound;
}

/**
 * The manual steps of a superseded request are no one's work any more: declined, saying by which
 * request, so that the person who would do them sees it (the new request opens its own).
 */
async function withdrawTasks(store: Store, superseded: string, by: string): Promise<void> {
  for (const task of await store.manualTasks.list({ requestId: superseded, status: 'open' })) {
    await store.manualTasks.decline(task.id, { by: 'opendpo', reason: `request ${superseded} was superseded by request ${by}` }).catch((err: unknown) => {
      // Decided by its person meanwhile: theirs stands.
      if (!(isOpendpoError(err) && err.code === 'INVALID_INPUT')) throw err;
    });
  }
  await store.manualTasks.clearRows(superseded);
}

/** Connects, reads the databases' tables, and checks every dataset against them before anything is read or written. */
export async function prepareRequest(
  kind: DsrKind,
  identities: Readonly<Record<string, string>>,
  datasets: readonly Dataset[],
  connections: OpenConnections,
  onProgress?: (event: ProgressEvent) => void,
): Promise<PreparedRequest> {
  const connectionByDataset = new Map<string, string>();
  for (const spec of connections.specs) for (const d of spec.datasets) connectionByDataset.set(d, spec.name);
  const connectionOf = (datasetKey: string) => {
    const name = connectionByDataset.get(datasetKey);
    if (name === undefined) throw new OpendpoError('INVALID_INPUT', `dataset "${datasetKey}" is served by no connection in connections.yaml`);
    return name;
  };
  const specByName = new Map(connections.specs.map((s) => [s.name, s]));
  const isDatabase = (datasetKey: string) => {
    const type = specByName.get(connectionByDataset.get(datasetKey) ?? '')?.type;
    return type === 'postgres' || type === 'mysql' || type === 'sqlite';
  };
  const databaseDatasets = datasets.filter((d) => isDatabase(d.key));
  const graph = buildRequestGraph(databaseDatasets, Object.keys(identities));
  const systemConnections = connections.specs.filter((s) => s.type === 'http' || s.type === 'manual');
  if (graph.seeds.length === 0 && systemConnections.length === 0) {
    const declared = [...new Set(datasets.flatMap((d) => d.collections.flatMap((c) => c.fields.flatMap((f) => (f.identity ? [f.identity] : [])))))].sort();
    throw new OpendpoError(
      'INVALID_INPUT',
      `no dataset has an identity field of type ${Object.keys(identities).join(', ')}; the datasets declare: ${declared.join(', ') || 'none'}`,
    );
  }

  onProgress?.({ phase: 'check', message: 'reading the databases\' tables' });
  const tables = await readTables(connections, databaseDatasets);

  const findings: Finding[] = [];
  const checked = new Map<string, CheckedNode>();
  for (const node of graph.nodes.values()) {
    if (node.collection.skip) continue;
    const shape = findTable(tables.get(connectionOf(node.dataset.key)) ?? [], node);
    const result = checkNode(node, shape, kind, graph.context.has(node.id));
    findings.push(...result.findings);
    if (result.checked) checked.set(node.id, result.checked);
  }
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    throw new OpendpoError(
      'DATASET_INVALID',
      `the datasets do not match the databases (${errors.length} problem${errors.length === 1 ? '' : 's'}, listed above); nothing was read or written`,
      { findings: errors },
    );
  }

  const warnings = graph.unreachable.map(
    (n) => `${n.id} (${n.collection.at.file}:${n.collection.at.line}) holds personal data, but no identity given and no reference leads to it`,
  );
  return { graph, connections, checked, tables, connectionOf, warnings };
}

/**
 * Every table of each database connection: those of its default schema, then those of the schemas
 * its datasets name. Read before a request, and by a system's check (src/desk/systems/check-system.ts).
 */
export async function readTables(connections: Pick<OpenConnections, 'specs' | 'database'>, databaseDatasets: readonly Dataset[]): Promise<Map<string, TableShape[]>> {
  const tables = new Map<string, TableShape[]>();
  for (const spec of connections.specs) {
    if (spec.type !== 'postgres' && spec.type !== 'mysql' && spec.type !== 'sqlite') continue;
    const schemas = [
      ...new Set(
        databaseDatasets
          .filter((d) => spec.datasets.includes(d.key))
          .flatMap((d) => d.collections.flatMap((c) => (c.schema === undefined ? [] : [c.schema]))),
      ),
    ];
    const connector = connections.database(spec.name);
    const shapes = await connector.introspect();
    if (schemas.length > 0) shapes.push(...(await connector.introspect({ schemas })));
    tables.set(spec.name, shapes);
  }
  return tables;
}

/** The table a collection names: in its schema when it gives one, else the connection's default. */
export function findTable(tables: readonly TableShape[], node: GraphNode): TableShape | undefined {
  const named = tables.filter((t) => t.name === node.collection.name);
  if (node.collection.schema !== undefined) return named.find((t) => t.schema === node.collection.schema);
  return named.find((t) => t.schema === undefined) ?? named.find((t) => t.schema === 'public' || t.schema === 'main') ?? (named.length === 1 ? named[0] : undefined);
}

interface ActOutcome {
  collected: CollectedData;
  warnings: string[];
  pendingSystems: boolean;
}

async function act(input: RunRequestInput, journal: EvidenceJournal, prepared: PreparedRequest): Promise<ActOutcome> {
  const repo = input.store.requests;
  const request = journal.request;
  const { graph, connections, connectionOf } = prepared;
  const keyOf = keysOf(prepared);
  const connectorFor = (datasetKey: string) => connections.database(connectionOf(datasetKey));
  const people = [input.identities, ...(input.batch ?? [])];
  const identityValues: Record<string, string[]> = {};
  for (const person of people) {
    for (const [type, value] of Object.entries(person)) (identityValues[type] ??= []).push(value);
  }
  const warnings: string[] = [];

  // Writes already decided (an erasure's plan, a rectification's or restriction's updates) resume
  // as they were decided: the request is bound to the same input (evidence-journal.ts).
  const resumingWrites = WRITING_KINDS.has(input.kind) && journal.resumed && (await repo.hasWork(request.id));
  let found = new Map<string, CollectedNode>();
  let boundary: Boundary = new Map();
  // Checked against the datasets before anything is read: a wrong --set or --where reads nothing.
  const targets = input.kind === 'rectification' && !resumingWrites ? resolveRectification(graph, input.changes ?? {}, input.where ?? {}, keyOf) : [];
  const rectificationColumns = columnsToRead(targets);
  if (!resumingWrites) {
    const startedAt = new Date().toISOString();
    // Access and portability copy whole rows (Art. 15(3)): every column of the table is read, and the
    // catalogue rows they point at, to show beside them. The other requests never read catalogues.
    const copies = input.kind === 'access' || input.kind === 'portability';
    found = await collect({
      graph: copies ? graph : withoutContext(graph),
      identities: identityValues,
      connectorFor,
      keyOf,
      columnTypesOf: columnTypesOf(prepared),
      shapeOf: shapeOf(prepared),
      ...(copies ? { copyColumnsOf: copyColumnsOf(prepared) } : {}),
      ...(targets.length > 0 ? { alsoRead: (node: GraphNode) => rectificationColumns.get(node.id) } : {}),
      // An erasure writes the rows it finds: where they lie spares its writes a key lookup each.
      // An erasure reads the values it uses only (a keyed hash of a value): not what it sets to null.
      // A table without a key tells its rows apart by the columns read: all of them are read there.
      ...(input.kind === 'erasure' ? { locate: true, ...erasureReads(prepared) } : {}),
    });
    boundary = await drawBoundary({ graph, found, keyOf, connectorFor, identities: identityValues });
    const steps: NewDsrStep[] = [...found.values()].map((c) => ({
      connection: connectionOf(c.node.dataset.key),
      collection: c.node.id,
      kind: 'select',
      rowsFound: c.rows.size,
      rowsChanged: 0,
      startedAt,
      durationMs: c.durationMs,
      status: 'done',
      note: `${c.searchedTogether ? 'one statement searched every collection' : `${c.statements} statement(s)`}${boundaryNote(graph, boundary, c)}`,
    }));
    await journal.record(steps);
    for (const c of found.values()) {
      if (!graph.context.has(c.node.id)) input.onProgress?.({ phase: 'collect', collection: c.node.id, rows: ownRows(boundary, c).size });
    }
  }

  if (input.kind === 'erasure' && !resumingWrites) {
    input.onProgress?.({ phase: 'plan', message: 'deciding the writes' });
    const plan = await planErasureOf(prepared, found, boundary, connectorFor, input.secretFor);
    // Before the work log, so that a resumed erasure always has it: a later access by any of
    // these identities says what was erased, when, and what is kept (Art. 15 after Art. 17). A
    // batch is planned as one, so each of its people gets the batch's lines (counts of them all).
    await repo.recordErasure(request.id, await identityFingerprints(input, people), JSON.stringify(keptLines(plan.kept)));
    // What is kept and why, recorded before the work log: a resume that finds the work log has it.
    const lineOf = decisionLine(graph, connectionOf);
    await journal.record(plan.kept.map(({ node, rows, ...detail }) => lineOf(node, 'kept', rows, keptNote({ node, rows, ...detail }), { ...detail })));
    await repo.saveWork(
      request.id,
      plan.connections.map((c) => ({ connection: c.connection, operationsJson: JSON.stringify(c.operations) })),
    );
  } else if (input.kind === 'rectification' && !resumingWrites) {
    const unlinked = await readUnlinkedMatches(targets, found, connectorFor, columnTypesOf(prepared));
    const plan = planRectification({ targets, found, boundary, unlinked });
    // What is not changed, and what is refused, is evidence too (before the refusal stops the request).
    const lineOf = decisionLine(graph, connectionOf);
    await journal.record([
      ...plan.unchanged.map((u) => lineOf(u.collection, 'unchanged', u.rows, unchangedText(u), { reason: u.reason, fields: u.fields })),
      ...plan.refused.map((r) =>
        lineOf(
          r.collection,
          'refused',
          r.rows,
          refusalText(r),
          r.reason === 'legal-hold' ? { reason: r.reason, field: r.field, hold: { ...r.hold }, ...(r.until ? { until: r.until } : {}) } : { reason: r.reason, ownership: r.ownership },
        ),
      ),
    ]);
    if (plan.refused.length > 0) {
      throw new OpendpoError('REQUEST_REFUSED', `rectification refused, nothing was written: ${plan.refused.map(refusalText).join('; ')}`, { refused: plan.refused });
    }
    await repo.saveWork(request.id, updateWrites(prepared, plan.updates.map((u) => ({ ...u, note: rectificationNote(u) }))));
  } else if (input.kind === 'restriction' && !resumingWrites) {
    const own = ownFound(graph, boundary, found);
    warnings.push(...restrictionWarnings(prepared, own));
    await repo.saveWork(request.id, updateWrites(prepared, await restriction(input, journal, own)));
  }
  if (WRITING_KINDS.has(input.kind)) {
    await executeStoredWrites({
      journal,
      repository: repo,
      connectorFor: (connection) => connections.database(connection),
      ...(input.fault ? { fault: input.fault } : {}),
      onProgress: (e) => input.onProgress?.({ phase: 'write', ...e }),
    });
  }

  const systemRows = await runSystems(input, journal, prepared, warnings);
  const erasures = input.kind === 'access' ? await pastErasures(input) : [];
  const collected = toCollectedData({
    requestId: request.id,
    collectedAt: new Date().toISOString(),
    identities: input.identities,
    graph,
    checked: prepared.checked,
    found,
    boundary,
    systems: systemRows.collections,
    warnings: [...prepared.warnings, ...warnings],
    erasures,
  });
  if (input.register !== undefined && (input.kind === 'access' || input.kind === 'portability')) {
    warnings.push(...(await recordReview(journal, reviewProcessing(collected, input.datasets, input.register))));
  }
  return { collected, warnings, pendingSystems: systemRows.pending };
}

/**
 * What the DPO must see of a copy, in the evidence (names and counts, never a value): the systems of
 * the register that were not searched, the person's data no activity declares, rows held past their
 * retention period. Returned as warnings for the terminal too.
 */
async function recordReview(journal: EvidenceJournal, review: ProcessingReview): Promise<string[]> {
  const startedAt = new Date().toISOString();
  const lines: { collection: string | null; rows: number; note: string; detail: Record<string, unknown> }[] = [];
  if (review.notSearched.length > 0) {
    const ids = review.notSearched.map((sys) => sys.id);
    lines.push({ collection: null, rows: 0, note: notSearchedText(ids), detail: { kind: 'not-searched', systems: ids } });
  }
  for (const flag of review.flags) {
    lines.push({ collection: flag.collection, rows: flag.kind === 'past-retention' ? flag.rows : 0, note: flagText(flag), detail: { ...flag } });
  }
  await journal.record(
    lines.map((l) => ({ connection: 'opendpo', collection: l.collection, kind: 'review', rowsFound: l.rows, rowsChanged: 0, startedAt, durationMs: 0, status: 'done', note: l.note, detail: l.detail })),
  );
  return lines.map((l) => l.note);
}

/**
 * An evidence line for a decision that changes nothing in a collection (rows kept under a legal
 * hold, a rectification with nothing to change, one refused): what was decided and why, counts and
 * names only, never a value.
 */
function decisionLine(graph: RequestGraph, connectionOf: (datasetKey: string) => string) {
  return (collection: string, kind: 'kept' | 'unchanged' | 'refused', rows: number, note: string, detail: Record<string, unknown>): NewDsrStep => ({
    connection: connectionOf(graph.nodes.get(collection)!.dataset.key),
    collection,
    kind,
    rowsFound: rows,
    rowsChanged: 0,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    status: 'done',
    note,
    detail,
  });
}

/** What the evidence says of a collection beyond its count: a catalogue, or rows not the person's alone. */
function boundaryNote(graph: RequestGraph, boundary: Boundary, c: CollectedNode): string {
  if (graph.context.has(c.node.id)) return '; context (not the person\'s records)';
  const withheld = c.rows.size - ownRows(boundary, c).size;
  return withheld > 0 ? `; ${withheld} row(s) not the person's alone (withheld)` : '';
}

/** The collections the request acts on with only the person's own rows (Art. 16, 18): no catalogue, no one else's row. */
export function ownFound(graph: RequestGraph, boundary: Boundary, found: ReadonlyMap<string, CollectedNode>): Map<string, CollectedNode> {
  const own = new Map<string, CollectedNode>();
  for (const [id, c] of found) if (!graph.context.has(id)) own.set(id, { ...c, rows: new Map(ownRows(boundary, c)) });
  return own;
}

/** One keyed fingerprint per identity (type and value, as the store keys it) of everyone in the request, never the identity itself. */
async function identityFingerprints(input: RunRequestInput, people: readonly Readonly<Record<string, string>>[]): Promise<string[]> {
  const fingerprints: string[] = [];
  for (const person of people) {
    for (const [type, key] of Object.entries(identityKeys(person, input.datasets))) fingerprints.push(await input.store.requests.fingerprint({ [type]: key }));
  }
  return fingerprints;
}

const canonicalIdentities = (identities: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(identities).map(([type, value]) => [type, canonicalIdentity(value)]));

/** Erasures completed earlier for any of the request's identities, as the access answer gives them. */
async function pastErasures(input: RunRequestInput): Promise<PastErasure[]> {
  const records = await input.store.requests.completedErasures(await identityFingerprints(input, [input.identities]));
  return records.map((r) => pastErasure(r.requestId, r.completedAt, JSON.parse(r.keptJson) as KeptLine[]));
}

function keptNote(k: KeptRecord): string {
  if (k.reason === 'legal-hold') return `legal hold (${k.hold?.article ?? ''}): ${k.hold?.reason ?? ''}${k.fields ? `; fields: ${k.fields.join(', ')}` : ''}`;
  if (k.reason === 'shared') return 'kept: not the person\'s alone (records outside this request lead to these rows, or they name another person)';
  return 'kept: a foreign key from rows outside this request points at these rows; personal-data fields masked instead of deleting';
}

/** An update of every row a request found in one collection. */
export interface RowsUpdate {
  node: CollectedNode;
  set: Record<string, Value>;
  /** For the evidence: which fields, never their values. */
  note: string;
}

/**
 * The work log of updates of the person's rows, one entry per database: rows by key, values
 * decided now, so a resume writes exactly these (and can verify whether they were written).
 */
function updateWrites(prepared: PreparedRequest, updates: readonly RowsUpdate[]): { connection: string; operationsJson: string }[] {
  return updateOperations(prepared, updates).map(({ connection, operations }) => ({ connection, operationsJson: JSON.stringify(operations) }));
}

/** The updates as the work log stores them, per connection (also what `dsr plan` renders). */
export function updateOperations(prepared: PreparedRequest, updates: readonly RowsUpdate[]): { connection: string; operations: StoredWrite[] }[] {
  const byConnection = new Map<string, StoredWrite[]>();
  for (const { node, set, note } of updates) {
    if (node.rows.size === 0) continue;
    const connection = prepared.connectionOf(node.node.dataset.key);
    const write: StoredWrite = {
      node: node.node.id,
      table: node.table,
      kind: 'update',
      keyColumns: node.key,
      keys: [...node.rows.values()].map((r) => node.key.map((k) => encodeValue(r[k] ?? null))),
      set: Object.fromEntries(Object.entries(set).map(([k, v]) => [k, encodeValue(v)])),
      note,
    };
    byConnection.set(connection, [...(byConnection.get(connection) ?? []), write]);
  }
  return [...byConnection].map(([connection, operations]) => ({ connection, operations }));
}

/** The evidence note of a rectification's update: the fields, and the rows left out (never a value). */
export function rectificationNote(u: RectificationUpdate): string {
  const left = [
    ...(u.alreadyEqual > 0 ? [`${u.alreadyEqual} row(s) already held the values`] : []),
    ...(u.notTheirs > 0 ? [`${u.notTheirs} row(s) not the person's alone left as they are`] : []),
  ];
  return `${u.note}${left.length > 0 ? `; ${left.join('; ')}` : ''}`;
}

/** Art. 18: the person is recorded as restricted in the store; the flags to set where a dataset declares one. */
async function restriction(input: RunRequestInput, journal: EvidenceJournal, found: Map<string, CollectedNode>): Promise<RowsUpdate[]> {
  const repo = input.store.requests;
  for (const [type, key] of Object.entries(identityKeys(input.identities, input.datasets))) {
    await repo.restrict(await repo.fingerprint({ [type]: key }), type, journal.requestId);
  }
  await journal.record([
    {
      connection: 'opendpo',
      collection: null,
      kind: 'restrict',
      rowsFound: Object.keys(input.identities).length,
      rowsChanged: Object.keys(input.identities).length,
      startedAt: new Date().toISOString(),
      durationMs: 0,
      status: 'done',
      note: `restriction recorded for identity types: ${Object.keys(input.identities).join(', ')}`,
    },
  ]);
  return restrictionUpdates(found);
}

/** Art. 18: the restriction flag of each collection declaring one, set on the person's own rows there. */
export function restrictionUpdates(own: ReadonlyMap<string, CollectedNode>): RowsUpdate[] {
  const updates: RowsUpdate[] = [];
  for (const node of own.values()) {
    const flag = node.node.collection.restrictionFlag;
    if (flag !== undefined) updates.push({ node, set: { [flag.field]: flag.value }, note: `restriction flag set: ${flag.field}` });
  }
  return updates;
}

/**
 * Art. 18: where the restriction cannot be marked in the data. No collection of the datasets
 * declaring a restriction flag, it is only recorded in the store (what the decision point reads),
 * and applications reading the databases directly cannot see it; the person having no row where a
 * flag is declared, likewise for them.
 */
export function restrictionWarnings(prepared: PreparedRequest, own: ReadonlyMap<string, CollectedNode>): string[] {
  const flagged = [...prepared.graph.nodes.values()].filter((n) => n.collection.restrictionFlag !== undefined && !n.collection.skip);
  const systems = prepared.connections.specs.filter((s) => s.type === 'http' || s.type === 'manual').map((s) => s.name);
  const asked = systems.length > 0 ? `; ${systems.join(', ')} ${systems.length === 1 ? 'is' : 'are'} asked to restrict processing for ${systems.length === 1 ? 'itself' : 'themselves'}` : '';
  if (flagged.length === 0) {
    return [
      `no collection of the datasets declares a restriction_flag: the restriction is recorded in opendpo's store only, not marked in the databases' data${asked} (declare restriction_flag on the collections your applications read: docs/dataset-format.md#restriction)`,
    ];
  }
  const marked = flagged.filter((n) => (own.get(n.id)?.rows.size ?? 0) > 0);
  if (marked.length === 0) {
    return [`the person has no row in the collections declaring a restriction flag (${flagged.map((n) => n.id).join(', ')}): the restriction is recorded in opendpo's store only${asked}`];
  }
  return [];
}

interface SystemRows {
  pending: boolean;
  collections: CollectedCollection[];
}

/** Systems that act for themselves (HTTP) or through a person (manual) get the whole request. */
async function runSystems(input: RunRequestInput, journal: EvidenceJournal, prepared: PreparedRequest, warnings: string[]): Promise<SystemRows> {
  const repo = input.store.requests;
  const request = journal.request;
  const out: SystemRows = { pending: false, collections: [] };
  const systems = prepared.connections.specs.filter((s) => s.type === 'http' || s.type === 'manual');
  if (systems.length === 0) return out;
  const work = await repo.work(request.id);
  const submitted = new Map(work.map((w) => [w.connection, w]));
  const missing = systems.filter((s) => !submitted.has(s.name));
  if (missing.length > 0) await repo.addWork(request.id, missing.map((s) => ({ connection: s.name, operationsJson: JSON.stringify({ system: s.type }) })));
  for (const spec of systems) {
    const previous = submitted.get(spec.name);
    // A system that has finished an erasure is not asked again; one that answered an access is,
    // so that the rows it gave are part of the package built at the end of this run.
    const readsData = input.kind === 'access' || input.kind === 'portability';
    if (previous?.status === 'done' && !readsData) continue;
    const connector = prepared.connections.system(spec.name);
    const systemRequest = {
      requestId: request.id,
      action: SYSTEM_ACTION[input.kind],
      identities: { ...input.identities },
      ...(input.changes ? { changes: { ...input.changes } } : {}),
    };
    const t0 = performance.now();
    const startedAt = new Date().toISOString();
    const outcome = previous ? await connector.poll(systemRequest) : await connector.submit(systemRequest);
    input.onProgress?.({ phase: 'system', connection: spec.name, status: outcome.status });
    let rowsFound = 0;
    if (outcome.status === 'pending') {
      out.pending = true;
      warnings.push(`${connector.label} has not answered yet${outcome.message ? `: ${outcome.message}` : ''}; run the same command again later to complete the request`);
    } else {
      if (outcome.status === 'refused') warnings.push(`${connector.label} refused the request: ${outcome.reason}`);
      for (const [collection, rows] of Object.entries(outcome.status === 'done' ? (outcome.rows ?? {}) : {})) {
        rowsFound += rows.length;
        out.collections.push(systemCollection(input.datasets, spec, collection, rows));
      }
      await repo.markWorkDone(request.id, spec.name);
    }
    await journal.record([
      {
        connection: spec.name,
        collection: null,
        kind: 'system',
        rowsFound,
        rowsChanged: outcome.status === 'done' ? (outcome.affected ?? 0) : 0,
        startedAt,
        durationMs: performance.now() - t0,
        status: 'done',
        // A system's refusal reason is its own text and may name the person: the evidence keeps the status only.
        note: outcome.status,
      },
    ]);
  }
  return out;
}

function systemCollection(datasets: readonly Dataset[], spec: ConnectionSpec, collection: string, rows: Row[]): CollectedCollection {
  const dataset = datasets.find((d) => spec.datasets.includes(d.key) && d.collections.some((c) => c.name === collection)) ?? datasets.find((d) => spec.datasets.includes(d.key));
  const declared = dataset?.collections.find((c) => c.name === collection);
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const fields: CollectedField[] = names.map((name) => {
    const f = declared?.fields.find((x) => x.name === name);
    return {
      name,
      categories: f?.categories ?? [],
      primaryKey: f?.primaryKey ?? false,
      declared: f !== undefined,
      ...(f?.provenance ? { provenance: f.provenance } : {}),
      ...(f?.identity ? { identity: f.identity } : {}),
    };
  });
  const system = declared?.system ?? dataset?.system;
  return { dataset: dataset?.key ?? spec.name, collection, ...(system ? { system } : {}), fields, rows, excluded: [], withheld: [], context: [] };
}

/** Column types from the check, for a search run as one statement. */
/** Column types by node, per prepared request: a request's searches ask for them again and again. */
const columnTypesCache = new WeakMap<PreparedRequest, Map<string, Map<string, string>>>();

export function columnTypesOf(prepared: PreparedRequest): (node: GraphNode) => ReadonlyMap<string, string> | undefined {
  let cache = columnTypesCache.get(prepared);
  if (cache === undefined) columnTypesCache.set(prepared, (cache = new Map()));
  return (node) => {
    const shape = prepared.checked.get(node.id)?.shape;
    if (shape === undefined) return undefined;
    if (!cache.has(node.id)) cache.set(node.id, new Map(shape.columns.map((c) => [c.name, c.type])));
    return cache.get(node.id);
  };
}

/** A node's table as the check found it (how its identity columns compare text, identity-lookup.ts). */
export function shapeOf(prepared: PreparedRequest): (node: GraphNode) => TableShape | undefined {
  return (node) => prepared.checked.get(node.id)?.shape;
}

/** Every column of a node's table, from the check: what a copy of whole rows reads (Art. 15(3)). */
export function copyColumnsOf(prepared: PreparedRequest): (node: GraphNode) => readonly string[] | undefined {
  return (node) => prepared.checked.get(node.id)?.shape.columns.map((c) => c.name);
}

/** Primary key of a node: the one the check found (declared, the table's own, or a unique NOT NULL index). */
export function keysOf(prepared: PreparedRequest): (node: GraphNode) => string[] {
  return (node) => prepared.checked.get(node.id)?.key ?? node.collection.fields.filter((f) => f.primaryKey).map((f) => f.name);
}

/** The erasure's writes for the rows found, with what the check learned of the tables. */
/**
 * What the search of an erasure reads beyond its keys, identities and references: the columns a
 * real foreign key points at (the plan compares them to keep a row still pointed at), and not the
 * personal values it never uses (Art. 5(1)(c)). A table without a key tells its rows apart by the
 * columns read: every one is read there.
 */
export function erasureReads(prepared: PreparedRequest): Pick<CollectOptions, 'alsoRead' | 'unusedValuesOf'> {
  const keyOf = keysOf(prepared);
  const tablesOf = (node: GraphNode) => prepared.tables.get(prepared.connectionOf(node.dataset.key)) ?? [];
  return {
    alsoRead: (node) => [...referencedColumns(prepared.checked.get(node.id)?.shape, tablesOf(node))],
    unusedValuesOf: (node) => (keyOf(node).length > 0 ? unusedValues(node.collection, prepared.checked.get(node.id)?.shape, tablesOf(node)) : undefined),
  };
}

export function planErasureOf(
  prepared: PreparedRequest,
  found: Map<string, CollectedNode>,
  boundary: Boundary,
  connectorFor: (datasetKey: string) => DatabaseConnector,
  secretFor: RunRequestInput['secretFor'],
): Promise<ErasurePlan> {
  return planErasure({
    graph: prepared.graph,
    collected: found,
    boundary,
    shapeOf: (node) => prepared.checked.get(node.id)!.shape,
    tablesOf: (connection) => prepared.tables.get(connection) ?? [],
    connectionOf: prepared.connectionOf,
    connectorFor,
    secretFor:
      secretFor ??
      (() => {
        throw new OpendpoError('CONFIG_INVALID', 'an hmac masking strategy needs its key, and none was read before the request');
      }),
  });
}
