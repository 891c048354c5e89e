/**
 * The desk's report over HTTP on real SQLite and PostgreSQL stores, from requests made through the
 * API as people and staff make them (the clock moved between steps): received in the period by
 * type and outcome; answered = closed (completed, refused, withdrawn) on the calendar day, in the
 * organisation's zone, of its closing transition; days to answer, late answers, open past due; the
 * same figures as a CSV file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, tokenFor } from '../helpers/staff.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';
import { loopbackMail, type LoopbackMail } from '../support/loopback-mail.js';

const ORG = 'acme-boutique';
const BASE = `/api/v1/organisations/${ORG}`;

describe.each([sqliteCase(), postgresCase()])('the desk report on $name', (dialect) => {
  let store: Store;
  let app: ZodApp;
  let mail: LoopbackMail;
  let clock = Date.parse('2026-02-20T09:00:00Z');
  const staff: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    if (!dialect.available) return;
    mail = await loopbackMail();
    store = await openStore(await dialect.setUp());
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000 }, store, defaultOrganisation: ORG, mailer: mail.mailer, now: () => new Date(clock) });
    for (const role of ['dpo', 'agent', 'auditor', 'controller'] as const) staff[role] = bearer(await tokenFor(store, ORG, role, role === 'controller' ? { controllerId: 'x' } : {}));
  });

  afterAll(async () => {
    await mail?.close();
    await app?.close();
    await store?.close();
    await dialect.tearDown();
  });

  const enter = async (receivedAt: string, details: Record<string, unknown>, customer: string) => {
    const res = await app.inject({
      method: 'POST',
      url: `${BASE}/desk/requests`,
      headers: staff.agent!,
      payload: { channel: 'post', received_at: receivedAt, identities: [{ type: 'customer_number', value: customer }], details },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const confirmed = await act(id, 'confirm-identity', { identity: 1, method: 'document', note: 'looked at' }, staff.agent!);
    expect(confirmed.state).toBe('verified');
    return confirmed as { id: string; received_on: string; due_on: string };
  };
  const act = async (id: string, action: string, body: Record<string, unknown>, headers: Record<string, string>) => {
    const res = await app.inject({ method: 'POST', url: `${BASE}/desk/requests/${id}/${action}`, headers, payload: body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { id: string; state: string; received_on: string; due_on: string; closed_at: string | null };
  };
  const report = (query: string, headers = staff.auditor!) => app.inject({ url: `${BASE}/desk/report?${query}`, headers });

  it.runIf(dialect.available)('reports the period\'s requests, answered on the day they were closed in the organisation\'s calendar', async () => {
    // 20 February: letters received earlier in the month are entered, and one request comes from the form.
    const a = await enter('2026-02-02T10:00:00+01:00', { type: 'rectification', corrections: [{ what: 'address', corrected: '1 rue Neuve' }] }, 'C-1');
    expect(a).toMatchObject({ received_on: '2026-02-02', due_on: '2026-03-02' });
    await enter('2026-01-30T10:00:00+01:00', { type: 'access' }, 'C-2'); // received before the period
    const c = await enter('2026-02-10T10:00:00+01:00', { type: 'access' }, 'C-3');
    expect(c.due_on).toBe('2026-03-10');
    const d = await enter('2026-02-05T10:00:00+01:00', { type: 'erasure' }, 'C-4');
    expect(d.due_on).toBe('2026-03-05');
    const submitted = await app.inject({ method: 'POST', url: `${BASE}/requests`, payload: { identities: [{ type: 'email', value: 'report.e@example.org' }], details: { type: 'access' } } });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const e = submitted.json() as { request: { id: string }; status_token: string };
    const verified = await app.inject({
      method: 'POST',
      url: `${BASE}/requests/${e.request.id}/verification`,
      headers: { 'x-status-token': e.status_token },
      payload: { identity: 1, code: await mail.lastCode('report.e@example.org') },
    });
    expect(verified.json().outcome).toBe('verified');

    // 1 March, 23:30 UTC: already 2 March in Paris. A is refused on its due day: on time, 28 days.
    clock = Date.parse('2026-03-01T23:30:00Z');
    expect((await act(a.id, 'refuse', { reasons: ['the address we hold is the one given'] }, staff.dpo!)).closed_at).toBe('2026-03-01T23:30:00.000Z');
    // 6 March: D is withdrawn, a day after its due day (closed late: 29 days).
    clock = Date.parse('2026-03-06T09:00:00Z');
    await act(d.id, 'withdraw', {}, staff.agent!);
    // 9 March: E is refused (17 days); C approved, and still open (waiting for the engine).
    clock = Date.parse('2026-03-09T09:00:00Z');
    await act(e.request.id, 'refuse', { reasons: ['excessive'] }, staff.dpo!);
    await act(c.id, 'approve', {}, staff.dpo!);

    // 20 March: the February report. C, due on 10 March, is open past its due day.
    clock = Date.parse('2026-03-20T09:00:00Z');
    const res = await report('from=2026-02-01&to=2026-02-28');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({
      organisation: ORG,
      from: '2026-02-01',
      to: '2026-02-28',
      as_of: '2026-03-20',
      received: 4,
      by_type: { access: 2, erasure: 1, rectification: 1 },
      by_outcome: { open: 1, refused: 2, withdrawn: 1 },
      answered: 3,
      // Sorted 17, 28, 29: the median by nearest rank is the 2nd, the 90th percentile the 3rd.
      days_to_answer: { median: 28, p90: 29 },
      answered_late: 1,
      open_overdue: 1,
    });

    const csv = await report('from=2026-02-01&to=2026-02-28&format=csv', staff.dpo!);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="opendpo-report-${ORG}-2026-02-01-2026-02-28.csv"`);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('figure,key,value');
    expect(lines).toEqual(
      expect.arrayContaining([
        'period,as of,2026-03-20',
        'requests,received,4',
        'by type,access,2',
        'by outcome,withdrawn,1',
        'answers,answered,3',
        'answers,median days to answer,28',
        'answers,90th percentile days to answer,29',
        'answers,answered after the due day,1',
        'answers,open past the due day,1',
      ]),
    );
    // Figures only: no request id, reference or identity in the report.
    for (const body of [res.body, csv.body]) {
      for (const secret of [a.id, c.id, e.request.id, 'C-1', 'report.e@example.org']) expect(body).not.toContain(secret);
    }

    // By ISO week, in the organisation's calendar: Sunday 1 February ends 2026-W05; A and D in W06, C in
    // W07, E (from the form, 20 February) in W08, nothing in W09 (cut at 28 February).
    const weekly = await report('from=2026-02-01&to=2026-02-28&group=week');
    expect(weekly.statusCode, weekly.body).toBe(200);
    const { weeks, ...whole } = weekly.json();
    expect(whole).toEqual(res.json());
    const types = { access: 0, erasure: 0, rectification: 0 };
    const outcomes = { open: 0, refused: 0, withdrawn: 0 };
    const nothing = { received: 0, by_type: types, by_outcome: outcomes, answered: 0, days_to_answer: { median: null, p90: null }, answered_late: 0, open_overdue: 0 };
    expect(weeks).toEqual([
      { week: '2026-W05', from: '2026-02-01', to: '2026-02-01', ...nothing },
      { week: '2026-W06', from: '2026-02-02', to: '2026-02-08', received: 2, by_type: { ...types, erasure: 1, rectification: 1 }, by_outcome: { ...outcomes, refused: 1, withdrawn: 1 }, answered: 2, days_to_answer: { median: 28, p90: 29 }, answered_late: 1, open_overdue: 0 },
      { week: '2026-W07', from: '2026-02-09', to: '2026-02-15', received: 1, by_type: { ...types, access: 1 }, by_outcome: { ...outcomes, open: 1 }, answered: 0, days_to_answer: { median: null, p90: null }, answered_late: 0, open_overdue: 1 },
      { week: '2026-W08', from: '2026-02-16', to: '2026-02-22', received: 1, by_type: { ...types, access: 1 }, by_outcome: { ...outcomes, refused: 1 }, answered: 1, days_to_answer: { median: 17, p90: 17 }, answered_late: 0, open_overdue: 0 },
      { week: '2026-W09', from: '2026-02-23', to: '2026-02-28', ...nothing },
    ]);
    const weeklyCsv = await report('from=2026-02-01&to=2026-02-28&group=week&format=csv');
    expect(weeklyCsv.headers['content-disposition']).toBe(`attachment; filename="opendpo-report-${ORG}-2026-02-01-2026-02-28-weeks.csv"`);
    expect(weeklyCsv.body.trimEnd().split('\r\n')).toEqual([
      'week,from,to,received,by type: access,by type: erasure,by type: rectification,by outcome: open,by outcome: refused,by outcome: withdrawn,answered,median days to answer,90th percentile days to answer,answered after the due day,open past the due day on 2026-03-20',
      '2026-W05,2026-02-01,2026-02-01,0,0,0,0,0,0,0,0,,,0,0',
      '2026-W06,2026-02-02,2026-02-08,2,0,1,1,0,1,1,2,28,29,1,0',
      '2026-W07,2026-02-09,2026-02-15,1,1,0,0,1,0,0,0,,,0,1',
      '2026-W08,2026-02-16,2026-02-22,1,1,0,0,0,1,0,1,17,17,0,0',
      '2026-W09,2026-02-23,2026-02-28,0,0,0,0,0,0,0,0,,,0,0',
      'all,2026-02-01,2026-02-28,4,2,1,1,1,2,1,3,28,29,1,1',
    ]);
    for (const body of [weekly.body, weeklyCsv.body]) {
      for (const secret of [a.id, c.id, e.request.id, 'C-1', 'report.e@example.org']) expect(body).not.toContain(secret);
    }

    // The request received on 30 January belongs to January's report; an empty period says so.
    expect((await report('from=2026-01-01&to=2026-01-31')).json()).toMatchObject({ received: 1, by_outcome: { open: 1 }, answered: 0, days_to_answer: { median: null, p90: null } });
    expect((await report('from=2025-01-01&to=2025-12-31')).json()).toMatchObject({ received: 0, by_type: {}, answered: 0 });
    // The report's day is the organisation's too, an empty period's included: 23:30 UTC is tomorrow in Paris.
    clock = Date.parse('2026-03-20T23:30:00Z');
    expect((await report('from=2025-01-01&to=2025-12-31')).json().as_of).toBe('2026-03-21');
  });

  it.runIf(dialect.available)('refuses a malformed period with a 400 naming it, and callers without requests.read', async () => {
    const cases: [string, string][] = [
      ['to=2026-02-28', 'query parameter "from"'],
      ['from=2026-02-30&to=2026-03-01', 'query parameter "from" must be a date written YYYY-MM-DD'],
      ['from=2026-03-01&to=2026-02-01', 'to (2026-02-01) is before from (2026-03-01)'],
      ['from=2026-02-01&to=2026-02-28&format=xml', 'must be json or csv'],
      ['from=2026-02-01&to=2026-02-28&group=month', 'must be period or week'],
      ['from=2020-01-01&to=2025-12-31&group=week', 'group=week covers at most 261 weeks'],
      ['from=2026-02-01&to=2026-02-28&org=other', 'org'],
    ];
    for (const [query, message] of cases) {
      const res = await report(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.message).toContain(message);
    }
    expect((await report('from=2026-02-01&to=2026-02-28', staff.controller!)).statusCode).toBe(403);
    expect((await report('from=2026-02-01&to=2026-02-28', {})).statusCode).toBe(401);
    const otherOrg = await app.inject({ url: '/api/v1/organisations/other-org/desk/report?from=2026-02-01&to=2026-02-28', headers: staff.auditor! });
    expect(otherOrg.statusCode).toBe(403);
  });
});
