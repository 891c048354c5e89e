/**
 * The mail seam: how opendpo sends a letter or a one-time code to a person (Art. 12(1): the answer
 * may be given by electronic means; Art. 12(6): a code that confirms the person controls the address
 * a request names). One small interface, one folder per implementation (smtp/).
 *
 * What an implementation promises:
 * - one mail goes to exactly one recipient, never a list read out of `to`;
 * - a failure is an `OpendpoError` whose message names the mail server (host:port, never a password)
 *   and never the recipient, the subject or the body: errors end up in logs, and logs must carry no
 *   personal data (Art. 5(1)(f), 32). Its `details` say whether trying again later may help.
 */

/** A file joined to a mail: given whole, in memory (never a path or a URL to be fetched). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingMail {
  /** One email address (`person@example.org`), no display name, no list. */
  to: string;
  subject: string;
  text: string;
  /** The same letter as HTML; `text` stays the plain alternative. */
  html?: string;
  /** One email address replies go to, where it is not the sender's. */
  replyTo?: string;
  /** Extra header fields (a reference for threading, `Auto-Submitted`); no CR or LF. */
  headers?: Record<string, string>;
  attachments?: MailAttachment[];
}

/** What `details` of a mail `OpendpoError` carry: safe to show, nothing of the mail itself. */
export interface MailFailureDetails {
  /** The mail server, as host:port. */
  server: string;
  reason: 'unreachable' | 'timeout' | 'tls' | 'authentication' | 'recipient_refused' | 'message_refused' | 'protocol';
  /** True where the same mail may go through later (the server down, a 4yz reply). */
  retryable: boolean;
  /** The SMTP reply code, where the server gave one (its text is not kept: it may quote the address). */
  responseCode?: number;
}

export interface Mailer {
  /** Sends one mail; resolves once the server accepted it, with the Message-ID it carries. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  /** Closes the connections: idle ones at once, one delivering a mail once it has. */
  close(): Promise<void>;
}
