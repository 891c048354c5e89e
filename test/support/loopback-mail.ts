/**
 * Mail for desk tests, for real: the product's SMTP mailer talking to an SMTP server on loopback
 * (smtp-sink.ts), and the one-time code read out of the mail a person would receive.
 */
import { SmtpMailer } from '../../src/mail/smtp/smtp-mailer.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

export interface LoopbackMail {
  mailer: SmtpMailer;
  sink: SmtpSink;
  /** The code in the newest mail to `address` (waiting for the first one to arrive). */
  lastCode(address: string): Promise<string>;
  close(): Promise<void>;
}

export async function loopbackMail(): Promise<LoopbackMail> {
  const sink = await startSmtpSink();
  const mailer = new SmtpMailer({ url: sink.url, from: 'dpo@acme-boutique.example' });
  return {
    mailer,
    sink,
    async lastCode(address) {
      await sink.waitFor((m) => m.to.includes(address));
      const newest = sink.messages.filter((m) => m.to.includes(address)).at(-1)!;
      const code = /\b(\d{6})\b/.exec(newest.text)?.[1];
      if (!code) throw new Error('the newest mail to this address holds no code');
      return code;
    },
    async close() {
      await mailer.close();
      await sink.close();
    },
  };
}
