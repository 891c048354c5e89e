import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli } from '../helpers/cli.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/registers');
const BEFORE = path.join(FIXTURES, 'diff-before');
const AFTER = path.join(FIXTURES, 'diff-after');

let repo: string;
beforeAll(async () => {
  // A real repository with two commits: the "before" register, then the "after" one.
  repo = await mkdtemp(path.join(os.tmpdir(), 'opendpo-diff-cli-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo, ...args], {
      env: { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.invalid' },
      stdio: 'pipe',
    });
  git('init', '-q', '-b', 'main');
  await cp(BEFORE, path.join(repo, 'reg'), { recursive: true });
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  await rm(path.join(repo, 'reg'), { recursive: true });
  await cp(AFTER, path.join(repo, 'reg'), { recursive: true });
  git('add', '-A');
  git('commit', '-q', '-m', 'second');
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('opendpo register diff', () => {
  it('compares two folders and lists the material changes as text, exit 0', async () => {
    const r = await runCli(['register', 'diff', BEFORE, AFTER]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Register-wide\n  material  The DPO contact details changed. (Art. 13(1)(b)) [dpo_changed]');
    expect(r.stdout).toContain('Activity newsletter (Newsletter)\n  material  New purpose "Tailoring the offers');
    expect(r.stdout).toContain('New recipient "Mailer Inc." (processor, US).');
    expect(r.stdout).toContain('9 material changes, 1 other change.');
  });

  it('gives the same changes as JSON', async () => {
    const r = await runCli(['register', 'diff', BEFORE, AFTER, '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { material_changes: number; changes: { kind: string; activity?: string }[] };
    expect(out.material_changes).toBe(9);
    expect(out.changes.map((c) => c.kind)).toContain('transfer_added');
  });

  it('exits 0 with "No changes." for identical registers', async () => {
    const r = await runCli(['register', 'diff', AFTER, AFTER]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No changes.');
  });

  it('compares two git revisions written REV:DIR, and a bare revision with --dir', async () => {
    const r = await runCli(['register', 'diff', 'HEAD~1:reg', 'HEAD:reg', '--format', 'json', '--repo', repo]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { before: string; after: string; material_changes: number };
    expect(out).toMatchObject({ before: 'HEAD~1:reg', after: 'HEAD:reg', material_changes: 9 });

    const bare = await runCli(['register', 'diff', 'HEAD~1', AFTER, '--repo', repo, '--dir', 'reg']);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('Changes from HEAD~1:reg to');
    expect(bare.stdout).toContain('9 material changes');
  });

  it('exits 1 and names file:line:column when a register has errors', async () => {
    const r = await runCli(['register', 'diff', BEFORE, path.join(FIXTURES, 'diff-invalid')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/diff-invalid\/activities\/broken\.yaml:4:15 +error +retention\[0\]\.duration: must be an ISO 8601 duration/);
    expectNoStackTrace(r.stderr);
  });

  it('exits 2 on bad arguments, an unknown revision or a missing folder, without a stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['register', 'diff', 'no-such-folder', AFTER], /neither a folder nor a git revision/],
      [['register', 'diff', BEFORE, AFTER, '--format', 'xml'], /--format must be one of text, json/],
      [['register', 'diff', 'nope:reg', 'HEAD:reg', '--repo', repo], /unknown git revision "nope"/],
      [['register', 'diff', 'HEAD:missing', 'HEAD:reg', '--repo', repo], /the folder "missing" does not exist at revision HEAD/],
      [['register', 'diff', '--upload-pack=x:reg', 'HEAD:reg', '--repo', repo], /unknown option|not a git revision/],
      [['register', 'diff', BEFORE], /missing required argument/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expectNoStackTrace(r.stderr);
    }
  });

  it('documents the three forms of OLD and NEW in --help', async () => {
    const r = await runCli(['register', 'diff', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('REV:DIR');
    expect(r.stdout).toContain('HEAD~1 --dir examples/acme-shop');
    expect(r.stdout).toContain('a folder on disk');
  });
});
