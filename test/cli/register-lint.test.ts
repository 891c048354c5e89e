/**
 * `opendpo register lint` as a user or CI runs it: a spawned process, its output and exit status.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { expectNoStackTrace, ROOT, runCli } from '../helpers/cli.js';
import { VALID } from '../register/lint/register-fixture.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[\d+m/;

// Registers under test/fixtures/lint/, linted from the repository root as CI would.
const FIXTURES = 'test/fixtures/lint';
const clean = `${FIXTURES}/clean`;
const gaps = `${FIXTURES}/gaps`;
const warnings = `${FIXTURES}/warnings`;

describe.concurrent('opendpo register lint', () => {
  it('lints the fixture folders the unit tests use (clean is the in-memory valid register)', async () => {
    for (const [rel, content] of Object.entries(VALID)) expect(await readFile(path.join(ROOT, clean, rel), 'utf8'), rel).toBe(content);
  });

  it('exits 0 and says so for a clean register', async () => {
    const r = await runCli(['register', 'lint', clean]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0 errors, 0 warnings, 0 infos\n');
    expect(r.code).toBe(0);
  });

  it('exits 1 on errors, printing each finding as file:line:col, severity, message, rule and article', async () => {
    const r = await runCli(['register', 'lint', gaps]);
    expect(r.code).toBe(1);
    const file = `${gaps}/activities/sales.yaml`;
    expect(r.stdout).toContain(`${file}:1:1  error    the activity gives no retention period: add retention with a duration  retention/missing (Art. 30(1)(f))`);
    expect(r.stdout).toContain(`${file}:26:14  error    recipient "shiping" is not defined in recipients.yaml: did you mean "shipping"?  ref/undefined-recipient (Art. 30(1)(d))`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 errors, 0 warnings, 0 infos');
    expect(r.stdout).not.toMatch(ANSI);
    expectNoStackTrace(r.stdout + r.stderr);
  });

  it('exits 0 when there are only warnings', async () => {
    const r = await runCli(['register', 'lint', warnings]);
    expect(r.stdout).toContain('transfer/scc-without-module');
    expect(r.stdout).toContain('0 errors, 1 warning, 0 infos');
    expect(r.code).toBe(0);
  });

  it('prints stable JSON with --format json', async () => {
    const r = await runCli(['register', 'lint', gaps, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number; column: number }[]; summary: unknown };
    expect(report.summary).toEqual({ errors: 2, warnings: 0, infos: 0 });
    expect(report.findings.map((f) => [f.rule, f.file, f.line, f.column])).toEqual([
      ['retention/missing', `${gaps}/activities/sales.yaml`, 1, 1],
      ['ref/undefined-recipient', `${gaps}/activities/sales.yaml`, 26, 14],
    ]);
  });

  it('writes SARIF 2.1.0 to --output, with paths relative to the working folder', async () => {
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'opendpo-sarif-'));
    onTestFinished(() => rm(outDir, { recursive: true, force: true }));
    const out = path.join(outDir, 'gaps.sarif');
    const r = await runCli(['register', 'lint', gaps, '--format', 'sarif', '--output', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('2 errors');
    const log = JSON.parse(await readFile(out, 'utf8')) as {
      version: string;
      runs: { tool: { driver: { name: string } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.tool.driver.name).toBe('opendpo');
    expect(log.runs[0]!.results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.artifactLocation.uri, x.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ['retention/missing', 'error', `${gaps}/activities/sales.yaml`, 1],
      ['ref/undefined-recipient', 'error', `${gaps}/activities/sales.yaml`, 26],
    ]);
  });

  it('refuses an unknown --format with exit 2 and a clear message', async () => {
    const r = await runCli(['register', 'lint', clean, '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('opendpo: --format must be one of text, json, sarif, not "xml"\n');
    expect(r.stdout).toBe('');
  });

  it('colours only when asked (FORCE_COLOR) and never when NO_COLOR is set', async () => {
    const forced = await runCli(['register', 'lint', gaps], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(ANSI);
    const both = await runCli(['register', 'lint', gaps], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(both.stdout).not.toMatch(ANSI);
    expect(both.code).toBe(1);
  });

  it('reports an --output it cannot write, with exit 2 and no stack trace', async () => {
    const r = await runCli(['register', 'lint', clean, '--output', path.join(os.tmpdir(), 'opendpo-no-such-dir', 'out.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^opendpo: --output .*out\.txt: the folder .*opendpo-no-such-dir does not exist\n$/);
    expectNoStackTrace(r.stderr);
  });
});
