/**
 * Publishing the register over HTTP (POST …/register/versions, `register.publish`), on real SQLite
 * and PostgreSQL stores, from a copy of the example shop's register folder the server was started
 * with, edited between calls as a DPO edits it: unchanged, nothing is published; a material change
 * is published with its changes from the previous version (which GET …/versions/:version also
 * serves) and its audit entry; a register with a lint error is refused with its findings at their
 * place (422), nothing published, unless allow_errors; roles other than the DPO's and admins' are
 * refused, and an organisation the server has no folder of is 404.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, tokenFor } from '../helpers/staff.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';

const ORG = 'acme-boutique';
const BASE = `/api/v1/organisations/${ORG}`;

describe.each([sqliteCase(), postgresCase()])('publishing the register over HTTP on $name', (dialect) => {
  let store: Store;
  let app: ZodApp;
  let dir: string;
  const tokens = new Map<string, Record<string, string>>();
  const accounting = () => path.join(dir, 'activities/accounting.yaml');
  const publish = (payload: Record<string, unknown> | undefined, role = 'dpo') =>
    app.inject({ method: 'POST', url: `${BASE}/register/versions`, headers: tokens.get(role)!, ...(payload === undefined ? {} : { payload }) });
  const entries = async () => {
    const out = [];
    for await (const e of store.audit.entries(ORG)) out.push(e);
    return out;
  };

  beforeAll(async () => {
    if (!dialect.available) return;
    dir = mkdtempSync(path.join(tmpdir(), 'opendpo-register-'));
    cpSync(path.join(ROOT, 'examples/acme-shop'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}datasets`) });
    store = await openStore(await dialect.setUp());
    await publishRegister(store, await loadRegister(dir), { author: 'opendpo serve' });
    app = await buildApp({ config: { logLevel: 'silent' }, store, defaultOrganisation: ORG, registerFolders: [path.join(ROOT, 'examples/softathome'), dir] });
    for (const role of ['admin', 'dpo', 'agent', 'engineer', 'auditor'] as const) tokens.set(role, bearer(await tokenFor(store, ORG, role)));
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await dialect.tearDown();
  });

  it.runIf(dialect.available)('says so when the folder holds the latest version already, and publishes nothing', async () => {
    const before = (await entries()).length;
    const res = await publish(undefined);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ unchanged: true, version: { organisation: ORG, version: 1 }, diff: null });
    expect((await entries()).length).toBe(before);
  });

  it.runIf(dialect.available)('publishes a material change with the changes from the previous version, in the audit log', async () => {
    writeFileSync(
      accounting(),
      readFileSync(accounting(), 'utf8').replace('data_categories:\n', 'data_categories:\n  - category: user.contact.email\n    label:\n      en: Email address for the invoice\n      fr: Adresse électronique de facturation\n'),
    );
    const res = await publish({ message: 'invoices by email' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ unchanged: false, version: { organisation: ORG, version: 2, message: 'invoices by email', errors: 0 } });
    expect(body.diff.material_changes).toBeGreaterThan(0);
    expect(body.diff.changes).toContainEqual(expect.objectContaining({ kind: 'data_category_added', activity: 'accounting', material: true }));
    // The version's own route serves the same changes, and the register served is the new one.
    const v2 = (await app.inject({ url: `${BASE}/register/versions/2`, headers: tokens.get('auditor')! })).json();
    expect(v2.diff).toEqual(body.diff);
    expect((await app.inject({ url: `${BASE}/register`, headers: tokens.get('auditor')! })).json().version).toBe(2);
    const published = (await entries()).filter((e) => e.action === 'register.published');
    expect(published.at(-1)).toMatchObject({ actor: expect.stringMatching(/^token:/), subject: { kind: 'register-version', id: '2' }, detail: { errors: 0 } });
    expect((await store.audit.verify(ORG)).problems).toEqual([]);
  });

  it.runIf(dialect.available)('refuses a register lint finds errors in, with the findings at their place, unless allow_errors', async () => {
    writeFileSync(accounting(), readFileSync(accounting(), 'utf8').replace('recipients: [management, cabinet-comptable, tax-authority]', 'recipients: [management, cabinet-comptable, tax-authority, nobody-known]'));
    const res = await publish({}, 'admin');
    expect(res.statusCode, res.body).toBe(422);
    const { error } = res.json();
    expect(error.code).toBe('REGISTER_INVALID');
    expect(error.message).toMatch(/^the register has \d+ errors?: nothing was published \(fix them, or publish anyway with allow_errors: true\)$/);
    expect(error.findings).toContainEqual(expect.objectContaining({ severity: 'error', file: 'activities/accounting.yaml', line: expect.any(Number), message: expect.stringContaining('nobody-known') }));
    expect(res.body).not.toContain(dir);
    expect((await store.registerVersions.latest(ORG))!.version).toBe(2);

    const anyway = await publish({ allow_errors: true, message: 'known gap' });
    expect(anyway.statusCode, anyway.body).toBe(201);
    expect(anyway.json().version).toMatchObject({ version: 3, errors: expect.any(Number) });
    expect(anyway.json().version.errors).toBeGreaterThan(0);
    expect((await publish({ allow_errors: true })).json()).toMatchObject({ unchanged: true, version: { version: 3 } });
  });

  it.runIf(dialect.available)('is for the DPO and admins; 404 for an organisation the server has no register folder of', async () => {
    for (const role of ['agent', 'engineer', 'auditor']) {
      const res = await publish({}, role);
      expect(res.statusCode, role).toBe(403);
      expect(res.json().error.message).toContain('register.publish');
    }
    expect((await publish({ allow_errors: 'yes' })).statusCode).toBe(400);
    expect((await publish({ author: 'someone else' })).statusCode).toBe(400);

    const other = bearer(await tokenFor(store, 'store-shop', 'dpo'));
    const none = await app.inject({ method: 'POST', url: '/api/v1/organisations/store-shop/register/versions', headers: other, payload: {} });
    expect(none.statusCode).toBe(404);
    expect(none.json().error.message).toContain('no register folder of this organisation');
    const bare = await buildApp({ config: { logLevel: 'silent' }, store });
    expect((await bare.inject({ method: 'POST', url: `${BASE}/register/versions`, headers: tokens.get('dpo')!, payload: {} })).statusCode).toBe(404);
    await bare.close();
  });
});
