/**
 * A request staff entered from an email or a letter, followed by the person on the privacy center
 * (docs/privacy-center.md, "A request entered by staff"): the entry's answer gives the key and its
 * link once; the code email of a request received by email carries the link; the link moves the key
 * into the request's cookie and redirects (303) to the page without it; the key is never logged. A
 * web-form request's key is never emailed. Real SQLite store, real SMTP on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../helpers/staff.js';
import type { SinkMessage } from '../support/smtp-sink.js';
import { centerApp, ORG, type CenterApp } from './center-app.js';
import { logInto } from '../support/log-lines.js';

const API = `/api/v1/organisations/${ORG}`;
const BASE = `/privacy-center/${ORG}`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

interface Entered {
  id: string;
  channel: string;
  state: string;
  status_token: string;
  follow_url: string;
}

describe('a request entered by staff, followed on the privacy center', () => {
  let c: CenterApp;
  let staff: Record<string, string>;
  const logs: string[] = [];
  beforeAll(async () => {
    c = await centerApp({
      logStream: logInto(logs),
    });
    staff = bearer(await tokenFor(c.store, ORG, 'agent'));
  });
  afterAll(async () => c?.close());

  const enter = async (body: Record<string, unknown>): Promise<Entered> => {
    const res = await c.app.inject({ method: 'POST', url: `${API}/desk/requests`, headers: staff, payload: { received_at: new Date(c.clock.now - 3_600_000).toISOString(), details: { type: 'access' }, ...body } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Entered;
  };
  const mailTo = (address: string, after: number): Promise<SinkMessage> => c.mail.sink.waitFor((m) => m.to.includes(address) && c.mail.sink.messages.indexOf(m) >= after);
  /** The link in a mail, on this app (the desk writes OPENDPO_PUBLIC_URL's default origin). */
  const linkIn = (m: SinkMessage): string | undefined => /https?:\/\/[^\s]+\?key=[A-Za-z0-9_%-]+/.exec(m.text)?.[0];
  const pathOf = (link: string) => link.replace(/^https?:\/\/[^/]+/, '');

  it('gives staff the key and its link once, and emails a request received by email its code with the link (English and French)', async () => {
    for (const [language, email, words] of [
      ['en', 'staff.entered.en@example.org', 'Open this link, which leads to your request on our privacy center, and enter the code there:'],
      ['fr', 'staff.entered.fr@example.org', 'Ouvrez ce lien, qui mène à votre demande sur notre espace vie privée, et saisissez-y le code'],
    ] as const) {
      const before = c.mail.sink.messages.length;
      const entered = await enter({ channel: 'email', language, identities: [{ type: 'email', value: email }] });
      expect(entered).toMatchObject({ channel: 'email', state: 'awaiting_identity' });
      expect(entered.status_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(entered.follow_url).toBe(`http://localhost:4750${BASE}/requests/${entered.id}?key=${entered.status_token}`);
      const mail = await mailTo(email, before);
      expect(mail.text.replace(/\s+/g, ' ')).toContain(words);
      expect(linkIn(mail)).toBe(`http://localhost:4750${BASE}/requests/${entered.id}/code?key=${entered.status_token}`);
      expect(mail.html).toContain(`href="http://localhost:4750${BASE}/requests/${entered.id}/code?key=${entered.status_token}"`);
      // Shown once: reading the request again never gives the key.
      const again = await c.app.inject({ url: `${API}/desk/requests/${entered.id}`, headers: staff });
      expect(again.body).not.toContain(entered.status_token);
    }
  });

  it('opens the request from the emailed link: the key moved into the cookie, the address without it, the code entered', async () => {
    const email = 'follow.link@example.org';
    const before = c.mail.sink.messages.length;
    const entered = await enter({ channel: 'email', language: 'en', identities: [{ type: 'email', value: email }] });
    const mail = await mailTo(email, before);
    const link = pathOf(linkIn(mail)!);

    const opened = await c.app.inject({ url: `${link}&lang=fr` });
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(`${BASE}/requests/${entered.id}/code?lang=fr`);
    expect(opened.headers['referrer-policy']).toBe('no-referrer');
    expect(opened.headers['cache-control']).toBe('no-store');
    const cookie = String(opened.headers['set-cookie']);
    expect(cookie).toContain(`opendpo_request_key=${entered.status_token}`);
    expect(cookie).toContain(`Path=${BASE}/requests/${entered.id}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');

    const jar = { cookie: `opendpo_request_key=${entered.status_token}` };
    const page = await c.app.inject({ url: opened.headers.location!, headers: jar });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('f•••@example.org');
    expect(page.body).not.toContain(entered.status_token);
    const code = /\b(\d{6})\b/.exec(mail.text)![1]!;
    const done = await c.app.inject({ method: 'POST', url: `${BASE}/requests/${entered.id}/code?lang=en`, headers: { ...FORM, ...jar }, payload: `identity=1&code=${code}` });
    expect([200, 303]).toContain(done.statusCode);
    const status = await c.app.inject({ url: `${BASE}/requests/${entered.id}?lang=en`, headers: jar });
    expect(status.body).toContain('f•••@example.org — confirmed');

    // A key that does not open the request is dropped: no cookie, and the page asks for the key.
    const wrong = await c.app.inject({ url: `${BASE}/requests/${entered.id}?key=${'A'.repeat(43)}` });
    expect(wrong.statusCode).toBe(303);
    expect(wrong.headers.location).toBe(`${BASE}/requests/${entered.id}`);
    expect(String(wrong.headers['set-cookie'])).not.toContain('opendpo_request_key');
    const garbage = await c.app.inject({ url: `${BASE}/requests/${entered.id}/code?key=%3Cscript%3E`, headers: { cookie: 'opendpo_cookies=1' } });
    expect(garbage.statusCode).toBe(303);
    expect(garbage.headers['set-cookie']).toBeUndefined();
    const asked = await c.app.inject({ url: wrong.headers.location! });
    expect(asked.body).toContain('name="key"');

    // The key reached no log line: the access log records the route, never the URL.
    const logged = logs.join('');
    expect(logged).toContain('"route":"/privacy-center/:org/requests/:id/code"');
    expect(logged).not.toContain(entered.status_token);
    // Six digits as a whole number: not the same digits inside a log line's timestamp.
    expect(logged).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
    expect(logged).not.toContain('follow.link');
  });

  it('sends the person back to their first link when staff send a code, and the link again when the person asks one', async () => {
    const email = 'staff.resend@example.org';
    const entered = await enter({ channel: 'post', language: 'en', identities: [{ type: 'email', value: email }] });
    // A letter: no code goes out until staff send it; the key is for their postal answer.
    expect(entered.state).toBe('received');
    expect(c.mail.sink.messages.some((m) => m.to.includes(email))).toBe(false);
    const before = c.mail.sink.messages.length;
    const sent = await c.app.inject({ method: 'POST', url: `${API}/desk/requests/${entered.id}/codes`, headers: staff, payload: { identity: 1 } });
    expect(sent.json()).toEqual({ identity: 1, sent: true });
    const fromStaff = await mailTo(email, before);
    expect(fromStaff.text.replace(/\s+/g, ' ')).toContain('open it from the link in our first email about this request, or in our letter');
    expect(linkIn(fromStaff)).toBeUndefined();
    expect(fromStaff.text).not.toContain(entered.status_token);

    // The person, on the page the postal link opened, asks for a new code: the mail carries the link again.
    c.clock.now += 61_000;
    const after = c.mail.sink.messages.length;
    const asked = await c.app.inject({ method: 'POST', url: `${API}/requests/${entered.id}/codes`, headers: { 'x-status-token': entered.status_token }, payload: { identity: 1 } });
    expect(asked.json()).toEqual({ identity: 1, sent: true });
    expect(linkIn(await mailTo(email, after))).toBe(`http://localhost:4750${BASE}/requests/${entered.id}/code?key=${entered.status_token}`);
  });

  it('never emails the key of a request made on the web form', async () => {
    const email = 'web.form.key@example.org';
    const before = c.mail.sink.messages.length;
    const res = await c.app.inject({ method: 'POST', url: `${API}/requests`, payload: { language: 'en', identities: [{ type: 'email', value: email }], details: { type: 'access' } } });
    const { status_token: key } = res.json() as { status_token: string };
    const mail = await mailTo(email, before);
    expect(mail.text).not.toContain(key);
    expect(linkIn(mail)).toBeUndefined();
    expect(mail.text).toContain('Enter it on the page where you made your request.');
  });
});
