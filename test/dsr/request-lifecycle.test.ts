/**
 * The life of a request as plain functions: what it is bound to and the differences named, how
 * it presents itself (interrupted when its run died holding the lease), and what its evidence
 * says was written, kept and left unconfirmed.
 */
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/dataset/model.js';
import {
  bindingDifferences,
  datasetFingerprints,
  datasetsHash,
  presentStatus,
  summariseEvidence,
  writesState,
  type RequestBinding,
} from '../../src/dsr/request-lifecycle.js';
import type { DsrStep } from '../../src/store/dsr-repository.js';

const dataset = (key: string, line = 1, extra: Partial<Dataset> = {}): Dataset => ({
  key,
  format: 'opendpo',
  at: { file: `datasets/${key}.yaml`, line, column: 1 },
  collections: [
    {
      name: 'customer',
      fields: [{ name: 'id', categories: ['user.unique_id'], primaryKey: true, references: [], readOnly: false, at: { file: `datasets/${key}.yaml`, line: line + 4, column: 5 } }],
      erasure: { strategy: 'mask' },
      skip: false,
      after: [],
      eraseAfter: [],
      at: { file: `datasets/${key}.yaml`, line: line + 2, column: 3 },
    },
  ],
  ...extra,
});
const binding = (datasets: Dataset[], changesFingerprint: string | null = null): RequestBinding => ({
  datasetsHash: datasetsHash(datasets),
  datasets: datasetFingerprints(datasets),
  changesFingerprint,
});

describe('what a request is bound to', () => {
  it('fingerprints each dataset by what it says, not where: a moved line is no change, a legal hold is', () => {
    const [a] = datasetFingerprints([dataset('shop')]);
    expect(a).toMatchObject({ key: 'shop', file: 'datasets/shop.yaml' });
    expect(datasetFingerprints([dataset('shop', 7)])[0]!.hash).toBe(a!.hash);
    const held = dataset('shop');
    held.collections[0]!.legalHold = { reason: 'accounting', article: 'Art. 17(3)(b)' };
    expect(datasetFingerprints([held])[0]!.hash).not.toBe(a!.hash);
  });

  it('names every difference: a dataset changed, added or removed, other --set values', () => {
    const made = { ...binding([dataset('shop'), dataset('crm')], 'set-1'), id: 'r' };
    const changed = dataset('shop', 1, { system: 'another-system' });
    expect(bindingDifferences(made, binding([changed, dataset('newsletter')], 'set-2'))).toEqual([
      'the --set values differ from those the request was made with',
      'dataset crm (datasets/crm.yaml) was removed since attempt 1',
      'dataset newsletter (datasets/newsletter.yaml) was added since attempt 1',
      'dataset shop (datasets/shop.yaml) changed since attempt 1',
    ]);
    expect(bindingDifferences(made, binding([dataset('crm', 30), dataset('shop', 12)], 'set-1'))).toEqual([]);
  });

  it('compares a request recorded before per-dataset fingerprints by its one hash, and refuses to guess its --set values', () => {
    const legacy = { datasets: null, datasetsHash: datasetsHash([dataset('shop')]), changesFingerprint: null };
    expect(bindingDifferences(legacy, binding([dataset('shop')]))).toEqual([]);
    expect(bindingDifferences(legacy, binding([dataset('shop', 1, { system: 'x' })]))).toEqual(['the datasets changed since attempt 1']);
    expect(bindingDifferences(legacy, binding([dataset('shop')], 'set'))).toEqual(['the request was recorded before its --set values were kept, so they cannot be compared']);
  });
});

describe('how a request presents itself', () => {
  const now = new Date('2026-11-28T10:00:00.000Z');
  const lease = (expiresAt: string) => ({ host: 'h', pid: 1, since: '2026-11-28T09:00:00.000Z', expiresAt });
  it('is running while its lease is live, interrupted once it expired or when none holds it', () => {
    expect(presentStatus({ status: 'running', lease: lease('2026-11-28T10:00:30.000Z') }, now)).toBe('running');
    expect(presentStatus({ status: 'running', lease: lease('2026-11-28T09:59:59.999Z') }, now)).toBe('interrupted');
    expect(presentStatus({ status: 'running', lease: null }, now)).toBe('interrupted');
    expect(presentStatus({ status: 'failed', lease: null }, now)).toBe('failed');
    expect(presentStatus({ status: 'completed', lease: null }, now)).toBe('completed');
  });
});

describe('reading the evidence', () => {
  let seq = 0;
  const step = (attempt: number, connection: string, kind: string, extra: Partial<DsrStep> = {}): DsrStep => ({
    seq: ++seq,
    attempt,
    connection,
    collection: kind === 'commit' ? null : `${connection}.t`,
    kind,
    rowsFound: 0,
    rowsChanged: 0,
    startedAt: '2026-11-28T10:00:00.000Z',
    durationMs: 0,
    status: kind === 'update' || kind === 'delete' ? 'attempted' : 'done',
    note: null,
    detail: null,
    ...extra,
  });
  const commit = (attempt: number, connection: string, settles: number, status: 'committed' | 'rolled-back') =>
    step(attempt, connection, 'commit', { status, detail: { attempt: settles, verified: attempt !== settles } });

  it('tells committed, rolled back and unknown writes apart, and counts only the committed ones, from every attempt', () => {
    const steps = [
      step(1, 'a', 'select', { rowsFound: 9 }),
      step(1, 'a', 'kept', { rowsFound: 2, detail: { reason: 'legal-hold', hold: { reason: 'r', article: 'Art. 17(3)(b)' } } }),
      step(1, 'a', 'delete', { rowsChanged: 5 }),
      step(1, 'b', 'delete', { rowsChanged: 7 }),
      // Attempt 1 was killed before either marker.
      commit(2, 'a', 1, 'committed'),
      commit(2, 'b', 1, 'rolled-back'),
      step(2, 'b', 'delete', { rowsChanged: 7 }),
      step(2, 'c', 'update', { rowsChanged: 3 }),
      commit(2, 'b', 2, 'committed'),
    ];
    expect(writesState(steps, 'a')).toEqual({ attempt: 1, outcome: 'committed' });
    expect(writesState(steps, 'b')).toEqual({ attempt: 2, outcome: 'committed' });
    expect(writesState(steps, 'c')).toEqual({ attempt: 2, outcome: 'unknown' });
    expect(writesState(steps, 'd')).toBeUndefined();
    const summary = summariseEvidence(steps, 1);
    expect(summary.written).toEqual([
      { connection: 'a', collection: 'a.t', kind: 'delete', rows: 5 },
      { connection: 'b', collection: 'b.t', kind: 'delete', rows: 7 },
    ]);
    expect(summary).toMatchObject({ attempts: 2, unconfirmed: 1, warnings: 1, collections: [{ collection: 'a.t', rows: 9 }] });
    // Kept in attempt 1, which decided the writes; attempt 2 ran them without searching again.
    expect(summary.kept).toEqual([{ collection: 'a.t', reason: 'legal-hold', rows: 2, article: 'Art. 17(3)(b)' }]);
  });

  it('reads what was kept from the attempt whose search decided the writes, not from an earlier plan never stored', () => {
    const steps = [
      step(1, 'a', 'select', { rowsFound: 3 }),
      step(1, 'a', 'kept', { rowsFound: 3, detail: { reason: 'shared' } }),
      step(2, 'a', 'select', { rowsFound: 3 }),
      step(2, 'a', 'kept', { rowsFound: 1, detail: { reason: 'legal-hold' } }),
    ];
    expect(summariseEvidence(steps, 0).kept).toEqual([{ collection: 'a.t', reason: 'legal-hold', rows: 1 }]);
  });
});
