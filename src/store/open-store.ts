/**
 * Opens the store named by the configuration, brings its schema up to date, and hands out the
 * repositories. A store that cannot be opened or reached is STORE_UNAVAILABLE, with a message
 * naming where it looked (never the password).
 */
import { Kysely, Migrator, sql } from 'kysely';
import type { StoreLocation } from '../config/config.js';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { Database } from './database.js';
import type { StoreDialect } from './dialects/store-dialect.js';
import { migrationProvider } from './migrations/migration-provider.js';
import { AttachmentsRepository } from './attachments-repository.js';
import { AuditLogRepository } from './audit-log.js';
import { DeskRepository } from './desk-repository.js';
import { DsrRepository } from './dsr-repository.js';
import { ManualTasksRepository } from './manual-tasks-repository.js';
import { NoticesRepository } from './notices-repository.js';
import { RegisterVersionsRepository } from './register-versions-repository.js';
import { RemindersRepository } from './reminders-repository.js';
import { StaffRepository } from './staff-repository.js';

export interface Store {
  readonly kind: StoreDialect['kind'];
  /** e.g. "sqlite .opendpo/opendpo.db" or "postgres postgres://app:***@db:5432/opendpo". */
  readonly description: string;
  readonly registerVersions: RegisterVersionsRepository;
  readonly requests: DsrRepository;
  /** Steps of requests that a person does and confirms (manual connector). */
  readonly manualTasks: ManualTasksRepository;
  /** The hash-chained audit log, one chain per organisation. */
  readonly audit: AuditLogRepository;
  /** Staff accounts, sessions and API tokens. */
  readonly staff: StaffRepository;
  /** The desk's requests, their identities and history. */
  readonly desk: DeskRepository;
  /** The originals kept with a request entered by staff (sealed), and each view of them. */
  readonly attachments: AttachmentsRepository;
  /** The desk's daily reminders to staff: one run per organisation and day, each digest's outcome. */
  readonly reminders: RemindersRepository;
  /** The Art. 19 notices telling recipients of rectifications, erasures and restrictions. */
  readonly notices: NoticesRepository;
  /** Resolves when the database answers a trivial query; rejects with STORE_UNAVAILABLE. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Called with the SQL of every query after the migrations (parameters are not included). */
  onQuery?: (sql: string) => void;
}

export async function openStore(location: StoreLocation, options: OpenStoreOptions = {}): Promise<Store> {
  let storeDialect: StoreDialect;
  try {
    // Loaded on demand: a SQLite user never pays for loading pg, nor the reverse (start-up time).
    storeDialect =
      location.kind === 'sqlite'
        ? (await import('./dialects/sqlite/create-dialect.js')).createDialect(location)
        : (await import('./dialects/postgres/create-dialect.js')).createDialect(location);
  } catch (err) {
    throw unavailable(location, err);
  }
  let logging = false;
  const db = new Kysely<Database>({
    dialect: storeDialect.dialect,
    log: (event) => {
      if (logging && event.level === 'query') options.onQuery?.(event.query.sql);
    },
  });
  try {
    await migrate(db, storeDialect.kind);
  } catch (err) {
    await db.destroy().catch(() => {});
    throw unavailable(location, err);
  }
  logging = true;
  let closed = false;
  return {
    kind: storeDialect.kind,
    description: location.display,
    registerVersions: new RegisterVersionsRepository(db, storeDialect.isConflict),
    requests: new DsrRepository(db, storeDialect.isConflict),
    manualTasks: new ManualTasksRepository(db),
    audit: new AuditLogRepository(db, storeDialect.isConflict),
    staff: new StaffRepository(db, storeDialect.isConflict),
    desk: new DeskRepository(db, storeDialect.isConflict),
    attachments: new AttachmentsRepository(db, storeDialect.isConflict),
    reminders: new RemindersRepository(db, storeDialect.isConflict),
    notices: new NoticesRepository(db, storeDialect.isConflict),
    async ping() {
      try {
        await sql`select 1`.execute(db);
      } catch (err) {
        throw unavailable(location, err);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

async function migrate(db: Kysely<Database>, kind: StoreDialect['kind']): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(kind) });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

function unavailable(location: StoreLocation, err: unknown): OpendpoError {
  const reason = describeCause(err);
  return new OpendpoError('STORE_UNAVAILABLE', `cannot open the store (${location.display}): ${reason}`, undefined, { cause: err });
}

/** A short, safe reason: the driver's error code or first line, never SQL or a stack. */
function describeCause(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const first = typeof e?.message === 'string' ? e.message.split('\n')[0]! : '';
  const safe = first.replace(/postgres(ql)?:\/\/[^\s]+/g, '(url)').slice(0, 200);
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'host not found';
  if (code === '3D000') return 'the database does not exist';
  if (code === '28P01' || code === '28000') return 'authentication failed';
  return code && !safe.includes(code) ? `${safe} (${code})` : safe || 'unknown error';
}
