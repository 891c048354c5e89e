/**
 * Staff accounts and API tokens over HTTP (/api/v1/staff/…), on real SQLite and PostgreSQL stores:
 * an admin lists accounts (no password hash), creates one (a given password, or one generated and
 * shown once) that then signs in, changes its role, disables it (its session ends, it cannot sign
 * in) and enables it again; the last active admin cannot be demoted or disabled, even by two admins
 * demoting each other at the same moment; tokens are listed without their secret, made with a
 * secret shown once that signs in, and revoked so that it no longer does. Every change is in the
 * audit log with ids, never a login or a secret; no role but admin reaches these routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/desk/staff/roles.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, staffAccount, tokenFor } from '../helpers/staff.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';

const ORG = 'acme-boutique';
const PASSWORD = 'correct horse battery staple';

interface AccountView {
  id: string;
  login: string;
  display_name: string;
  role: string;
  active: boolean;
  disabled_at: string | null;
}

describe.each([sqliteCase(), postgresCase()])('the staff routes on $name', (dialect) => {
  let store: Store;
  let app: ZodApp;
  const tokens = new Map<Role, Record<string, string>>();

  beforeAll(async () => {
    if (!dialect.available) return;
    store = await openStore(await dialect.setUp());
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000 }, store, defaultOrganisation: ORG });
    for (const role of ROLES) tokens.set(role, bearer(await tokenFor(store, ORG, role, role === 'controller' ? { controllerId: 'x' } : {})));
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await dialect.tearDown();
  });

  const admin = () => tokens.get('admin')!;
  const signIn = async (login: string, password = PASSWORD) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login, password } });
    if (res.statusCode !== 200) return { status: res.statusCode, headers: {} as Record<string, string> };
    const cookie = res.cookies.find((c) => c.name === 'opendpo_session')!;
    return { status: 200, headers: { cookie: `opendpo_session=${cookie.value}`, 'x-csrf-token': res.json().csrf_token as string } };
  };
  const audit = async () => {
    const entries = [];
    for await (const e of store.audit.entries(ORG)) entries.push(e);
    return entries;
  };

  it.runIf(dialect.available)('creates an account that signs in, lists accounts without a password hash, and refuses a login taken', async () => {
    const made = await app.inject({ method: 'POST', url: '/api/v1/staff/accounts', headers: admin(), payload: { login: 'Claire.Dpo@Acme-Boutique.example', role: 'dpo', name: 'Claire', password: PASSWORD } });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    expect(made.json()).toEqual({
      account: { id: expect.any(String), login: 'claire.dpo@acme-boutique.example', display_name: 'Claire', role: 'dpo', active: true, created_at: expect.any(String), password_changed_at: expect.any(String), disabled_at: null },
      initial_password: null,
    });
    expect((await signIn('claire.dpo@acme-boutique.example')).status).toBe(200);

    // Without a password: one is made and shown once, and it signs in.
    const generated = await app.inject({ method: 'POST', url: '/api/v1/staff/accounts', headers: admin(), payload: { login: 'agent.a@acme-boutique.example', role: 'agent' } });
    expect(generated.statusCode, generated.body).toBe(201);
    const initial = generated.json().initial_password as string;
    expect(initial).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generated.json().account.display_name).toBe('agent.a@acme-boutique.example');
    expect((await signIn('agent.a@acme-boutique.example', initial)).status).toBe(200);

    const list = await app.inject({ url: '/api/v1/staff/accounts', headers: admin() });
    expect(list.statusCode).toBe(200);
    expect(list.json().accounts.map((a: AccountView) => a.login)).toEqual(expect.arrayContaining(['claire.dpo@acme-boutique.example', 'agent.a@acme-boutique.example']));
    expect(list.body).not.toMatch(/argon2|password_hash/);
    expect(list.body).not.toContain(initial);

    const taken = await app.inject({ method: 'POST', url: '/api/v1/staff/accounts', headers: admin(), payload: { login: 'CLAIRE.DPO@acme-boutique.example', role: 'agent', password: PASSWORD } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toEqual({ code: 'REQUEST_REFUSED', message: 'a staff account with this login already exists in the organisation' });
    for (const [payload, message] of [
      [{ login: 'not an email', role: 'dpo' }, 'body field "login"'],
      [{ login: 'x@acme-boutique.example', role: 'controller' }, 'body field "role"'],
      [{ login: 'x@acme-boutique.example', role: 'dpo', password: 'short' }, 'body field "password"'],
      [{ login: 'x@acme-boutique.example', role: 'dpo', password_hash: 'x' }, 'password_hash'],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/staff/accounts', headers: admin(), payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.message).toContain(message);
    }
    expect((await store.staff.users(ORG)).map((u) => u.login)).not.toContain('x@acme-boutique.example');

    const created = (await audit()).filter((e) => e.action === 'staff.created');
    expect(created.map((e) => [e.actor, e.detail])).toEqual([
      [expect.stringMatching(/^token:/), { role: 'dpo' }],
      [expect.stringMatching(/^token:/), { role: 'agent' }],
    ]);
    expect(JSON.stringify(await audit())).not.toMatch(/claire|agent\.a|@acme-boutique/i);
  });

  it.runIf(dialect.available)('changes a role, disables an account (its session ends) and enables it again, each in the audit log', async () => {
    const id = await staffAccount(store, ORG, 'agent', 'sam@acme-boutique.example', PASSWORD);
    const session = await signIn('sam@acme-boutique.example');
    expect((await app.inject({ url: `/api/v1/organisations/${ORG}/audit`, headers: session.headers })).statusCode).toBe(403);

    const promoted = await app.inject({ method: 'PATCH', url: `/api/v1/staff/accounts/${id}`, headers: admin(), payload: { role: 'auditor' } });
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json()).toMatchObject({ id, role: 'auditor', active: true });
    // The role is read at each request: the open session has the new one at once.
    expect((await app.inject({ url: `/api/v1/organisations/${ORG}/audit`, headers: session.headers })).statusCode).toBe(200);

    const disabled = await app.inject({ method: 'PATCH', url: `/api/v1/staff/accounts/${id}`, headers: admin(), payload: { disabled: true } });
    expect(disabled.json()).toMatchObject({ id, active: false, disabled_at: expect.any(String) });
    // Its session has ended: signed out is an answer to GET /session, and the other routes refuse it.
    expect((await app.inject({ url: '/api/v1/session', headers: session.headers })).json()).toEqual({ signed_in: false });
    expect((await app.inject({ url: `/api/v1/organisations/${ORG}/desk/requests`, headers: session.headers })).statusCode).toBe(401);
    expect((await signIn('sam@acme-boutique.example')).status).toBe(401);
    // Disabling again changes nothing, and writes nothing.
    const before = (await audit()).length;
    const again = await app.inject({ method: 'PATCH', url: `/api/v1/staff/accounts/${id}`, headers: admin(), payload: { disabled: true } });
    expect(again.json().disabled_at).toBe(disabled.json().disabled_at);
    expect((await audit()).length).toBe(before);

    const enabled = await app.inject({ method: 'PATCH', url: `/api/v1/staff/accounts/${id}`, headers: admin(), payload: { disabled: false, role: 'dpo' } });
    expect(enabled.json()).toMatchObject({ id, role: 'dpo', active: true, disabled_at: null });
    expect((await signIn('sam@acme-boutique.example')).status).toBe(200);

    const entries = (await audit()).filter((e) => e.subject.kind === 'staff' && e.subject.id === id && e.action !== 'staff.signed_in');
    expect(entries.map((e) => [e.action, e.detail])).toEqual([
      ['staff.created', {}],
      ['staff.role_changed', { from: 'agent', to: 'auditor' }],
      ['staff.disabled', {}],
      ['staff.role_changed', { from: 'auditor', to: 'dpo' }],
      ['staff.enabled', {}],
    ]);
    expect((await store.audit.verify(ORG)).problems).toEqual([]);

    for (const [url, payload, status] of [
      [`/api/v1/staff/accounts/${id}`, {}, 400],
      [`/api/v1/staff/accounts/${id}`, { role: 'controller' }, 400],
      [`/api/v1/staff/accounts/${id}`, { login: 'x@y.z' }, 400],
      ['/api/v1/staff/accounts/not-a-uuid', { role: 'dpo' }, 400],
      ['/api/v1/staff/accounts/00000000-0000-4000-8000-000000000000', { role: 'dpo' }, 404],
    ] as const) {
      const res = await app.inject({ method: 'PATCH', url, headers: admin(), payload });
      expect(res.statusCode, `${url} ${JSON.stringify(payload)}: ${res.body}`).toBe(status);
    }
  });

  it.runIf(dialect.available)('keeps the last active admin: refused to demote or disable it, by itself or another', async () => {
    const first = await staffAccount(store, ORG, 'admin', 'first.admin@acme-boutique.example', PASSWORD);
    const own = await signIn('first.admin@acme-boutique.example');
    for (const payload of [{ role: 'dpo' }, { disabled: true }]) {
      const res = await app.inject({ method: 'PATCH', url: `/api/v1/staff/accounts/${first}`, headers: own.headers, payload });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error).toEqual({
        code: 'REQUEST_REFUSED',
        message: "refused: this is the organisation's last active admin account; make another account admin first (without one, nobody could manage staff accounts and API tokens)",
      });
    }
    expect((await store.staff.user(ORG, first))).toMatchObject({ role: 'admin', disabledAt: null });

    // A second admin: now either may step down, but not both.
    const second = await staffAccount(store, ORG, 'admin', 'second.admin@acme-boutique.example', PASSWORD);
    const other = await signIn('second.admin@acme-boutique.example');
    const [a, b] = await Promise.all([
      app.inject({ method: 'PATCH', url: `/api/v1/staff/accounts/${second}`, headers: own.headers, payload: { role: 'dpo' } }),
      app.inject({ method: 'PATCH', url: `/api/v1/staff/accounts/${first}`, headers: other.headers, payload: { disabled: true } }),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort((x, y) => x - y);
    // One wins; the other is refused (or, when it lost its rights first, forbidden or signed out).
    expect(statuses[0]).toBe(200);
    expect([401, 403, 409]).toContain(statuses[1]);
    const admins = (await store.staff.users(ORG)).filter((u) => u.role === 'admin' && u.disabledAt === null);
    expect(admins).toHaveLength(1);
  });

  it.runIf(dialect.available)('makes a token whose secret is shown once and signs in, lists tokens without secrets, and revokes one', async () => {
    const made = await app.inject({ method: 'POST', url: '/api/v1/staff/tokens', headers: admin(), payload: { name: 'prometheus', role: 'engineer', expires_in_days: 30 } });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    const { token, secret } = made.json() as { token: { id: string; expires_at: string }; secret: string };
    expect(secret).toMatch(new RegExp(`^odp_${token.id}_[A-Za-z0-9_-]{43}$`));
    expect(made.json().token).toMatchObject({ name: 'prometheus', role: 'engineer', controller: null, state: 'active', created_by: expect.stringMatching(/^token:/), revoked_at: null, last_used_at: null });
    expect(Date.parse(token.expires_at) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(Date.parse(token.expires_at) - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);

    expect((await app.inject({ url: '/metrics', headers: bearer(secret) })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/staff/accounts', headers: bearer(secret) })).statusCode).toBe(403);

    const list = await app.inject({ url: '/api/v1/staff/tokens', headers: admin() });
    const listed = list.json().tokens.find((t: { id: string }) => t.id === token.id);
    expect(listed).toMatchObject({ id: token.id, state: 'active', last_used_at: expect.any(String) });
    // The secret is the token's last 43 characters (base64url, so it may itself hold '_').
    expect(list.body).not.toContain(secret.slice(-43));
    expect(list.body).not.toMatch(/secret|hash/);

    const controller = await app.inject({ method: 'POST', url: '/api/v1/staff/tokens', headers: admin(), payload: { name: 'telco-a', role: 'controller', controller: 'telco-a' } });
    expect(controller.json().token).toMatchObject({ role: 'controller', controller: 'telco-a' });
    for (const payload of [{ name: 'x', role: 'controller' }, { name: 'x', role: 'dpo', controller: 'telco-a' }]) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/staff/tokens', headers: admin(), payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toBe('controller goes with role controller, and only with it');
    }
    expect((await app.inject({ method: 'POST', url: '/api/v1/staff/tokens', headers: admin(), payload: { name: 'x', role: 'dpo', expires_in_days: 731 } })).statusCode).toBe(400);

    const revoked = await app.inject({ method: 'DELETE', url: `/api/v1/staff/tokens/${token.id}`, headers: admin() });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ id: token.id, state: 'revoked', revoked_at: expect.any(String) });
    expect((await app.inject({ url: '/metrics', headers: bearer(secret) })).statusCode).toBe(401);
    const twice = await app.inject({ method: 'DELETE', url: `/api/v1/staff/tokens/${token.id}`, headers: admin() });
    expect(twice.statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/staff/tokens/${secret}`, headers: admin() })).statusCode).toBe(400);

    const entries = (await audit()).filter((e) => e.subject.kind === 'token' && e.subject.id === token.id);
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['token.created', expect.stringMatching(/^token:/)],
      ['token.revoked', expect.stringMatching(/^token:/)],
    ]);
    expect(JSON.stringify(await audit())).not.toContain(secret.slice(-43));
  });

  it.runIf(dialect.available)('is for admins only, and a token of another organisation sees none of this one', async () => {
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      for (const [method, url] of [
        ['GET', '/api/v1/staff/accounts'],
        ['GET', '/api/v1/staff/tokens'],
        ['POST', '/api/v1/staff/tokens'],
      ] as const) {
        const res = await app.inject({ method, url, headers: tokens.get(role)!, ...(method === 'POST' ? { payload: { name: 'x', role: 'admin' } } : {}) });
        expect(res.statusCode, `${role} ${method} ${url}`).toBe(403);
      }
    }
    const elsewhere = bearer(await tokenFor(store, 'softathome', 'admin'));
    const list = await app.inject({ url: '/api/v1/staff/accounts', headers: elsewhere });
    expect(list.json()).toEqual({ accounts: [] });
    const mine = (await store.staff.users(ORG))[0]!;
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/staff/accounts/${mine.id}`, headers: elsewhere, payload: { disabled: true } })).statusCode).toBe(404);
  });
});
