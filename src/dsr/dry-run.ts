/**
 * `opendpo dsr plan`: what a request would do, without doing it. It reads (the same selects the
 * request would run, to know which rows and which writes) but every write is refused by the
 * recording wrapper below, so a dry run cannot change a database even through a bug.
 */
import type { DatabaseConnector, Statement, StatementResult } from '../connectors/connector.js';
import type { Dataset, MaskingStrategy } from '../dataset/model.js';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { DsrKind } from '../store/dsr-repository.js';
import { toStatement } from './erasure/execute-erasure.js';
import type { KeptRecord } from './erasure/plan-erasure.js';
import { collect } from './execute/collect.js';
import type { BlockedEdge, Edge, Seed } from './plan/graph.js';
import { keysOf, planErasureOf, prepareRequest, type OpenConnections } from './run-request.js';

export interface PlannedStatement {
  connection: string;
  phase: 'find' | 'check' | 'write';
  sql: string;
  /** How many values are bound (the values themselves are the person's data: not printed). */
  parameters: number;
  rows?: number;
}

export interface DryRunReport {
  kind: DsrKind;
  seeds: Seed[];
  edges: Edge[];
  blocked: BlockedEdge[];
  reached: { collection: string; rows: number }[];
  statements: PlannedStatement[];
  kept: KeptRecord[];
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
  const identityValues = Object.fromEntries(Object.entries(input.identities).map(([k, v]) => [k, [v]]));
  const found = await collect({ graph: prepared.graph, identities: identityValues, connectorFor, keyOf });

  let kept: KeptRecord[] = [];
  if (input.kind === 'erasure') {
    phase = 'check';
    const plan = await planErasureOf(prepared, found, identityValues, connectorFor, input.secretFor);
    kept = plan.kept;
    for (const c of plan.connections) {
      const connector = input.connections.database(c.connection);
      for (const op of c.operations) {
        const rendered = connector.render(toStatement(op));
        statements.push({ connection: c.connection, phase: 'write', sql: rendered.sql, parameters: rendered.parameters.length, rows: op.keys.length });
      }
    }
  }
  return {
    kind: input.kind,
    seeds: prepared.graph.seeds,
    edges: prepared.graph.edges,
    blocked: prepared.graph.blocked,
    reached: [...found.values()].map((c) => ({ collection: c.node.id, rows: c.rows.size })),
    statements,
    kept,
    warnings: prepared.warnings,
  };
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
    const why = { 'other-subject': 'declared other_subject', 'subject-collection': 'the target describes its own data subjects', skipped: 'skipped collection' };
    for (const e of report.blocked) lines.push(`  ${e.from}.${e.fromField} -> ${e.to}.${e.toField}  (${why[e.reason]}; ${e.at.file}:${e.at.line})`);
  }
  lines.push('', 'Rows found:');
  for (const r of report.reached) lines.push(`  ${r.collection}: ${r.rows}`);
  if (report.kept.length > 0) {
    lines.push('', 'Kept on erasure:');
    for (const k of report.kept) lines.push(`  ${k.node}: ${k.rows} row(s), ${k.reason}${k.hold ? ` — ${k.hold.article}: ${k.hold.reason}` : ''}${k.fields ? ` (fields: ${k.fields.join(', ')})` : ''}`);
  }
  lines.push('', 'Statements (values are bound as parameters and not shown):');
  for (const s of report.statements) {
    lines.push(`  [${s.connection}] ${s.phase}: ${s.sql};  -- ${s.parameters} parameter(s)${s.rows === undefined ? '' : s.phase === 'write' ? `, ${s.rows} row(s) addressed` : `, ${s.rows} row(s) returned`}`);
  }
  if (report.warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of report.warnings) lines.push(`  ${w}`);
  }
  return lines.join('\n') + '\n';
}
