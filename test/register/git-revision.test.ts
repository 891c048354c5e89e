import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpendpoError } from '../../src/errors/opendpo-error.js';
import { diffRegisters } from '../../src/register/diff.js';
import { loadRegisterAtRevision } from '../../src/register/git-revision.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/registers');

/** A real repository: the "before" register committed, then the "after" one on top of it. */
async function makeRegisterRepo(): Promise<string> {
  const repo = await mkdtemp(path.join(os.tmpdir(), 'opendpo-git-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo, ...args], {
      env: { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.invalid' },
      stdio: 'pipe',
    });
  git('init', '-q', '-b', 'main');
  await cp(path.join(FIXTURES, 'diff-before'), path.join(repo, 'reg'), { recursive: true });
  await writeFile(path.join(repo, 'README.md'), 'not a register\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first register');
  await rm(path.join(repo, 'reg'), { recursive: true });
  await cp(path.join(FIXTURES, 'diff-after'), path.join(repo, 'reg'), { recursive: true });
  git('add', '-A');
  git('commit', '-q', '-m', 'second register');
  return repo;
}

let repo: string;
beforeAll(async () => {
  repo = await makeRegisterRepo();
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('loadRegisterAtRevision', () => {
  it('reads the register as it was at each revision, and the diff sees the change', async () => {
    const before = await loadRegisterAtRevision(repo, 'HEAD~1', 'reg');
    const after = await loadRegisterAtRevision(repo, 'HEAD', 'reg/');
    expect(before.problems).toEqual([]);
    expect(after.problems).toEqual([]);
    expect(before.loaded?.register.activities.map((a) => a.id)).toEqual(['analytics', 'newsletter', 'orders']);
    expect(after.loaded?.register.activities.map((a) => a.id)).toEqual(['newsletter', 'orders', 'recruitment']);
    expect(before.loaded?.files).toContain(path.join('HEAD~1:reg', 'activities/analytics.yaml'));
    const diff = diffRegisters(before.loaded!.register, after.loaded!.register);
    expect(diff.changes.filter((c) => c.kind === 'activity_added').map((c) => c.activity)).toEqual(['recruitment']);
    expect(diff.materialCount).toBe(9);
  });

  it('works from a folder inside the repository', async () => {
    const { loaded } = await loadRegisterAtRevision(path.join(repo, 'reg', 'activities'), 'main', 'reg');
    expect(loaded?.register.organisation.name).toBe('Acme Test SAS');
  });

  it('refuses an unknown revision, a missing folder, an option-like revision and a path outside', async () => {
    await expect(loadRegisterAtRevision(repo, 'no-such-branch', 'reg')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('unknown git revision "no-such-branch"'),
    });
    await expect(loadRegisterAtRevision(repo, 'HEAD', 'nope')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'the folder "nope" does not exist at revision HEAD',
    });
    await expect(loadRegisterAtRevision(repo, '--output=/tmp/x', 'reg')).rejects.toBeInstanceOf(OpendpoError);
    await expect(loadRegisterAtRevision(repo, 'HEAD', '../elsewhere')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(loadRegisterAtRevision(os.tmpdir(), 'HEAD', 'reg')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
