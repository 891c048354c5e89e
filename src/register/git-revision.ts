/**
 * Reads a register folder as it was at a git revision, so that `register diff` can compare
 * what was published with what is proposed without checking anything out.
 *
 * I/O edge: runs git with argument arrays (never a shell), refuses revisions and folders that
 * git could read as options, and hands the files to the same loader as a folder on disk.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { Finding } from './finding.js';
import { tooLargeMessage } from '../yaml/read-yaml.js';
import { fileProblem } from '../yaml/folder-entries.js';
import { isRegisterPath, loadRegisterFromFiles, MAX_FILE_BYTES, notYaml, REGISTER_FILE, type LoadResult, type RegisterFileInput } from './load.js';

const run = promisify(execFile);

/** Everything under activities/ but hidden files (.gitkeep): read, or said why not. */
const isActivityPath = (rel: string) => rel.startsWith('activities/') && !rel.split('/').some((part) => part.startsWith('.'));

/**
 * Loads the register in `dir` (relative to the repository root, as in `git show REV:PATH`)
 * at revision `rev` of the git repository containing `repo`.
 */
export async function loadRegisterAtRevision(repo: string, rev: string, dir: string): Promise<LoadResult> {
  if (rev.trim() === '' || rev.startsWith('-')) {
    throw new OpendpoError('INVALID_INPUT', `"${rev}" is not a git revision: give a branch, tag or commit such as HEAD~1 or main`);
  }
  const folder = normaliseDir(dir);
  const root = await repositoryRoot(repo);
  const commit = await resolveCommit(root, rev);

  // -l gives sizes, so an oversized file is refused before it is read; -z keeps odd names intact.
  const listing = await git(root, ['ls-tree', '-r', '-l', '-z', '--full-tree', commit, '--', folder === '' ? '.' : folder]);
  const entries = listing
    .toString('utf8')
    .split('\0')
    .filter((line) => line !== '')
    .map(parseTreeLine)
    .filter((e): e is TreeEntry => e !== undefined);
  if (entries.length === 0) {
    throw new OpendpoError('NOT_FOUND', `the folder "${folder || '.'}" does not exist at revision ${rev}`);
  }

  const label = `${rev}:${folder || '.'}`;
  const problems: Finding[] = [];
  const files: RegisterFileInput[] = [];
  for (const entry of entries) {
    const rel = folder === '' ? entry.path : entry.path.slice(folder.length + 1);
    const display = path.join(label, rel);
    const link = entry.mode === '120000' || entry.type !== 'blob';
    if (rel === 'activities' && !link) {
      // A file where the folder of activities should be: never read as a register without activities.
      problems.push(fileProblem('file/activities-not-folder', display, 'activities is not a folder: it holds the processing activities, one YAML file each (activities/<id>.yaml)', 'Art. 30(1)'));
      continue;
    }
    if (!isRegisterPath(rel) && !isActivityPath(rel) && rel !== 'activities') continue;
    if (link) {
      // A link's blob is its target's path, a submodule another repository: neither is read at a
      // revision, and saying so beats a register that silently lacks the file.
      problems.push(
        fileProblem(
          'file/link-refused',
          display,
          `${rel} is ${entry.type === 'blob' ? 'a symbolic link' : 'a git submodule'}: at a git revision it is not followed (commit the file itself, or compare the folder on disk)`,
        ),
      );
      continue;
    }
    if (isActivityPath(rel) && !/\.ya?ml$/.test(rel)) {
      problems.push(notYaml(display, rel));
      continue;
    }
    if (entry.size > MAX_FILE_BYTES) {
      problems.push({
        rule: 'file/too-large',
        severity: 'error',
        message: tooLargeMessage(entry.size, REGISTER_FILE),
        file: path.join(label, rel),
        line: 1,
        column: 1,
      });
      continue;
    }
    // By object id rather than REV:PATH: no second parse of the revision, no path quoting.
    files.push({ path: rel, content: new Uint8Array(await git(root, ['cat-file', 'blob', entry.object])) });
  }
  const result = loadRegisterFromFiles(label, files);
  return { loaded: result.loaded, problems: [...problems, ...result.problems] };
}

interface TreeEntry {
  mode: string;
  type: string;
  object: string;
  size: number;
  path: string;
}

/** `<mode> SP <type> SP <object> SP+ <size> TAB <path>` */
function parseTreeLine(line: string): TreeEntry | undefined {
  const m = /^(\d+) (\w+) ([0-9a-f]+) +(-|\d+)\t(.*)$/s.exec(line);
  if (!m) return undefined;
  return { mode: m[1]!, type: m[2]!, object: m[3]!, size: m[4] === '-' ? 0 : Number(m[4]), path: m[5]! };
}

function normaliseDir(dir: string): string {
  const posix = dir.replace(/\\/g, '/');
  const normal = path.posix.normalize(posix === '' ? '.' : posix).replace(/\/+$/, '');
  const clean = normal === '.' ? '' : normal.replace(/^\.\//, '');
  if (clean.startsWith('-') || clean.startsWith('../') || clean === '..' || path.posix.isAbsolute(clean)) {
    throw new OpendpoError('INVALID_INPUT', `"${dir}" is not a folder inside the repository: give it relative to the repository root, e.g. examples/acme-shop`);
  }
  return clean;
}

async function repositoryRoot(repo: string): Promise<string> {
  try {
    return (await git(repo, ['rev-parse', '--show-toplevel'])).toString('utf8').trim();
  } catch (err) {
    if (err instanceof OpendpoError) throw err;
    throw new OpendpoError('NOT_FOUND', `${repo} is not inside a git repository (give the repository with --repo)`, undefined, { cause: err });
  }
}

async function resolveCommit(root: string, rev: string): Promise<string> {
  try {
    return (await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])).toString('utf8').trim();
  } catch (err) {
    if (err instanceof OpendpoError) throw err;
    throw new OpendpoError('NOT_FOUND', `unknown git revision "${rev}" in ${root}`, undefined, { cause: err });
  }
}

async function git(cwd: string, args: string[]): Promise<Buffer> {
  try {
    const { stdout } = await run('git', ['-C', cwd, ...args], {
      encoding: 'buffer',
      maxBuffer: MAX_FILE_BYTES + 64 * 1024,
      // Never prompt, never read the user's pager or editor: this is a read-only query.
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' },
      windowsHide: true,
    });
    return stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new OpendpoError('NOT_FOUND', 'git is not installed or not on the PATH: it is needed to read a register at a revision', undefined, { cause: err });
    }
    throw err;
  }
}
