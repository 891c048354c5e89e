/**
 * I/O side: reads a register folder and lints it. The problems met while reading come first
 * (they explain why a file is missing from the rest), then the rules' findings.
 */
import { sortFindings, type Finding } from '../finding.js';
import { loadRegister, type LoadedRegister } from '../load.js';
import { lintRegister } from './lint-register.js';

export interface FolderLint {
  loaded: LoadedRegister | undefined;
  findings: Finding[];
}

export async function lintFolder(dir: string): Promise<FolderLint> {
  const { loaded, problems } = await loadRegister(dir);
  return { loaded, findings: [...sortFindings(problems), ...(loaded ? lintRegister(loaded) : [])] };
}
