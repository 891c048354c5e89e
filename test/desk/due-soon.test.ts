/**
 * The queue's due-soon view over HTTP (`due_within=N`), on real SQLite and PostgreSQL stores: open
 * requests due from today to today + N calendar days, both included, today being the organisation's
 * (Paris) calendar day; by due day; each queue item with its days left (negative when overdue, null
 * when closed or while the clock waits for identity information). Requests are entered by staff as
 * received on each day of five weeks, so every working day has requests due on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../src/desk/reminders/calendar-days.js';
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

interface QueueItem {
  id: string;
  reference: string;
  state: string;
  due_on: string;
  days_left: number | null;
}

describe.each([sqliteCase(), postgresCase()])('the due-soon queue on $name', (dialect) => {
  let store: Store;
  let app: ZodApp;
  /** Tuesday 10 March 2026, 10:00 in Paris. */
  let clock = Date.parse('2026-03-10T09:00:00Z');
  let agent: Record<string, string>;
  let auditor: Record<string, string>;
  /** Every request entered, as the desk answered (due_on included). */
  const entered: { id: string; due_on: string }[] = [];
  let closedId = '';
  let waitingId = '';

  beforeAll(async () => {
    if (!dialect.available) return;
    store = await openStore(await dialect.setUp());
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000 }, store, defaultOrganisation: ORG, now: () => new Date(clock) });
    agent = bearer(await tokenFor(store, ORG, 'agent'));
    auditor = bearer(await tokenFor(store, ORG, 'auditor'));
    // Received every day from 25 January to 28 February: due (one month later, moved off weekends) from 25 February to 30 March.
    for (let day = '2026-01-25'; day <= '2026-02-28'; day = addDays(day, 1)) {
      const res = await app.inject({
        method: 'POST',
        url: `${BASE}/desk/requests`,
        headers: agent,
        payload: { channel: 'post', received_at: `${day}T10:00:00+01:00`, identities: [{ type: 'customer_number', value: `C-${day}` }], details: { type: 'access' } },
      });
      expect(res.statusCode, res.body).toBe(201);
      entered.push({ id: res.json().id, due_on: res.json().due_on });
    }
    // One due in the window is refused (closed), one waits for identity information (its clock stops): neither is due soon.
    const inWindow = entered.filter((r) => r.due_on >= '2026-03-12' && r.due_on <= '2026-03-13');
    closedId = inWindow[0]!.id;
    waitingId = inWindow[1]!.id;
    const dpo = bearer(await tokenFor(store, ORG, 'dpo'));
    expect((await app.inject({ method: 'POST', url: `${BASE}/desk/requests/${closedId}/refuse`, headers: dpo, payload: { reasons: ['no data held'] } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `${BASE}/desk/requests/${waitingId}/request-identity`, headers: agent, payload: { reason: 'the customer number is not ours' } })).statusCode).toBe(200);
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await dialect.tearDown();
  });

  const queue = async (query: string, headers = auditor) => {
    const res = await app.inject({ url: `${BASE}/desk/requests?${query}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { requests: QueueItem[]; next_after: string | null };
  };
  /** What the due-soon view must hold for `today` and `days`, worked out from the requests entered. */
  const expected = (today: string, days: number) =>
    entered
      .filter((r) => r.id !== closedId && r.id !== waitingId && r.due_on >= today && r.due_on <= addDays(today, days))
      .sort((a, b) => a.due_on.localeCompare(b.due_on) || a.id.localeCompare(b.id))
      .map((r) => r.id);

  it.runIf(dialect.available)('lists the open requests due from today to today + N calendar days, both included, by due day, with their days left', async () => {
    const { requests, next_after } = await queue('due_within=7&limit=500');
    expect(requests.map((r) => r.id)).toEqual(expected('2026-03-10', 7));
    expect(next_after).toBeNull();
    // Both ends are there: a request due today (0 days left) and one due on the 17th (7 days left).
    expect(requests[0]).toMatchObject({ due_on: '2026-03-10', days_left: 0 });
    expect(requests.at(-1)).toMatchObject({ due_on: '2026-03-17', days_left: 7 });
    for (const r of requests) expect(r.days_left).toBe(daysBetween('2026-03-10', r.due_on));
    expect(requests.map((r) => r.id)).not.toContain(closedId);
    expect(requests.map((r) => r.id)).not.toContain(waitingId);
    // Due within one day: today and tomorrow only.
    const one = (await queue('due_within=1&limit=500')).requests;
    expect(one.map((r) => r.id)).toEqual(expected('2026-03-10', 1));
    expect(new Set(one.map((r) => r.due_on))).toEqual(new Set(['2026-03-10', '2026-03-11']));
  });

  it.runIf(dialect.available)('gives every queue item its days left: negative when overdue, null once closed or while the clock waits', async () => {
    const all = (await queue('limit=500')).requests;
    expect(all).toHaveLength(entered.length);
    const overdue = all.find((r) => r.due_on === '2026-03-05')!;
    expect(overdue.days_left).toBe(-5);
    expect(all.find((r) => r.id === closedId)!.days_left).toBeNull();
    expect(all.find((r) => r.id === waitingId)!.days_left).toBeNull();
    // The overdue view and the due-soon view meet at today, without overlapping.
    const late = (await queue('overdue=true&limit=500')).requests;
    expect(late.every((r) => r.days_left !== null && r.days_left < 0)).toBe(true);
    expect(late.map((r) => r.id).filter((id) => expected('2026-03-10', 7).includes(id))).toEqual([]);
  });

  it.runIf(dialect.available)('counts today in the organisation\'s calendar: at 00:30 in Paris, a request due the day before is overdue', async () => {
    const before = clock;
    clock = Date.parse('2026-03-10T23:30:00Z');
    try {
      const { requests } = await queue('due_within=7&limit=500');
      expect(requests.map((r) => r.id)).toEqual(expected('2026-03-11', 7));
      expect(requests.some((r) => r.due_on === '2026-03-10')).toBe(false);
      const yesterday = (await queue('limit=500')).requests.find((r) => r.due_on === '2026-03-10' && r.days_left !== null)!;
      expect(yesterday.days_left).toBe(-1);
    } finally {
      clock = before;
    }
  });

  it.runIf(dialect.available)('pages by due day, and combines with the other filters', async () => {
    const all = expected('2026-03-10', 7);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: { requests: QueueItem[]; next_after: string | null } = await queue(`due_within=7&limit=3${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      seen.push(...page.requests.map((r) => r.id));
      after = page.next_after;
    } while (after !== null);
    expect(seen).toEqual(all);
    // due_before narrows the window; a closed state asked with due_within gives nothing (due soon means open).
    expect((await queue('due_within=7&due_before=2026-03-12&limit=500')).requests.map((r) => r.id)).toEqual(expected('2026-03-10', 1));
    expect((await queue('due_within=7&state=refused')).requests).toEqual([]);
    expect((await queue('due_within=7&state=received,refused&limit=500')).requests.map((r) => r.id)).toEqual(all);
  });

  it.runIf(dialect.available)('refuses a due_within that is not 1 to 60 days, or given with overdue=true, in the error format and writing nothing', async () => {
    const before = (await queue('limit=500')).requests;
    for (const query of ['due_within=0', 'due_within=61', 'due_within=abc', 'due_within=2.5', 'due_within=-3', 'due_within=7&overdue=true']) {
      const res = await app.inject({ url: `${BASE}/desk/requests?${query}`, headers: auditor });
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toEqual({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('due_within') } });
    }
    expect((await queue('limit=500')).requests).toEqual(before);
    // The queue is for staff: without a token, no due-soon view.
    expect((await app.inject({ url: `${BASE}/desk/requests?due_within=7` })).statusCode).toBe(401);
  });
});
