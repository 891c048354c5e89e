/**
 * Staff accounts and API tokens, as `opendpo user` and the console's /api/v1/staff routes make
 * them: one function per change, each validated the same way whoever asks and written with its
 * entry in the organisation's audit log (Art. 5(2): who may reach people's data, and who let them,
 * is on record). Passwords are kept as argon2id hashes, token secrets as SHA-256: what is shown
 * once (a generated password, a token) is never stored or shown again.
 *
 * The organisation keeps at least one active admin account: without one nobody could manage
 * accounts and tokens any more (short of the CLI on the store's machine), so demoting or disabling
 * the last one is refused — checked inside the change's transaction (staff-repository.ts).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { Store } from '../../store/open-store.js';
import type { ApiToken, StaffUser } from '../../store/staff-repository.js';
import { checkPasswordPolicy, formatApiToken, hashPassword, randomId, randomSecret, secretHash } from './credentials.js';
import { ROLES, STAFF_ROLES, isRole, isStaffRole, type Role, type StaffRole } from './roles.js';

/** A token lives 90 days unless told otherwise, two years at most: a forgotten token expires. */
export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 730;
export const MAX_NAME_LENGTH = 200;

/** What each input is called where it was given (`--login` on the command line, `login` in a body): messages name it so. */
export interface FieldNames {
  login: string;
  role: string;
  name: string;
  controller: string;
  expiresInDays: string;
}

const BODY_FIELDS: FieldNames = { login: 'login', role: 'role', name: 'name', controller: 'controller', expiresInDays: 'expires_in_days' };

/** A login is the person's work email, compared without case. */
export function parseLogin(login: string, field = BODY_FIELDS.login): string {
  const value = login.trim().toLowerCase();
  if (!z.email().max(320).safeParse(value).success) throw new OpendpoError('INVALID_INPUT', `${field}: must be an email address`);
  return value;
}

function parseName(name: string, field: string): string {
  const value = name.trim();
  if (value.length === 0 || value.length > MAX_NAME_LENGTH) throw new OpendpoError('INVALID_INPUT', `${field}: 1 to ${MAX_NAME_LENGTH} characters`);
  return value;
}

function staffRole(role: string, field: string): StaffRole {
  if (!isStaffRole(role)) throw new OpendpoError('INVALID_INPUT', `${field}: must be one of ${STAFF_ROLES.join(', ')}`);
  return role;
}

export interface NewAccount {
  organisationId: string;
  login: string;
  role: string;
  /** Shown in the console; default: the login. */
  name?: string | undefined;
  /** The initial password; absent: a random one is made and returned once. */
  password?: string | undefined;
  /** Who creates it, for the audit log: "cli:<user>", "staff:<id>", "token:<id>". */
  actor: string;
  now?: Date;
  fields?: Partial<FieldNames>;
}

/** The account's input checked, before anything is asked or opened (the CLI checks its flags with it first). */
export function checkNewAccount(input: Pick<NewAccount, 'login' | 'role' | 'name' | 'password' | 'fields'>): { login: string; role: StaffRole; displayName: string } {
  const fields = { ...BODY_FIELDS, ...input.fields };
  const role = staffRole(input.role, fields.role);
  const login = parseLogin(input.login, fields.login);
  const displayName = parseName(input.name ?? login, fields.name);
  if (input.password !== undefined) checkPasswordPolicy(input.password);
  return { login, role, displayName };
}

/** Creates an account; a login taken in the organisation is refused. The generated password, if any, is returned once. */
export async function createStaffAccount(store: Store, input: NewAccount): Promise<{ user: StaffUser; generatedPassword: string | undefined }> {
  const { login, role, displayName } = checkNewAccount(input);
  const generatedPassword = input.password === undefined ? randomSecret() : undefined;
  const at = (input.now ?? new Date()).toISOString();
  const user: StaffUser = {
    organisationId: input.organisationId,
    id: randomUUID(),
    login,
    displayName,
    role,
    passwordHash: await hashPassword(input.password ?? generatedPassword!),
    createdAt: at,
    passwordChangedAt: at,
    disabledAt: null,
  };
  await store.staff.createUser(user, { actor: input.actor, action: 'staff.created', subject: { kind: 'staff', id: user.id }, detail: { role }, at: new Date(at) });
  return { user, generatedPassword };
}

/** Sets an account's password; its sessions end (a stolen cookie stops working). */
export async function setStaffPassword(store: Store, input: { organisationId: string; userId: string; password: string; actor: string; now?: Date }): Promise<void> {
  checkPasswordPolicy(input.password);
  const at = input.now ?? new Date();
  await store.staff.setPassword(input.organisationId, input.userId, await hashPassword(input.password), at.toISOString(), {
    actor: input.actor,
    action: 'staff.password_set',
    subject: { kind: 'staff', id: input.userId },
    at,
  });
}

export interface AccountChange {
  role?: string | undefined;
  /** true: disable (its sessions end, it cannot sign in); false: enable again. */
  disabled?: boolean | undefined;
}

const isActiveAdmin = (u: Pick<StaffUser, 'role' | 'disabledAt'>) => u.role === 'admin' && u.disabledAt === null;

/**
 * Why the change is refused, or undefined: an account that stops being an active admin while no
 * other active admin account is left. Pure; run inside the change's transaction.
 */
export function lastAdminRefusal(before: StaffUser, after: Pick<StaffUser, 'role' | 'disabledAt'>, otherActiveAdmins: number): string | undefined {
  if (!isActiveAdmin(before) || isActiveAdmin(after) || otherActiveAdmins > 0) return undefined;
  return `refused: this is the organisation's last active admin account; make another account admin first (without one, nobody could manage staff accounts and API tokens)`;
}

/** Changes an account's role, or disables or enables it; each change in the audit log. Returns the account as it is after. */
export async function changeStaffAccount(store: Store, input: { organisationId: string; userId: string; change: AccountChange; actor: string; now?: Date; fields?: Partial<FieldNames> }): Promise<StaffUser> {
  const fields = { ...BODY_FIELDS, ...input.fields };
  const role = input.change.role === undefined ? undefined : staffRole(input.change.role, fields.role);
  const at = input.now ?? new Date();
  return store.staff.updateUser(input.organisationId, input.userId, {
    at: at.toISOString(),
    apply: (before) => ({
      role: role ?? before.role,
      disabledAt: input.change.disabled === undefined ? before.disabledAt : input.change.disabled ? (before.disabledAt ?? at.toISOString()) : null,
    }),
    refuse: lastAdminRefusal,
    audit: (before, after) => [
      ...(after.role !== before.role ? [{ actor: input.actor, action: 'staff.role_changed', subject: { kind: 'staff', id: before.id }, detail: { from: before.role, to: after.role }, at }] : []),
      ...(after.disabledAt !== null && before.disabledAt === null ? [{ actor: input.actor, action: 'staff.disabled', subject: { kind: 'staff', id: before.id }, at }] : []),
      ...(after.disabledAt === null && before.disabledAt !== null ? [{ actor: input.actor, action: 'staff.enabled', subject: { kind: 'staff', id: before.id }, at }] : []),
    ],
  });
}

export interface NewToken {
  organisationId: string;
  name: string;
  role: string;
  /** With the controller role only: the controller whose data subjects' requests it forwards. */
  controllerId?: string | undefined;
  expiresInDays?: number | undefined;
  actor: string;
  now?: Date;
  fields?: Partial<FieldNames>;
}

/** The token's input checked, before anything is opened (the CLI checks its flags with it first). */
export function checkNewToken(input: Pick<NewToken, 'name' | 'role' | 'controllerId' | 'expiresInDays' | 'fields'>): { name: string; role: Role; days: number } {
  const fields = { ...BODY_FIELDS, ...input.fields };
  if (!isRole(input.role)) throw new OpendpoError('INVALID_INPUT', `${fields.role}: must be one of ${ROLES.join(', ')}`);
  if ((input.role === 'controller') !== (input.controllerId !== undefined)) {
    throw new OpendpoError('INVALID_INPUT', `${fields.controller} goes with ${fields.role} controller, and only with it`);
  }
  const days = input.expiresInDays ?? DEFAULT_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw new OpendpoError('INVALID_INPUT', `${fields.expiresInDays}: a whole number of days from 1 to ${MAX_TOKEN_DAYS}`);
  return { name: parseName(input.name, fields.name), role: input.role, days };
}

/** Creates an API token; returns it and its secret as the caller shows it once (`odp_<id>_<secret>`). */
export async function createApiToken(store: Store, input: NewToken): Promise<{ token: ApiToken; secret: string }> {
  const { name, role, days } = checkNewToken(input);
  const now = input.now ?? new Date();
  const id = randomId();
  const secret = randomSecret();
  const token: ApiToken = {
    id,
    organisationId: input.organisationId,
    name,
    role,
    controllerId: input.controllerId ?? null,
    secretHash: secretHash(secret),
    createdBy: input.actor,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + days * 86_400_000).toISOString(),
    revokedAt: null,
    lastUsedAt: null,
  };
  await store.staff.createToken(token, { actor: input.actor, action: 'token.created', subject: { kind: 'token', id }, detail: { role, expires_at: token.expiresAt }, at: now });
  return { token, secret: formatApiToken(id, secret) };
}

/** Revokes a token at once (the next call with it is refused); a token unknown or already revoked is NOT_FOUND. */
export async function revokeApiToken(store: Store, input: { organisationId: string; tokenId: string; actor: string; now?: Date }): Promise<void> {
  const at = input.now ?? new Date();
  await store.staff.revokeToken(input.organisationId, input.tokenId, at.toISOString(), { actor: input.actor, action: 'token.revoked', subject: { kind: 'token', id: input.tokenId }, at });
}

/** Where a token stands at `now`. */
export function tokenState(token: Pick<ApiToken, 'revokedAt' | 'expiresAt'>, now: Date): 'active' | 'expired' | 'revoked' {
  if (token.revokedAt !== null) return 'revoked';
  return Date.parse(token.expiresAt) <= now.getTime() ? 'expired' : 'active';
}
