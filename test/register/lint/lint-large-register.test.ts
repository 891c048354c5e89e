import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRegister } from '../../../bench/generate-register.js';
import { loadRegister, type LoadedRegister } from '../../../src/register/load.js';
import { lintRegister } from '../../../src/register/lint/lint-register.js';

describe('lintRegister on a generated register of 1,000 activities', () => {
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

  // Timing is measured by `npm run bench:register`, not asserted here (docs/BENCHMARKS.md).
  it('lints a complete register of 1,000 activities without a false error', () => {
    const findings = lintRegister(loaded);
    expect(loaded.register.activities).toHaveLength(1000);
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
