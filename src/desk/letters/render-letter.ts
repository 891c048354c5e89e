/**
 * A letter to a person, in English or French, as the subject, text and HTML of one mail: the one entry
 * point of the letters. The facts are checked against their kind's schema first (letter-facts.ts), so
 * a letter the GDPR requires to say something (a refusal's reasons, an extension's date) never
 * leaves without it. Pure and deterministic: no clock, no time zone, no I/O.
 */
import { OpendpoError } from '../../errors/opendpo-error.js';
import { LANGUAGES, type Language } from '../../register/schema.js';
import { buildLetter } from './build-letter.js';
import { LETTER_FACTS, LETTER_KINDS, type Letter, type LetterFacts, type LetterKind } from './letter-facts.js';
import { writeLetterHtml, writeLetterText } from './write-letter.js';

export interface RenderedLetter {
  subject: string;
  text: string;
  html: string;
}

export function renderLetter<K extends LetterKind>(kind: K, language: Language, facts: LetterFacts<K>): RenderedLetter {
  if (!(LETTER_KINDS as readonly string[]).includes(kind)) throw new OpendpoError('INVALID_INPUT', `letter kind: must be one of ${LETTER_KINDS.join(', ')}`);
  if (!(LANGUAGES as readonly string[]).includes(language)) throw new OpendpoError('INVALID_INPUT', `letter language: must be one of ${LANGUAGES.join(', ')}`);
  const parsed = LETTER_FACTS[kind].safeParse(facts);
  if (!parsed.success) {
    // Paths and zod's messages only: the values themselves are personal data or free text.
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new OpendpoError('INVALID_INPUT', `${kind} letter: ${issues.map((i) => `${i.path || '(facts)'}: ${i.message}`).join('; ')}`, { issues });
  }
  const doc = buildLetter({ kind, facts: parsed.data } as Letter, language);
  return { subject: doc.subject, text: writeLetterText(doc), html: writeLetterHtml(doc) };
}
