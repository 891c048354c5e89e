/**
 * Every route × every role, from the routes the server actually has (a new route is in the matrix
 * the moment it exists): a public route never asks for a credential; any other answers 401 without
 * one, 403 to a role its permission does not include, and goes past the check for a role it does.
 * The matrix in docs/desk.md is generated from the same list and must match
 * (OPENDPO_UPDATE_DOCS=1 rewrites it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { allows, ROLES, type Role } from '../../src/desk/staff/roles.js';
import { accessMatrixMarkdown, documentedRoutes } from '../../src/http/access-matrix.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, tokenFor } from '../helpers/staff.js';

const ORG = 'acme-boutique';
let store: Store;
let app: ZodApp;
const tokens = new Map<Role, Record<string, string>>();

beforeAll(async () => {
  store = await openStore(parseDatabaseUrl(':memory:', ROOT));
  await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
  app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 100_000 }, store, defaultOrganisation: ORG });
  for (const role of ROLES) tokens.set(role, bearer(await tokenFor(store, ORG, role, role === 'controller' ? { controllerId: 'some-controller' } : {})));
});

afterAll(async () => {
  await app.close();
  await store.close();
});

const concrete = (url: string) =>
  url.replace(':org', ORG).replace(':id', '00000000-0000-4000-8000-000000000000').replace(':request_id', '00000000-0000-4000-8000-000000000000').replace(':version', '1').replace(':seq', '1');

describe('the access matrix', () => {
  it('holds for every route and role', async () => {
    const routes = documentedRoutes(app.routeAccess);
    expect(routes.length).toBeGreaterThan(20);
    let checked = 0;
    for (const route of routes) {
      const request = { method: route.method as 'GET', url: concrete(route.url), ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }) };
      const anonymous = await app.inject(request);
      if (route.access === 'public') {
        expect([401, 403], `${route.method} ${route.url} anonymous`).not.toContain(anonymous.statusCode);
        continue;
      }
      expect(anonymous.statusCode, `${route.method} ${route.url} anonymous`).toBe(401);
      for (const role of ROLES) {
        const res = await app.inject({ ...request, headers: tokens.get(role)! });
        const label = `${route.method} ${route.url} as ${role}: ${res.body.slice(0, 200)}`;
        if (allows(role, route.access)) expect([401, 403], label).not.toContain(res.statusCode);
        else expect(res.statusCode, label).toBe(403);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('opens the routes of forwarded requests to controller tokens alone, and no other route but the public ones to them', () => {
    const routes = documentedRoutes(app.routeAccess);
    const forControllers = routes.filter((r) => r.access !== 'public' && allows('controller', r.access)).map((r) => `${r.method} ${r.url}`);
    // Art. 28(3)(e): a controller forwards its data subjects' requests and follows them; nothing else.
    expect(forControllers).toEqual([
      'POST /api/drp/v1/data-rights-request',
      'DELETE /api/drp/v1/data-rights-request/:request_id',
      'GET /api/drp/v1/data-rights-request/:request_id',
      'POST /api/v1/controller/requests',
      'GET /api/v1/controller/requests/:id',
      'GET /api/v1/controller/requests/:id/package',
      'POST /api/v1/controller/requests/:id/withdrawal',
    ]);
    expect(ROLES.filter((role) => allows(role, 'controller.forward'))).toEqual(['controller']);
  });

  it('opens the originals attached to a request only to roles allowed a person\'s data, and their entry to roles that enter requests', () => {
    const routes = documentedRoutes(app.routeAccess).filter((r) => /\/attachments(\/|$)|\/with-attachments$/.test(r.url));
    // Art. 5(1)(f), 32: a letter or an email a person sent is their data, read on a need-to-know basis.
    expect(routes.map((r) => `${r.method} ${r.url} ${r.access}`)).toEqual([
      'GET /api/v1/organisations/:org/desk/requests/:id/attachments requests.read_personal',
      'GET /api/v1/organisations/:org/desk/requests/:id/attachments/:seq requests.read_personal',
      'POST /api/v1/organisations/:org/desk/requests/with-attachments requests.create',
    ]);
    expect(ROLES.filter((role) => allows(role, 'requests.read_personal'))).toEqual(['admin', 'dpo', 'agent']);
  });

  it('keeps accounts and tokens to admins, publishing to the DPO and admins, the systems from agents, and a request\'s plan to those allowed a person\'s data', () => {
    const routes = documentedRoutes(app.routeAccess);
    // The directory names colleagues (no login) for every role that reads requests; the rest is the admin's.
    expect(routes.filter((r) => r.url === '/api/v1/staff/directory').map((r) => `${r.method} ${r.access}`)).toEqual(['GET requests.read']);
    expect(ROLES.filter((role) => allows(role, 'requests.read'))).toEqual(['admin', 'dpo', 'agent', 'engineer', 'auditor']);
    const staff = routes.filter((r) => r.url.startsWith('/api/v1/staff/') && r.url !== '/api/v1/staff/directory');
    expect(staff.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/staff/accounts',
      'POST /api/v1/staff/accounts',
      'PATCH /api/v1/staff/accounts/:id',
      'GET /api/v1/staff/tokens',
      'POST /api/v1/staff/tokens',
      'DELETE /api/v1/staff/tokens/:token',
    ]);
    expect(new Set(staff.map((r) => r.access))).toEqual(new Set(['staff.manage']));
    expect(ROLES.filter((role) => allows(role, 'staff.manage'))).toEqual(['admin']);
    expect(routes.find((r) => r.method === 'POST' && r.url === '/api/v1/organisations/:org/register/versions')?.access).toBe('register.publish');
    expect(ROLES.filter((role) => allows(role, 'register.publish'))).toEqual(['admin', 'dpo']);
    expect(routes.filter((r) => r.url.includes('/systems')).map((r) => r.access)).toEqual(['systems.read', 'systems.read']);
    // The check reads catalogues, never rows: auditors may run it; agents answer requests and need neither.
    expect(ROLES.filter((role) => allows(role, 'systems.read'))).toEqual(['admin', 'dpo', 'engineer', 'auditor']);
    // The plan counts the person's rows: a view of their data (Art. 5(1)(f), 32).
    expect(routes.find((r) => r.url.endsWith('/desk/requests/:id/plan'))?.access).toBe('requests.read_personal');
  });

  it('is the one docs/desk.md shows', () => {
    const file = `${ROOT}/docs/desk.md`;
    const doc = readFileSync(file, 'utf8');
    const start = '<!-- access-matrix:start (generated from the routes: OPENDPO_UPDATE_DOCS=1 npx vitest run test/http/access-matrix.test.ts) -->';
    const end = '<!-- access-matrix:end -->';
    const i = doc.indexOf(start);
    const j = doc.indexOf(end);
    expect(i, 'docs/desk.md has the access matrix markers').toBeGreaterThan(-1);
    const generated = `${start}\n${accessMatrixMarkdown(app.routeAccess)}\n${end}`;
    if (process.env.OPENDPO_UPDATE_DOCS === '1') writeFileSync(file, doc.slice(0, i) + generated + doc.slice(j + end.length));
    else expect(doc.slice(i, j + end.length)).toBe(generated);
  });
});
