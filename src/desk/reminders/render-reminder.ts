/**
 * The daily reminder as one mail to a staff member, in English or French (the account's language, or
 * the organisation's): subject, text and HTML, laid out as the letters are (letter-document.ts) and
 * written by the same writers (write-letter.ts: every value escaped). Its wording is its own
 * (i18n/): a digest is addressed to staff, never to a data subject.
 *
 * Pure and zone-free: days are read as text (formatCalendarDate), counts come from the plan.
 */
import { OpendpoError } from '../../errors/opendpo-error.js';
import { LANGUAGES, type Language } from '../../register/schema.js';
import { formatCalendarDate, LETTER_STRINGS } from '../letters/build-letter.js';
import type { Block, Inline, LetterDocument } from '../letters/letter-document.js';
import type { RenderedLetter } from '../letters/render-letter.js';
import { writeLetterHtml, writeLetterText } from '../letters/write-letter.js';
import { en, type ReminderStrings } from './i18n/en.js';
import { fr } from './i18n/fr.js';
import { digestSize, type ReminderDigest, type ReminderItem } from './plan-reminders.js';

export const REMINDER_STRINGS: Readonly<Record<Language, ReminderStrings>> = { en, fr };

export interface ReminderFacts {
  /** The organisation's name, as its register gives it. */
  organisationName: string;
  /** The day of the reminder and the last due day it lists (ReminderPlan). */
  today: string;
  lastDay: string;
}

type StringKey = { [K in keyof ReminderStrings]: ReminderStrings[K] extends string ? K : never }[keyof ReminderStrings];

export function renderReminder(digest: Pick<ReminderDigest, 'language' | 'assigned' | 'unassigned'>, facts: ReminderFacts): RenderedLetter {
  const lang = digest.language;
  if (!(LANGUAGES as readonly string[]).includes(lang)) throw new OpendpoError('INVALID_INPUT', `reminder language: must be one of ${LANGUAGES.join(', ')}`);
  const s = REMINDER_STRINGS[lang];
  const date = (day: string) => formatCalendarDate(day, LETTER_STRINGS[lang]);
  const fill = (key: StringKey, values: Record<string, string | Inline> = {}) => fillTemplate(lang, s[key], values);
  const common = { organisation: facts.organisationName, last_day: date(facts.lastDay), today: date(facts.today) };
  const size = digestSize(digest);

  const section = (heading: StringKey, items: readonly ReminderItem[]): Block[] =>
    items.length === 0
      ? []
      : [
          { type: 'paragraph', content: fill(heading, common).map((i) => ({ ...i, strong: true })) },
          {
            type: 'list',
            items: items.map((item) =>
              fill('item', {
                reference: { text: item.reference, strong: true },
                type: s.types[item.type],
                due_on: date(item.dueOn),
                days_left: daysLeftWords(s, item.daysLeft),
                state: s.states[item.state],
              }),
            ),
          },
        ];

  const body: Block[] = [
    { type: 'paragraph', content: fill('greeting') },
    { type: 'paragraph', content: fill('intro', common) },
    ...section('heading_assigned_overdue', digest.assigned.overdue),
    ...section('heading_assigned_due', digest.assigned.dueSoon),
    ...section('heading_unassigned_overdue', digest.unassigned.overdue),
    ...section('heading_unassigned_due', digest.unassigned.dueSoon),
    { type: 'paragraph', content: fill('minimal') },
  ];
  const doc: LetterDocument = {
    lang,
    subject: fill('subject', { ...common, overdue: String(size.overdue), due_soon: String(size.dueSoon) })
      .map((i) => i.text)
      .join(''),
    body,
    footer: [fill('footer', common)],
  };
  return { subject: doc.subject, text: writeLetterText(doc), html: writeLetterHtml(doc) };
}

function daysLeftWords(s: ReminderStrings, daysLeft: number): string {
  if (daysLeft === 0) return s.due_today;
  if (daysLeft === 1) return s.one_day_left;
  if (daysLeft === -1) return s.one_day_late;
  return (daysLeft > 0 ? s.days_left : s.days_late).replace('{days}', String(Math.abs(daysLeft)));
}

/**
 * A template with its `{placeholders}` filled. French typography (a non-breaking space before : ; ! ?)
 * is applied to our wording only: values are kept as given. A placeholder without a value is a bug.
 */
function fillTemplate(lang: Language, template: string, values: Record<string, string | Inline>): Inline[] {
  const typeset = lang === 'fr' ? template.replace(/ ([:;!?»])/g, '\u00a0$1').replace(/« /g, '«\u00a0') : template;
  const out: Inline[] = [];
  let last = 0;
  for (const m of typeset.matchAll(/\{(\w+)\}/g)) {
    const name = m[1]!;
    if (!Object.hasOwn(values, name)) throw new Error(`reminder wording ${lang}: no value for {${name}}`);
    if (m.index > last) out.push({ text: typeset.slice(last, m.index) });
    const v = values[name]!;
    out.push(typeof v === 'string' ? { text: v } : v);
    last = m.index + m[0].length;
  }
  if (last < typeset.length) out.push({ text: typeset.slice(last) });
  return out;
}
