/**
 * The mail seam over SMTP, with nodemailer's pooled transport (a few connections kept open and
 * reused, so a burst of codes does not open one connection per mail).
 *
 * - `smtps://` is TLS from the first byte (port 465 by default); `smtp://` must upgrade with STARTTLS
 *   (port 587 by default), because letters and codes carry personal data across the network
 *   (Art. 32(1)(a)). Only a server on this machine (localhost, 127.0.0.0/8, ::1) is spoken to in
 *   clear: nothing leaves the host.
 * - Every wait is bounded (connection, greeting, each read): a server that stalls gives an error
 *   after ten seconds, not a request hanging on it.
 * - One recipient per mail, checked here and capped in the transport, so an address typed as
 *   "a@x, b@y" can never send someone's code to a second person.
 * - Content is only what is given: attachments come from memory, never from a path or a URL.
 * - Errors name the server (host:port), never the password, the recipient or the mail: nodemailer's
 *   own error (its message and the server's reply often quote the address) is not kept, not even as
 *   a cause, only its code and the reply code.
 */
import { isIP } from 'node:net';
import nodemailer, { type NodemailerError, type SMTPPoolOptions, type Transporter } from 'nodemailer';
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { MailFailureDetails, Mailer, OutgoingMail } from '../mailer.js';

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface SmtpMailerOptions {
  /** `smtp://[user:password@]host[:port]` or `smtps://...`; user and password percent-encoded. */
  url: string;
  /** The sender: `privacy@example.org` or `Example privacy team <privacy@example.org>`. */
  from: string;
  /** Bound on connecting, on the greeting and on each read; default ten seconds. */
  timeoutMs?: number;
}

/** What the URL says, the password apart from what may be shown. */
export interface SmtpServer {
  host: string;
  port: number;
  secure: boolean;
  /** True for localhost, 127.0.0.0/8 and ::1: the only servers spoken to without TLS. */
  loopback: boolean;
  auth?: { user: string; pass: string };
  /** host:port, for messages. */
  display: string;
}

export class SmtpMailer implements Mailer {
  readonly server: SmtpServer;
  private readonly from: { name: string; address: string };
  private readonly transport: Transporter;

  constructor(options: SmtpMailerOptions) {
    this.server = parseSmtpUrl(options.url);
    this.from = parseFromAddress(options.from);
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeout) || timeout <= 0) throw new OpendpoError('CONFIG_INVALID', `SMTP timeout: must be a positive number of milliseconds, not ${String(options.timeoutMs)}`);
    const transportOptions: SMTPPoolOptions & { pool: true } = {
      pool: true,
      maxConnections: 3,
      host: this.server.host,
      port: this.server.port,
      secure: this.server.secure,
      // Art. 32: STARTTLS required off this machine; on loopback not even tried (a local relay's
      // self-signed certificate would otherwise fail every mail for no protection gained).
      ...(this.server.secure ? {} : this.server.loopback ? { ignoreTLS: true } : { requireTLS: true }),
      ...(this.server.auth ? { auth: { user: this.server.auth.user, pass: this.server.auth.pass } } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      dnsTimeout: timeout,
      maxRecipients: 1,
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
      debug: false,
    };
    this.transport = nodemailer.createTransport(transportOptions);
    // A pool reports a broken idle connection as an event; without a listener Node would throw it.
    this.transport.on('error', () => undefined);
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    checkOneAddress(mail.to, 'to');
    if (mail.replyTo !== undefined) checkOneAddress(mail.replyTo, 'replyTo');
    for (const [name, value] of Object.entries(mail.headers ?? {})) {
      if (!/^[!-9;-~]+$/.test(name)) throw new OpendpoError('INVALID_INPUT', `mail header ${JSON.stringify(name)}: not a header field name`);
      if (/[\r\n]/.test(value)) throw new OpendpoError('INVALID_INPUT', `mail header ${name}: a value holds no line break`);
    }
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: mail.to,
        // The envelope says the same, explicitly: nothing is derived from header parsing.
        envelope: { from: this.from.address, to: [mail.to] },
        subject: mail.subject,
        text: mail.text,
        ...(mail.html !== undefined ? { html: mail.html } : {}),
        ...(mail.replyTo !== undefined ? { replyTo: mail.replyTo } : {}),
        ...(mail.headers ? { headers: mail.headers } : {}),
        ...(mail.attachments ? { attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) } : {}),
      });
      return { messageId: String((info as { messageId?: unknown }).messageId ?? '') };
    } catch (e) {
      throw mailError(this.server.display, e);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/** Reads an SMTP URL; every problem is a CONFIG_INVALID naming what is wrong, never echoing the URL (it may hold a password). */
export function parseSmtpUrl(url: string): SmtpServer {
  const refuse = (why: string) => new OpendpoError('CONFIG_INVALID', `SMTP URL: ${why}`);
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw refuse('not a URL; expected smtp://user:password@host:port or smtps://user:password@host:port');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw refuse(`must start with smtp:// or smtps://, not ${u.protocol}//`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw refuse('no host; expected smtp://host:port');
  if ((u.pathname !== '' && u.pathname !== '/') || u.search !== '' || u.hash !== '') {
    throw refuse('nothing may follow host:port (no path, no ?options, no #fragment): TLS follows from the scheme');
  }
  const secure = u.protocol === 'smtps:';
  // RFC 8314: implicit TLS on 465; RFC 6409: message submission (with STARTTLS) on 587.
  const port = u.port === '' ? (secure ? 465 : 587) : Number(u.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw refuse('the port must be 1-65535');
  let auth: SmtpServer['auth'];
  if (u.username !== '' || u.password !== '') {
    if (u.username === '' || u.password === '') throw refuse('a user name needs a password, and a password a user name');
    try {
      auth = { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) };
    } catch {
      throw refuse('the user name or the password is not properly percent-encoded');
    }
  }
  const display = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  return { host, port, secure, loopback: isLoopback(host), ...(auth ? { auth } : {}), display };
}

function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

// One address, as people type them: no display name, no list, no comment, no quoted local part.
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/u;
const isAddress = (s: string) => s.length <= 254 && ADDRESS.test(s) && !/\p{Cc}/u.test(s);

function checkOneAddress(value: string, field: 'to' | 'replyTo'): void {
  // The value is not quoted in the message: it is personal data.
  if (!isAddress(value)) throw new OpendpoError('INVALID_INPUT', `mail ${field}: not one email address (name@domain, no display name, no list)`);
}

/** `address` or `Name <address>` (the name may be quoted). */
export function parseFromAddress(from: string): { name: string; address: string } {
  const refuse = () => new OpendpoError('CONFIG_INVALID', `mail From address: expected privacy@example.org or "Example privacy team <privacy@example.org>", got ${JSON.stringify(from)}`);
  const text = from.trim();
  if (/[\r\n]/.test(text)) throw refuse();
  if (isAddress(text)) return { name: '', address: text };
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(text);
  if (!m || !isAddress(m[2]!)) throw refuse();
  const name = m[1]!.replace(/^"(.*)"$/, '$1').trim();
  if (/[<>"]/.test(name)) throw refuse();
  return { name, address: m[2]! };
}

/**
 * A nodemailer failure as the catalogue's error. Codes used (the catalogue has none for mail):
 * TARGET_UNAVAILABLE where trying later may work (server down, timeout, TLS, a 4yz reply),
 * TARGET_INVALID where the server refused the mail for good (a 5yz reply), CONFIG_INVALID where
 * the credentials of the URL were refused.
 */
function mailError(server: string, e: unknown): OpendpoError {
  const err = (typeof e === 'object' && e !== null ? e : {}) as NodemailerError;
  const code = typeof err.code === 'string' ? err.code : undefined;
  const responseCode = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const permanent = responseCode !== undefined && responseCode >= 500 && responseCode !== 503;
  const reply = responseCode !== undefined ? ` (SMTP ${responseCode})` : '';
  const build = (status: 'TARGET_UNAVAILABLE' | 'TARGET_INVALID' | 'CONFIG_INVALID', reason: MailFailureDetails['reason'], message: string) => {
    const details: MailFailureDetails = { server, reason, retryable: status === 'TARGET_UNAVAILABLE', ...(responseCode !== undefined ? { responseCode } : {}) };
    return new OpendpoError(status, message, details);
  };
  switch (code) {
    case 'EAUTH':
    case 'ENOAUTH':
      return build('CONFIG_INVALID', 'authentication', `the mail server ${server} refused the user name and password of the SMTP URL${reply}`);
    case 'ETLS':
    case 'EREQUIRETLS':
      return build('TARGET_UNAVAILABLE', 'tls', `the mail server ${server} offers no usable TLS (STARTTLS is required off this machine); the mail was not sent`);
    case 'ETIMEDOUT':
      return build('TARGET_UNAVAILABLE', 'timeout', `the mail server ${server} did not answer in time; the mail was not sent, try again later`);
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'EDNS':
    case 'EPROXY':
      return build('TARGET_UNAVAILABLE', 'unreachable', `the mail server ${server} cannot be reached; the mail was not sent, try again later`);
    case 'EENVELOPE':
    case 'EMAXRECIPIENTS':
      if (responseCode !== undefined && !permanent) {
        return build('TARGET_UNAVAILABLE', 'recipient_refused', `the mail server ${server} did not accept the recipient for now${reply}; try again later`);
      }
      return build('TARGET_INVALID', 'recipient_refused', `the mail server ${server} refused the recipient address${reply}; the mail was not sent`);
    default:
      if (responseCode === undefined) {
        return build('TARGET_UNAVAILABLE', 'protocol', `the mail server ${server} failed while sending${code ? ` (${code})` : ''}; the mail was not sent, try again later`);
      }
      if (!permanent) return build('TARGET_UNAVAILABLE', 'message_refused', `the mail server ${server} did not accept the mail for now${reply}; try again later`);
      return build('TARGET_INVALID', 'message_refused', `the mail server ${server} refused the mail${reply}; it was not sent`);
  }
}
