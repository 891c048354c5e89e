/**
 * Tells a recipient by email (Art. 19), for the many recipients (a carrier, an accountant, a public
 * body) that have an address and no endpoint: a short plain-text message in English or French that
 * names the controller, what was done, the data categories and the references to match.
 *
 * The message says which data, never what they were or became: the recipient matches the person by
 * the pseudonymous reference it already holds (Art. 5(1)(c)); a rectification's new values are
 * asked of the controller, quoting the notice.
 *
 * The mailer is declared here, not imported: any mailer of this shape will do (the product's SMTP
 * mailer has it), and the seam stays one interface deep.
 */
import { dataCategoryLabel } from '../../reference/taxonomy.js';
import { checkNotice, startAttempt, type DeliveryResult, type Notifier, type NoticeAction, type RecipientNotice } from '../notifier.js';

export interface NoticeMailer {
  send(mail: { to: string; subject: string; text: string; headers?: Record<string, string> }): Promise<{ messageId: string }>;
}

export type NoticeLanguage = 'en' | 'fr';

export interface EmailNotifierOptions {
  mailer: NoticeMailer;
  /** The recipient's address (notifications.yaml). */
  to: string;
  /** The controller's name, as the register gives it (organisation.yaml). */
  controller: string;
  language: NoticeLanguage;
}

export class EmailNotifier implements Notifier {
  readonly kind = 'email' as const;
  readonly #options: EmailNotifierOptions;

  constructor(options: EmailNotifierOptions) {
    // One address, no display name or list: a header injection or a second recipient is a configuration bug.
    if (!/^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/.test(options.to)) throw new TypeError('the recipient email address is not one address');
    // The name goes into the Subject header: a line break there would write headers of its own.
    if (options.controller.trim() === '' || /[\r\n]/.test(options.controller)) throw new TypeError('the controller name is empty or spans several lines');
    this.#options = options;
  }

  async deliver(notice: RecipientNotice): Promise<DeliveryResult> {
    const checked = checkNotice(notice);
    const { subject, text } = writeNoticeEmail(checked, this.#options.controller, this.#options.language);
    const clock = startAttempt();
    try {
      const { messageId } = await this.#options.mailer.send({
        to: this.#options.to,
        subject,
        text,
        headers: {
          // RFC 3834: an automatic message, so that auto-responders stay quiet.
          'Auto-Submitted': 'auto-generated',
          'X-Opendpo-Notice': checked.id,
        },
      });
      return { outcome: 'delivered', attempts: [{ at: clock.at, durationMs: clock.elapsed() }], answer: messageId.slice(0, 2048) };
    } catch (err) {
      // One try: the mailer's own queue, and the caller's later delivery, do the retrying.
      const reason = err instanceof Error ? err.message.slice(0, 500) : 'the mailer failed';
      return { outcome: 'failed', attempts: [{ at: clock.at, error: `the mail was not sent: ${reason}`, durationMs: clock.elapsed() }] };
    }
  }
}

interface Wording {
  subject: Record<NoticeAction, string>;
  done: Record<NoticeAction, string>;
  ask: Record<NoticeAction, string>;
  hello: string;
  why: string;
  categories: string;
  person: string;
  notice: string;
  reply: string;
}

const WORDING: Record<NoticeLanguage, Wording> = {
  en: {
    subject: {
      rectification: 'Personal data rectified',
      erasure: 'Personal data erased',
      restriction: 'Processing of personal data restricted',
      restriction_lifted: 'Restriction of processing lifted',
    },
    done: {
      rectification: '{controller} rectified personal data of one person on {date} (Article 16 GDPR).',
      erasure: '{controller} erased personal data of one person on {date} (Article 17 GDPR).',
      restriction: '{controller} restricted the processing of personal data of one person on {date} (Article 18 GDPR).',
      restriction_lifted: '{controller} lifted, on {date}, the restriction of processing of personal data of one person it had notified you of (Article 18(3) GDPR).',
    },
    ask: {
      rectification: 'Where you hold these data, please bring them up to date: ask us for the corrected values, quoting the reference of this notice below.',
      erasure: 'Where you hold these data, please erase them, unless a law that applies to you requires you to keep them.',
      restriction: 'Where you hold these data, please only store them, and do not otherwise process them until we tell you the restriction is lifted.',
      restriction_lifted: 'These data may be processed again as before the restriction.',
    },
    hello: 'Hello,',
    why: 'Article 19 GDPR requires us to tell you, as these data were disclosed to you.',
    categories: 'Data concerned:',
    person: 'Reference of the person (as you hold it): {ref}',
    notice: 'Reference of this notice: {id}',
    reply: 'Please quote the reference of this notice in any reply.',
  },
  fr: {
    subject: {
      rectification: 'Données personnelles rectifiées',
      erasure: 'Données personnelles effacées',
      restriction: 'Traitement de données personnelles limité',
      restriction_lifted: 'Limitation du traitement levée',
    },
    done: {
      rectification: '{controller} a rectifié le {date} des données personnelles d\'une personne (article 16 du RGPD).',
      erasure: '{controller} a effacé le {date} des données personnelles d\'une personne (article 17 du RGPD).',
      restriction: '{controller} a limité le {date} le traitement de données personnelles d\'une personne (article 18 du RGPD).',
      restriction_lifted: '{controller} a levé le {date} la limitation du traitement de données personnelles d\'une personne qui vous avait été notifiée (article 18, paragraphe 3, du RGPD).',
    },
    ask: {
      rectification: 'Si vous détenez ces données, merci de les mettre à jour : demandez-nous les valeurs corrigées en rappelant la référence de cette notification ci-dessous.',
      erasure: 'Si vous détenez ces données, merci de les effacer, sauf si une loi qui s\'applique à vous vous impose de les conserver.',
      restriction: 'Si vous détenez ces données, merci de seulement les conserver, sans les traiter autrement, jusqu\'à ce que nous vous informions de la levée de la limitation.',
      restriction_lifted: 'Ces données peuvent de nouveau être traitées comme avant la limitation.',
    },
    hello: 'Bonjour,',
    why: 'L\'article 19 du RGPD nous impose de vous en informer, ces données vous ayant été communiquées.',
    categories: 'Données concernées :',
    person: 'Référence de la personne (telle que vous la détenez) : {ref}',
    notice: 'Référence de cette notification : {id}',
    reply: 'Merci de rappeler la référence de cette notification dans toute réponse.',
  },
};

const fill = (text: string, values: Record<string, string>): string => text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? `{${key}}`);

/** The day the change was carried out, in words ("12 March 2026", "12 mars 2026"), as recorded (its own offset). */
function dayOf(occurredAt: string, language: NoticeLanguage): string {
  const day = new Date(`${occurredAt.slice(0, 10)}T00:00:00Z`);
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(day);
}

/** The message, pure: the subject and the plain text (Art. 12(1): clear and plain language for the recipient too). */
export function writeNoticeEmail(notice: RecipientNotice, controller: string, language: NoticeLanguage): { subject: string; text: string } {
  const w = WORDING[language];
  const reference = notice.subjectRef ?? notice.id;
  const subject = `${w.subject[notice.action]} - ${controller} - ${language === 'en' ? 'ref.' : 'réf.'} ${reference}`;
  const categories = notice.categories.map((code) => {
    const label = dataCategoryLabel(code, language);
    return `- ${label ? `${label} (${code})` : code}`;
  });
  const lines = [
    w.hello,
    '',
    fill(w.done[notice.action], { controller, date: dayOf(notice.occurredAt, language) }),
    w.why,
    '',
    w.categories,
    ...categories,
    '',
    w.ask[notice.action],
    '',
    ...(notice.subjectRef === undefined ? [] : [fill(w.person, { ref: notice.subjectRef })]),
    fill(w.notice, { id: notice.id }),
    w.reply,
    '',
    controller,
  ];
  return { subject, text: `${lines.join('\n')}\n` };
}
