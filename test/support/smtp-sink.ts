/**
 * A real SMTP server on loopback for tests (no mocks: STYLE 10). It accepts every mail (or refuses
 * the recipients it is told to), parses each with mailparser and keeps it, so a test reads what a
 * person would read: the subject, the text, the HTML, the headers, the attachments, and a one-time
 * code out of the body.
 *
 * No TLS (nothing leaves 127.0.0.1), authentication optional; where `credentials` are given, only
 * they are accepted, to test a refused login.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type HeaderValue, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface SinkMessage {
  /** The envelope recipients, as the client gave them (who the mail was delivered to). */
  to: string[];
  /** The From header (display name and address). */
  from: string;
  /** The envelope sender. */
  envelopeFrom: string;
  subject: string;
  text: string;
  /** The HTML part, or undefined where the mail had none. */
  html: string | undefined;
  /** Header fields by lower-case name, each as text (address lists as written, dates as ISO 8601). */
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: Buffer }[];
  /** The user the client logged in as, where it did. */
  user: string | undefined;
  /** The message as received. */
  raw: Buffer;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:PORT`, for the mailer. */
  url: string;
  port: number;
  /** Every message received so far, in order. */
  messages: SinkMessage[];
  /** The first message (already received or still to come) that matches. */
  waitFor(predicate: (m: SinkMessage) => boolean, timeoutMs?: number): Promise<SinkMessage>;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Recipients to refuse with 550 at RCPT TO. */
  refuseRecipient?: (address: string) => boolean;
  /** Where given, the only login accepted. */
  credentials?: { user: string; pass: string };
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const waiters = new Set<{ predicate: (m: SinkMessage) => boolean; resolve: (m: SinkMessage) => void }>();

  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Pooled clients keep connections open: close() should not wait for them for long.
    closeTimeout: 500,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      const { user, pass } = options.credentials ?? { user: auth.username, pass: auth.password };
      if (auth.username === user && auth.password === pass) return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (options.refuseRecipient?.(address.address)) {
        return callback(Object.assign(new Error(`<${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const message = toSinkMessage(parsed, session, raw);
            messages.push(message);
            for (const w of waiters) {
              if (w.predicate(message)) {
                waiters.delete(w);
                w.resolve(message);
              }
            }
            callback();
          },
          (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client dropping its connection must not end the test run.
  server.on('error', () => undefined);
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitFor(predicate, timeoutMs = 5_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<SinkMessage>((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (m: SinkMessage) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`smtp sink: no matching message within ${timeoutMs} ms (${messages.length} received: ${messages.map((m) => JSON.stringify(m.subject)).join(', ') || 'none'})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function toSinkMessage(parsed: ParsedMail, session: SMTPServerSession, raw: Buffer): SinkMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of parsed.headers) headers[name.toLowerCase()] = headerText(value);
  const mailFrom = session.envelope.mailFrom;
  return {
    to: session.envelope.rcptTo.map((r) => r.address),
    from: parsed.from?.text ?? '',
    envelopeFrom: mailFrom === false ? '' : mailFrom.address,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: parsed.html === false ? undefined : parsed.html,
    headers,
    attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, content: a.content })),
    user: typeof session.user === 'string' ? session.user : undefined,
    raw,
  };
}

function headerText(value: HeaderValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (isAddressObject(v) ? v.text : String(v))).join(', ');
  if (isAddressObject(value)) return value.text;
  // A structured header (Content-Type and its parameters): its value, as mailparser read it.
  if (typeof value === 'object' && value !== null && 'value' in value) return String((value as { value: unknown }).value);
  return String(value);
}

const isAddressObject = (v: unknown): v is AddressObject => typeof v === 'object' && v !== null && 'text' in v && 'value' in v && Array.isArray((v as AddressObject).value);
