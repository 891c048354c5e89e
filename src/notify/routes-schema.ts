/**
 * notifications.yaml: how each recipient is told of a rectification, an erasure or a restriction
 * (Art. 19). The register says who the recipients are (recipients.yaml, Art. 30(1)(d)) and has no
 * place for an endpoint; this file, beside it, maps a recipient id to one route:
 *
 *   routes:
 *     nimbus-commerce:
 *       webhook: { url: https://hooks.nimbus-commerce.example/opendpo, secret_env: NIMBUS_ART19_SECRET }
 *     colis-express:
 *       email: { to: dpo@colis-express.example, language: fr }
 *     riskscore:
 *       nats: { subject: riskscore.art19 }
 *
 * Secrets are named by environment variable, never written here (the file is kept in git beside
 * the register; Art. 32). A recipient with no route is told by a person (recipients.ts).
 * docs/notifications.md is the reader's version of this schema.
 */
import { z } from 'zod';
import { Email, Id, LANGUAGES } from '../register/schema.js';

/** The hosts a plain-http webhook may use: this machine only (tests, a local relay). */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export const WebhookRoute = z.strictObject({
  url: z
    .url({ message: 'must be a URL such as https://hooks.example.com/opendpo' })
    .refine((u) => {
      const url = new URL(u);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
    }, 'must be an https: URL (http: only on this machine: the notice names a person by reference and the data categories)')
    .refine((u) => {
      const url = new URL(u);
      return url.username === '' && url.password === '';
    }, 'must not carry a user name or password: the secret goes in secret_env')
    .describe('The endpoint that receives the signed POST.'),
  secret_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'must be the name of an environment variable, such as NIMBUS_ART19_SECRET')
    .describe('The environment variable holding the signing secret shared with this recipient (at least 32 bytes). Never the secret itself.'),
});

export const EmailRoute = z.strictObject({
  to: Email.describe('The address that receives the notice (the recipient\'s privacy or DPO address).'),
  language: z.enum(LANGUAGES).optional().describe('The language of the message; absent: the register\'s default language.'),
});

export const NatsRoute = z.strictObject({
  subject: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be a NATS subject without wildcards, such as riskscore.art19')
    .optional()
    .describe('The subject to publish on; absent: opendpo.<organisation>.art19.<recipient>.'),
});

export const SubjectRefOption = z.strictObject({
  identity: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be an identity type, such as email or customer_id')
    .describe('The identity of the request the reference is made from (the recipient holds it too).'),
  key_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'must be the name of an environment variable, such as NIMBUS_REF_KEY')
    .describe('The environment variable holding the key shared with this recipient (at least 32 bytes).'),
});

/** How the person is named to the recipient: an HMAC of one of their identities, with a key shared with it. */
export interface SubjectRefRoute {
  identity: string;
  keyEnv: string;
}

/** A route as the rest of the product sees it: one channel, named. */
export type NotificationRoute = (
  | { channel: 'webhook'; url: string; secretEnv: string }
  | { channel: 'email'; to: string; language?: (typeof LANGUAGES)[number] }
  | { channel: 'nats'; subject?: string }
) & { subjectRef?: SubjectRefRoute };

export const Route = z
  .strictObject({
    webhook: WebhookRoute.optional(),
    email: EmailRoute.optional(),
    nats: NatsRoute.optional(),
    subject_ref: SubjectRefOption.optional().describe(
      'Name the person to this recipient by hex HMAC-SHA-256 of one identity of the request (emails lower-cased), with a key shared with it; absent: the notice names the request only.',
    ),
  })
  .refine((r) => [r.webhook, r.email, r.nats].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of webhook, email or nats: a recipient is told one way',
  })
  .transform((r): NotificationRoute => {
    const ref = r.subject_ref ? { subjectRef: { identity: r.subject_ref.identity, keyEnv: r.subject_ref.key_env } } : {};
    if (r.webhook) return { channel: 'webhook', url: r.webhook.url, secretEnv: r.webhook.secret_env, ...ref };
    if (r.email) return { channel: 'email', to: r.email.to, ...(r.email.language ? { language: r.email.language } : {}), ...ref };
    return { channel: 'nats', ...(r.nats?.subject ? { subject: r.nats.subject } : {}), ...ref };
  });

export const NotificationRoutes = z.strictObject({
  routes: z
    .record(Id, Route, { error: (issue) => (issue.code === 'invalid_key' ? 'a recipient id (recipients.yaml) is lowercase letters, digits and dashes' : undefined) })
    .describe('Recipient id (recipients.yaml) -> how it is told.'),
});
export type NotificationRoutes = z.output<typeof NotificationRoutes>;
