/**
 * A new status key for the person who lost theirs (Desk.reissueStatusKey, POST …/status-key;
 * Art. 12(2)): the earlier key stops working and the new one opens the request; the link is emailed
 * to a confirmed address only (Art. 12(6)), an unconfirmed address gets nothing and staff get the
 * link once; the version read is checked; agents may, engineers may not; a forwarded request is
 * refused; a closed request is not; without a mail server staff get the link, and a mail that fails
 * is kept as failed; the key reaches no log line, no audit entry and no kept letter.
 * Real SQLite store, real SMTP on loopback (test/privacy-center/center-app.ts).
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Desk } from '../../src/desk/desk.js';
import { ROLES, allows } from '../../src/desk/staff/roles.js';
import { SmtpMailer } from '../../src/mail/smtp/smtp-mailer.js';
import { bearer, tokenFor } from '../helpers/staff.js';
import type { SinkMessage } from '../support/smtp-sink.js';
import { centerApp, ORG, type CenterApp } from '../privacy-center/center-app.js';
import { logInto } from '../support/log-lines.js';

const API = `/api/v1/organisations/${ORG}`;

interface Entered {
  id: string;
  state: string;
  version: number;
  status_token: string;
}

interface Reissued {
  id: string;
  state: string;
  version: number;
  follow_url?: string;
  letters: { kind: string; status: string; subject: string }[];
}

describe('a new status key for the person who lost theirs', () => {
  let c: CenterApp;
  let agent: Record<string, string>;
  const logs: string[] = [];
  /** Every key given in these tests: none may reach a log line or the audit log. */
  const keys: string[] = [];
  beforeAll(async () => {
    c = await centerApp({
      logStream: logInto(logs),
    });
    agent = bearer(await tokenFor(c.store, ORG, 'agent'));
  });
  afterAll(async () => c?.close());

  const enter = async (body: Record<string, unknown>): Promise<Entered> => {
    const res = await c.app.inject({ method: 'POST', url: `${API}/desk/requests`, headers: agent, payload: { received_at: new Date(c.clock.now - 3_600_000).toISOString(), details: { type: 'access' }, language: 'en', ...body } });
    expect(res.statusCode, res.body).toBe(201);
    const entered = res.json() as Entered;
    keys.push(entered.status_token);
    return entered;
  };
  const read = async (id: string) => (await c.app.inject({ url: `${API}/desk/requests/${id}`, headers: agent })).json() as Reissued;
  const reissue = (id: string, payload: Record<string, unknown> = {}, headers = agent) => c.app.inject({ method: 'POST', url: `${API}/desk/requests/${id}/status-key`, headers, payload });
  /** What the person sees with a key: 200 with their request, or 404 (the same for a wrong key and an unknown id). */
  const follow = async (id: string, key: string) => (await c.app.inject({ url: `${API}/requests/${id}`, headers: { 'x-status-token': key } })).statusCode;
  const keyOf = (link: string) => decodeURIComponent(/[?&]key=([^&\s]+)/.exec(link)![1]!);
  const linkIn = (m: SinkMessage): string | undefined => /https?:\/\/[^\s]+\?key=[A-Za-z0-9_%-]+/.exec(m.text)?.[0];
  /** A request received by email whose address staff confirmed (step-up). */
  const confirmedRequest = async (email: string, language: 'en' | 'fr' = 'en'): Promise<Entered> => {
    const entered = await enter({ channel: 'email', language, identities: [{ type: 'email', value: email }] });
    const confirmed = await c.app.inject({ method: 'POST', url: `${API}/desk/requests/${entered.id}/confirm-identity`, headers: agent, payload: { identity: 1, method: 'staff', note: 'Called the person back on the number we hold' } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    return { ...entered, version: (confirmed.json() as Reissued).version };
  };
  /** Lets any mail the desk might have sent reach the sink before counting. */
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it('emails the new link to the confirmed address: the old key is refused, the new one opens the request (English and French)', async () => {
    for (const [language, email, subject] of [
      ['en', 'lost.key@example.org', 'a new link to follow your request'],
      ['fr', 'cle.perdue@example.org', 'un nouveau lien pour suivre votre demande'],
    ] as const) {
      const entered = await confirmedRequest(email, language);
      expect(await follow(entered.id, entered.status_token)).toBe(200);
      const before = c.mail.sink.messages.length;
      const res = await reissue(entered.id, { version: entered.version });
      expect(res.statusCode, res.body).toBe(200);
      const answer = res.json() as Reissued;
      // Emailed: staff never see the link.
      expect(answer.follow_url).toBeUndefined();
      expect(answer.letters.at(-1)).toMatchObject({ kind: 'status_link', status: 'sent' });
      const mail = await c.mail.sink.waitFor((m) => m.to.includes(email) && c.mail.sink.messages.indexOf(m) >= before);
      expect(mail.subject.replace(/\s+/g, ' ')).toContain(subject);
      const link = linkIn(mail)!;
      expect(link).toMatch(new RegExp(`/privacy-center/${ORG}/requests/${entered.id}\\?key=`));
      const key = keyOf(link);
      keys.push(key);
      expect(key).not.toBe(entered.status_token);
      expect(await follow(entered.id, entered.status_token)).toBe(404);
      expect(await follow(entered.id, key)).toBe(200);
      // The letter is kept with the request, without the key: the desk keeps only its hash.
      const kept = await c.store.desk.get(ORG, entered.id);
      const letter = kept!.letters.at(-1)!;
      expect(letter.kind).toBe('status_link');
      expect(letter.body_text).toContain('(key not kept)');
      expect(`${letter.subject}${letter.body_text}${letter.body_html ?? ''}`).not.toContain(key);
      expect(JSON.stringify(await read(entered.id))).not.toContain(key);
    }
  });

  it('never emails an unconfirmed address: staff get the link once, and it opens the request', async () => {
    const email = 'not.yet.confirmed@example.org';
    const entered = await enter({ channel: 'email', identities: [{ type: 'email', value: email }] });
    await c.mail.sink.waitFor((m) => m.to.includes(email)); // the entry's code email
    await settle();
    const mailsToIt = () => c.mail.sink.messages.filter((m) => m.to.includes(email)).length;
    const before = mailsToIt();
    const res = await reissue(entered.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const answer = res.json() as Reissued;
    expect(answer.follow_url).toMatch(new RegExp(`^http://localhost:4750/privacy-center/${ORG}/requests/${entered.id}\\?key=[A-Za-z0-9_-]{43}$`));
    const key = keyOf(answer.follow_url!);
    keys.push(key);
    await settle();
    expect(mailsToIt()).toBe(before);
    expect(answer.letters.some((l) => l.kind === 'status_link')).toBe(false);
    expect(await follow(entered.id, entered.status_token)).toBe(404);
    expect(await follow(entered.id, key)).toBe(200);
    // Shown once: reading the request again never gives it.
    expect(JSON.stringify(await read(entered.id))).not.toContain(key);
  });

  it('gives staff the link of a request received by post with no email address, for their postal answer', async () => {
    const entered = await enter({ channel: 'post', identities: [{ type: 'phone_number', value: '+33612345678' }] });
    const res = await reissue(entered.id);
    expect(res.statusCode, res.body).toBe(200);
    const key = keyOf((res.json() as Reissued).follow_url!);
    keys.push(key);
    expect(await follow(entered.id, key)).toBe(200);
    const trail = await c.store.audit.page(ORG, { limit: 10, action: 'request.status_key_reissued', subjectId: entered.id });
    expect(trail.map((e) => e.detail)).toEqual([{ sent: 'staff' }]);
  });

  it('checks the version read: a stale one is refused and the earlier key still works', async () => {
    const entered = await confirmedRequest('stale.version@example.org');
    const stale = await reissue(entered.id, { version: entered.version - 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'REQUEST_CHANGED' } });
    expect(await follow(entered.id, entered.status_token)).toBe(200);
    const trail = await c.store.audit.page(ORG, { limit: 10, action: 'request.status_key_reissued', subjectId: entered.id });
    expect(trail).toEqual([]);
  });

  it('is for the roles that handle identities: agents, the DPO and admins, never engineers, auditors or a controller', async () => {
    const entered = await enter({ channel: 'post', identities: [{ type: 'phone_number', value: '+33698765432' }] });
    for (const role of ROLES) {
      const headers = bearer(await tokenFor(c.store, ORG, role, role === 'controller' ? { controllerId: 'some-controller' } : {}));
      const res = await reissue(entered.id, {}, headers);
      if (res.statusCode === 200) keys.push(keyOf((res.json() as Reissued).follow_url!));
      expect(res.statusCode, `${role}: ${res.body}`).toBe(allows(role, 'requests.identity') ? 200 : 403);
    }
    expect(allows('agent', 'requests.identity')).toBe(true);
    expect(allows('engineer', 'requests.identity')).toBe(false);
  });

  it('refuses a request a controller forwarded: the controller follows it, the person holds no key', async () => {
    const entered = await enter({ channel: 'post', identities: [{ type: 'phone_number', value: '+33611112222' }] });
    // Stored as a forwarded request is (channel controller, with its controller).
    await c.store.desk.apply(ORG, { requestId: entered.id, expectedVersion: entered.version, set: { channel: 'controller', controller_id: 'some-controller' }, audit: [{ actor: 'test', action: 'test.forwarded', subject: { kind: 'request', id: entered.id } }] });
    const res = await reissue(entered.id);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'REQUEST_REFUSED' } });
    expect(res.body).toContain('Art. 28(3)(e)');
    expect(res.body).not.toContain('key=');
  });

  it('gives a new key to a closed request: the person may still read its outcome', async () => {
    const entered = await confirmedRequest('withdrew.it@example.org');
    const withdrawn = await c.app.inject({ method: 'POST', url: `${API}/desk/requests/${entered.id}/withdraw`, headers: agent, payload: { note: 'The person wrote to withdraw it' } });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const before = c.mail.sink.messages.length;
    const res = await reissue(entered.id);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as Reissued).state).toBe('withdrawn');
    const mail = await c.mail.sink.waitFor((m) => m.to.includes('withdrew.it@example.org') && c.mail.sink.messages.indexOf(m) >= before && /follow your request/.test(m.subject));
    const key = keyOf(linkIn(mail)!);
    keys.push(key);
    const status = await c.app.inject({ url: `${API}/requests/${entered.id}`, headers: { 'x-status-token': key } });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ id: entered.id, state: 'withdrawn' });
  });

  it('gives staff the link when no mail server is configured, even for a confirmed address; records a failed mail and says so', async () => {
    const entered = await confirmedRequest('no.mail.server@example.org');
    const now = () => new Date(c.clock.now);
    const withoutMail = await new Desk({ store: c.store, now }).reissueStatusKey(ORG, entered.id, 'staff:test', entered.version);
    expect(withoutMail.sent).toBe('staff');
    const key = keyOf(withoutMail.sent === 'staff' ? withoutMail.followUrl : '');
    keys.push(key);
    expect(await follow(entered.id, key)).toBe(200);

    // A mail server that refuses the connection: the key is replaced (staff send another), the letter is kept as failed.
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const mailer = new SmtpMailer({ url: `smtp://127.0.0.1:${closed}`, from: 'dpo@acme-boutique.example' });
    try {
      const failed = await new Desk({ store: c.store, mailer, now }).reissueStatusKey(ORG, entered.id, 'staff:test');
      expect(failed.sent).toBe('email');
      expect(failed.request.letters.at(-1)).toMatchObject({ kind: 'status_link', status: 'failed' });
      expect(failed.request.letters.at(-1)!.body_text).toContain('(key not kept)');
      expect(await follow(entered.id, key)).toBe(404);
    } finally {
      await mailer.close();
    }
  });

  it('answers bad input with a clear problem', async () => {
    const entered = await enter({ channel: 'post', identities: [{ type: 'phone_number', value: '+33633334444' }] });
    const notANumber = await reissue(entered.id, { version: 'two' });
    expect(notANumber.statusCode).toBe(400);
    expect(notANumber.body).toContain('version');
    const unknownField = await reissue(entered.id, { email: 'someone.else@example.org' });
    expect(unknownField.statusCode).toBe(400);
    expect((await reissue('not-a-uuid')).statusCode).toBe(400);
    const unknown = await reissue('0b0b0b0b-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect((await c.app.inject({ method: 'POST', url: `${API}/desk/requests/${entered.id}/status-key`, payload: {} })).statusCode).toBe(401);
  });

  it('writes no key to a log line or the audit log: ids and counts only', async () => {
    expect(keys.length).toBeGreaterThan(8);
    const logged = logs.join('');
    expect(logged).toContain('"route":"/api/v1/organisations/:org/desk/requests/:id/status-key"');
    const audit: string[] = [];
    for await (const e of c.store.audit.entries(ORG)) audit.push(JSON.stringify(e));
    const reissued = audit.filter((e) => e.includes('request.status_key_reissued'));
    expect(reissued.length).toBeGreaterThan(5);
    expect(reissued.some((e) => e.includes('"sent":"email"'))).toBe(true);
    for (const key of keys) {
      expect(logged).not.toContain(key);
      expect(audit.join('\n')).not.toContain(key);
    }
    expect(logged).not.toContain('lost.key@example.org');
    expect(audit.join('\n')).not.toContain('lost.key@example.org');
  });
});
