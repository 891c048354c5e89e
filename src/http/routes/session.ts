/**
 * Staff sign in and out. A session is a cookie (HttpOnly, Secure, SameSite=Strict) plus a CSRF token
 * the console sends back with every change; it ends 12 hours after sign-in or 30 minutes after its
 * last use, and when the password changes. A wrong login and a wrong password get the same answer
 * in the same time (no account enumeration). Asking who is signed in without being so is an answer
 * (`signed_in: false`), not an error; a bad API token is an error.
 */
import { z } from 'zod';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { formatSessionCookie, randomId, randomSecret, secretHash, verifyPassword } from '../../desk/staff/credentials.js';
import { PERMISSIONS, allows, isRole, type Permission } from '../../desk/staff/roles.js';
import { Id } from '../../register/schema.js';
import { clearSessionCookie, principalOf, SESSION_COOKIE, SESSION_IDLE_MS, SESSION_LIFETIME_MS, setSessionCookie } from '../auth.js';
import { BadRequestView, ForbiddenView, RateLimitedView, UnauthenticatedView } from '../presenters/error-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';

const SessionView = z
  .object({
    signed_in: z.literal(true),
    organisation: z.string(),
    user: z.object({ id: z.string(), display_name: z.string(), role: z.string() }).nullable().describe('null for an API token'),
    role: z.string(),
    permissions: z.array(z.string()),
    csrf_token: z.string().nullable().describe('send it in the x-csrf-token header with every change made with the session cookie'),
    expires_at: z.string().nullable(),
  })
  .meta({ id: 'Session' });

const SignInSchema = {
  summary: 'Sign in (staff): sets the session cookie',
  tags: ['session'],
  body: z.strictObject({
    organisation: Id.optional().describe('default: the default organisation'),
    login: z.string().trim().min(1).max(320),
    password: z.string().min(1).max(1024),
  }),
  response: { 200: SessionView.describe('Signed in: the session cookie is set; keep the CSRF token'), 400: BadRequestView, 401: UnauthenticatedView.describe('Wrong login or password'), 429: RateLimitedView },
};

const SignedOutView = z.object({ signed_in: z.literal(false) }).meta({ id: 'SignedOut' });

const WhoAmISchema = {
  summary: 'The current session or token: who, which role, what it allows; or that nobody is signed in',
  description:
    'Without a credential, or with a session cookie that has ended (expired, signed out, unknown), the answer is `{ "signed_in": false }`: being signed out is an answer here, not an error (the console asks it before its sign-in form). An API token in the Authorization header that is unknown, revoked or expired is refused (401): a program must learn its token is bad.',
  tags: ['session'],
  response: {
    200: z.discriminatedUnion('signed_in', [SessionView, SignedOutView]).describe('Who is signed in, or signed_in false'),
    401: UnauthenticatedView.describe('The API token given is unknown, revoked or expired'),
  },
};
const SignOutSchema = { summary: 'Sign out: ends the session', tags: ['session'], response: { 204: z.null().describe('Signed out'), 401: UnauthenticatedView, 403: ForbiddenView } };

const permissionsOf = (role: string): Permission[] => (isRole(role) ? (Object.keys(PERMISSIONS) as Permission[]).filter((p) => allows(role, p)) : []);

export function addSessionRoutes(app: ZodApp, { store, defaultOrganisation, now }: RouteContext): void {
  app.post('/api/v1/session', { schema: SignInSchema, config: { access: 'public', rateLimit: { max: 10, timeWindow: 60_000 } } }, async (request, reply) => {
    const secure = true;
    const organisation = request.body.organisation ?? defaultOrganisation;
    const login = request.body.login.toLowerCase();
    const user = organisation === undefined ? undefined : await store.staff.userByLogin(organisation, login);
    const ok = await verifyPassword(user?.passwordHash, request.body.password);
    if (!ok || !user || user.disabledAt !== null || !isRole(user.role)) {
      request.log.info({ outcome: 'refused' }, 'sign-in');
      throw new OpendpoError('UNAUTHENTICATED', 'wrong login or password');
    }
    const at = now();
    const id = randomId();
    const secret = randomSecret();
    const csrfToken = randomSecret();
    const expiresAt = new Date(at.getTime() + SESSION_LIFETIME_MS);
    await store.staff.createSession({
      id,
      organisationId: user.organisationId,
      userId: user.id,
      secretHash: secretHash(secret),
      csrfToken,
      createdAt: at.toISOString(),
      expiresAt: expiresAt.toISOString(),
      idleExpiresAt: new Date(at.getTime() + SESSION_IDLE_MS).toISOString(),
    });
    await store.audit.append(user.organisationId, { actor: `staff:${user.id}`, action: 'staff.signed_in', subject: { kind: 'staff', id: user.id }, detail: { session: id } });
    request.log.info({ outcome: 'signed-in', staffId: user.id }, 'sign-in');
    setSessionCookie(reply, formatSessionCookie(id, secret), expiresAt, secure);
    return {
      signed_in: true as const,
      organisation: user.organisationId,
      user: { id: user.id, display_name: user.displayName, role: user.role },
      role: user.role,
      permissions: permissionsOf(user.role),
      csrf_token: csrfToken,
      expires_at: expiresAt.toISOString(),
    };
  });

  // Public: a visitor not signed in is told so (200), not refused; a bad token is still refused by
  // authenticate (src/http/auth.ts) before this runs.
  app.get('/api/v1/session', { schema: WhoAmISchema, config: { access: 'public' } }, async (request, reply) => {
    // The answer carries the CSRF token: never kept by a cache.
    reply.header('cache-control', 'no-store');
    const p = request.principal;
    if (p === null) {
      // A cookie was sent but names no live session (ended, signed out, unknown): the browser may drop it.
      if (typeof request.cookies?.[SESSION_COOKIE] === 'string') clearSessionCookie(reply, true);
      return { signed_in: false as const };
    }
    if (p.kind === 'token') {
      const token = await store.staff.token(p.id);
      return { signed_in: true as const, organisation: p.organisationId, user: null, role: p.role, permissions: permissionsOf(p.role), csrf_token: null, expires_at: token?.expiresAt ?? null };
    }
    const [user, session] = await Promise.all([store.staff.user(p.organisationId, p.id), store.staff.session(p.sessionId!)]);
    return {
      signed_in: true as const,
      organisation: p.organisationId,
      user: user ? { id: user.id, display_name: user.displayName, role: user.role } : null,
      role: p.role,
      permissions: permissionsOf(p.role),
      csrf_token: p.csrfToken ?? null,
      expires_at: session?.expiresAt ?? null,
    };
  });

  app.delete('/api/v1/session', { schema: SignOutSchema, config: { access: 'session.self' } }, async (request, reply) => {
    const p = principalOf(request);
    if (p.sessionId) await store.staff.deleteSession(p.sessionId);
    clearSessionCookie(reply, true);
    return reply.code(204).send(null);
  });
}
