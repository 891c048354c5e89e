/**
 * Migrations live in code (not read from a folder at run time), so the built package and the
 * tests run exactly the same list. Names sort in the order they must run. A migration that needs
 * SQL of its own per dialect (triggers) is given the dialect.
 */
import type { Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../dialects/store-dialect.js';
import { registerVersionsMigration } from './0001-register-versions.js';
import { dsrRequestsMigration } from './0002-dsr-requests.js';
import { manualTasksMigration } from './0003-manual-tasks.js';
import { dsrEvidenceMigration } from './0004-dsr-evidence.js';
import { dsrErasuresMigration } from './0005-dsr-erasures.js';
import { auditLogMigration } from './0006-audit-log.js';
import { deskMigration } from './0007-desk.js';
import { recipientNoticesMigration } from './0008-recipient-notices.js';
import { requestAttachmentsMigration } from './0009-request-attachments.js';
import { deskRemindersMigration } from './0010-desk-reminders.js';
import { deskOpenQueueMigration } from './0011-desk-open-queue.js';

export function migrationProvider(kind: StoreDialect['kind']): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001-register-versions': registerVersionsMigration,
    '0002-dsr-requests': dsrRequestsMigration,
    '0003-manual-tasks': manualTasksMigration,
    '0004-dsr-evidence': dsrEvidenceMigration(kind),
    '0005-dsr-erasures': dsrErasuresMigration,
    '0006-audit-log': auditLogMigration,
    '0007-desk': deskMigration,
    '0008-recipient-notices': recipientNoticesMigration,
    '0009-request-attachments': requestAttachmentsMigration(kind),
    '0010-desk-reminders': deskRemindersMigration,
    '0011-desk-open-queue': deskOpenQueueMigration,
  };
  return { getMigrations: () => Promise.resolve(migrations) };
}
