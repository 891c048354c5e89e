/**
 * What leaves the server about staff accounts and API tokens: never a password hash or a token's
 * secret hash. A token's secret and a generated password are in the answer that makes them, once
 * (staff.ts), and nowhere else.
 */
import { z } from 'zod';
import { tokenState } from '../../desk/staff/staff-accounts.js';
import type { ApiToken, StaffUser } from '../../store/staff-repository.js';

export const StaffAccountView = z
  .object({
    id: z.string(),
    login: z.string().describe('the work email the person signs in with'),
    display_name: z.string(),
    role: z.string(),
    active: z.boolean().describe('false once disabled: it cannot sign in'),
    created_at: z.string(),
    password_changed_at: z.string(),
    disabled_at: z.string().nullable(),
  })
  .meta({ id: 'StaffAccount' });

/**
 * A colleague as every staff role sees them (assignees shown and chosen by name): never the login,
 * which is a work email (Art. 5(1)(c): only what naming a colleague needs).
 */
export const StaffDirectoryEntryView = z
  .object({
    id: z.string(),
    display_name: z.string().describe('the name shown in the console; an account made without a name shows the part of its login before the @'),
    role: z.string(),
    active: z.boolean().describe('false once disabled (a past assignee still has a name)'),
  })
  .meta({ id: 'StaffDirectoryEntry' });

export const ApiTokenView = z
  .object({
    id: z.string().describe('the token\'s id (the part after odp_, not the secret)'),
    name: z.string(),
    role: z.string(),
    controller: z.string().nullable().describe('for a controller token: the controller whose requests it forwards'),
    state: z.enum(['active', 'expired', 'revoked']),
    created_by: z.string().describe('staff:<id>, token:<id> or cli:<user>'),
    created_at: z.string(),
    expires_at: z.string(),
    revoked_at: z.string().nullable(),
    last_used_at: z.string().nullable().describe('recorded at most once a minute'),
  })
  .meta({ id: 'ApiToken' });

export function presentStaffAccount(u: StaffUser): z.infer<typeof StaffAccountView> {
  return {
    id: u.id,
    login: u.login,
    display_name: u.displayName,
    role: u.role,
    active: u.disabledAt === null,
    created_at: u.createdAt,
    password_changed_at: u.passwordChangedAt,
    disabled_at: u.disabledAt,
  };
}

export function presentDirectoryEntry(u: StaffUser): z.infer<typeof StaffDirectoryEntryView> {
  // An account made without a name has its login as its name (staff-accounts.ts): the email is not
  // what colleagues need, the part before the @ names the person well enough.
  const named = u.displayName.trim().toLowerCase() !== u.login.trim().toLowerCase();
  return { id: u.id, display_name: named ? u.displayName : u.login.split('@')[0]!, role: u.role, active: u.disabledAt === null };
}

export function presentApiToken(t: ApiToken, now: Date): z.infer<typeof ApiTokenView> {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    controller: t.controllerId,
    state: tokenState(t, now),
    created_by: t.createdBy,
    created_at: t.createdAt,
    expires_at: t.expiresAt,
    revoked_at: t.revokedAt,
    last_used_at: t.lastUsedAt,
  };
}
