/**
 * The fixed wording of the letters to a person, in English. Placeholders are written `{name}` and
 * filled by build-letter.ts with the facts (escaped for HTML by write-letter.ts). Every key here must
 * exist in fr.ts: `LetterStrings` makes the compiler check it. Article numbers are the GDPR's
 * (Regulation (EU) 2016/679) unless the text says otherwise.
 */
export const en = {
  /** The locale amounts are written in (Intl). */
  locale: 'en-GB',
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  date: '{day} {month} {year}',
  /** How the first day of a month is written ("1er" in French). */
  day_first: '1',
  label_separator: ': ',
  quote: '“{text}”',

  // The request, as a person names it
  type_access: 'Access to your personal data (Art. 15 GDPR)',
  type_portability: 'Portability of your personal data (Art. 20 GDPR)',
  type_rectification: 'Rectification of your personal data (Art. 16 GDPR)',
  type_erasure: 'Erasure of your personal data (Art. 17 GDPR)',
  type_restriction: 'Restriction of processing (Art. 18 GDPR)',
  type_lift_restriction: 'Lifting of a restriction of processing (Art. 18(3) GDPR)',
  type_objection: 'Objection to processing (Art. 21 GDPR)',
  type_withdraw_consent: 'Withdrawal of consent (Art. 7(3) GDPR)',
  type_automated_decision_review: 'Human review of an automated decision (Art. 22(3) GDPR)',
  type_post_mortem: 'Personal data after a death (Article 85 of the French Data Protection Act)',

  label_reference: 'Reference',
  label_request: 'Request',
  label_received_on: 'Date received',
  label_due_on: 'Answer due by',
  label_new_due_on: 'Answer now due by',
  label_amount: 'Fee',

  // Every letter
  greeting: 'Hello,',
  contact: 'For any question about your request, write to us at {email}, quoting its reference, {reference}.',
  closing: 'Kind regards,',
  dpo_line: 'Our data protection officer: {name} ({email})',
  dpo_line_feminine: 'Our data protection officer: {name} ({email})',

  // Acknowledgement
  subject_acknowledgement: 'Your request {reference} has been received',
  acknowledgement_received: 'We have received your request and registered it under the reference below. Please quote this reference in any message about it.',
  acknowledgement_deadline:
    'We will answer without undue delay and by {due_on} at the latest (Art. 12(3) GDPR). Where necessary, taking into account the complexity and number of requests, this period may be extended by two further months; we would then tell you so before {due_on}, with the reasons.',

  // The one-time code (Art. 12(6))
  subject_identity_code: 'Your confirmation code for request {reference}',
  code_intro: 'Here is the code that confirms this email address is yours, for request {reference}:',
  code_validity: 'It is valid for {minutes} minutes. Enter it on the page where you made your request.',
  /** A request staff entered from the person's email or letter: the person never used a page, the link opens one. */
  code_validity_link: 'It is valid for {minutes} minutes. Open this link, which leads to your request on our privacy center, and enter the code there: {link}',
  code_link_private: 'Keep this link to yourself: it opens your request, and it lets you follow it until we answer.',
  /** A code staff send again: the desk keeps no copy of the link's key, the person uses the link they were given. */
  code_validity_earlier_link: 'It is valid for {minutes} minutes. Enter it on your request\'s page: open it from the link in our first email about this request, or in our letter.',
  code_never_share: 'Do not share this code with anyone: we will never ask you for it by telephone or in another email.',
  code_not_you: 'If you did not make this request, ignore this email: without the code, the request goes no further.',

  // More information to confirm the identity (Art. 12(6))
  subject_identity_request: 'Request {reference}: we need more information to confirm your identity',
  identity_why:
    'To act on your request, we must make sure that you are the person the data concerns (Art. 12(6) GDPR). We have reasonable doubts about your identity, for the following reason:',
  identity_needed: 'Please send us:',
  identity_minimal: 'We ask only for what is needed to confirm your identity, and we will use it for nothing else.',
  identity_clock: 'While we wait for this information, the time we have to answer (currently until {due_on}) is suspended; it runs again from the day we receive it.',
  identity_send: 'You can send it to {email}, quoting the reference {reference}.',

  // Extension (Art. 12(3))
  subject_extension: 'Request {reference}: the time to answer is extended to {date}',
  extension_intro:
    'We need more time to answer your request. As the GDPR allows where necessary, taking into account the complexity and number of requests (Art. 12(3) GDPR), we are extending the time to answer it: we will answer by {new_due_on} at the latest, instead of {due_on}.',
  extension_reasons: 'The reasons for this extension are:',

  // Completion
  subject_completion: 'Request {reference}: your request has been carried out',
  completion_done: 'We have carried out your request. This is what we did:',
  completion_download: 'You can download a copy of your personal data from this link: {link}',
  completion_download_expiry: 'The link works until {expires_on} inclusive. It is personal: do not share it, as anyone holding it can open the copy.',

  // Refusal (Art. 12(4))
  subject_download_link: 'Request {reference}: a new link to your copy',
  download_link_intro: 'Here is a new link to the copy of your personal data that answers your request. The link we sent before no longer works.',

  subject_status_link: 'Request {reference}: a new link to follow your request',
  status_link_intro: 'Here is a new link to follow your request on our privacy center: {link}',
  status_link_replaced: 'The link and the status key you were given before no longer work.',
  status_link_not_you: 'If you did not ask us for a new link, tell us: your request is unchanged, and no one can follow it without this link.',

  subject_refusal: 'Request {reference}: we cannot act on your request',
  refusal_intro: 'We have examined your request and we will not act on it, for the following reasons:',
  refusal_complaint:
    'You have the right to lodge a complaint with a supervisory authority (Art. 77 GDPR), in particular in the Member State where you live, where you work or where the alleged infringement took place. The supervisory authority competent for us is:',
  refusal_judicial:
    'You also have the right to an effective judicial remedy against us (Art. 79 GDPR), before the courts of the Member State where we have an establishment or of the Member State where you live.',

  // Fee (Art. 12(5), 15(3))
  subject_fee: 'Request {reference}: a fee is charged for your request',
  fee_unfounded_or_excessive:
    'We are charging a reasonable fee to act on your request, as the GDPR allows for a request that is manifestly unfounded or excessive, in particular because of its repetitive character (Art. 12(5)(a) GDPR). Our grounds:',
  fee_further_copy:
    'You are asking for a further copy of your personal data: for any further copy, the GDPR allows us to charge a reasonable fee based on administrative costs (Art. 15(3) GDPR). Our grounds:',
  fee_amount: 'The fee is {amount}. It takes into account the administrative costs of providing the information or taking the action requested.',
  fee_payment: 'How to pay: {instructions}',
  fee_then: 'We will act on your request once we have received the payment.',
  fee_disagree:
    'If you disagree, you can write to us at {email}. You also have the right to lodge a complaint with the supervisory authority, {authority} ({reach}), and to an effective judicial remedy (Art. 77 and 79 GDPR).',
} as const;

/**
 * Every key of the English wording: the French file must provide all of them, each a string, and
 * the months as a list of twelve.
 */
export type LetterStrings = { readonly [K in keyof typeof en]: Translated<(typeof en)[K]> };
type Translated<T> = T extends readonly string[] ? { readonly [I in keyof T]: string } : string;
