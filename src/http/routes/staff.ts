/**
 * The staff directory for every staff role that reads requests (`requests.read`): who an assignee
 * is, by name, never a login. Staff accounts and API tokens for admins (`staff.manage`), as `opendpo user` manages them and
 * through the same functions (src/desk/staff/staff-accounts.ts): of the organisation of the
 * session or token that calls, like /api/v1/session. Each change is in the organisation's audit
 * log (Art. 5(2), 32(4): who can reach people's data, and who gave them that access). Password
 * hashes and token secrets never leave the server; a generated password and a new token's secret
 * are in the answer that makes them, once, and not kept by any cache.
 */
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '../../desk/staff/credentials.js';
import { ROLES, STAFF_ROLES } from '../../desk/staff/roles.js';
import { changeStaffAccount, createApiToken, createStaffAccount, DEFAULT_TOKEN_DAYS, MAX_NAME_LENGTH, MAX_TOKEN_DAYS, revokeApiToken } from '../../desk/staff/staff-accounts.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { Id } from '../../register/schema.js';
import { principalOf } from '../auth.js';
import { BadRequestView, ConflictView, ErrorView, ForbiddenView, UnauthenticatedView } from '../presenters/error-presenter.js';
import { ApiTokenView, StaffAccountView, StaffDirectoryEntryView, presentApiToken, presentDirectoryEntry, presentStaffAccount } from '../presenters/staff-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';

const NotFound = ErrorView.describe('No staff account or API token of this id in the organisation (or the token is already revoked)');
const Errors = { 400: BadRequestView, 401: UnauthenticatedView, 403: ForbiddenView };
const AccountParams = z.object({ id: z.uuid({ message: 'must be a staff account id (a UUID)' }) });
const TokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{22}$/, { message: 'must be an API token id (22 letters, digits, - or _), not the secret' }) });
const Name = z.string().trim().min(1).max(MAX_NAME_LENGTH);

const DirectorySchema = {
  summary: 'The organisation\'s staff by name: id, display name, role, active (no login, no email)',
  description: 'For every staff role that reads requests, to show and choose assignees by name. Disabled accounts are listed (active false): a request may still name one.',
  tags: ['staff'],
  response: { 200: z.object({ staff: z.array(StaffDirectoryEntryView) }).describe('Every staff account of the organisation, active ones first, by name'), ...Errors },
};

const ListAccountsSchema = {
  summary: 'The staff accounts of the organisation (never a password hash)',
  tags: ['staff'],
  response: { 200: z.object({ accounts: z.array(StaffAccountView) }).describe('Every account, by login'), ...Errors },
};

const CreateAccountSchema = {
  summary: 'Create a staff account (as `opendpo user add`); without a password, a random one is made and shown once',
  tags: ['staff'],
  body: z.strictObject({
    login: z.email().max(320).describe('the person\'s work email, used to sign in (compared without case)'),
    role: z.enum(STAFF_ROLES),
    name: Name.optional().describe('the name shown in the console (default: the login)'),
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH)
      .max(1024)
      .optional()
      .describe(`the initial password, ${MIN_PASSWORD_LENGTH} characters or more; absent: a random one is returned once`),
  }),
  response: {
    201: z
      .object({
        account: StaffAccountView,
        initial_password: z.string().nullable().describe('the password made for the account, shown this once (null when one was given)'),
      })
      .describe('The account made'),
    ...Errors,
    409: ConflictView.describe('A staff account with this login already exists'),
  },
};

const ChangeAccountSchema = {
  summary: 'Change an account\'s role, or disable it (its sessions end) or enable it again; the last active admin stays one',
  tags: ['staff'],
  params: AccountParams,
  body: z
    .strictObject({
      role: z.enum(STAFF_ROLES).optional(),
      disabled: z.boolean().optional().describe('true: it cannot sign in and its sessions end; false: it can again'),
    })
    .refine((b) => b.role !== undefined || b.disabled !== undefined, { message: 'give role, disabled or both' }),
  response: {
    200: StaffAccountView.describe('The account as it is now (unchanged if it already was so)'),
    ...Errors,
    404: NotFound,
    409: ConflictView.describe('Refused: the organisation\'s last active admin account cannot be demoted or disabled'),
  },
};

const ListTokensSchema = {
  summary: 'The API tokens of the organisation: id, name, role, expiry, last use (never the secret)',
  tags: ['staff'],
  response: { 200: z.object({ tokens: z.array(ApiTokenView) }).describe('Every token, oldest first, revoked and expired ones included'), ...Errors },
};

const CreateTokenSchema = {
  summary: 'Create an API token (as `opendpo user token`): its secret is in this answer only',
  tags: ['staff'],
  body: z.strictObject({
    name: Name.describe('what the token is for (e.g. "prometheus", "CRM integration")'),
    role: z.enum(ROLES).describe('controller: forwards the requests of one controller\'s data subjects (give controller)'),
    controller: Id.optional().describe('with the controller role only: the controller (its id in the register) whose requests the token forwards'),
    expires_in_days: z.number().int().min(1).max(MAX_TOKEN_DAYS).default(DEFAULT_TOKEN_DAYS),
  }),
  response: {
    201: z
      .object({ token: ApiTokenView, secret: z.string().describe('Authorization: Bearer <secret>; shown this once, kept only as a hash') })
      .describe('The token made, and its secret'),
    ...Errors,
  },
};

const RevokeTokenSchema = {
  summary: 'Revoke an API token: the next call made with it is refused',
  tags: ['staff'],
  params: TokenParams,
  response: { 200: ApiTokenView.describe('The token, revoked'), ...Errors, 404: NotFound },
};

export function addStaffRoutes(app: ZodApp, { store, now }: RouteContext): void {
  app.get('/api/v1/staff/directory', { schema: DirectorySchema, config: { access: 'requests.read' } }, async (request) => {
    const p = principalOf(request);
    const staff = (await store.staff.users(p.organisationId)).map(presentDirectoryEntry);
    staff.sort((a, b) => Number(b.active) - Number(a.active) || a.display_name.localeCompare(b.display_name) || a.id.localeCompare(b.id));
    return { staff };
  });

  app.get('/api/v1/staff/accounts', { schema: ListAccountsSchema, config: { access: 'staff.manage' } }, async (request) => {
    const users = await store.staff.users(principalOf(request).organisationId);
    return { accounts: users.map(presentStaffAccount) };
  });

  app.post('/api/v1/staff/accounts', { schema: CreateAccountSchema, config: { access: 'staff.manage' } }, async (request, reply) => {
    const p = principalOf(request);
    const b = request.body;
    const taken = await store.staff.userByLogin(p.organisationId, b.login.trim().toLowerCase());
    if (taken) throw new OpendpoError('REQUEST_REFUSED', 'a staff account with this login already exists in the organisation');
    const { user, generatedPassword } = await createStaffAccount(store, { organisationId: p.organisationId, login: b.login, role: b.role, name: b.name, password: b.password, actor: p.actor, now: now() });
    reply.header('cache-control', 'no-store');
    return reply.code(201).send({ account: presentStaffAccount(user), initial_password: generatedPassword ?? null });
  });

  app.patch('/api/v1/staff/accounts/:id', { schema: ChangeAccountSchema, config: { access: 'staff.manage' } }, async (request) => {
    const p = principalOf(request);
    const user = await changeStaffAccount(store, { organisationId: p.organisationId, userId: request.params.id, change: request.body, actor: p.actor, now: now() });
    return presentStaffAccount(user);
  });

  app.get('/api/v1/staff/tokens', { schema: ListTokensSchema, config: { access: 'staff.manage' } }, async (request) => {
    const at = now();
    return { tokens: (await store.staff.tokens(principalOf(request).organisationId)).map((t) => presentApiToken(t, at)) };
  });

  app.post('/api/v1/staff/tokens', { schema: CreateTokenSchema, config: { access: 'staff.manage' } }, async (request, reply) => {
    const p = principalOf(request);
    const b = request.body;
    const at = now();
    const { token, secret } = await createApiToken(store, { organisationId: p.organisationId, name: b.name, role: b.role, controllerId: b.controller, expiresInDays: b.expires_in_days, actor: p.actor, now: at });
    reply.header('cache-control', 'no-store');
    return reply.code(201).send({ token: presentApiToken(token, at), secret });
  });

  app.delete('/api/v1/staff/tokens/:token', { schema: RevokeTokenSchema, config: { access: 'staff.manage' } }, async (request) => {
    const p = principalOf(request);
    const at = now();
    await revokeApiToken(store, { organisationId: p.organisationId, tokenId: request.params.token, actor: p.actor, now: at });
    const token = await store.staff.token(request.params.token);
    return presentApiToken(token!, at);
  });
}
