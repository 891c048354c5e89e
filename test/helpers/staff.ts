/**
 * Staff credentials for tests, made through the store's own repository (the same path as
 * `opendpo user add|token`): a token of a role, or an account with a password.
 */
import { randomUUID } from 'node:crypto';
import { formatApiToken, hashPassword, randomId, randomSecret, secretHash } from '../../src/desk/staff/credentials.js';
import type { Role, StaffRole } from '../../src/desk/staff/roles.js';
import type { Store } from '../../src/store/open-store.js';

/** An API token of `role` in `organisation`, valid a day (or until `expiresAt`). */
export async function tokenFor(store: Store, organisation: string, role: Role, options: { expiresAt?: Date; controllerId?: string } = {}): Promise<string> {
  const id = randomId();
  const secret = randomSecret();
  const now = new Date();
  await store.staff.createToken(
    {
      id,
      organisationId: organisation,
      name: `test ${role}`,
      role,
      controllerId: options.controllerId ?? null,
      secretHash: secretHash(secret),
      createdBy: 'test',
      createdAt: now.toISOString(),
      expiresAt: (options.expiresAt ?? new Date(now.getTime() + 86_400_000)).toISOString(),
    },
    { actor: 'test', action: 'token.created', subject: { kind: 'token', id } },
  );
  return formatApiToken(id, secret);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A staff account; returns its id. */
export async function staffAccount(store: Store, organisation: string, role: StaffRole, login: string, password: string): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  await store.staff.createUser(
    { organisationId: organisation, id, login, displayName: login, role, passwordHash: await hashPassword(password), createdAt: now, passwordChangedAt: now },
    { actor: 'test', action: 'staff.created', subject: { kind: 'staff', id } },
  );
  return id;
}
