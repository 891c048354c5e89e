/**
 * Walking a folder of YAML files people keep (a register's activities/, a datasets folder) the same
 * way for both: nothing is skipped without a word. A symbolic link is followed when it leads to a
 * place inside the folder people review as one, and refused otherwise (a link out of it would act on
 * files nobody reviewed there); a link to nowhere, a folder reached twice through a link, an entry
 * that is neither a file nor a folder each give a finding.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from '../register/finding.js';

export interface ReviewedFolder {
  /** The folder as given (what findings show). */
  dir: string;
  /** Its real path: links are followed only to places under it. */
  root: string;
  /** What messages call it: "register folder", "datasets folder". */
  noun: string;
}

export const isYaml = (name: string) => name.endsWith('.yaml') || name.endsWith('.yml');

export function fileProblem(rule: string, file: string, message: string, article?: string): Finding {
  return { rule, severity: 'error', message, file, line: 1, column: 1, ...(article ? { article } : {}) };
}

/** What `rel` (relative to the folder) is once links within the folder are followed; undefined (reported) otherwise. */
export async function entryWithin(folder: ReviewedFolder, rel: string, problems: Finding[]): Promise<{ kind: 'file' | 'folder' | 'other'; real: string } | undefined> {
  const full = path.join(folder.dir, rel);
  let real: string;
  try {
    real = await realpath(full);
  } catch {
    problems.push(fileProblem('file/link-refused', full, `${rel} is a symbolic link to nothing: its target does not exist`));
    return undefined;
  }
  if (real !== folder.root && !real.startsWith(`${folder.root}${path.sep}`)) {
    problems.push(
      fileProblem('file/link-refused', full, `${rel} is a symbolic link to ${real}, outside the ${folder.noun}: links are followed only within the folder (copy the file in)`),
    );
    return undefined;
  }
  const s = await stat(real);
  return { kind: s.isFile() ? 'file' : s.isDirectory() ? 'folder' : 'other', real };
}

/**
 * The YAML files under `relDir` (relative to the folder, '' for the folder itself), sub-folders
 * included, in name order. Hidden entries are tooling's (.git, .gitkeep, editor swap files) and
 * left out; `other` is told of each file that is not YAML. Each real folder is read once: a link
 * back to a folder already read would read it forever.
 */
export async function yamlFilesUnder(
  folder: ReviewedFolder,
  relDir: string,
  real: string,
  problems: Finding[],
  other: (rel: string) => void,
  read = new Set<string>(),
): Promise<string[]> {
  if (read.has(real)) {
    problems.push(
      fileProblem(
        'file/link-refused',
        path.join(folder.dir, relDir),
        `${relDir} is a symbolic link to a folder already read (${path.relative(folder.root, real) || '.'}): each file is read once`,
      ),
    );
    return [];
  }
  read.add(real);
  const found: string[] = [];
  for (const name of (await readdir(path.join(folder.dir, relDir))).sort()) {
    if (name.startsWith('.')) continue;
    const rel = relDir === '' ? name : `${relDir}/${name}`;
    const entry = await entryWithin(folder, rel, problems);
    if (!entry) continue;
    if (entry.kind === 'folder') found.push(...(await yamlFilesUnder(folder, rel, entry.real, problems, other, read)));
    else if (entry.kind === 'other') problems.push(fileProblem('file/unreadable', path.join(folder.dir, rel), `${rel} is not a regular file`));
    else if (isYaml(name)) found.push(rel);
    else other(rel);
  }
  return found;
}
