/**
 * GET /metrics on real SQLite and PostgreSQL stores: Prometheus text for every role that may read
 * it (and for no other), HTTP requests counted by route pattern and status, the desk's gauges read
 * from the store at each scrape for the caller's organisation — and never a URL, an id or an
 * address in a label. Each server has its own registry: two servers in one process count apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows, ROLES, type Role } from '../../src/desk/staff/roles.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, tokenFor } from '../helpers/staff.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';
import { smallRegister } from '../store/registers.js';
import { loopbackMail, type LoopbackMail } from '../support/loopback-mail.js';

const ORG = 'acme-boutique';
const BASE = `/api/v1/organisations/${ORG}`;

/** The value of one series in Prometheus text, 0 when absent. */
function value(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries([...inside.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v) && Object.keys(found).length === Object.keys(labels).length) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return 0;
}

describe.each([sqliteCase(), postgresCase()])('GET /metrics on $name', (dialect) => {
  let store: Store;
  let app: ZodApp;
  let mail: LoopbackMail;
  let clock = Date.parse('2026-03-02T09:00:00Z');
  const tokens = new Map<Role, Record<string, string>>();

  beforeAll(async () => {
    if (!dialect.available) return;
    mail = await loopbackMail();
    store = await openStore(await dialect.setUp());
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000 }, store, defaultOrganisation: ORG, mailer: mail.mailer, now: () => new Date(clock) });
    for (const role of ROLES) tokens.set(role, bearer(await tokenFor(store, ORG, role, role === 'controller' ? { controllerId: 'some-controller' } : {})));
  });

  afterAll(async () => {
    await mail?.close();
    await app?.close();
    await store?.close();
    await dialect.tearDown();
  });

  const scrape = async (role: Role = 'engineer') => {
    const res = await app.inject({ url: '/metrics', headers: tokens.get(role)! });
    expect(res.statusCode, res.body).toBe(200);
    return res.body;
  };
  const open = (text: string, state: string) => value(text, 'opendpo_desk_open_requests', { organisation: ORG, state });
  const overdue = (text: string) => value(text, 'opendpo_desk_overdue_requests', { organisation: ORG });
  const failedLetters = (text: string) => value(text, 'opendpo_desk_letters_failed', { organisation: ORG });
  const served = (text: string, method: string, route: string, status: number) => value(text, 'opendpo_http_requests_total', { method, route, status: String(status) });

  it.runIf(dialect.available)('answers each role that may read metrics with Prometheus text, and no other', async () => {
    const allowed = ROLES.filter((r) => allows(r, 'metrics.read'));
    expect(allowed).toEqual(['admin', 'dpo', 'engineer', 'auditor']);
    for (const role of allowed) {
      const res = await app.inject({ url: '/metrics', headers: tokens.get(role)! });
      expect(res.statusCode, role).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      for (const name of [
        'process_cpu_user_seconds_total',
        'nodejs_heap_size_used_bytes',
        'opendpo_http_requests_total',
        'opendpo_http_request_duration_seconds_bucket',
        'opendpo_desk_open_requests',
        'opendpo_desk_overdue_requests',
        'opendpo_desk_letters_failed',
      ]) {
        expect(res.body, `${role}: ${name}`).toContain(`# TYPE ${name.replace(/_bucket$/, '')} `);
      }
    }
    for (const role of ROLES.filter((r) => !allows(r, 'metrics.read'))) {
      const res = await app.inject({ url: '/metrics', headers: tokens.get(role)! });
      expect(res.statusCode, role).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    const anonymous = await app.inject({ url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
  });

  it.runIf(dialect.available)('counts requests by route pattern and status, and moves the desk gauges as requests move', async () => {
    const before = await scrape();
    const submitRoute = '/api/v1/organisations/:org/requests';
    expect(served(before, 'POST', submitRoute, 201)).toBe(0);
    expect(open(before, 'awaiting_identity')).toBe(0);
    expect(open(before, 'received')).toBe(0);
    // Every open state is a series, at 0 too: an alert on it never sees a series vanish.
    expect(before).toContain(`opendpo_desk_open_requests{organisation="${ORG}",state="awaiting_fee"} 0`);

    // Two requests from the form: each email gets a code, each request waits for it.
    const ids: string[] = [];
    const submittedTokens: string[] = [];
    for (const email of ['m.one@example.org', 'm.two@example.org']) {
      const res = await app.inject({ method: 'POST', url: `${BASE}/requests`, payload: { identities: [{ type: 'email', value: email }], details: { type: 'access' } } });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().request.id);
      submittedTokens.push(res.json().status_token);
    }
    const bad = await app.inject({ method: 'POST', url: `${BASE}/requests`, payload: { identities: [], details: { type: 'access' } } });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/nothing/here' })).statusCode).toBe(404);
    // A letter received by post six weeks ago: its month is over, and it names no email to write to.
    const entered = await app.inject({
      method: 'POST',
      url: `${BASE}/desk/requests`,
      headers: tokens.get('agent')!,
      payload: { channel: 'post', received_at: '2026-01-19T10:00:00+01:00', identities: [{ type: 'customer_number', value: 'C-77' }], details: { type: 'access' } },
    });
    expect(entered.statusCode, entered.body).toBe(201);
    const late = entered.json() as { id: string; due_on: string };
    expect(late.due_on).toBe('2026-02-19');

    const after = await scrape('auditor');
    expect(served(after, 'POST', submitRoute, 201) - served(before, 'POST', submitRoute, 201)).toBe(2);
    expect(served(after, 'POST', submitRoute, 400)).toBeGreaterThanOrEqual(1);
    expect(served(after, 'GET', '(no route)', 404)).toBeGreaterThanOrEqual(1);
    expect(served(after, 'GET', '/metrics', 200)).toBeGreaterThanOrEqual(1);
    expect(value(after, 'opendpo_http_request_duration_seconds_count', { method: 'POST', route: submitRoute, status: '201' })).toBe(2);
    expect(open(after, 'awaiting_identity')).toBe(2);
    expect(open(after, 'received')).toBe(1);
    expect(overdue(after)).toBe(1);
    expect(failedLetters(after)).toBe(0);

    // Confirmed by staff: the acknowledgement cannot go (no email address) and is kept as failed.
    const confirmed = await app.inject({
      method: 'POST',
      url: `${BASE}/desk/requests/${late.id}/confirm-identity`,
      headers: tokens.get('agent')!,
      payload: { identity: 1, method: 'document', note: 'card looked at' },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const verified = await scrape('dpo');
    expect(open(verified, 'received')).toBe(0);
    expect(open(verified, 'verified')).toBe(1);
    expect(failedLetters(verified)).toBe(1);
    expect(overdue(verified)).toBe(1);

    // Refused: no longer open, so no longer overdue; the refusal letter is kept as failed too.
    const refused = await app.inject({ method: 'POST', url: `${BASE}/desk/requests/${late.id}/refuse`, headers: tokens.get('dpo')!, payload: { reasons: ['no such customer'] } });
    expect(refused.statusCode, refused.body).toBe(200);
    const closed = await scrape('admin');
    expect(open(closed, 'verified')).toBe(0);
    expect(overdue(closed)).toBe(0);
    expect(failedLetters(closed)).toBe(2);

    // Each person types the code mailed to them: verified, for the DPO to decide.
    for (const [n, email] of ['m.one@example.org', 'm.two@example.org'].entries()) {
      const res = await app.inject({ method: 'POST', url: `${BASE}/requests/${ids[n]}/verification`, headers: { 'x-status-token': submittedTokens[n]! }, payload: { identity: 1, code: await mail.lastCode(email) } });
      expect(res.json().outcome, res.body).toBe('verified');
    }
    const both = await scrape();
    expect(open(both, 'awaiting_identity')).toBe(0);
    expect(open(both, 'verified')).toBe(2);
    expect(overdue(both)).toBe(0);
    // Five weeks on, they are past their due day (2 April) too.
    clock = Date.parse('2026-04-08T09:00:00Z');
    expect(overdue(await scrape())).toBe(2);

    // Labels carry route patterns, states and the organisation: never an id, an address or a URL.
    for (const secret of [...ids, late.id, 'm.one@example.org', 'C-77', '/api/v1/nothing', `/organisations/${ORG}/`]) expect(closed).not.toContain(secret);
  });

  it.runIf(dialect.available)('gives the desk gauges of the caller\'s organisation only', async () => {
    await store.registerVersions.publish('other-org', { organisationName: 'Other Org', register: smallRegister('other-org'), findings: [], author: 'test', diffFrom: () => null });
    const text = (await app.inject({ url: '/metrics', headers: bearer(await tokenFor(store, 'other-org', 'engineer')) })).body;
    expect(value(text, 'opendpo_desk_open_requests', { organisation: 'other-org', state: 'received' })).toBe(0);
    expect(text).toContain('opendpo_desk_overdue_requests{organisation="other-org"} 0');
    expect(text).not.toContain(`organisation="${ORG}"`);
  });

  it.runIf(dialect.available)('keeps each server\'s counts in its own registry', async () => {
    const second = await buildApp({ config: { logLevel: 'silent' }, store });
    try {
      const text = (await second.inject({ url: '/metrics', headers: tokens.get('engineer')! })).body;
      expect(served(text, 'POST', '/api/v1/organisations/:org/requests', 201)).toBe(0);
      expect(served(await scrape(), 'POST', '/api/v1/organisations/:org/requests', 201)).toBe(2);
    } finally {
      await second.close();
    }
  });
});
