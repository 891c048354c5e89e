import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
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

describe('loadRegisterAtRevision: links, sub-folders and activities as a file', () => {
  it('reads sub-folders of activities/, names each link it does not follow and an activities file', async () => {
    const other = await mkdtemp(path.join(os.tmpdir(), 'opendpo-git-links-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-C', other, ...args], {
          env: { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.invalid' },
          stdio: 'pipe',
        });
      git('init', '-q', '-b', 'main');
      await mkdir(path.join(other, 'reg/activities/hr'), { recursive: true });
      await writeFile(path.join(other, 'reg/organisation.yaml'), 'id: acme\nname: Acme\n');
      await writeFile(path.join(other, 'reg/activities/a.yaml'), 'id: a\nname: A\n');
      await writeFile(path.join(other, 'reg/activities/hr/payroll.yaml'), 'id: payroll\nname: Payroll\n');
      await writeFile(path.join(other, 'reg/activities/notes.txt'), 'not an activity\n');
      await symlink('a.yaml', path.join(other, 'reg/activities/linked.yaml'));
      await mkdir(path.join(other, 'flat'));
      await writeFile(path.join(other, 'flat/organisation.yaml'), 'id: acme\nname: Acme\n');
      await writeFile(path.join(other, 'flat/activities'), 'id: a\nname: A\n');
      git('add', '.');
      git('commit', '-q', '-m', 'registers');

      const { loaded, problems } = await loadRegisterAtRevision(other, 'HEAD', 'reg');
      expect(loaded?.register.activities.map((a) => a.id)).toEqual(['a', 'payroll']);
      expect(problems.map((p) => [p.rule, p.severity, p.file])).toEqual([
        ['file/link-refused', 'error', path.join('HEAD:reg', 'activities/linked.yaml')],
        ['file/not-yaml', 'warning', path.join('HEAD:reg', 'activities/notes.txt')],
      ]);

      const flat = await loadRegisterAtRevision(other, 'HEAD', 'flat');
      expect(flat.problems).toEqual([expect.objectContaining({ rule: 'file/activities-not-folder', severity: 'error', file: path.join('HEAD:flat', 'activities') })]);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

