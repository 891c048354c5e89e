/**
 * The SMTP mailer against a real SMTP server on loopback (test/support/smtp-sink.ts): what a person
 * receives, and what an operator reads when the server fails, which names the server and never the
 * person's address or the password (logs carry no personal data).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OpendpoError } from '../../src/errors/opendpo-error.js';
import { parseFromAddress, parseSmtpUrl, SmtpMailer } from '../../src/mail/smtp/smtp-mailer.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const FROM = 'Équipe vie privée <privacy@example.org>';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  // Mailers first: the sink's close waits for their pooled connections.
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sink(options?: Parameters<typeof startSmtpSink>[0]): Promise<SmtpSink> {
  const s = await startSmtpSink(options);
  cleanups.push(() => s.close());
  return s;
}
function mailer(url: string, extra: { timeoutMs?: number } = {}): SmtpMailer {
  const m = new SmtpMailer({ url, from: FROM, ...extra });
  cleanups.push(() => m.close());
  return m;
}
async function failure(p: Promise<unknown>): Promise<OpendpoError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OpendpoError);
  return e as OpendpoError;
}
/** Nothing of the mail or the password in anything an error shows or a logger would serialise. */
function expectNothingPersonal(e: OpendpoError, ...secrets: string[]) {
  const shown = [e.message, String(e), JSON.stringify(e.details), JSON.stringify(e), String(e.stack)].join('\n');
  for (const s of secrets) expect(shown).not.toContain(s);
  expect(e.cause).toBeUndefined();
}

describe('SmtpMailer', () => {
  it('delivers a mail whole: UTF-8 subject and body, HTML, headers, an attachment', async () => {
    const s = await sink();
    const attachment = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const subject = 'Votre demande d’accès « R-2026-0042 » : reçue — délai le 1er décembre';
    const text = 'Bonjour,\n\nNous avons bien reçu votre demande. Référence : R-2026-0042.\nÀ bientôt, l’équipe « vie privée ».';
    const sent = await mailer(s.url).send({
      to: 'alice.martin@example.com',
      subject,
      text,
      html: '<!DOCTYPE html><html lang="fr"><body><p>Référence : <strong>R-2026-0042</strong></p></body></html>',
      replyTo: 'dpo@example.org',
      headers: { 'X-Opendpo-Reference': 'R-2026-0042', 'Auto-Submitted': 'auto-generated' },
      attachments: [{ filename: 'copie-données.zip', contentType: 'application/zip', content: attachment }],
    });
    const m = await s.waitFor((x) => x.to.includes('alice.martin@example.com'));
    expect(m.to).toEqual(['alice.martin@example.com']);
    expect(m.envelopeFrom).toBe('privacy@example.org');
    expect(m.from).toContain('Équipe vie privée');
    expect(m.from).toContain('<privacy@example.org>');
    expect(m.subject).toBe(subject);
    expect(m.text.trim()).toBe(text);
    expect(m.html).toContain('<strong>R-2026-0042</strong>');
    expect(m.html).toContain('Référence');
    expect(m.headers['reply-to']).toContain('dpo@example.org');
    expect(m.headers['x-opendpo-reference']).toBe('R-2026-0042');
    expect(m.headers['auto-submitted']).toBe('auto-generated');
    expect(m.headers['message-id']).toBe(sent.messageId);
    expect(sent.messageId).toMatch(/^<.+@.+>$/);
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]!.filename).toBe('copie-données.zip');
    expect(m.attachments[0]!.contentType).toBe('application/zip');
    expect(m.attachments[0]!.content.equals(attachment)).toBe(true);
    expect(m.user).toBeUndefined();
  });

  it('sends several mails at once over its pool, each to its one recipient', async () => {
    const s = await sink();
    const m = mailer(s.url);
    const to = Array.from({ length: 6 }, (_, i) => `person${i}@example.com`);
    await Promise.all(to.map((addr, i) => m.send({ to: addr, subject: `Code ${i}`, text: `Votre code : 00000${i}` })));
    expect(s.messages).toHaveLength(6);
    for (const [i, addr] of to.entries()) {
      const got = await s.waitFor((x) => x.subject === `Code ${i}`);
      expect(got.to).toEqual([addr]);
      expect(got.text).toContain(`00000${i}`);
    }
  });

  it('logs in with the user and password of the URL (percent-encoded)', async () => {
    const s = await sink({ credentials: { user: 'desk@example.org', pass: 'p@ss:wörd/1' } });
    await mailer(`smtp://${encodeURIComponent('desk@example.org')}:${encodeURIComponent('p@ss:wörd/1')}@127.0.0.1:${s.port}`).send({ to: 'bob@example.com', subject: 'x', text: 'y' });
    expect(s.messages[0]!.user).toBe('desk@example.org');
  });

  it('a refused login is a configuration error naming the server, never the password', async () => {
    const s = await sink({ credentials: { user: 'desk', pass: 'right' } });
    const e = await failure(mailer(`smtp://desk:wrong-s3cret@127.0.0.1:${s.port}`).send({ to: 'bob@example.com', subject: 'x', text: 'y' }));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain(`127.0.0.1:${s.port}`);
    expect(e.details).toMatchObject({ reason: 'authentication', retryable: false, responseCode: 535 });
    expectNothingPersonal(e, 'wrong-s3cret', 'bob@example.com');
    expect(s.messages).toHaveLength(0);
  });

  it('a refused recipient names the server and the SMTP reply, not the address', async () => {
    const s = await sink({ refuseRecipient: (a) => a.startsWith('nobody') });
    const e = await failure(mailer(s.url).send({ to: 'nobody.here@example.com', subject: 'Votre code', text: 'Votre code : 123456' }));
    expect(e.code).toBe('TARGET_INVALID');
    expect(e.message).toBe(`the mail server 127.0.0.1:${s.port} refused the recipient address (SMTP 550); the mail was not sent`);
    expect(e.details).toEqual({ server: `127.0.0.1:${s.port}`, reason: 'recipient_refused', retryable: false, responseCode: 550 });
    expectNothingPersonal(e, 'nobody', 'example.com', '123456', 'Votre code');
    expect(s.messages).toHaveLength(0);
  });

  it('a server that is down: retryable, named, nothing of the mail', async () => {
    const s = await startSmtpSink();
    const port = s.port;
    await s.close();
    const e = await failure(mailer(`smtp://127.0.0.1:${port}`).send({ to: 'alice@example.com', subject: 'Accusé de réception', text: 'Référence R-1' }));
    expect(e.code).toBe('TARGET_UNAVAILABLE');
    expect(e.message).toBe(`the mail server 127.0.0.1:${port} cannot be reached; the mail was not sent, try again later`);
    expect(e.details).toMatchObject({ reason: 'unreachable', retryable: true });
    expectNothingPersonal(e, 'alice', 'Accusé', 'R-1');
  });

  it('a server that never greets is given up on after the timeout', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((sock) => sockets.add(sock));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanups.push(async () => {
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    });
    const port = (silent.address() as AddressInfo).port;
    const started = Date.now();
    const e = await failure(mailer(`smtp://localhost:${port}`, { timeoutMs: 300 }).send({ to: 'alice@example.com', subject: 'x', text: 'y' }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(e.code).toBe('TARGET_UNAVAILABLE');
    expect(e.message).toContain(`localhost:${port}`);
    expect(e.details).toMatchObject({ reason: 'timeout', retryable: true });
    expectNothingPersonal(e, 'alice');
  });

  it('off this machine, a server without STARTTLS is refused: letters never cross a network in clear (Art. 32)', async () => {
    const s = await sink();
    // 0.0.0.0 reaches this machine's listeners on Linux but is no loopback name: the mailer requires STARTTLS.
    const e = await failure(mailer(`smtp://0.0.0.0:${s.port}`).send({ to: 'alice@example.com', subject: 'Votre code', text: '123456' }));
    expect(e.code).toBe('TARGET_UNAVAILABLE');
    expect(e.message).toBe(`the mail server 0.0.0.0:${s.port} offers no usable TLS (STARTTLS is required off this machine); the mail was not sent`);
    expect(e.details).toMatchObject({ reason: 'tls' });
    expectNothingPersonal(e, 'alice', '123456');
    expect(s.messages).toHaveLength(0);
  });

  it('sends to exactly one address: a list, a display name or a header break is refused before any connection', async () => {
    const s = await sink();
    const m = mailer(s.url);
    for (const to of ['alice@example.com, mallory@example.net', 'Alice <alice@example.com>', 'alice@example.com\r\nBcc: mallory@example.net', 'not-an-address', '']) {
      const e = await failure(m.send({ to, subject: 'x', text: 'y' }));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.message).toBe('mail to: not one email address (name@domain, no display name, no list)');
    }
    expect((await failure(m.send({ to: 'alice@example.com', replyTo: 'a@x, b@y', subject: 'x', text: 'y' }))).code).toBe('INVALID_INPUT');
    expect((await failure(m.send({ to: 'alice@example.com', subject: 'x', text: 'y', headers: { 'X-Ref': 'a\r\nBcc: mallory@example.net' } }))).code).toBe('INVALID_INPUT');
    expect((await failure(m.send({ to: 'alice@example.com', subject: 'x', text: 'y', headers: { 'X Ref': 'a' } }))).code).toBe('INVALID_INPUT');
    expect(s.messages).toHaveLength(0);
  });
});

describe('the SMTP URL and the From address', () => {
  it('reads smtp:// (STARTTLS, 587) and smtps:// (TLS, 465); only loopback is spoken to in clear', () => {
    expect(parseSmtpUrl('smtp://mail.example.org')).toEqual({ host: 'mail.example.org', port: 587, secure: false, loopback: false, display: 'mail.example.org:587' });
    expect(parseSmtpUrl('smtps://u%40x:p%3Aw@mail.example.org')).toEqual({
      host: 'mail.example.org',
      port: 465,
      secure: true,
      loopback: false,
      auth: { user: 'u@x', pass: 'p:w' },
      display: 'mail.example.org:465',
    });
    expect(parseSmtpUrl('smtp://127.0.0.1:2525')).toMatchObject({ loopback: true, port: 2525, display: '127.0.0.1:2525' });
    expect(parseSmtpUrl('smtp://localhost:25')).toMatchObject({ loopback: true });
    expect(parseSmtpUrl('smtp://[::1]:25')).toMatchObject({ host: '::1', loopback: true, display: '[::1]:25' });
    expect(parseSmtpUrl('smtp://10.0.0.5:25')).toMatchObject({ loopback: false });
    expect(parseSmtpUrl('smtp://localhost.example.org:25')).toMatchObject({ loopback: false });
  });

  it('refuses a bad URL with a clear configuration error that never repeats the password', () => {
    const cases: [string, RegExp][] = [
      ['not a url', /not a URL/],
      ['http://u:s3cret@mail.example.org', /must start with smtp:\/\/ or smtps:\/\/, not http:\/\//],
      ['smtp://u:s3cret@mail.example.org:99999', /not a URL|port/],
      ['smtp://u:s3cret@mail.example.org:587/path', /nothing may follow host:port/],
      ['smtp://u:s3cret@mail.example.org:587?secure=false', /nothing may follow host:port/],
      ['smtp://u@mail.example.org', /needs a password/],
      ['smtp://:s3cret@mail.example.org', /needs a password/],
      ['smtp://u:%E0%A4%A@mail.example.org', /percent-encoded/],
    ];
    for (const [url, message] of cases) {
      let caught: unknown;
      try {
        new SmtpMailer({ url, from: FROM });
      } catch (e) {
        caught = e;
      }
      expect(caught, url).toBeInstanceOf(OpendpoError);
      const e = caught as OpendpoError;
      expect(e.code).toBe('CONFIG_INVALID');
      expect(e.message).toMatch(/^SMTP URL: /);
      expect(e.message).toMatch(message);
      expect(e.message).not.toContain('s3cret');
    }
  });

  it('reads the From address with or without a display name, and refuses anything else', () => {
    expect(parseFromAddress('privacy@example.org')).toEqual({ name: '', address: 'privacy@example.org' });
    expect(parseFromAddress('Acme privacy team <privacy@example.org>')).toEqual({ name: 'Acme privacy team', address: 'privacy@example.org' });
    expect(parseFromAddress('"Équipe vie privée" <privacy@example.org>')).toEqual({ name: 'Équipe vie privée', address: 'privacy@example.org' });
    for (const from of ['', 'privacy', 'a@x, b@y', 'Team <a@x, b@y>', 'Team <privacy@example.org>\r\nBcc: x@y', '<>']) {
      expect(() => new SmtpMailer({ url: 'smtp://127.0.0.1:25', from }), from).toThrowError(/mail From address/);
    }
  });
});
