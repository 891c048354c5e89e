/**
 * "Test connection" for one system of the Systems page: connect to its database and hold its
 * dataset against the real tables, as the engine does before every request
 * (src/dsr/run-request.ts prepareRequest, src/dsr/plan/check-against-databases.ts): a table or
 * column the dataset names that does not exist, a table a request must write whose rows have no key,
 * a masking a column cannot take, personal data no identity or reference reaches, and the identity
 * lookups no index serves (with the index to create). It reads the database's catalogue only,
 * never a row. A problem found here is one a request would stop on, found before a person waits.
 *
 * A database that cannot be reached (down, refused, wrong password, not answering in time) is a
 * problem of the answer, not an error: that is what the check is for. Only the one connection that
 * serves the system is opened, and closed at the end.
 */
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { connectionServing, isDatabaseConnection } from '../../dataset/connections.js';
import type { Dataset } from '../../dataset/model.js';
import { openConnections } from '../../dsr/open-connections.js';
import { lookupIndexAdvice, type IndexAdvice } from '../../dsr/identity-lookup.js';
import { identityMatchOf } from '../../dsr/identity-match.js';
import { checkNode } from '../../dsr/plan/check-against-databases.js';
import { buildRequestGraph } from '../../dsr/plan/graph.js';
import { findTable, readTables, type OpenConnections } from '../../dsr/run-request.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { Finding } from '../../register/finding.js';
import type { DsrKind } from '../../store/dsr-repository.js';
import type { Store } from '../../store/open-store.js';
import { ENGINE_KINDS, type WorkerSource } from '../worker/request-worker.js';
import type { ConnectionKind } from './describe-systems.js';

export interface CheckProblem {
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  /** Where the dataset says what the database contradicts: the file (in the datasets folder), line and column. */
  file: string | undefined;
  line: number | undefined;
  column: number | undefined;
  /** The requests it stops: a missing table stops every one, a table without a key only those that write it. */
  stops: DsrKind[];
}

export interface SystemCheck {
  system: string;
  connection: { name: string; kind: ConnectionKind } | undefined;
  /** The database answered (and its catalogue was read); false for a system that acts for itself (nothing to connect to). */
  connected: boolean;
  /** Connected (where there is something to connect to) and no problem of severity error. */
  ok: boolean;
  durationMs: number;
  problems: CheckProblem[];
  indexes: IndexAdvice[];
  /** Per table, its columns the dataset does not declare: data no category describes, to review. */
  undeclared: { collection: string; columns: string[] }[];
  /** What was and was not checked, when not a database. */
  note: string | undefined;
}

/** The kinds a request runs as, each checked (an erasure asks more of a table than an access). */
const KINDS = [...new Set(Object.values(ENGINE_KINDS))] as DsrKind[];

export async function checkSystem(source: WorkerSource | undefined, systemId: string, store: Store, options: { timeoutMs?: number | undefined } = {}): Promise<SystemCheck> {
  const dataset = source?.loaded.datasets.find((d) => d.key === systemId);
  if (!source || !dataset) throw new OpendpoError('NOT_FOUND', 'this server runs the organisation\'s requests on no system of this id (GET …/systems lists them)');
  const started = performance.now();
  const connection = connectionServing(source.loaded.connections, systemId);
  const result = (r: Pick<SystemCheck, 'connected' | 'problems'> & Partial<SystemCheck>): SystemCheck => ({
    system: systemId,
    connection: connection && { name: connection.name, kind: connection.type },
    indexes: [],
    undeclared: [],
    note: undefined,
    ...r,
    ok: (r.connected || connection?.type === 'manual' || connection?.type === 'http') && !r.problems.some((p) => p.severity === 'error'),
    durationMs: Math.round(performance.now() - started),
  });
  const failed = (rule: string, err: OpendpoError): CheckProblem => ({ rule, severity: 'error', message: err.message, file: undefined, line: undefined, column: undefined, stops: KINDS });

  if (!connection) {
    return result({ connected: false, problems: [{ rule: 'connections/not-served', severity: 'error', message: `no connection of connections.yaml serves dataset "${systemId}"`, file: undefined, line: undefined, column: undefined, stops: KINDS }] });
  }
  if (connection.type === 'manual') {
    return result({ connected: false, problems: [], note: 'a person does this system\'s part of each request and confirms it: there is no database to connect to' });
  }
  if (connection.type === 'http') {
    // The system answers for itself: its URL and signing key are read as a request would read them;
    // the protocol has no call that does nothing, so the system itself is contacted by requests only.
    try {
      const { createHttpConnector } = await import('../../connectors/http/http-connector.js');
      await (await createHttpConnector({ name: connection.name, url: connection.url, secret: connection.secret })).close();
    } catch (err) {
      if (!(err instanceof OpendpoError)) throw err;
      return result({ connected: false, problems: [failed('connection/unreadable', err)] });
    }
    return result({ connected: false, problems: [], note: 'its URL and signing key were read; a system that answers for itself over HTTP is contacted by requests only (the protocol has no test call)' });
  }
  if (!isDatabaseConnection(connection) || !source.loaded.connections) throw new OpendpoError('INTERNAL', 'a connection of an unknown kind');

  let connections: OpenConnections;
  try {
    connections = await openConnections({ ...source.loaded.connections, connections: [connection] }, store, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  } catch (err) {
    if (!(err instanceof OpendpoError)) throw err;
    return result({ connected: false, problems: [failed('connection/unavailable', err)] });
  }
  try {
    const onConnection = source.loaded.datasets.filter((d) => connection.datasets.includes(d.key));
    const tables = (await readTables(connections, onConnection)).get(connection.name) ?? [];
    return result({ connected: true, ...holdAgainst(dataset, source, tables, connections.database(connection.name).type) });
  } catch (err) {
    // The database went away while its catalogue was read.
    if (!(err instanceof OpendpoError)) throw err;
    return result({ connected: false, problems: [failed('connection/unavailable', err)] });
  } finally {
    await connections.close();
  }
}

function holdAgainst(dataset: Dataset, source: WorkerSource, tables: Parameters<typeof findTable>[0], type: Parameters<typeof lookupIndexAdvice>[0]): Pick<SystemCheck, 'problems' | 'indexes' | 'undeclared'> {
  // The graph of every database dataset of the folder, as a request builds it from every identity:
  // which tables are catalogues (never written) and which personal data nothing reaches.
  const databaseDatasets = source.loaded.datasets.filter((d) => {
    const c = connectionServing(source.loaded.connections, d.key);
    return c !== undefined && isDatabaseConnection(c);
  });
  const identities = [...new Set(databaseDatasets.flatMap((d) => d.collections.flatMap((c) => c.fields.flatMap((f) => (f.identity ? [f.identity] : [])))))];
  const graph = buildRequestGraph(databaseDatasets, identities);
  const problems = new Map<string, CheckProblem>();
  const add = (f: Finding, kind: DsrKind) => {
    const key = `${f.rule}\u0000${f.message}\u0000${f.line}:${f.column}`;
    const known = problems.get(key);
    if (known) {
      if (!known.stops.includes(kind)) known.stops.push(kind);
      return;
    }
    problems.set(key, { rule: f.rule, severity: f.severity === 'error' ? 'error' : 'warning', message: f.message, file: path.basename(f.file), line: f.line, column: f.column, stops: f.severity === 'error' ? [kind] : [] });
  };
  const indexes = new Map<string, IndexAdvice>();
  const undeclared: SystemCheck['undeclared'] = [];
  for (const node of graph.nodes.values()) {
    if (node.dataset.key !== dataset.key || node.collection.skip) continue;
    const shape = findTable(tables, node);
    for (const kind of KINDS) for (const f of checkNode(node, shape, kind, graph.context.has(node.id)).findings) add(f, kind);
    if (shape === undefined) continue;
    const declared = new Set([...node.collection.fields.map((f) => f.name), ...(node.collection.restrictionFlag ? [node.collection.restrictionFlag.field] : [])]);
    const columns = shape.columns.map((c) => c.name).filter((name) => !declared.has(name));
    if (columns.length > 0) undeclared.push({ collection: node.collection.name, columns });
    if (node.collection.catalogue === true) continue;
    for (const field of node.collection.fields) {
      if (field.identity === undefined || !shape.columns.some((c) => c.name === field.name)) continue;
      const advice = lookupIndexAdvice(type, shape, field.name, identityMatchOf(field));
      if (advice) indexes.set(advice.column, advice);
    }
  }
  for (const node of graph.unreachable) {
    if (node.dataset.key !== dataset.key) continue;
    add(
      {
        rule: 'dataset/unreachable',
        severity: 'warning',
        message: `${node.collection.name} holds personal data, but no identity field and no reference leads to it: no request finds the person's rows there`,
        file: node.collection.at.file,
        line: node.collection.at.line,
        column: node.collection.at.column,
      },
      'access',
    );
  }
  return { problems: [...problems.values()], indexes: [...indexes.values()], undeclared };
}
