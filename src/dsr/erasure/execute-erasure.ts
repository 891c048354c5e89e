/**
 * Runs the writes a request stored in its work log (an erasure's plan, a rectification's or a
 * restriction's updates): per connection, every write in one transaction (all or nothing within a
 * database). Across databases the work log is what makes the request resumable: a re-run runs
 * the connections not yet marked done.
 *
 * The evidence is exact (Art. 5(2)): before a connection's transaction commits, its writes are
 * recorded as attempted with the counts the database reported; after the commit a marker confirms
 * them. A run killed between the two leaves writes whose fate is unknown: the next run reads the
 * planned rows before running anything — deleted rows absent and masked rows holding the planned
 * values mean the transaction had committed (marked so, and not run again); otherwise it had
 * rolled back (marked so, and run). Every write sets values computed before the first write and
 * addresses rows by key, so running it again writes the same values and deletes nothing more.
 */
import type { DatabaseConnector, Statement } from '../../connectors/connector.js';
import { valueKey } from '../../connectors/value-key.js';
import type { DsrRepository, NewDsrStep } from '../../store/dsr-repository.js';
import type { EvidenceJournal } from '../evidence-journal.js';
import { writesState } from '../request-lifecycle.js';
import { decodeValue } from './encode-value.js';
import type { ErasureOperation } from './plan-erasure.js';

/** A write of the work log: an erasure's operation, or an update of a rectification or restriction (with its evidence note). */
export type StoredWrite = ErasureOperation & { note?: string };

/** Where a crash can be injected in tests (and where a real one can happen). */
export type FaultPoint =
  | { at: 'before-transaction'; connection: string }
  | { at: 'after-statement'; connection: string; index: number }
  /** The writes are recorded as attempted; the database has not committed yet. */
  | { at: 'before-commit'; connection: string }
  /** The database has committed; the evidence does not say so yet. */
  | { at: 'after-commit'; connection: string };

export interface ExecuteWritesOptions {
  journal: EvidenceJournal;
  /** The work log. */
  repository: DsrRepository;
  connectorFor: (connection: string) => DatabaseConnector;
  /** Test hook: throw from here (or never return) to simulate a crash at that point. */
  fault?: (point: FaultPoint) => void | Promise<void>;
  onProgress?: (event: { connection: string; done: number; total: number }) => void;
}

export function toStatement(op: ErasureOperation): Statement {
  const where = { columns: op.keyColumns, values: op.keys.map((k) => k.map(decodeValue)) };
  // Addresses only as long as there is one per key (a work log written by hand, or by an older version, has none).
  const locations = op.locations !== undefined && op.locations.length === op.keys.length ? { locations: op.locations } : {};
  if (op.kind === 'delete') return { kind: 'delete', table: op.table, where, ...locations };
  const set = Object.fromEntries(Object.entries(op.set ?? {}).map(([k, v]) => [k, decodeValue(v)]));
  return { kind: 'update', table: op.table, set, where, ...locations };
}

export async function executeStoredWrites(options: ExecuteWritesOptions): Promise<void> {
  const { journal, repository } = options;
  const work = await repository.work(journal.requestId);
  const steps = await journal.steps();
  for (const item of work) {
    if (item.status === 'done') continue;
    const parsed = JSON.parse(item.operationsJson) as unknown;
    // Systems acting for themselves are recorded in the same log; they are not run here.
    if (!Array.isArray(parsed)) continue;
    const operations = parsed as StoredWrite[];
    const connector = options.connectorFor(item.connection);

    const state = writesState(steps, item.connection);
    if (state?.outcome === 'unknown') {
      // A run stopped between recording these writes and confirming them: the database says.
      const committed = await isInPlannedState(connector, operations);
      await journal.settle(item.connection, state.attempt, committed ? 'committed' : 'rolled-back', true);
      if (committed) {
        await repository.markWorkDone(journal.requestId, item.connection);
        continue;
      }
    } else if (state?.outcome === 'committed') {
      // Confirmed, but the run stopped before marking the work done.
      await repository.markWorkDone(journal.requestId, item.connection);
      continue;
    }
    if (operations.length === 0) {
      await repository.markWorkDone(journal.requestId, item.connection);
      continue;
    }

    await options.fault?.({ at: 'before-transaction', connection: item.connection });
    await connector.transaction(async (tx) => {
      const attempted: NewDsrStep[] = [];
      for (const [index, op] of operations.entries()) {
        const startedAt = new Date();
        const t0 = performance.now();
        const result = await tx.run(toStatement(op));
        attempted.push({
          connection: item.connection,
          collection: op.node,
          kind: op.kind,
          rowsFound: op.keys.length,
          rowsChanged: result.affected,
          startedAt: startedAt.toISOString(),
          durationMs: performance.now() - t0,
          status: 'attempted',
          note: op.note ?? (op.kind === 'update' ? `fields: ${Object.keys(op.set ?? {}).join(', ')}` : null),
        });
        options.onProgress?.({ connection: item.connection, done: index + 1, total: operations.length });
        await options.fault?.({ at: 'after-statement', connection: item.connection, index });
      }
      // Recorded before the commit (and only while this run holds the lease): a crash after the
      // commit cannot lose what the database changed.
      await journal.recordAttempted(attempted);
      await options.fault?.({ at: 'before-commit', connection: item.connection });
    });
    await options.fault?.({ at: 'after-commit', connection: item.connection });
    await journal.settle(item.connection, journal.attempt, 'committed', false);
    await repository.markWorkDone(journal.requestId, item.connection);
  }
}

/**
 * Whether the database holds the planned end state of these writes: no row planned for deletion
 * is left, and every row planned for an update that is still there holds the planned values.
 * A transaction is all or nothing, so this tells a committed one from one rolled back. (Values
 * compare as keys do across drivers: 1, 1n and "1" alike.)
 */
export async function isInPlannedState(connector: DatabaseConnector, operations: readonly StoredWrite[]): Promise<boolean> {
  for (const op of operations) {
    if (op.keys.length === 0) continue;
    const planned = Object.entries(op.set ?? {}).map(([column, value]) => [column, valueKey(decodeValue(value))] as const);
    const { rows } = await connector.run({
      kind: 'select',
      table: op.table,
      columns: [...new Set([...op.keyColumns, ...planned.map(([c]) => c)])],
      where: { columns: op.keyColumns, values: op.keys.map((k) => k.map(decodeValue)) },
    });
    if (op.kind === 'delete' && rows.length > 0) return false;
    if (op.kind === 'update' && rows.some((row) => planned.some(([column, value]) => valueKey(row[column] ?? null) !== value))) return false;
  }
  return true;
}
