/**
 * Runs a stored erasure plan: per connection, every write in one transaction (all or nothing
 * within a database), then the connection is marked done in the store. Across databases the
 * store's work log is what makes the request resumable: a re-run runs the connections not yet
 * marked done. Every write sets values computed before the first write and addresses rows by
 * key, so running a connection's transaction again after a crash between its commit and the
 * mark writes the same values again (nothing masked twice) and deletes nothing more.
 */
import type { DatabaseConnector, Statement } from '../../connectors/connector.js';
import type { DsrRepository, NewDsrStep } from '../../store/dsr-repository.js';
import { decodeValue } from './encode-value.js';
import type { ErasureOperation } from './plan-erasure.js';

/** Where a crash can be injected in tests (and where a real one can happen). */
export type FaultPoint =
  | { at: 'before-transaction'; connection: string }
  | { at: 'after-statement'; connection: string; index: number }
  | { at: 'after-commit'; connection: string };

export interface ExecuteErasureOptions {
  requestId: string;
  attempt: number;
  repository: DsrRepository;
  connectorFor: (connection: string) => DatabaseConnector;
  /** Test hook: throw from here to simulate a crash at that point. */
  fault?: (point: FaultPoint) => void;
  onProgress?: (event: { connection: string; done: number; total: number }) => void;
}

export function toStatement(op: ErasureOperation): Statement {
  const where = { columns: op.keyColumns, values: op.keys.map((k) => k.map(decodeValue)) };
  if (op.kind === 'delete') return { kind: 'delete', table: op.table, where };
  const set = Object.fromEntries(Object.entries(op.set ?? {}).map(([k, v]) => [k, decodeValue(v)]));
  return { kind: 'update', table: op.table, set, where };
}

export async function executeErasure(options: ExecuteErasureOptions): Promise<void> {
  const work = await options.repository.work(options.requestId);
  for (const item of work) {
    if (item.status === 'done') continue;
    const parsed = JSON.parse(item.operationsJson) as unknown;
    // Systems acting for themselves are recorded in the same log; they are not run here.
    if (!Array.isArray(parsed)) continue;
    const operations = parsed as ErasureOperation[];
    const connector = options.connectorFor(item.connection);
    options.fault?.({ at: 'before-transaction', connection: item.connection });
    const steps: NewDsrStep[] = [];
    await connector.transaction(async (tx) => {
      for (const [index, op] of operations.entries()) {
        const startedAt = new Date();
        const t0 = performance.now();
        const result = await tx.run(toStatement(op));
        steps.push({
          connection: item.connection,
          collection: op.node,
          kind: op.kind,
          rowsFound: op.keys.length,
          rowsChanged: result.affected,
          startedAt: startedAt.toISOString(),
          durationMs: performance.now() - t0,
          status: 'done',
          note: op.kind === 'update' ? `fields: ${Object.keys(op.set ?? {}).join(', ')}` : null,
        });
        options.onProgress?.({ connection: item.connection, done: index + 1, total: operations.length });
        options.fault?.({ at: 'after-statement', connection: item.connection, index });
      }
    });
    options.fault?.({ at: 'after-commit', connection: item.connection });
    await options.repository.addSteps(options.requestId, options.attempt, steps);
    await options.repository.markWorkDone(options.requestId, item.connection);
  }
}
