/**
 * A letter before it is written: its subject and blocks of text, with links and emphasis marked,
 * so the text and the HTML versions say exactly the same thing (write-letter.ts writes both).
 */
import type { Language } from '../../register/schema.js';

export interface Inline {
  text: string;
  /** A web page or a mailto: address. */
  href?: string;
  strong?: boolean;
}

export type Block =
  | { type: 'paragraph'; content: Inline[] }
  | { type: 'list'; items: Inline[][] }
  /** Lines kept apart: an address, the summary of a request, a signature. */
  | { type: 'lines'; lines: Inline[][] }
  /** The one-time code, shown on its own. */
  | { type: 'code'; code: string };

export interface LetterDocument {
  lang: Language;
  subject: string;
  body: Block[];
  /** Who writes: name, postal address, contact. */
  footer: Inline[][];
}
