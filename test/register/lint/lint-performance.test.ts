import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRegister } from '../../../bench/generate-register.js';
import { loadRegister, type LoadedRegister } from '../../../src/register/load.js';
import { lintRegister } from '../../../src/register/lint/lint-register.js';

describe('lintRegister on 1,000 activities', () => {
  let dir: string;
  let loaded: LoadedRegister;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'opendpo-lint-perf-'));
    await generateRegister(dir, 1000);
    const result = await loadRegister(dir);
    expect(result.problems).toEqual([]);
    loaded = result.loaded!;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes well under a second (the rules are linear)', () => {
    lintRegister(loaded); // warm up the JIT and the reference indexes
    const start = performance.now();
    const findings = lintRegister(loaded);
    const ms = performance.now() - start;
    expect(loaded.register.activities).toHaveLength(1000);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(ms).toBeLessThan(400);
  });
});
