/**
 * GET /api/v1/staff/directory on a real SQLite store: every staff role that reads requests gets the
 * organisation's staff by name (id, display name, role, active) to show and choose assignees; a
 * controller token and a visitor do not; no login or email is in the answer, not even as the name of
 * an account made without one; another organisation's staff are never listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { createStaffAccount, changeStaffAccount } from '../../src/desk/staff/staff-accounts.js';
import { STAFF_ROLES } from '../../src/desk/staff/roles.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, staffAccount, tokenFor } from '../helpers/staff.js';

const ORG = 'acme-boutique';
const OTHER = 'other-organisation';
const PASSWORD = 'correct horse battery staple';

let store: Store;
let app: ZodApp;
const ids: Record<string, string> = {};

beforeAll(async () => {
  store = await openStore(parseDatabaseUrl(':memory:', ROOT));
  await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
  app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000 }, store, defaultOrganisation: ORG });
  const now = new Date();
  const make = async (organisationId: string, login: string, role: (typeof STAFF_ROLES)[number], name?: string) =>
    (await createStaffAccount(store, { organisationId, login, role, name, password: PASSWORD, actor: 'test', now })).user.id;
  ids.claire = await make(ORG, 'claire.martin@acme-boutique.example', 'dpo', 'Claire Martin');
  ids.sam = await make(ORG, 'sam.agent@acme-boutique.example', 'agent'); // no name: the login is its name
  ids.eve = await make(ORG, 'eve@acme-boutique.example', 'engineer', 'Eve Engineer');
  await changeStaffAccount(store, { organisationId: ORG, userId: ids.eve, change: { disabled: true }, actor: 'test', now });
  ids.other = await make(OTHER, 'olga@other-organisation.example', 'dpo', 'Olga Other');
});

afterAll(async () => {
  await app.close();
  await store.close();
});

const directory = (headers: Record<string, string>) => app.inject({ url: '/api/v1/staff/directory', headers });

describe('GET /api/v1/staff/directory', () => {
  it('lists the organisation\'s staff by name, active first, to every staff role, and nothing but id, name, role and active', async () => {
    for (const role of STAFF_ROLES) {
      const res = await directory(bearer(await tokenFor(store, ORG, role)));
      expect(res.statusCode, `${role}: ${res.body}`).toBe(200);
      expect(res.json(), role).toEqual({
        staff: [
          { id: ids.claire, display_name: 'Claire Martin', role: 'dpo', active: true },
          { id: ids.sam, display_name: 'sam.agent', role: 'agent', active: true },
          { id: ids.eve, display_name: 'Eve Engineer', role: 'engineer', active: false },
        ],
      });
    }
  });

  it('never carries a login or an email, and never another organisation\'s staff', async () => {
    const res = await directory(bearer(await tokenFor(store, ORG, 'agent')));
    expect(res.body).not.toMatch(/@/);
    expect(res.body).not.toContain('acme-boutique.example');
    expect(res.body).not.toContain(ids.other!);
    expect(res.body).not.toContain('Olga');
    const other = await directory(bearer(await tokenFor(store, OTHER, 'agent')));
    expect(other.json()).toEqual({ staff: [{ id: ids.other, display_name: 'Olga Other', role: 'dpo', active: true }] });
  });

  it('answers a signed-in agent\'s session too', async () => {
    const signIn = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'sam.agent@acme-boutique.example', password: PASSWORD } });
    expect(signIn.statusCode, signIn.body).toBe(200);
    const cookie = `opendpo_session=${signIn.cookies.find((c) => c.name === 'opendpo_session')!.value}`;
    const res = await directory({ cookie });
    expect(res.statusCode).toBe(200);
    expect(res.json().staff.map((s: { id: string }) => s.id)).toEqual([ids.claire, ids.sam, ids.eve]);
  });

  it('refuses a visitor (401) and a controller token (403)', async () => {
    expect((await directory({})).statusCode).toBe(401);
    const controller = await directory(bearer(await tokenFor(store, ORG, 'controller', { controllerId: 'some-controller' })));
    expect(controller.statusCode).toBe(403);
    expect(controller.json().error.code).toBe('FORBIDDEN');
  });

  it('is listed in the staff accounts an admin manages with the same ids (one account, one id)', async () => {
    const accounts = await app.inject({ url: '/api/v1/staff/accounts', headers: bearer(await tokenFor(store, ORG, 'admin')) });
    const staff = (await directory(bearer(await tokenFor(store, ORG, 'auditor')))).json().staff as { id: string }[];
    expect(new Set(staff.map((s) => s.id))).toEqual(new Set((accounts.json().accounts as { id: string }[]).map((a) => a.id)));
    // staffAccount (the tests' helper) names an account by its login, as `opendpo user add` without --name does.
    const id = await staffAccount(store, ORG, 'agent', 'zoe@acme-boutique.example', PASSWORD);
    const after = (await directory(bearer(await tokenFor(store, ORG, 'dpo')))).json().staff as { id: string; display_name: string }[];
    expect(after.find((s) => s.id === id)?.display_name).toBe('zoe');
  });
});
