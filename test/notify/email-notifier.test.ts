/**
 * The email notifier through a real SMTP server on loopback (nodemailer to test/support/smtp-sink):
 * the message a recipient reads, in English and French, and a refused recipient as a failed delivery.
 */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailNotifier, writeNoticeEmail, type NoticeMailer } from '../../src/notify/email/email-notifier.js';
import type { RecipientNotice } from '../../src/notify/notifier.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const notice = (over: Partial<RecipientNotice> = {}): RecipientNotice => ({
  id: randomUUID(),
  organisationId: 'acme-shop',
  requestId: randomUUID(),
  recipientId: 'colis-express',
  action: 'erasure',
  categories: ['user.contact.address', 'user.contact.phone_number'],
  occurredAt: '2026-03-12T23:30:00+01:00',
  subjectRef: 'CUST-00042',
  ...over,
});

let sink: SmtpSink;
let mailer: NoticeMailer & { close(): void };
beforeAll(async () => {
  sink = await startSmtpSink({ refuseRecipient: (a) => a.startsWith('gone@') });
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true });
  mailer = {
    send: async (mail) => ({ messageId: (await transport.sendMail({ from: 'privacy@acme-shop.example', ...mail })).messageId }),
    close: () => transport.close(),
  };
});
afterAll(async () => {
  mailer.close();
  await sink.close();
});

describe('the email notifier', () => {
  it('sends one plain-text message naming the controller, the action, the categories and the references', async () => {
    const n = notice();
    const result = await new EmailNotifier({ mailer, to: 'dpo@colis-express.example', controller: 'Acme Shop SAS', language: 'en' }).deliver(n);
    expect(result.outcome).toBe('delivered');
    expect(result.attempts).toHaveLength(1);
    const mail = await sink.waitFor((m) => m.headers['x-opendpo-notice'] === n.id);
    expect(result.answer).toBe(mail.headers['message-id']);
    expect(mail.to).toEqual(['dpo@colis-express.example']);
    expect(mail.headers['auto-submitted']).toBe('auto-generated');
    expect(mail.subject).toBe('Personal data erased - Acme Shop SAS - ref. CUST-00042');
    expect(mail.html).toBeUndefined();
    const text = mail.text.trim();
    expect(text).toContain('Acme Shop SAS erased personal data of one person on 12 March 2026 (Article 17 GDPR).');
    expect(text).toContain('Article 19 GDPR');
    expect(text).toMatch(/- .+ \(user\.contact\.address\)\n- .+ \(user\.contact\.phone_number\)/);
    expect(text).toContain('Reference of the person (as you hold it): CUST-00042');
    expect(text).toContain(`Reference of this notice: ${n.id}`);
  });

  it('writes French, and each action in its own words', () => {
    const fr = writeNoticeEmail(notice({ action: 'restriction' }), 'Acme Boutique SAS', 'fr');
    expect(fr.subject).toBe('Traitement de données personnelles limité - Acme Boutique SAS - réf. CUST-00042');
    expect(fr.text).toContain('Acme Boutique SAS a limité le 12 mars 2026 le traitement de données personnelles d\'une personne (article 18 du RGPD).');
    expect(fr.text).toContain('Données concernées :');
    expect(fr.text).toContain('Référence de la personne (telle que vous la détenez) : CUST-00042');
    const texts = (['rectification', 'erasure', 'restriction', 'restriction_lifted'] as const).map((action) => writeNoticeEmail(notice({ action }), 'Acme', 'en').text);
    expect(new Set(texts).size).toBe(4);
    expect(texts[3]).toContain('Article 18(3) GDPR');
    // Without a reference of the person, the notice's own reference stands in.
    const n = notice({ subjectRef: undefined });
    const anonymous = writeNoticeEmail(n, 'Acme', 'en');
    expect(anonymous.subject).toBe(`Personal data erased - Acme - ref. ${n.id}`);
    expect(anonymous.text).not.toContain('Reference of the person');
  });

  it('returns a failed delivery, not an exception, when the mail is refused', async () => {
    const result = await new EmailNotifier({ mailer, to: 'gone@colis-express.example', controller: 'Acme Shop SAS', language: 'en' }).deliver(notice());
    expect(result.outcome).toBe('failed');
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]!.error).toMatch(/^the mail was not sent: /);
    expect(result.answer).toBeUndefined();
  });

  it('refuses an address list, a controller name over several lines, and a malformed notice', async () => {
    expect(() => new EmailNotifier({ mailer, to: 'a@x.example, b@y.example', controller: 'Acme', language: 'en' })).toThrow(/one address/);
    expect(() => new EmailNotifier({ mailer, to: 'a@x.example', controller: 'Acme\r\nBcc: x@y.example', language: 'en' })).toThrow(/several lines/);
    const notifier = new EmailNotifier({ mailer, to: 'a@x.example', controller: 'Acme', language: 'en' });
    await expect(notifier.deliver(notice({ occurredAt: 'yesterday' }))).rejects.toThrow(/occurredAt/);
  });
});
