/**
 * The HTTP API against a real SQLite store (:memory:), through Fastify's inject: no network,
 * no mocks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { loggableError } from '../../src/errors/loggable-error.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import type { Finding } from '../../src/register/finding.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { contentHash } from '../../src/store/canonical-json.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { smallRegister } from '../store/registers.js';
import { bearer, tokenFor } from '../helpers/staff.js';
import { logInto } from '../support/log-lines.js';

const fixture = (name: string) => `${ROOT}/test/fixtures/registers/${name}`;
const memory = () => openStore(parseDatabaseUrl(':memory:', ROOT));

const otherFinding: Finding = {
  rule: 'retention/missing',
  severity: 'error',
  message: 'the activity gives no retention period: add retention with a duration',
  article: 'Art. 30(1)(f)',
  file: 'activities/newsletter.yaml',
  line: 1,
  column: 1,
};

let store: Store;
let app: ZodApp;
/** The register beyond the notice is for staff: a token of each organisation. */
let shopStaff: Record<string, string>;
let otherStaff: Record<string, string>;
const logs: string[] = [];

beforeAll(async () => {
  store = await memory();
  await publishRegister(store, await loadRegister(fixture('store-shop')), { author: 'Ada Lovelace', message: 'first' });
  await publishRegister(store, await loadRegister(fixture('store-shop-v2')), { author: 'Ada Lovelace', message: 'add orders' });
  const other = smallRegister('other-org');
  other.organisation.default_language = 'fr';
  other.organisation.languages = ['fr'];
  await store.registerVersions.publish('other-org', {
    organisationName: 'Other Org',
    register: other,
    findings: [otherFinding],
    author: 'Grace Hopper',
    diffFrom: () => null,
  });
  const logStream = logInto(logs);
  app = await buildApp({ config: { logLevel: 'info' }, store, defaultOrganisation: 'store-shop', logStream });
  shopStaff = bearer(await tokenFor(store, 'store-shop', 'auditor'));
  otherStaff = bearer(await tokenFor(store, 'other-org', 'engineer'));
});

afterAll(async () => {
  await app.close();
  await store.close();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('GET /healthz', () => {
  it('is 200 ok while the store answers', async () => {
    const res = await get('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('is 503 when the store is gone', async () => {
    const closing = await memory();
    const lonely = await buildApp({ config: { logLevel: 'silent' }, store: closing });
    await closing.close();
    const res = await lonely.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'unavailable' });
    await lonely.close();
  });
});

describe('GET /', () => {
  it('sends a visitor to the privacy notice, keeping nothing of the query', async () => {
    const res = await get('/?utm=x');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/privacy-notice');
  });
});

describe('GET /privacy-notice', () => {
  it('answers a revalidation with 304 while the version, language and format are the same', async () => {
    const first = await get('/privacy-notice?lang=fr');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{20}-fr-html-.+"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await get('/privacy-notice?lang=fr', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // Another language or format is another representation: rendered in full.
    expect((await get('/privacy-notice?lang=en', { 'if-none-match': etag })).statusCode).toBe(200);
    expect((await get('/privacy-notice?lang=fr&format=md', { 'if-none-match': etag })).statusCode).toBe(200);
  });

  it('serves the default organisation in its default language, as accessible HTML', async () => {
    const res = await get('/privacy-notice');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-language']).toBe('en');
    expect(res.headers.vary).toBe('Accept-Language');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toMatch(/^<!DOCTYPE html>/);
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('Store Shop SAS');
    // Served from the latest version: the activity added in version 2 is there.
    expect(res.body).toContain('Orders');
  });

  it('takes the language from ?lang=', async () => {
    const res = await get('/privacy-notice?lang=fr', { 'accept-language': 'en' });
    expect(res.headers['content-language']).toBe('fr');
    expect(res.body).toContain('<html lang="fr">');
    expect(res.body).toContain('Commandes');
  });

  it.each([
    ['fr-FR,fr;q=0.9,en;q=0.8', 'fr'],
    ['de-DE, en;q=0.5, fr;q=0.8', 'fr'],
    ['en-GB, fr;q=0.5', 'en'],
    ['de', 'en'],
  ])('negotiates Accept-Language %j to %s', async (header, lang) => {
    const res = await get('/privacy-notice', { 'accept-language': header });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-language']).toBe(lang);
    expect(res.body).toContain(`<html lang="${lang}">`);
  });

  it('serves Markdown with ?format=md', async () => {
    const res = await get('/privacy-notice?format=md&lang=fr');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.body).toMatch(/^# /);
    expect(res.body).not.toContain('<html');
  });

  it('serves another organisation with ?org=, falling back to its own default language', async () => {
    const res = await get('/privacy-notice?org=other-org', { 'accept-language': 'en' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-language']).toBe('fr');
  });

  it.each([
    ['/privacy-notice?lang=de', 400, 'INVALID_INPUT', 'query parameter "lang" must be one of en, fr'],
    ['/privacy-notice?format=pdf', 400, 'INVALID_INPUT', 'query parameter "format" must be html or md'],
    ['/privacy-notice?org=Not%20An%20Id', 400, 'INVALID_INPUT', 'query parameter "org" must be lowercase letters'],
    ['/privacy-notice?org=no-such-org', 404, 'NOT_FOUND', 'no organisation of this id has published a register'],
  ])('%s is %i', async (url, status, code, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toContain(message);
  });
});

describe('the register API', () => {
  it('lists the organisations with their latest version', async () => {
    const res = await get('/api/v1/organisations');
    expect(res.statusCode).toBe(200);
    expect(res.json().organisations).toEqual([
      {
        id: 'store-shop',
        name: 'Store Shop SAS',
        latest_version: 2,
        links: { register: '/api/v1/organisations/store-shop/register', privacy_notice: '/privacy-notice?org=store-shop' },
      },
      expect.objectContaining({ id: 'other-org', latest_version: 1 }),
    ]);
  });

  it('serves the latest register with its version, hash and date, and not its author', async () => {
    const res = await get('/api/v1/organisations/store-shop/register', shopStaff);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ organisation: 'store-shop', version: 2, message: 'add orders', errors: 0, warnings: 0 });
    expect(body.content_hash).toBe(contentHash(body.register));
    expect(new Date(body.published_at).toISOString()).toBe(body.published_at);
    expect(body.register.activities.map((a: { id: string }) => a.id)).toEqual(['newsletter', 'orders']);
    expect(res.body).not.toContain('Ada Lovelace');
  });

  it('lists versions newest first, without the register', async () => {
    const res = await get('/api/v1/organisations/store-shop/register/versions', shopStaff);
    expect(res.statusCode).toBe(200);
    const { versions } = res.json();
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[0]).not.toHaveProperty('register');
    expect(res.body).not.toContain('Ada Lovelace');
  });

  it('serves one version with the material changes from the previous one', async () => {
    const v2 = (await get('/api/v1/organisations/store-shop/register/versions/2', shopStaff)).json();
    expect(v2.version).toBe(2);
    expect(v2.diff.material_changes).toBeGreaterThan(0);
    expect(v2.diff.changes).toContainEqual(expect.objectContaining({ kind: 'activity_added', activity: 'orders', material: true }));
    const v1 = (await get('/api/v1/organisations/store-shop/register/versions/1', shopStaff)).json();
    expect(v1.diff).toBeNull();
    expect(v1.register.activities).toHaveLength(1);
  });

  it('serves the findings recorded with the latest version', async () => {
    const res = await get('/api/v1/organisations/other-org/register/findings', otherStaff);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ organisation: 'other-org', version: 1, summary: { errors: 1, warnings: 0, infos: 0 }, findings: [otherFinding] });
    expect((await get('/api/v1/organisations/store-shop/register/findings', shopStaff)).json().findings).toEqual([]);
  });

  it.each([
    ['/api/v1/organisations/store-shop/register/versions/abc', 400, 'path parameter "version" must be a version number'],
    ['/api/v1/organisations/store-shop/register/versions/0', 400, 'path parameter "version" must be a version number'],
    ['/api/v1/organisations/store-shop/register/versions/1.5', 400, 'path parameter "version" must be a version number'],
    ['/api/v1/organisations/store-shop/register/versions/99', 404, 'the organisation has published no register version of this number'],
    // A staff credential reads its own organisation only: another one, known or not, is forbidden alike.
    ['/api/v1/organisations/nobody/register', 403, 'this token belongs to another organisation'],
    ['/api/v1/organisations/other-org/register/versions', 403, 'this token belongs to another organisation'],
    ['/api/v1/organisations/nobody/register/findings', 403, 'this token belongs to another organisation'],
    ['/api/v1/nothing-here', 404, 'no endpoint answers GET at this path: the endpoints are listed in /openapi.json'],
  ])('%s is %i with a clear message', async (url, status, message) => {
    const res = await get(url, shopStaff);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json().error.message).toContain(message);
  });

  it('is for staff: without a credential 401, with a controller token 403, the public list and the notice stay open', async () => {
    for (const url of ['/api/v1/organisations/store-shop/register', '/api/v1/organisations/store-shop/register/versions', '/api/v1/organisations/store-shop/register/findings', '/api/v1/organisations/store-shop/register/versions/1']) {
      const anonymous = await get(url);
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
      const controller = await get(url, bearer(await tokenFor(store, 'store-shop', 'controller', { controllerId: 'acme' })));
      expect(controller.statusCode).toBe(403);
      expect(controller.json().error.message).toBe('the controller role does not allow this (register.read)');
    }
    expect((await get('/api/v1/organisations')).statusCode).toBe(200);
    expect((await get('/privacy-notice?org=store-shop')).statusCode).toBe(200);
  });
});

describe('unexpected errors', () => {
  it('become a 500 with a correlation id, never a stack or SQL', async () => {
    const broken = await memory();
    const brokenApp = await buildApp({ config: { logLevel: 'silent' }, store: broken });
    await broken.close();
    const res = await brokenApp.inject({ url: '/api/v1/organisations' });
    expect(res.statusCode).toBe(500);
    const { error } = res.json();
    expect(error.code).toBe('INTERNAL');
    expect(error.correlation_id).toBe(res.headers['x-request-id']);
    expect(error.message).toBe(`internal error (correlation id ${error.correlation_id})`);
    expect(res.body).not.toMatch(/select|from "|at .*\.js|driver/i);
    await brokenApp.close();
  });
});

describe('unexpected errors in the log', () => {
  it('carry the error\'s kind, code and frames, never its message (it may quote a row or a request)', async () => {
    const pii = Object.assign(new Error('duplicate key value violates unique constraint: (email)=(alice.martin@example.com)'), { code: '23505' });
    const shown = loggableError(pii);
    expect(shown).toMatchObject({ type: 'Error', code: '23505' });
    expect(shown.frames.length).toBeGreaterThan(0);
    expect(JSON.stringify(shown)).not.toContain('alice.martin');

    // A store that went away: the route fails, the log says what kind of error, not the driver's words.
    const lines: string[] = [];
    const stream = logInto(lines);
    const broken = await memory();
    const brokenApp = await buildApp({ config: { logLevel: 'info' }, store: broken, logStream: stream });
    await broken.close();
    expect((await brokenApp.inject({ url: '/api/v1/organisations' })).statusCode).toBe(500);
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; err?: { type: string; frames: string[] } }).find((l) => l.msg === 'unexpected error');
    expect(logged?.err?.type).toMatch(/Error$/);
    expect(logged?.err?.frames.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toMatch(/"message"|database connection is not open/i);
    await brokenApp.close();
  });
});

describe('request logs', () => {
  it('give request id, method, route pattern, status and duration, never the query string or path values', async () => {
    logs.length = 0;
    await get('/api/v1/organisations/other-org/register/versions/1?utm_source=newsletter', otherStaff);
    await get('/privacy-notice?org=other-org&lang=fr');
    const lines = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ method: 'GET', route: '/api/v1/organisations/:org/register/versions/:version', status: 200 });
    expect(lines[1]).toMatchObject({ method: 'GET', route: '/privacy-notice', status: 200 });
    for (const line of lines) {
      expect(typeof line.reqId).toBe('string');
      expect(typeof line.durationMs).toBe('number');
    }
    const all = logs.join('\n');
    expect(all).not.toContain('utm_source');
    expect(all).not.toContain('other-org');
    expect(all).not.toContain('lang=fr');
  });
});

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document of every endpoint, generated from the route schemas', async () => {
    const res = await get('/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).filter((p) => !p.includes('/desk/')).sort()).toEqual([
      '/',
      '/api/drp/v1/data-rights-request',
      '/api/drp/v1/data-rights-request/{request_id}',
      '/api/v1/controller/requests',
      '/api/v1/controller/requests/{id}',
      '/api/v1/controller/requests/{id}/package',
      '/api/v1/controller/requests/{id}/withdrawal',
      '/api/v1/organisations',
      '/api/v1/organisations/{org}/audit',
      '/api/v1/organisations/{org}/audit/verification',
      '/api/v1/organisations/{org}/register',
      '/api/v1/organisations/{org}/register/findings',
      '/api/v1/organisations/{org}/register/versions',
      '/api/v1/organisations/{org}/register/versions/{version}',
      '/api/v1/organisations/{org}/request-form',
      '/api/v1/organisations/{org}/requests',
      '/api/v1/organisations/{org}/requests/{id}',
      '/api/v1/organisations/{org}/requests/{id}/codes',
      '/api/v1/organisations/{org}/requests/{id}/package',
      '/api/v1/organisations/{org}/requests/{id}/recipients',
      '/api/v1/organisations/{org}/requests/{id}/verification',
      '/api/v1/organisations/{org}/systems',
      '/api/v1/organisations/{org}/systems/{system}/check',
      '/api/v1/session',
      '/api/v1/staff/accounts',
      '/api/v1/staff/accounts/{id}',
      '/api/v1/staff/directory',
      '/api/v1/staff/tokens',
      '/api/v1/staff/tokens/{token}',
      '/healthz',
      '/metrics',
      '/privacy-notice',
    ]);
    const notice = doc.paths['/privacy-notice'].get;
    const lang = notice.parameters.find((p: { name: string }) => p.name === 'lang');
    expect(lang.in).toBe('query');
    expect(lang.schema.enum).toEqual(['en', 'fr']);
    expect(Object.keys(notice.responses['200'].content).sort()).toEqual(['text/html', 'text/markdown']);
    expect(notice.responses['404'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    const version = doc.paths['/api/v1/organisations/{org}/register/versions/{version}'].get;
    expect(version.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['org', 'version']);
    expect(Object.keys(version.responses).sort()).toEqual(['200', '400', '401', '403', '404']);
    expect(version.security).toEqual([{ session: [] }, { token: [] }]);
    expect(version.description).toContain('Needs the `register.read` permission (roles: admin, dpo, agent, engineer, auditor)');
  });

  it('describes every response, so a reader knows what each status means', async () => {
    const doc = (await get('/openapi.json')).json() as { paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>> };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, response] of Object.entries(op.responses)) {
          expect(response.description, `${method.toUpperCase()} ${path} ${status}`).not.toBe('Default Response');
        }
      }
    }
  });
});
