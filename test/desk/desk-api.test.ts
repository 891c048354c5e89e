/**
 * The request desk over HTTP, on real SQLite and PostgreSQL stores, with codes sent through a real
 * SMTP server on loopback and read out of the mail as a person would: submit, confirm, follow, sign
 * in as staff, decide; every identity confirmed before anything goes on; a code never confirms
 * another identity or request; the deadline, the roles, the CSRF token and the audit log hold; no
 * identity reaches a log line or an audit entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { SmtpMailer } from '../../src/mail/smtp/smtp-mailer.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, staffAccount, tokenFor } from '../helpers/staff.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../support/smtp-sink.js';
import { logInto } from '../support/log-lines.js';

const ORG = 'acme-boutique';
const BASE = `/api/v1/organisations/${ORG}`;
const PASSWORD = 'correct horse battery staple';

describe.each([sqliteCase(), postgresCase()])('the request desk on $name', (dialect) => {
  let store: Store;
  let app: ZodApp;
  let sink: SmtpSink;
  let mailer: SmtpMailer;
  /** The clock the desk reads: tests move it (code expiry, deadlines). */
  let clock = Date.parse('2026-03-02T09:00:00Z');
  const logs: string[] = [];
  const staff: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    if (!dialect.available) return;
    store = await openStore(await dialect.setUp());
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    sink = await startSmtpSink();
    mailer = new SmtpMailer({ url: sink.url, from: 'Acme DPO <dpo@acme-boutique.example>' });
    const logStream = logInto(logs);
    app = await buildApp({ config: { logLevel: 'info', publicRateLimit: 10_000 }, store, defaultOrganisation: ORG, logStream, mailer, now: () => new Date(clock) });
    for (const role of ['dpo', 'agent', 'engineer', 'auditor'] as const) staff[role] = bearer(await tokenFor(store, ORG, role));
  });

  afterAll(async () => {
    await app?.close();
    await mailer?.close();
    await sink?.close();
    await store?.close();
    await dialect.tearDown();
  });

  const submit = async (body: Record<string, unknown>) => {
    const res = await app.inject({ method: 'POST', url: `${BASE}/requests`, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { request: { id: string; reference: string; state: string; due_on: string; received_on: string }; status_token: string; codes: { identity: number; sent: boolean }[] };
  };
  const codeIn = (m: SinkMessage) => /\b(\d{6})\b/.exec(m.text)?.[1] ?? '';
  const mailTo = (address: string, after = 0) => sink.waitFor((m) => m.to.includes(address) && sink.messages.indexOf(m) >= after);
  const verify = (id: string, token: string, identity: number, code: string) =>
    app.inject({ method: 'POST', url: `${BASE}/requests/${id}/verification`, headers: { 'x-status-token': token }, payload: { identity, code } });
  const act = (id: string, action: string, body: Record<string, unknown>, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: `${BASE}/desk/requests/${id}/${action}`, headers, payload: body });

  it.runIf(dialect.available)('takes a request from the form to a decision: the code read from the mail, a DPO signed in with a cookie and its CSRF token', async () => {
    const email = 'zoé.durand@example.org';
    const before = sink.messages.length;
    const submitted = await submit({ language: 'fr', identities: [{ type: 'email', value: email }], details: { type: 'access' } });
    expect(submitted.request).toMatchObject({ state: 'awaiting_identity', received_on: '2026-03-02', due_on: '2026-04-02' });
    expect(submitted.codes).toEqual([{ identity: 1, sent: true }]);
    expect(submitted.status_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const mail = await mailTo(email, before);
    const code = codeIn(mail);
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.subject).toMatch(/code/i);
    const { id } = submitted.request;

    const wrong = await verify(id, submitted.status_token, 1, code === '000000' ? '111111' : '000000');
    expect(wrong.json()).toEqual({ outcome: 'wrong', attempts_left: 4, state: 'awaiting_identity' });
    // A day later (the clock waited for the person: the deadline moves by that day, Art. 12(6)).
    clock += 86_400_000 - 20 * 60_000;
    const expired = await verify(id, submitted.status_token, 1, code);
    expect(expired.json().outcome).toBe('expired');
    const resend = await app.inject({ method: 'POST', url: `${BASE}/requests/${id}/codes`, headers: { 'x-status-token': submitted.status_token }, payload: { identity: 1 } });
    expect(resend.json()).toEqual({ identity: 1, sent: true });
    const second = codeIn(await mailTo(email, before + 1));
    const ok = await verify(id, submitted.status_token, 1, second);
    expect(ok.json()).toEqual({ outcome: 'verified', attempts_left: 4, state: 'verified' });
    const replay = await verify(id, submitted.status_token, 1, second);
    expect(replay.json().outcome).toBe('already-verified');
    // Confirmed: the acknowledgement tells the reference and the day the answer is due, in French.
    const ack = await sink.waitFor((m) => m.to.includes(email) && m.text.includes('3 avril 2026'));
    expect(ack.text).toContain(submitted.request.reference);
    expect(ack.html).toContain('lang="fr"');

    const status = await app.inject({ url: `${BASE}/requests/${id}`, headers: { 'x-status-token': submitted.status_token } });
    expect(status.json()).toMatchObject({ state: 'verified', received_on: '2026-03-02', due_on: '2026-04-03', identities: [{ identity: 1, type: 'email', masked: 'z•••@example.org', confirmed: true }] });

    await staffAccount(store, ORG, 'dpo', 'claire@acme-boutique.example', PASSWORD);
    const refused = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'claire@acme-boutique.example', password: 'not the password at all' } });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toBe('wrong login or password');
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'nobody@acme-boutique.example', password: PASSWORD } });
    expect(unknown.json()).toEqual(refused.json());
    const signIn = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'Claire@Acme-Boutique.example', password: PASSWORD } });
    expect(signIn.statusCode, signIn.body).toBe(200);
    const cookie = signIn.cookies.find((c) => c.name === 'opendpo_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    const session = { cookie: `opendpo_session=${cookie.value}` };
    const csrf = signIn.json().csrf_token as string;

    const queue = await app.inject({ url: `${BASE}/desk/requests?state=verified`, headers: session });
    expect(queue.json().requests.map((r: { id: string }) => r.id)).toContain(id);
    const withoutCsrf = await act(id, 'approve', {}, session);
    expect(withoutCsrf.statusCode).toBe(403);
    expect(withoutCsrf.json().error.message).toContain('CSRF');
    const wrongCsrf = await act(id, 'approve', {}, { ...session, 'x-csrf-token': `${csrf.slice(0, -1)}x` });
    expect(wrongCsrf.statusCode).toBe(403);
    const approved = await act(id, 'approve', {}, { ...session, 'x-csrf-token': csrf });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'approved', due_on: '2026-04-03' });
    expect(approved.json().history.map((h: { name: string; actor: string }) => [h.name, h.actor])).toEqual([
      ['request_identity', 'person'],
      ['verify_identity', 'person'],
      ['approve', expect.stringMatching(/^staff:/)],
    ]);
    expect(approved.json().letters).toEqual([{ seq: 1, kind: 'acknowledgement', language: 'fr', status: 'sent', at: expect.any(String), error: null }]);

    const personal = await app.inject({ url: `${BASE}/desk/requests/${id}/personal-data`, headers: session });
    expect(personal.json().identities).toEqual([{ identity: 1, type: 'email', value: email }]);
    const entries = [];
    for await (const e of store.audit.entries(ORG)) entries.push(e);
    const ofRequest = entries.filter((e) => e.subject.id === id).map((e) => e.action);
    expect(ofRequest).toEqual([
      'request.received',
      'request.code_sent',
      'request.request_identity',
      'request.code_checked',
      'request.code_checked',
      'request.code_sent',
      'request.code_checked',
      'request.verify_identity',
      'request.letter_sent',
      'request.approve',
      'request.viewed',
    ]);
    expect((await store.audit.verify(ORG)).problems).toEqual([]);
    const everything = JSON.stringify(entries) + logs.join('');
    expect(everything).not.toContain('durand');
    expect(everything).not.toContain(second);

    const signOut = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { ...session, 'x-csrf-token': csrf } });
    expect(signOut.statusCode).toBe(204);
    expect((await app.inject({ url: `${BASE}/desk/requests`, headers: session })).statusCode).toBe(401);
  });

  it.runIf(dialect.available)('confirms every identity a request names, and a code confirms only its own identity and request', async () => {
    const a = await submit({ identities: [{ type: 'email', value: 'first@example.org' }, { type: 'work_email', value: 'second@example.org' }], details: { type: 'erasure' } });
    const b = await submit({ identities: [{ type: 'email', value: 'third@example.org' }], details: { type: 'access' } });
    const codeA1 = codeIn(await mailTo('first@example.org'));
    const codeA2 = codeIn(await mailTo('second@example.org'));
    const codeB = codeIn(await mailTo('third@example.org'));
    const id = a.request.id;
    // Request A's first code typed for its second identity, and for request B: wrong both times.
    if (codeA1 !== codeA2) expect((await verify(id, a.status_token, 2, codeA1)).json().outcome).toBe('wrong');
    if (codeA1 !== codeB) expect((await verify(b.request.id, b.status_token, 1, codeA1)).json().outcome).toBe('wrong');
    // Request B's status token does not open request A.
    const crossed = await verify(id, b.status_token, 1, codeA1);
    expect(crossed.statusCode).toBe(404);
    expect(crossed.json().error.message).toBe('no request with this id and status token');
    expect((await verify(id, a.status_token, 1, codeA1)).json()).toMatchObject({ outcome: 'verified', state: 'awaiting_identity' });
    // One confirmed and one not: no one may approve it yet.
    const early = await act(id, 'approve', {}, staff.dpo!);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('approve is not possible on a request that is waiting for identity information');
    expect((await verify(id, a.status_token, 2, codeA2)).json()).toMatchObject({ outcome: 'verified', state: 'verified' });
  });

  it.runIf(dialect.available)('locks a code after five wrong tries', async () => {
    const s = await submit({ identities: [{ type: 'email', value: 'guesser@example.org' }], details: { type: 'access' } });
    const code = codeIn(await mailTo('guesser@example.org'));
    const wrongCode = code === '123456' ? '654321' : '123456';
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push((await verify(s.request.id, s.status_token, 1, wrongCode)).json().outcome);
    expect(outcomes).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'locked']);
    expect((await verify(s.request.id, s.status_token, 1, code)).json()).toMatchObject({ outcome: 'locked', attempts_left: 0 });
  });

  it.runIf(dialect.available)('refuses with reasons and the complaint information, extends within the first month by two months at most', async () => {
    const entered = await app.inject({
      method: 'POST',
      url: `${BASE}/desk/requests`,
      headers: staff.agent!,
      payload: { channel: 'post', received_at: '2026-01-31T10:00:00+01:00', identities: [{ type: 'customer_number', value: 'C-1042' }], details: { type: 'rectification', corrections: [{ what: 'postal address', corrected: '3 rue Neuve' }] } },
    });
    expect(entered.statusCode, entered.body).toBe(201);
    const r = entered.json();
    // Received on 31 January 2026: due on the last day of February (Regulation 1182/71), a Saturday: Monday 2 March.
    expect(r).toMatchObject({ state: 'received', channel: 'post', received_on: '2026-01-31', due_on: '2026-03-02', created_by: expect.stringMatching(/^token:/) });
    const confirm = await act(r.id, 'confirm-identity', { identity: 1, method: 'document', note: 'identity card looked at, not kept' }, staff.agent!);
    expect(confirm.json()).toMatchObject({ state: 'verified', identities: [{ identity: 1, confirmed_by: 'document' }] });
    // The clock reads 2026-03-03 by now: the first month ended on 2 March.
    clock = Date.parse('2026-03-03T09:00:00Z');
    const late = await act(r.id, 'extend', { months: 1, reasons: ['many systems'] }, staff.agent!);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toBe('an extension is told within the first month (Art. 12(3)); that month ended on 2026-03-02');
    // Past its day in the organisation's calendar (Paris): in the overdue queue; a request due later is not.
    const overdue = (await app.inject({ url: `${BASE}/desk/requests?overdue=true&limit=500`, headers: staff.auditor! })).json().requests.map((q: { id: string }) => q.id);
    expect(overdue).toContain(r.id);
    const notYet = (await app.inject({ url: `${BASE}/desk/requests?state=verified,approved&limit=500`, headers: staff.auditor! })).json().requests.filter((q: { due_on: string }) => q.due_on >= '2026-03-03');
    expect(notYet.length).toBeGreaterThan(0);
    for (const q of notYet) expect(overdue).not.toContain(q.id);
    const agentRefuses = await act(r.id, 'refuse', { reasons: ['x'] }, staff.agent!);
    expect(agentRefuses.statusCode).toBe(403);
    const noReason = await act(r.id, 'refuse', { reasons: [] }, staff.dpo!);
    expect(noReason.statusCode).toBe(400);
    const refused = await act(r.id, 'refuse', { reasons: ['the address given is the one we hold'] }, staff.dpo!);
    expect(refused.json()).toMatchObject({ state: 'refused', closed_at: expect.any(String) });
    expect(refused.json().history.at(-1).input).toEqual({
      reasons: ['the address given is the one we hold'],
      complaint_authority: "Commission nationale de l'informatique et des libertés (CNIL)",
      complaint_authority_url: 'https://www.cnil.fr',
      judicial_remedy: true,
    });
    const after = await act(r.id, 'approve', {}, staff.dpo!);
    expect(after.json().error.message).toBe('the request is refused: nothing more can be done with it');
    // Entered from a letter with a customer number only: the letters are kept as not sent, for staff to post.
    const letters = (await app.inject({ url: `${BASE}/desk/requests/${r.id}`, headers: staff.auditor! })).json().letters;
    expect(letters.map((l: { kind: string; status: string; error: string }) => [l.kind, l.status, l.error])).toEqual([
      ['acknowledgement', 'failed', 'the request names no email address: send this letter by post'],
      ['refusal', 'failed', 'the request names no email address: send this letter by post'],
    ]);

    const fresh = await submit({ identities: [{ type: 'email', value: 'ext@example.org' }], details: { type: 'access' } });
    expect((await act(fresh.request.id, 'extend', { months: 2, reasons: ['complex'] }, staff.agent!)).json()).toMatchObject({ extension_months: 2, due_on: '2026-06-03' });
    const extension = await sink.waitFor((m) => m.to.includes('ext@example.org') && m.text.includes('3 June 2026'));
    expect(extension.text).toContain('complex');
    const third = await act(fresh.request.id, 'extend', { months: 1, reasons: ['again'] }, staff.agent!);
    expect(third.statusCode).toBe(409);
    expect(third.json().error.message).toBe('the period may be extended by two further months at most (Art. 12(3)); 2 already granted');
  });

  it.runIf(dialect.available)('shows each role what it may see, and refuses a decision made on a stale version', async () => {
    const s = await submit({ identities: [{ type: 'email', value: 'roles@example.org' }], details: { type: 'objection', direct_marketing: true } });
    const id = s.request.id;
    const asAuditor = await app.inject({ url: `${BASE}/desk/requests/${id}`, headers: staff.auditor! });
    expect(asAuditor.statusCode).toBe(200);
    expect(asAuditor.body).not.toContain('roles@example.org');
    expect((await app.inject({ url: `${BASE}/desk/requests/${id}/personal-data`, headers: staff.auditor! })).statusCode).toBe(403);
    expect((await app.inject({ url: `${BASE}/desk/requests/${id}/personal-data`, headers: staff.engineer! })).statusCode).toBe(403);
    const version = asAuditor.json().version as number;
    const assigned = await act(id, 'assign', { assignee: null, version }, staff.agent!);
    expect(assigned.statusCode).toBe(200);
    const stale = await act(id, 'withdraw', { version }, staff.agent!);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('REQUEST_CHANGED');
  });

  it.runIf(dialect.available)('records what staff carried out by hand, and tells the person; an access request is not recorded so', async () => {
    const s = await submit({ identities: [{ type: 'email', value: 'objects@example.org' }], details: { type: 'objection', direct_marketing: true } });
    const id = s.request.id;
    expect((await verify(id, s.status_token, 1, codeIn(await mailTo('objects@example.org')))).json().state).toBe('verified');
    expect((await act(id, 'approve', {}, staff.dpo!)).json().state).toBe('approved');
    expect((await act(id, 'record-done', { done: 'No more marketing emails.' }, staff.agent!)).statusCode).toBe(403);
    const done = await act(id, 'record-done', { done: 'Your address is on our suppression list: no more marketing emails.' }, staff.dpo!);
    expect(done.json()).toMatchObject({ state: 'completed', closed_at: expect.any(String) });
    expect(done.json().history.slice(-2).map((h: { name: string; input: unknown }) => [h.name, h.input])).toEqual([
      ['start', {}],
      ['complete', { done: 'Your address is on our suppression list: no more marketing emails.', by_hand: true }],
    ]);
    const letter = await sink.waitFor((m) => m.to.includes('objects@example.org') && m.text.includes('suppression list'));
    expect(letter.text).toContain(s.request.reference);

    const access = await submit({ identities: [{ type: 'email', value: 'copy@example.org' }], details: { type: 'access' } });
    await verify(access.request.id, access.status_token, 1, codeIn(await mailTo('copy@example.org')));
    await act(access.request.id, 'approve', {}, staff.dpo!);
    const byHand = await act(access.request.id, 'record-done', { done: 'sent by post' }, staff.dpo!);
    expect(byHand.statusCode).toBe(409);
    expect(byHand.json().error.message).toContain('answered with its copy');
  });

  it.runIf(dialect.available)('answers bad input with a clear 400 and writes nothing', async () => {
    const count = async () => (await store.desk.queue(ORG, { limit: 500 })).length;
    const before = await count();
    const cases: [unknown, string][] = [
      [{ identities: [{ type: 'email', value: 'a@example.org' }], details: { type: 'access' }, admin: true }, 'admin'],
      [{ identities: [{ type: 'email', value: 'not an email' }], details: { type: 'access' } }, 'must be an email address'],
      [{ identities: [], details: { type: 'access' } }, 'identities'],
      [{ identities: [{ type: 'email', value: 'a@example.org' }], details: { type: 'delete_everything' } }, 'details'],
      [{ identities: [{ type: "email'; drop table desk_requests; --", value: 'a@example.org' }], details: { type: 'access' } }, 'identity type'],
      [{ identities: [{ type: 'email', value: 'a@example.org' }, { type: 'email', value: 'b@example.org' }], details: { type: 'access' } }, 'names a second email: one value per identity type'],
      [{ identities: [{ type: 'email', value: 'a@example.org' }], details: { type: 'objection', direct_marketing: false } }, 'grounds'],
    ];
    for (const [payload, message] of cases) {
      const res = await app.inject({ method: 'POST', url: `${BASE}/requests`, payload: payload as Record<string, unknown> });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toContain(message);
    }
    const huge = await app.inject({ method: 'POST', url: `${BASE}/requests`, payload: { identities: [{ type: 'email', value: 'a@example.org' }], details: { type: 'access' }, message: 'x'.repeat(70_000) } });
    expect(huge.statusCode).toBe(413);
    expect(await count()).toBe(before);
  });
});
