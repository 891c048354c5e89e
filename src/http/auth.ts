/**
 * Who is calling, and may they: every route declares in its config the one permission it needs, or
 * `public` (src/desk/staff/roles.ts); a route that declares nothing stops the server at start, so no
 * route is open by omission. Staff sign in with a password and hold a session cookie (HttpOnly,
 * Secure, SameSite=Strict, with a CSRF token sent back in a header for every change); programs hold
 * an API token (`Authorization: Bearer odp_…`). A credential belongs to one organisation: a route
 * about another organisation is forbidden to it.
 */
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { OpendpoError } from '../errors/opendpo-error.js';
import { allows, isRole, ROLES, type Permission, type Role } from '../desk/staff/roles.js';
import { parseApiToken, parseSessionCookie, secretMatches } from '../desk/staff/credentials.js';
import type { Store } from '../store/open-store.js';
import type { ZodApp } from './route-context.js';

export type Access = 'public' | Permission;

export interface Principal {
  kind: 'session' | 'token';
  organisationId: string;
  /** The staff account's id, or the token's. */
  id: string;
  role: Role;
  /** For the audit log: "staff:<id>" or "token:<id>". */
  actor: string;
  /** A controller token: the controller whose requests it forwards. */
  controllerId?: string | undefined;
  csrfToken?: string;
  sessionId?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** A public route's own limit per minute and address (default OPENDPO_PUBLIC_RATE_LIMIT). */
    publicRateLimit?: number;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every route and the access it declares: the matrix of routes × roles is read from it. */
    routeAccess: RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

export const SESSION_COOKIE = 'opendpo_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A session ends 12 hours after sign-in, or after 30 minutes without use. */
export const SESSION_LIFETIME_MS = 12 * 3_600_000;
export const SESSION_IDLE_MS = 30 * 60_000;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function addAuth(app: ZodApp, store: Store, now: () => Date = () => new Date()): void {
  app.decorateRequest('principal', null);
  app.decorate('routeAccess', [] as RouteAccess[]);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access === undefined) throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access: 'public' or a permission)`);
    for (const method of [route.method].flat()) app.routeAccess.push({ method: String(method), url: route.url, access });
    // The OpenAPI document says, per route, what it needs (the generated client and the matrix read it).
    if (access !== 'public' && route.schema && !route.schema.hide) {
      const schema = route.schema as { security?: unknown; description?: string };
      schema.security = [{ session: [] }, { token: [] }];
      schema.description = `${schema.description ? `${schema.description}\n\n` : ''}Needs the \`${access}\` permission (roles: ${ROLES.filter((r) => allows(r, access)).join(', ')}).`;
    }
  });
  // onRequest: before the body is read, so that a caller without rights learns nothing from validation.
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (access === undefined) return; // no route matched: the 404 handler answers
    request.principal = await authenticate(request, store, now());
    if (access === 'public') return;
    const principal = request.principal;
    if (!principal) throw new OpendpoError('UNAUTHENTICATED', 'sign in (POST /api/v1/session) or give an API token (Authorization: Bearer odp_…)');
    if (!allows(principal.role, access)) throw new OpendpoError('FORBIDDEN', `the ${principal.role} role does not allow this (${access})`);
    const org = (request.params as { org?: unknown } | undefined)?.org;
    if (typeof org === 'string' && org !== principal.organisationId) throw new OpendpoError('FORBIDDEN', `this ${principal.kind} belongs to another organisation`);
    if (principal.kind === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameText(sent, principal.csrfToken ?? '')) {
        throw new OpendpoError('FORBIDDEN', `a change made with a session cookie carries the session's CSRF token in the ${CSRF_HEADER} header (GET /api/v1/session gives it)`);
      }
    }
  });
}

/** The caller, from a bearer token or a session cookie; null when neither is given. A given but invalid one is refused. */
async function authenticate(request: FastifyRequest, store: Store, now: Date): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.length > 0) {
    const m = /^Bearer (\S+)$/i.exec(header);
    const parsed = m ? parseApiToken(m[1]!) : undefined;
    if (!parsed) throw new OpendpoError('UNAUTHENTICATED', 'the Authorization header is not a bearer token of this server (Bearer odp_…)');
    const token = await store.staff.token(parsed.id);
    if (!token || !secretMatches(token.secretHash, parsed.secret) || token.revokedAt !== null || Date.parse(token.expiresAt) <= now.getTime() || !isRole(token.role)) {
      throw new OpendpoError('UNAUTHENTICATED', 'the API token is unknown, revoked or expired');
    }
    // Recorded at most once a minute: a busy token does not write on every call.
    if (token.lastUsedAt === null || now.getTime() - Date.parse(token.lastUsedAt) > 60_000) await store.staff.touchToken(token.id, now.toISOString());
    return { kind: 'token', organisationId: token.organisationId, id: token.id, role: token.role, actor: `token:${token.id}`, controllerId: token.controllerId ?? undefined };
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (typeof cookie !== 'string' || cookie.length === 0) return null;
  const parsed = parseSessionCookie(cookie);
  const session = parsed ? await store.staff.session(parsed.id) : undefined;
  if (!parsed || !session || !secretMatches(session.secretHash, parsed.secret)) return null;
  if (Date.parse(session.expiresAt) <= now.getTime() || Date.parse(session.idleExpiresAt) <= now.getTime()) {
    await store.staff.deleteSession(session.id);
    return null;
  }
  const user = await store.staff.user(session.organisationId, session.userId);
  if (!user || user.disabledAt !== null || !isRole(user.role)) return null;
  const idle = new Date(now.getTime() + SESSION_IDLE_MS).toISOString();
  // Renewed at most once a minute (a page's burst of calls writes once).
  if (Date.parse(session.idleExpiresAt) - now.getTime() < SESSION_IDLE_MS - 60_000) await store.staff.touchSession(session.id, idle);
  return { kind: 'session', organisationId: user.organisationId, id: user.id, role: user.role, actor: `staff:${user.id}`, csrfToken: session.csrfToken, sessionId: session.id };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The principal of a route that needs one (its access is not public). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new OpendpoError('UNAUTHENTICATED', 'sign in first');
  return request.principal;
}

export function setSessionCookie(reply: FastifyReply, value: string, expiresAt: Date, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, value, { path: '/', httpOnly: true, secure, sameSite: 'strict', expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure, sameSite: 'strict' });
}
