/**
 * GET /api/v1/session on a real SQLite store: nobody signed in, or a session cookie that has ended
 * (idle, signed out, unknown, malformed), is an answer (200, signed_in false; the browser is told to
 * drop a dead cookie), so the console's first call before its sign-in form is not an error; a live
 * session and a valid API token are described; an API token that is malformed, unknown, revoked or
 * expired is refused (401), so a program learns its credential is bad.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { parseApiToken } from '../../src/desk/staff/credentials.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, staffAccount, tokenFor } from '../helpers/staff.js';

const ORG = 'acme-boutique';
const LOGIN = 'claire@acme-boutique.example';
const PASSWORD = 'correct horse battery staple';

let store: Store;
let app: ZodApp;
let clock = new Date('2026-03-02T09:00:00Z');
let userId: string;

beforeAll(async () => {
  store = await openStore(parseDatabaseUrl(':memory:', ROOT));
  await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
  app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000 }, store, defaultOrganisation: ORG, now: () => clock });
  userId = await staffAccount(store, ORG, 'agent', LOGIN, PASSWORD);
});

afterAll(async () => {
  await app.close();
  await store.close();
});

async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: LOGIN, password: PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().signed_in).toBe(true);
  return { cookie: `opendpo_session=${res.cookies.find((c) => c.name === 'opendpo_session')!.value}`, csrf: res.json().csrf_token as string };
}

const whoAmI = (headers: Record<string, string> = {}) => app.inject({ url: '/api/v1/session', headers });
const cleared = (res: Awaited<ReturnType<typeof whoAmI>>) => res.cookies.some((c) => c.name === 'opendpo_session' && c.value === '' && c.expires !== undefined && c.expires.getTime() <= Date.now());

describe('GET /api/v1/session', () => {
  it('answers signed_in false to a visitor without a credential, and sets no cookie', async () => {
    const res = await whoAmI();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ signed_in: false });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.cookies).toEqual([]);
  });

  it('describes a live session, then answers signed_in false once it is signed out, and tells the browser to drop the cookie', async () => {
    const { cookie, csrf } = await signIn();
    const live = await whoAmI({ cookie });
    expect(live.statusCode).toBe(200);
    expect(live.headers['cache-control']).toBe('no-store');
    expect(live.json()).toEqual({
      signed_in: true,
      organisation: ORG,
      user: { id: userId, display_name: LOGIN, role: 'agent' },
      role: 'agent',
      permissions: ['session.self', 'register.read', 'requests.read', 'requests.read_personal', 'requests.create', 'requests.identity'],
      csrf_token: csrf,
      expires_at: new Date(clock.getTime() + 12 * 3_600_000).toISOString(),
    });
    expect(cleared(live)).toBe(false);

    expect((await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie, 'x-csrf-token': csrf } })).statusCode).toBe(204);
    const after = await whoAmI({ cookie });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual({ signed_in: false });
    expect(cleared(after)).toBe(true);
    // Signed out, the routes that need a session still refuse it.
    expect((await app.inject({ url: `/api/v1/organisations/${ORG}/desk/requests`, headers: { cookie } })).statusCode).toBe(401);
  });

  it('answers signed_in false for a session idle past 30 minutes', async () => {
    const { cookie } = await signIn();
    clock = new Date(clock.getTime() + 31 * 60_000);
    const res = await whoAmI({ cookie });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ signed_in: false });
    expect(cleared(res)).toBe(true);
  });

  it('answers signed_in false for an unknown or malformed session cookie', async () => {
    for (const value of ['nonsense', 'AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', '']) {
      const res = await whoAmI({ cookie: `opendpo_session=${value}` });
      expect(res.statusCode, value).toBe(200);
      expect(res.json(), value).toEqual({ signed_in: false });
    }
  });

  it('describes a valid API token (no user, no CSRF token), a controller\'s too', async () => {
    const engineer = await whoAmI(bearer(await tokenFor(store, ORG, 'engineer')));
    expect(engineer.statusCode).toBe(200);
    expect(engineer.json()).toMatchObject({ signed_in: true, organisation: ORG, user: null, role: 'engineer', csrf_token: null, expires_at: expect.any(String) });
    const controller = await whoAmI(bearer(await tokenFor(store, ORG, 'controller', { controllerId: 'some-controller' })));
    expect(controller.json()).toMatchObject({ signed_in: true, user: null, role: 'controller', permissions: ['controller.forward'] });
  });

  it('refuses (401) an API token that is malformed, unknown, revoked or expired: a program must learn its token is bad', async () => {
    const revoked = await tokenFor(store, ORG, 'dpo');
    const revokedId = parseApiToken(revoked)!.id;
    await store.staff.revokeToken(ORG, revokedId, clock.toISOString(), { actor: 'test', action: 'token.revoked', subject: { kind: 'token', id: revokedId } });
    const expired = await tokenFor(store, ORG, 'dpo', { expiresAt: new Date(clock.getTime() - 1000) });
    const valid = await tokenFor(store, ORG, 'dpo');
    const cases: [string, Record<string, string>][] = [
      ['malformed', { authorization: 'Bearer not-a-token' }],
      ['not bearer', { authorization: 'Basic dXNlcjpwYXNz' }],
      ['unknown', bearer(valid.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))],
      ['revoked', bearer(revoked)],
      ['expired', bearer(expired)],
    ];
    for (const [name, headers] of cases) {
      const res = await whoAmI(headers);
      expect(res.statusCode, name).toBe(401);
      expect(res.json().error.code, name).toBe('UNAUTHENTICATED');
    }
    // A bad token is refused even next to a live session cookie: the header is what the caller meant.
    const { cookie } = await signIn();
    expect((await whoAmI({ cookie, authorization: 'Bearer not-a-token' })).statusCode).toBe(401);
  });
});
