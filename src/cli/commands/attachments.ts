/**
 * `opendpo attachments reseal`: the originals attached to requests, sealed again under the current
 * key of OPENDPO_PACKAGE_KEY (decision 0032). Rotating the key: put the new key first in the ring,
 * run this (the old key still in the ring opens what it sealed), then drop the old key. Prints counts
 * only; each re-seal is in the audit log.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { action } from '../action.js';

export function addAttachmentCommands(parent: Command): void {
  parent
    .command('reseal')
    .description('Seal every attachment not under the current package key (the first of OPENDPO_PACKAGE_KEY) again under it, before an old key is dropped')
    .action(
      action(async () => {
        const config = loadConfig(process.env);
        const [{ openStore }, { openVault }, { resealAttachments }] = await Promise.all([
          import('../../store/open-store.js'),
          import('../start-desk.js'),
          import('../../desk/attachments/seal-attachments.js'),
        ]);
        const vault = openVault(config);
        const store = await openStore(config.store);
        try {
          const result = await resealAttachments(store, vault, new Date(), `cli:${safeUser()}`);
          process.stdout.write(`${result.checked} attachment(s): ${result.resealed} sealed again under key ${vault.currentKeyId}, ${result.current} already under it\n`);
          return 0;
        } finally {
          await store.close();
        }
      }),
    );
}

function safeUser(): string {
  try {
    return userInfo().username.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || 'unknown';
  } catch {
    return 'unknown';
  }
}
