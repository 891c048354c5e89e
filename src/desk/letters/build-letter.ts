/**
 * Builds a letter to a person from its facts: the fixed wording of i18n/, filled with the facts and
 * laid out in blocks. Each kind says what its article requires (Art. 12(3) extension: the new date and
 * the reasons; Art. 12(4) refusal: every reason, the supervisory authority, the judicial remedy;
 * Art. 12(5) fee: the amount and the grounds; Art. 12(6) identity: the code and its ten minutes, or what
 * is needed and why, the clock waiting meanwhile), in clear and plain language (Art. 12(1)).
 *
 * Pure and zone-free: calendar dates are read as text, never through `Date`, so a letter written
 * in São Paulo or Auckland shows the same day as the desk computed.
 */
import type { Language } from '../../register/schema.js';
import { CODE_LIFETIME_MS } from '../one-time-code.js';
import { en, type LetterStrings } from './i18n/en.js';
import { fr } from './i18n/fr.js';
import type { Block, Inline, LetterDocument } from './letter-document.js';
import type { Letter, LetterFacts, LetterKind } from './letter-facts.js';

export const LETTER_STRINGS: Readonly<Record<Language, LetterStrings>> = { en, fr };

type Common = LetterFacts<LetterKind>;
type StringKey = { [K in keyof LetterStrings]: LetterStrings[K] extends string ? K : never }[keyof LetterStrings];

export function buildLetter(letter: Letter, lang: Language): LetterDocument {
  const w = new Wording(lang);
  const f: Common = letter.facts;
  const r = f.request;
  const reference = { text: r.reference, strong: true };
  const email = mailto(f.controller.email);
  const date = (iso: string) => formatCalendarDate(iso, w.s);
  const summary = (...extra: [StringKey, Inline[]][]): Block => ({
    type: 'lines',
    lines: (
      [
        ['label_reference', [reference]],
        ['label_request', [{ text: w.s[`type_${r.type}`] }]],
        ['label_received_on', [{ text: date(r.receivedOn) }]],
        ...extra,
      ] as [StringKey, Inline[]][]
    ).map(([label, value]) => [{ text: `${w.s[label]}${w.typography(w.s.label_separator)}`, strong: true }, ...value]),
  });
  const p = (key: StringKey, values: Values = {}): Block => ({ type: 'paragraph', content: w.fill(key, values) });
  const list = (items: readonly string[]): Block => ({ type: 'list', items: items.map((text) => [{ text }]) });
  const contact = p('contact', { email, reference: r.reference });

  let subject: Inline[];
  let body: Block[];
  switch (letter.kind) {
    case 'acknowledgement':
      subject = w.fill('subject_acknowledgement', { reference: r.reference });
      body = [
        p('acknowledgement_received'),
        summary(['label_due_on', [{ text: date(r.dueOn) }]]),
        p('acknowledgement_deadline', { due_on: date(r.dueOn) }),
        contact,
      ];
      break;
    case 'identity_code': {
      // Where the code is entered: the page of the web form; for a request staff entered, the link.
      const codeWhere = (staff: { followUrl?: string | undefined } | undefined, minutes: string): Block[] =>
        staff === undefined
          ? [p('code_validity', { minutes })]
          : staff.followUrl === undefined
            ? [p('code_validity_earlier_link', { minutes })]
            : [p('code_validity_link', { minutes, link: { text: staff.followUrl, href: staff.followUrl } }), p('code_link_private')];
      subject = w.fill('subject_identity_code', { reference: r.reference });
      body = [
        p('code_intro', { reference }),
        { type: 'code', code: letter.facts.code },
        // The lifetime is the one the code is checked against (one-time-code.ts), never a second figure.
        ...codeWhere(letter.facts.enteredByStaff, String(CODE_LIFETIME_MS / 60_000)),
        p('code_never_share'),
        p('code_not_you'),
      ];
      break;
    }
    case 'identity_request':
      subject = w.fill('subject_identity_request', { reference: r.reference });
      body = [
        summary(),
        p('identity_why'),
        { type: 'paragraph', content: w.fill('quote', { text: letter.facts.reason }) },
        p('identity_needed'),
        list(letter.facts.information),
        p('identity_minimal'),
        // Art. 12(6), EDPB Guidelines 01/2022: the period does not run while the controller waits (deadline.ts).
        p('identity_clock', { due_on: date(r.dueOn) }),
        p('identity_send', { email, reference: r.reference }),
      ];
      break;
    case 'extension':
      subject = w.fill('subject_extension', { reference: r.reference, date: date(letter.facts.newDueOn) });
      body = [
        summary(['label_due_on', [{ text: date(r.dueOn) }]], ['label_new_due_on', [{ text: date(letter.facts.newDueOn), strong: true }]]),
        p('extension_intro', { new_due_on: date(letter.facts.newDueOn), due_on: date(r.dueOn) }),
        p('extension_reasons'),
        list(letter.facts.reasons),
        contact,
      ];
      break;
    case 'completion': {
      const download = letter.facts.download;
      subject = w.fill('subject_completion', { reference: r.reference });
      body = [
        summary(),
        p('completion_done'),
        list(letter.facts.actions),
        ...(download
          ? [p('completion_download', { link: { text: download.url, href: download.url } }), p('completion_download_expiry', { expires_on: date(download.expiresOn) })]
          : []),
        contact,
      ];
      break;
    }
    case 'download_link': {
      const download = letter.facts.download;
      subject = w.fill('subject_download_link', { reference: r.reference });
      body = [
        summary(),
        p('download_link_intro'),
        p('completion_download', { link: { text: download.url, href: download.url } }),
        p('completion_download_expiry', { expires_on: date(download.expiresOn) }),
        contact,
      ];
      break;
    }
    case 'status_link': {
      const url = letter.facts.followUrl;
      subject = w.fill('subject_status_link', { reference: r.reference });
      body = [summary(), p('status_link_intro', { link: { text: url, href: url } }), p('status_link_replaced'), p('code_link_private'), p('status_link_not_you'), contact];
      break;
    }
    case 'refusal': {
      const a = f.supervisoryAuthority;
      subject = w.fill('subject_refusal', { reference: r.reference });
      body = [
        summary(),
        p('refusal_intro'),
        list(letter.facts.reasons),
        // Art. 12(4): the complaint (Art. 77) with the authority named and reachable, and the judicial remedy (Art. 79).
        p('refusal_complaint'),
        { type: 'lines', lines: [[{ text: a.name, strong: true }], ...a.address.map((line) => [{ text: line }]), ...(a.url !== undefined ? [[{ text: a.url, href: a.url }]] : [])] },
        p('refusal_judicial'),
        contact,
      ];
      break;
    }
    case 'fee': {
      const fee = letter.facts;
      const amount = formatAmount(fee.amountCents, fee.currency, w.s.locale);
      subject = w.fill('subject_fee', { reference: r.reference });
      body = [
        summary(['label_amount', [{ text: amount, strong: true }]]),
        p(fee.basis === 'further_copy' ? 'fee_further_copy' : 'fee_unfounded_or_excessive'),
        { type: 'paragraph', content: w.fill('quote', { text: fee.grounds }) },
        p('fee_amount', { amount }),
        ...(fee.paymentInstructions !== undefined ? [p('fee_payment', { instructions: fee.paymentInstructions })] : []),
        p('fee_then'),
        p('fee_disagree', {
          email,
          authority: f.supervisoryAuthority.name,
          reach: f.supervisoryAuthority.url !== undefined ? { text: f.supervisoryAuthority.url, href: f.supervisoryAuthority.url } : f.supervisoryAuthority.address.join(', '),
        }),
      ];
      break;
    }
  }

  const signature: Inline[][] = [[{ text: f.controller.name }]];
  if (f.dpo) signature.push(w.fill(f.dpo.addressedAs === 'feminine' ? 'dpo_line_feminine' : 'dpo_line', { name: f.dpo.name, email: mailto(f.dpo.email) }));
  return {
    lang,
    subject: subject.map((i) => i.text).join(''),
    body: [p('greeting'), ...body, p('closing'), { type: 'lines', lines: signature }],
    footer: [[{ text: f.controller.name }], ...f.controller.address.map((line) => [{ text: line }]), [email]],
  };
}

type Values = Record<string, string | Inline>;

class Wording {
  readonly s: LetterStrings;
  constructor(readonly lang: Language) {
    this.s = LETTER_STRINGS[lang];
  }

  /** French typography: a non-breaking space before : ; ! ? » and after «, in our wording only (values are kept as given). */
  typography(template: string): string {
    return this.lang === 'fr' ? template.replace(/ ([:;!?»])/g, '\u00a0$1').replace(/« /g, '«\u00a0') : template;
  }

  /** The wording of `key` with its `{placeholders}` replaced; a placeholder without a value is a bug. */
  fill(key: StringKey, values: Values): Inline[] {
    const template = this.typography(this.s[key]);
    const out: Inline[] = [];
    let last = 0;
    for (const m of template.matchAll(/\{(\w+)\}/g)) {
      const name = m[1]!;
      if (!Object.hasOwn(values, name)) throw new Error(`letter wording ${this.lang}.${key}: no value for {${name}}`);
      if (m.index > last) out.push({ text: template.slice(last, m.index) });
      const v = values[name]!;
      out.push(typeof v === 'string' ? { text: v } : v);
      last = m.index + m[0].length;
    }
    if (last < template.length) out.push({ text: template.slice(last) });
    return out;
  }
}

const mailto = (address: string): Inline => ({ text: address, href: `mailto:${address}` });

/** "2026-12-01" → "1 December 2026" / "1er décembre 2026": read as text, so no time zone can move it. */
export function formatCalendarDate(iso: string, s: LetterStrings): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const month = m ? s.months[Number(m[2]) - 1] : undefined;
  if (!m || month === undefined) throw new Error(`not a calendar date: ${iso}`);
  const day = Number(m[3]);
  return s.date
    .replace('{day}', day === 1 ? s.day_first : String(day))
    .replace('{month}', month)
    .replace('{year}', String(Number(m[1])));
}

/** 2500 EUR → "€25.00" / "25,00 €": the minor unit is the currency's own (Intl knows it: 2 for EUR, 0 for JPY). */
export function formatAmount(amountCents: number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountCents / 10 ** digits);
}
