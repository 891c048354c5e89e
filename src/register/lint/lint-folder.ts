/**
 * I/O side: reads a register folder and lints it. The problems met while reading come first
 * (they explain why a file is missing from the rest), then the rules' findings.
 */
import { sortFindings, type Finding } from '../finding.js';
import { loadRegister, type LoadedRegister } from '../load.js';
import { loadNotificationRoutes } from '../../notify/load-routes.js';
import { lintRegister } from './lint-register.js';

export interface FolderLint {
  loaded: LoadedRegister | undefined;
  findings: Finding[];
}

export async function lintFolder(dir: string): Promise<FolderLint> {
  const { loaded, problems } = await loadRegister(dir);
  // notifications.yaml beside the register (Art. 19): its shape and recipient ids, not its secrets (set where the server runs).
  const routes = loaded ? loadNotificationRoutes(dir, loaded.register, {}, { checkSecrets: false }).problems : [];
  return { loaded, findings: [...sortFindings(problems), ...sortFindings(routes), ...(loaded ? lintRegister(loaded) : [])] };
}
