/**
 * `opendpo dsr plan`: what a request would do, without doing it. It reads (the same selects the
 * request would run, to know which rows and which writes) but every write is refused by the
 * recording wrapper below, so a dry run cannot change a database even through a bug.
 */
import type { DatabaseConnector, Statement, StatementResult } from '../connectors/connector.js';
import { isPersonalDataCategory, type Dataset, type MaskingStrategy } from '../dataset/model.js';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { Register } from '../register/schema.js';
import type { DsrKind } from '../store/dsr-repository.js';
import { toStatement } from './erasure/execute-erasure.js';
import type { KeptRecord } from './erasure/plan-erasure.js';
import { drawBoundary, ownRows, type Boundary } from './boundary.js';
import { toCollectedData } from './collected-copy.js';
import { collect, type CollectedNode } from './execute/collect.js';
import { lookupIndexAdvice, type IndexAdvice } from './identity-lookup.js';
import { canonicalIdentity, identityMatchOf } from './identity-match.js';
import { flagText, notSearchedText, reviewProcessing, type ProcessingFlag } from './processing-review.js';
import { withoutContext, type BlockedEdge, type Edge, type Seed } from './plan/graph.js';
import { columnsToRead, planRectification, readUnlinkedMatches, refusalText, resolveRectification, unchangedText, type RectificationRefusal, type RectificationUnchanged } from './rectification.js';
import {
  columnTypesOf,
  copyColumnsOf,
  keysOf,
  ownFound,
  erasureReads,
  planErasureOf,
  prepareRequest,
  shapeOf,
  rectificationNote,
  restrictionUpdates,
  restrictionWarnings,
  updateOperations,
  type OpenConnections,
  type PreparedRequest,
  type RowsUpdate,
} from './run-request.js';

export interface PlannedStatement {
  connection: string;
  phase: 'find' | 'check' | 'write';
  sql: string;
  /** How many values are bound (the values themselves are the person's data: not printed). */
  parameters: number;
  rows?: number;
  /** A write: the collection ("dataset.collection") it changes, how, and the fields it sets (names only). */
  write?: { collection: string; operation: 'update' | 'delete'; fields: string[] };
}

export interface DryRunReport {
  kind: DsrKind;
  seeds: Seed[];
  edges: Edge[];
  blocked: BlockedEdge[];
  /** The person's collections: their own rows, and rows found that are not theirs alone (withheld from a copy, kept by an erasure). */
  reached: { collection: string; rows: number; withheld: number }[];
  /**
   * Catalogues the request reaches (not the person's records: never counted, followed further or
   * written); `rows`: the rows read to show beside the person's (access and portability only).
   */
  context: { collection: string; rows?: number }[];
  /**
   * Per collection, columns shown in the copy and left as they are by an erasure that the dataset
   * does not declare, or declares without a user.* category (keys and references aside): for the
   * DPO to review (a purchase date called system.operations is not erased).
   */
  review: { collection: string; undeclared: string[]; notPersonal: string[] }[];
  /**
   * With a register: its systems no dataset describes (not searched), and what the DPO must see of
   * the person's data — categories no activity of its system declares, rows held past their
   * retention period (complete for an access plan, which reads every column).
   */
  processing?: { notSearched: string[]; flags: ProcessingFlag[] };
  statements: PlannedStatement[];
  kept: KeptRecord[];
  /** Identity lookups no index serves (an email compared without case on PostgreSQL needs one on lower(column)), with the index to create. */
  indexes: IndexAdvice[];
  /**
   * Rectification and restriction: the rows and fields each would change (the person's own rows,
   * already holding the values left out); for a rectification, also what it would not change and
   * what it would refuse, and why (the request is then refused as a whole).
   */
  changes?: { collection: string; fields: string[]; rows: number; note: string }[];
  unchanged?: RectificationUnchanged[];
  refused?: RectificationRefusal[];
  warnings: string[];
}

function recording(connection: string, inner: DatabaseConnector, log: PlannedStatement[], phase: () => PlannedStatement['phase']): DatabaseConnector {
  const run = async (statement: Statement): Promise<StatementResult> => {
    if (statement.kind !== 'select') throw new OpendpoError('INTERNAL', 'a dry run tried to write');
    const rendered = inner.render(statement);
    const result = await inner.run(statement);
    log.push({ connection, phase: phase(), sql: rendered.sql, parameters: rendered.parameters.length, rows: result.rows.length });
    return result;
  };
  return {
    type: inner.type,
    label: inner.label,
    introspect: (o) => inner.introspect(o),
    render: (s) => inner.render(s),
    run,
    transaction: () => Promise.reject(new OpendpoError('INTERNAL', 'a dry run tried to open a write transaction')),
    close: () => inner.close(),
  };
}

export async function dryRun(input: {
  kind: DsrKind;
  identities: Readonly<Record<string, string>>;
  datasets: readonly Dataset[];
  connections: OpenConnections;
  secretFor?: (strategy: MaskingStrategy & { strategy: 'hmac' }) => string;
  /** Rectification: the --set values and --where rows, as `dsr rectify` takes them. */
  changes?: Readonly<Record<string, string>>;
  where?: Readonly<Record<string, readonly string[]>>;
  /** The register the datasets' systems belong to: the plan then names what the DPO must see. */
  register?: Register;
}): Promise<DryRunReport> {
  const statements: PlannedStatement[] = [];
  let phase: PlannedStatement['phase'] = 'find';
  const wrapped = new Map<string, DatabaseConnector>();
  const connections: OpenConnections = {
    specs: input.connections.specs,
    database: (name) => {
      if (!wrapped.has(name)) wrapped.set(name, recording(name, input.connections.database(name), statements, () => phase));
      return wrapped.get(name)!;
    },
    system: (name) => input.connections.system(name),
    close: () => input.connections.close(),
  };
  const prepared = await prepareRequest(input.kind, input.identities, input.datasets, connections);
  const keyOf = keysOf(prepared);
  const connectorFor = (datasetKey: string) => connections.database(prepared.connectionOf(datasetKey));
  const identityValues = Object.fromEntries(Object.entries(input.identities).map(([k, v]) => [k, [canonicalIdentity(v)]]));
  const copies = input.kind === 'access' || input.kind === 'portability';
  if (input.kind !== 'rectification' && (Object.keys(input.changes ?? {}).length > 0 || Object.keys(input.where ?? {}).length > 0)) {
    throw new OpendpoError('INVALID_INPUT', '--set and --where belong to a rectification: --action rectify');
  }
  const targets = input.kind === 'rectification' ? resolveRectification(prepared.graph, input.changes ?? {}, input.where ?? {}, keyOf) : [];
  const rectificationColumns = columnsToRead(targets);
  const found = await collect({
    graph: copies ? prepared.graph : withoutContext(prepared.graph),
    identities: identityValues,
    connectorFor,
    keyOf,
    columnTypesOf: columnTypesOf(prepared),
    shapeOf: shapeOf(prepared),
    ...(copies ? { copyColumnsOf: copyColumnsOf(prepared) } : {}),
    ...(targets.length > 0 ? { alsoRead: (node) => rectificationColumns.get(node.id) } : {}),
    // The erasure's own reads, so that its dry run plans on what the erasure will see.
    ...(input.kind === 'erasure' ? erasureReads(prepared) : {}),
  });
  phase = 'check';
  const boundary = await drawBoundary({ graph: prepared.graph, found, keyOf, connectorFor, identities: identityValues });

  let kept: KeptRecord[] = [];
  const updates: { changes?: DryRunReport['changes']; unchanged?: RectificationUnchanged[]; refused?: RectificationRefusal[] } = {};
  const warnings = [...prepared.warnings];
  const planned = (list: readonly RowsUpdate[]) => {
    for (const c of updateOperations(prepared, list)) {
      const connector = input.connections.database(c.connection);
      for (const op of c.operations) {
        const rendered = connector.render(toStatement(op));
        statements.push({ connection: c.connection, phase: 'write', sql: rendered.sql, parameters: rendered.parameters.length, rows: op.keys.length, write: writeOf(op) });
      }
    }
    return list.filter((u) => u.node.rows.size > 0).map((u) => ({ collection: u.node.node.id, fields: Object.keys(u.set), rows: u.node.rows.size, note: u.note }));
  };
  if (input.kind === 'rectification') {
    const unlinked = await readUnlinkedMatches(targets, found, connectorFor, columnTypesOf(prepared));
    const plan = planRectification({ targets, found, boundary, unlinked });
    updates.unchanged = plan.unchanged;
    updates.refused = plan.refused;
    // A refused rectification writes nothing at all: no statement to show.
    updates.changes = plan.refused.length > 0 ? [] : planned(plan.updates.map((u) => ({ ...u, note: rectificationNote(u) })));
  } else if (input.kind === 'restriction') {
    const own = ownFound(prepared.graph, boundary, found);
    warnings.push(...restrictionWarnings(prepared, own));
    updates.changes = planned(restrictionUpdates(own));
  }
  if (input.kind === 'erasure') {
    const plan = await planErasureOf(prepared, found, boundary, connectorFor, input.secretFor);
    kept = plan.kept;
    for (const c of plan.connections) {
      const connector = input.connections.database(c.connection);
      for (const op of c.operations) {
        const rendered = connector.render(toStatement(op));
        statements.push({ connection: c.connection, phase: 'write', sql: rendered.sql, parameters: rendered.parameters.length, rows: op.keys.length, write: writeOf(op) });
      }
    }
  }
  const processing = input.register === undefined ? undefined : processingOf(input.register, input, prepared, found, boundary);
  if (processing && processing.notSearched.length > 0) warnings.push(notSearchedText(processing.notSearched));
  return {
    kind: input.kind,
    seeds: prepared.graph.seeds,
    edges: prepared.graph.edges,
    blocked: prepared.graph.blocked,
    reached: [...found.values()]
      .filter((c) => !prepared.graph.context.has(c.node.id))
      .map((c) => {
        const own = ownRows(boundary, c).size;
        return { collection: c.node.id, rows: own, withheld: c.rows.size - own };
      }),
    context: prepared.graph.reachable
      .filter((id) => prepared.graph.context.has(id))
      .map((id) => {
        const read = found.get(id);
        return read === undefined ? { collection: id } : { collection: id, rows: read.rows.size };
      }),
    review: reviewColumns(prepared),
    ...(processing ? { processing } : {}),
    indexes: indexAdvice(prepared),
    statements,
    kept,
    ...updates,
    warnings,
  };
}

/** What a write changes, by name: never a value. */
function writeOf(op: { node: string; kind: 'update' | 'delete'; set?: Record<string, unknown> }): NonNullable<PlannedStatement['write']> {
  return { collection: op.node, operation: op.kind, fields: op.kind === 'delete' ? [] : Object.keys(op.set ?? {}) };
}

/** The register's systems not searched, and the flags for the DPO on the rows the plan found (no value). */
function processingOf(
  register: Register,
  input: { identities: Readonly<Record<string, string>>; datasets: readonly Dataset[] },
  prepared: PreparedRequest,
  found: Map<string, CollectedNode>,
  boundary: Boundary,
): NonNullable<DryRunReport['processing']> {
  const collected = toCollectedData({
    requestId: 'plan',
    collectedAt: new Date().toISOString(),
    identities: input.identities,
    graph: prepared.graph,
    checked: prepared.checked,
    found,
    boundary,
    systems: [],
    warnings: [],
    erasures: [],
  });
  const review = reviewProcessing(collected, input.datasets, register);
  return { notSearched: review.notSearched.map((sys) => sys.id), flags: review.flags };
}

/** The identity fields the request starts from whose lookup no index serves. */
function indexAdvice(prepared: PreparedRequest): IndexAdvice[] {
  const out = new Map<string, IndexAdvice>();
  for (const seed of prepared.graph.seeds) {
    const node = prepared.graph.nodes.get(seed.node)!;
    const shape = prepared.checked.get(seed.node)?.shape;
    const field = node.collection.fields.find((f) => f.name === seed.field);
    if (shape === undefined || field === undefined) continue;
    const type = prepared.connections.database(prepared.connectionOf(node.dataset.key)).type;
    const advice = lookupIndexAdvice(type, shape, seed.field, identityMatchOf(field));
    if (advice !== undefined) out.set(`${prepared.connectionOf(node.dataset.key)}\u0000${advice.column}`, advice);
  }
  return [...out.values()];
}

/** Columns shown in the copy that an erasure leaves as they are, because nothing says they are personal data. */
function reviewColumns(prepared: PreparedRequest): DryRunReport['review'] {
  const out: DryRunReport['review'] = [];
  for (const id of prepared.graph.reachable) {
    const node = prepared.graph.nodes.get(id)!;
    const checked = prepared.checked.get(id);
    if (prepared.graph.context.has(id) || checked === undefined) continue;
    const c = node.collection;
    const technical = new Set([...checked.key, ...checked.shape.foreignKeys.flatMap((fk) => fk.columns), ...c.fields.filter((f) => f.references.length > 0).map((f) => f.name)]);
    const declared = new Set(c.fields.map((f) => f.name));
    const undeclared = checked.shape.columns.map((col) => col.name).filter((name) => !declared.has(name) && !technical.has(name));
    const notPersonal = c.fields
      .filter((f) => f.identity === undefined && f.excludeFromCopy === undefined && !technical.has(f.name) && !f.categories.some(isPersonalDataCategory))
      .map((f) => f.name);
    if (undeclared.length + notPersonal.length > 0) out.push({ collection: id, undeclared, notPersonal });
  }
  return out;
}

export function formatDryRun(report: DryRunReport): string {
  const lines: string[] = [];
  lines.push(`Dry run of ${/^[aeiou]/.test(report.kind) ? 'an' : 'a'} ${report.kind} request: nothing is written.`, '');
  lines.push('Starts from identity fields:');
  for (const s of report.seeds) lines.push(`  ${s.node}.${s.field}  (${s.identity})`);
  lines.push('', 'Follows references:');
  for (const e of report.edges) lines.push(`  ${e.from}.${e.fromField} -> ${e.to}.${e.toField}`);
  if (report.blocked.length > 0) {
    lines.push('', 'Does not follow (another data subject\'s records, or skipped):');
    const why = {
      'other-subject': 'declared other_subject',
      'subject-collection': 'the target describes its own data subjects',
      skipped: 'skipped collection',
      context: 'from a catalogue: context, not the person\'s records',
    };
    for (const e of report.blocked) lines.push(`  ${e.from}.${e.fromField} -> ${e.to}.${e.toField}  (${why[e.reason]}; ${e.at.file}:${e.at.line})`);
  }
  lines.push('', 'Rows found:');
  for (const r of report.reached) {
    lines.push(`  ${r.collection}: ${r.rows}${r.withheld > 0 ? ` (and ${r.withheld} not the person's alone: withheld from a copy, kept by an erasure)` : ''}`);
  }
  if (report.context.length > 0) {
    lines.push('', 'Context (not the person\'s records): shown beside the rows pointing at them, never counted, followed further or written:');
    for (const r of report.context) lines.push(`  ${r.collection}: ${r.rows === undefined ? 'not read by this request' : `${r.rows} row(s) read`}`);
  }
  if (report.review.length > 0) {
    lines.push('', 'For review: shown in the copy, left as they are by an erasure (no user.* category):');
    for (const r of report.review) {
      const parts = [
        ...(r.undeclared.length > 0 ? [`not declared: ${r.undeclared.join(', ')}`] : []),
        ...(r.notPersonal.length > 0 ? [`declared without a user.* category: ${r.notPersonal.join(', ')}`] : []),
      ];
      lines.push(`  ${r.collection}: ${parts.join('; ')}`);
    }
  }
  if (report.kept.length > 0) {
    lines.push('', 'Kept on erasure:');
    for (const k of report.kept) lines.push(`  ${k.node}: ${k.rows} row(s), ${k.reason}${k.hold ? ` — ${k.hold.article}: ${k.hold.reason}` : ''}${k.fields ? ` (fields: ${k.fields.join(', ')})` : ''}`);
  }
  if (report.changes !== undefined) {
    const verb = report.kind === 'restriction' ? 'flag' : 'change';
    lines.push('', `Would ${verb} (the person's own rows only):`);
    if (report.changes.length === 0) lines.push(report.refused?.length ? '  nothing: the rectification is refused (below)' : '  nothing');
    for (const c of report.changes) lines.push(`  ${c.collection}: ${c.rows} row(s), ${c.fields.join(', ')}  (${c.note})`);
  }
  if (report.unchanged !== undefined && report.unchanged.length > 0) {
    lines.push('', 'Would not change:');
    for (const u of report.unchanged) lines.push(`  ${unchangedText(u)}`);
  }
  if (report.refused !== undefined && report.refused.length > 0) {
    lines.push('', 'Refused (the rectification would be refused as a whole, nothing written):');
    for (const r of report.refused) lines.push(`  ${refusalText(r)}`);
  }
  if (report.indexes.length > 0) {
    lines.push('', 'Indexes to create (an identity no index can find reads the whole table on every request):');
    for (const a of report.indexes) lines.push(`  ${a.column}: ${a.reason}${a.statement ? `\n    ${a.statement};` : ''}`);
  }
  lines.push('', 'Statements (values are bound as parameters and not shown):');
  for (const s of report.statements) {
    lines.push(`  [${s.connection}] ${s.phase}: ${s.sql};  -- ${s.parameters} parameter(s)${s.rows === undefined ? '' : s.phase === 'write' ? `, ${s.rows} row(s) addressed` : `, ${s.rows} row(s) returned`}`);
  }
  if (report.processing && report.processing.flags.length > 0) {
    lines.push('', 'For the DPO (the register against the person\'s data):');
    for (const f of report.processing.flags) lines.push(`  ${flagText(f)}`);
  }
  if (report.warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of report.warnings) lines.push(`  ${w}`);
  }
  return lines.join('\n') + '\n';
}
