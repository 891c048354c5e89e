/**
 * Staff accounts, their sessions and API tokens (src/desk/staff). Passwords only as argon2id hashes,
 * session and token secrets only as SHA-256; a credential is found by its id and then compared in
 * constant time. Every row carries its organisation: a session or token signs in to one only.
 */
import type { Kysely, Selectable } from 'kysely';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { ApiTokensTable, Database, StaffUsersTable } from './database.js';
import { appendAuditEntry, type AuditEntryInput } from './audit-log.js';
import { retryOnConflict } from './retry-on-conflict.js';

export interface StaffUser {
  organisationId: string;
  id: string;
  login: string;
  displayName: string;
  role: string;
  passwordHash: string;
  createdAt: string;
  passwordChangedAt: string;
  disabledAt: string | null;
}

export interface StaffSession {
  id: string;
  organisationId: string;
  userId: string;
  secretHash: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  idleExpiresAt: string;
}

export interface ApiToken {
  id: string;
  organisationId: string;
  name: string;
  role: string;
  controllerId: string | null;
  secretHash: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export class StaffRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly isConflict: (err: unknown) => boolean,
  ) {}

  /** Creates an account and its audit entry together; a login taken in the organisation is refused. */
  async createUser(user: Omit<StaffUser, 'disabledAt'>, audit: AuditEntryInput): Promise<void> {
    await this.withAudit(user.organisationId, audit, async (trx) => {
      const taken = await trx.selectFrom('staff_users').select('id').where('organisation_id', '=', user.organisationId).where('login', '=', user.login).executeTakeFirst();
      if (taken) throw new OpendpoError('INVALID_INPUT', `a staff account with this login already exists in organisation ${user.organisationId}`);
      await trx
        .insertInto('staff_users')
        .values({
          organisation_id: user.organisationId,
          id: user.id,
          login: user.login,
          display_name: user.displayName,
          role: user.role,
          password_hash: user.passwordHash,
          created_at: user.createdAt,
          password_changed_at: user.passwordChangedAt,
          disabled_at: null,
        })
        .execute();
    });
  }

  async userByLogin(organisationId: string, login: string): Promise<StaffUser | undefined> {
    const row = await this.db.selectFrom('staff_users').selectAll().where('organisation_id', '=', organisationId).where('login', '=', login).executeTakeFirst();
    return row && toUser(row);
  }

  async user(organisationId: string, id: string): Promise<StaffUser | undefined> {
    const row = await this.db.selectFrom('staff_users').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async users(organisationId: string): Promise<StaffUser[]> {
    const rows = await this.db.selectFrom('staff_users').selectAll().where('organisation_id', '=', organisationId).orderBy('login').execute();
    return rows.map(toUser);
  }

  /** A new password ends every session of the account (a stolen cookie stops working). */
  async setPassword(organisationId: string, userId: string, passwordHash: string, at: string, audit: AuditEntryInput): Promise<void> {
    await this.withAudit(organisationId, audit, async (trx) => {
      const r = await trx
        .updateTable('staff_users')
        .set({ password_hash: passwordHash, password_changed_at: at })
        .where('organisation_id', '=', organisationId)
        .where('id', '=', userId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new OpendpoError('NOT_FOUND', 'no such staff account');
      await trx.deleteFrom('staff_sessions').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute();
    });
  }

  /**
   * Changes an account's role or disabled state, in one transaction with its audit entries. The
   * organisation's active admin rows are locked first (a no-op write: row locks on PostgreSQL, the
   * write lock on SQLite), so two admins demoting each other at once are serialised and the second
   * sees the first's change: `refuse` (the last-admin rule) then judges the accounts as they are.
   * A disabled account's sessions end with it. Nothing changed: nothing written, no entry.
   */
  async updateUser(
    organisationId: string,
    userId: string,
    change: {
      apply: (before: StaffUser) => Pick<StaffUser, 'role' | 'disabledAt'>;
      refuse: (before: StaffUser, after: Pick<StaffUser, 'role' | 'disabledAt'>, otherActiveAdmins: number) => string | undefined;
      audit: (before: StaffUser, after: Pick<StaffUser, 'role' | 'disabledAt'>) => AuditEntryInput[];
      at: string;
    },
  ): Promise<StaffUser> {
    return retryOnConflict(this.isConflict, () =>
      this.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('staff_users')
          .set((eb) => ({ role: eb.ref('role') }))
          .where('organisation_id', '=', organisationId)
          .where('role', '=', 'admin')
          .where('disabled_at', 'is', null)
          .execute();
        const row = await trx.selectFrom('staff_users').selectAll().where('organisation_id', '=', organisationId).where('id', '=', userId).executeTakeFirst();
        if (!row) throw new OpendpoError('NOT_FOUND', 'no staff account with this id in the organisation');
        const before = toUser(row);
        const after = change.apply(before);
        if (after.role === before.role && after.disabledAt === before.disabledAt) return before;
        const others = await trx
          .selectFrom('staff_users')
          .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
          .where('organisation_id', '=', organisationId)
          .where('role', '=', 'admin')
          .where('disabled_at', 'is', null)
          .where('id', '<>', userId)
          .executeTakeFirstOrThrow();
        const refusal = change.refuse(before, after, Number(others.n));
        if (refusal !== undefined) throw new OpendpoError('REQUEST_REFUSED', refusal);
        await trx.updateTable('staff_users').set({ role: after.role, disabled_at: after.disabledAt }).where('organisation_id', '=', organisationId).where('id', '=', userId).execute();
        if (after.disabledAt !== null) await trx.deleteFrom('staff_sessions').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute();
        for (const entry of change.audit(before, after)) await appendAuditEntry(trx, organisationId, entry);
        return { ...before, ...after };
      }),
    );
  }

  async createSession(session: StaffSession): Promise<void> {
    await this.db
      .insertInto('staff_sessions')
      .values({
        id: session.id,
        organisation_id: session.organisationId,
        user_id: session.userId,
        secret_hash: session.secretHash,
        csrf_token: session.csrfToken,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        idle_expires_at: session.idleExpiresAt,
      })
      .execute();
  }

  async session(id: string): Promise<StaffSession | undefined> {
    const row = await this.db.selectFrom('staff_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return (
      row && {
        id: row.id,
        organisationId: row.organisation_id,
        userId: row.user_id,
        secretHash: row.secret_hash,
        csrfToken: row.csrf_token,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        idleExpiresAt: row.idle_expires_at,
      }
    );
  }

  async touchSession(id: string, idleExpiresAt: string): Promise<void> {
    await this.db.updateTable('staff_sessions').set({ idle_expires_at: idleExpiresAt }).where('id', '=', id).execute();
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('staff_sessions').where('id', '=', id).execute();
  }

  /** Sessions past their end, removed (called now and then; an expired session is refused anyway). */
  async deleteExpiredSessions(now: string): Promise<number> {
    const r = await this.db.deleteFrom('staff_sessions').where((eb) => eb.or([eb('expires_at', '<=', now), eb('idle_expires_at', '<=', now)])).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async createToken(token: Omit<ApiToken, 'revokedAt' | 'lastUsedAt'>, audit: AuditEntryInput): Promise<void> {
    await this.withAudit(token.organisationId, audit, async (trx) => {
      await trx
        .insertInto('api_tokens')
        .values({
          id: token.id,
          organisation_id: token.organisationId,
          name: token.name,
          role: token.role,
          controller_id: token.controllerId,
          secret_hash: token.secretHash,
          created_by: token.createdBy,
          created_at: token.createdAt,
          expires_at: token.expiresAt,
          revoked_at: null,
          last_used_at: null,
        })
        .execute();
    });
  }

  async token(id: string): Promise<ApiToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toToken(row);
  }

  async tokens(organisationId: string): Promise<ApiToken[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().where('organisation_id', '=', organisationId).orderBy('created_at').execute();
    return rows.map(toToken);
  }

  async revokeToken(organisationId: string, id: string, at: string, audit: AuditEntryInput): Promise<void> {
    await this.withAudit(organisationId, audit, async (trx) => {
      const r = await trx.updateTable('api_tokens').set({ revoked_at: at }).where('organisation_id', '=', organisationId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new OpendpoError('NOT_FOUND', `no active API token ${id} in organisation ${organisationId}`);
    });
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  /** Runs a change and its audit entry in one transaction, again if another writer took the chain's next place. */
  private async withAudit(organisationId: string, audit: AuditEntryInput, change: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
    await retryOnConflict(this.isConflict, () =>
      this.db.transaction().execute(async (trx) => {
        await change(trx);
        await appendAuditEntry(trx, organisationId, audit);
      }),
    );
  }
}

function toUser(row: Selectable<StaffUsersTable>): StaffUser {
  return {
    organisationId: row.organisation_id,
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    passwordChangedAt: row.password_changed_at,
    disabledAt: row.disabled_at,
  };
}

function toToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    name: row.name,
    role: row.role,
    controllerId: row.controller_id,
    secretHash: row.secret_hash,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}
