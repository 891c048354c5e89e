/**
 * The manual connector on opendpo's real store, SQLite and PostgreSQL: a step becomes a task, the
 * task waits for a person, and the person's confirmation or refusal is what the engine reads.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl, type StoreLocation } from '../../../src/config/config.js';
import type { SystemRequest } from '../../../src/connectors/connector.js';
import { createManualConnector, type ManualSystemConnector } from '../../../src/connectors/manual/manual-connector.js';
import { OpendpoError } from '../../../src/errors/opendpo-error.js';
import { openStore, type Store } from '../../../src/store/open-store.js';
import { postgresCase, sqliteCase } from '../../store/store-cases.js';


const EMAIL = 'jane.doe+archive@example.com';
const NEW_NAME = 'Jane Smith-Doe';

const request = (action: SystemRequest['action'], extra: Partial<SystemRequest> = {}): SystemRequest => ({
  requestId: randomUUID(),
  action,
  identities: { email: EMAIL, customer_number: 'C-000123' },
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<OpendpoError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpendpoError);
  return err as OpendpoError;
}

describe.each([sqliteCase(), postgresCase()])('the manual connector on the $name store', (dialect) => {
  let location: StoreLocation;
  let store: Store;
  let archive: ManualSystemConnector;

  beforeAll(async () => {
    if (!dialect.available) return;
    location = await dialect.setUp();
    store = await openStore(location);
    archive = createManualConnector({
      name: 'paper-archive',
      instructions: 'Find the customer file in the basement archive and shred it; count the sheets.',
      assignee: 'records team',
      tasks: store.manualTasks,
    });
  });
  afterAll(async () => {
    if (!dialect.available) return;
    await store?.close();
    await dialect.tearDown();
  });

  it.runIf(dialect.available)('submit opens a pending task without identity values; confirm makes it done, also for a new process', async () => {
    const req = request('erasure');
    const submitted = await archive.submit(req);
    expect(submitted.status).toBe('pending');
    const task = await store.manualTasks.find(req.requestId, 'paper-archive', 'erasure');
    expect(task).toMatchObject({
      requestId: req.requestId,
      connection: 'paper-archive',
      action: 'erasure',
      instructions: 'Find the customer file in the basement archive and shred it; count the sheets.',
      assignee: 'records team',
      status: 'open',
      decidedAt: null,
      rows: null,
    });
    expect(new Date(task!.createdAt).toISOString()).toBe(task!.createdAt);
    expect(submitted).toEqual({ status: 'pending', reference: task!.id, message: `manual task ${task!.id} waits for a person to do it and confirm` });
    // Every column of the task, as stored: the request id, never the identities.
    expect(JSON.stringify(task)).not.toContain(EMAIL);
    expect(JSON.stringify(task)).not.toContain('C-000123');

    expect((await archive.poll(req)).status).toBe('pending');
    const confirmed = await archive.confirm(task!.id, { by: 'Sam (records team)', note: 'file shredded', affected: 12 });
    expect(confirmed).toMatchObject({ status: 'confirmed', decidedBy: 'Sam (records team)', note: 'file shredded', affected: 12 });
    expect(await archive.poll(req)).toEqual({ status: 'done', affected: 12 });

    // Durable: another process (another store handle) reads the same outcome.
    const again = await openStore(location);
    try {
      const other = createManualConnector({ name: 'paper-archive', instructions: 'x', tasks: again.manualTasks });
      expect(await other.poll(req)).toEqual({ status: 'done', affected: 12 });
    } finally {
      await again.close();
    }
  });

  it.runIf(dialect.available)('declined with a reason, the step is refused with that reason', async () => {
    const req = request('access');
    await archive.submit(req);
    const task = (await store.manualTasks.find(req.requestId, 'paper-archive', 'access'))!;
    await archive.decline(task.id, { by: 'Sam', reason: 'The archive holds no file for this person.' });
    expect(await archive.poll(req)).toEqual({ status: 'refused', reason: 'The archive holds no file for this person.' });
    expect(await archive.submit(req)).toEqual({ status: 'refused', reason: 'The archive holds no file for this person.' });
  });

  it.runIf(dialect.available)('an access task confirmed with rows returns them, until they are cleared', async () => {
    const req = request('access');
    const pending = await archive.submit(req);
    expect(pending.status === 'pending' && pending.reference).toBeTruthy();
    const taskId = pending.status === 'pending' ? pending.reference! : '';
    const rows = { customer_file: [{ folder: 'B-17', name: 'Jane Doe', sheets: 12, signed: true, fax: null }] };
    await archive.confirm(taskId, { by: 'Sam', rows });
    expect(await archive.poll(req)).toEqual({ status: 'done', rows });
    await store.manualTasks.clearRows(req.requestId);
    expect((await store.manualTasks.get(taskId))?.rows).toBeNull();
    expect(await archive.poll(req)).toEqual({ status: 'done' });
  });

  it.runIf(dialect.available)('submitting the same step again finds the same task; another step gets its own', async () => {
    const req = request('restriction');
    const first = await archive.submit(req);
    const second = await archive.submit(req);
    expect(second).toEqual(first);
    await archive.submit({ ...req, action: 'erasure' });
    const tasks = await store.manualTasks.list({ requestId: req.requestId });
    expect(tasks.map((t) => t.action).sort()).toEqual(['erasure', 'restriction']);
    // Two connectors racing to open the same step still make one task.
    const raced = request('erasure');
    await Promise.all([archive.submit(raced), archive.submit(raced), archive.poll(raced)]);
    expect(await store.manualTasks.list({ requestId: raced.requestId })).toHaveLength(1);
  });

  it.runIf(dialect.available)('a rectification task names the fields to change, not the new values', async () => {
    const req = request('rectification', { changes: { 'customer.name': NEW_NAME, 'customer.city': 'Lyon' } });
    await archive.submit(req);
    const task = (await store.manualTasks.find(req.requestId, 'paper-archive', 'rectification'))!;
    expect(task.changedFields).toEqual(['customer.city', 'customer.name']);
    expect(JSON.stringify(task)).not.toContain(NEW_NAME);
    expect(JSON.stringify(task)).not.toContain('Lyon');
  });

  it.runIf(dialect.available)('lists open tasks oldest first, without their rows', async () => {
    const open = await store.manualTasks.list({ status: 'open' });
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((t) => t.status === 'open')).toBe(true);
    expect(open.map((t) => t.createdAt)).toEqual([...open.map((t) => t.createdAt)].sort());
    for (const t of open) expect(Object.keys(t)).not.toContain('rows');
  });

  it.runIf(dialect.available)('refuses a second decision, an unknown task and confirmations that do not fit, changing nothing', async () => {
    const req = request('erasure');
    await archive.submit(req);
    const task = (await store.manualTasks.find(req.requestId, 'paper-archive', 'erasure'))!;

    const noBy = await failure(archive.confirm(task.id, { by: '  ' }));
    expect(noBy.code).toBe('INVALID_INPUT');
    expect(noBy.message).toBe(`manual task ${task.id}: the confirmation is invalid: at by: say who did the work`);
    const rowsOnErasure = await failure(archive.confirm(task.id, { by: 'Sam', rows: { customer: [] } }));
    expect(rowsOnErasure.message).toBe(`manual task ${task.id}: rows come only with an access task (this one is erasure)`);
    const negative = await failure(archive.confirm(task.id, { by: 'Sam', affected: -1 }));
    expect(negative.message).toContain('at affected:');
    // A nested object, as a person pasting JSON might send: refused by path, without the value.
    const nested = await failure(archive.confirm(task.id, { by: 'Sam', rows: { x: [{ a: { b: EMAIL } }] } } as never));
    expect(nested.message).toContain('at rows.x[0].a: expected a string, number, boolean or null');
    expect(nested.message).not.toContain(EMAIL);
    const noReason = await failure(archive.decline(task.id, { by: 'Sam', reason: '' }));
    expect(noReason.message).toContain('at reason: say why');
    expect((await store.manualTasks.get(task.id))?.status).toBe('open');

    await archive.confirm(task.id, { by: 'Sam', affected: 1 });
    const twice = await failure(archive.decline(task.id, { by: 'Kim', reason: 'not ours' }));
    expect(twice.code).toBe('INVALID_INPUT');
    expect(twice.message).toMatch(new RegExp(`^manual task ${task.id} cannot be declined: it was already confirmed on \\d{4}-`));
    expect(await archive.poll(req)).toEqual({ status: 'done', affected: 1 });

    const unknown = await failure(archive.confirm('no-such-task', { by: 'Sam' }));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toBe('manual task no-such-task does not exist');
    expect((await failure(archive.decline('no-such-task', { by: 'Sam', reason: 'x' }))).code).toBe('NOT_FOUND');
  });
});

describe('a manual connection', () => {
  it('needs instructions', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-manual-'));
    const store = await openStore(parseDatabaseUrl(`sqlite:${path.join(dir, 'store.db')}`, dir));
    try {
      expect(() => createManualConnector({ name: 'archive', instructions: ' ', tasks: store.manualTasks })).toThrow(
        'connection archive: a manual connection needs instructions saying what the person must do',
      );
      const archive = createManualConnector({ name: 'archive', instructions: 'Shred it.', tasks: store.manualTasks });
      expect(archive.label).toBe('manual archive');
      expect(archive.type).toBe('manual');
      const tooLong = await failure(archive.submit(request('erasure', { requestId: 'r'.repeat(65) })));
      expect(tooLong.message).toBe('manual archive: a request id is 1 to 64 characters');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps no identity value anywhere in the SQLite file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-manual-'));
    const file = path.join(dir, 'store.db');
    try {
      const store = await openStore(parseDatabaseUrl(`sqlite:${file}`, dir));
      const archive = createManualConnector({ name: 'archive', instructions: 'Shred it.', tasks: store.manualTasks });
      await archive.submit(request('erasure'));
      await archive.submit(request('rectification', { changes: { 'customer.name': NEW_NAME } }));
      await store.close();
      // Closing checkpoints the write-ahead log into the file; read every byte.
      const bytes = readFileSync(file).toString('latin1');
      expect(bytes).toContain('Shred it.');
      expect(bytes).not.toContain(EMAIL);
      expect(bytes).not.toContain('C-000123');
      expect(bytes).not.toContain(NEW_NAME);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
