/**
 * The privacy notice as a small document tree, independent of the output format: the builder
 * decides what the notice says, the HTML and Markdown writers decide only how it looks (and do
 * all the escaping), so both formats always say the same thing.
 */
import type { Language } from '../register/schema.js';

export type Inline =
  /** Text; `lang` is set only when it differs from the notice's language (a missing translation). */
  | { t: 'text'; text: string; lang?: Language }
  | { t: 'link'; href: string; text: string; lang?: Language }
  | { t: 'strong'; children: Inline[] };

export type Block =
  | { t: 'p'; content: Inline[] }
  | { t: 'ul'; items: Inline[][] }
  | { t: 'dl'; items: { term: Inline[]; details: Block[] }[] }
  | {
      t: 'table';
      caption: Inline[];
      /** Column headers (scope="col"). */
      columns: Inline[][];
      /** With `rowHeaders`, the first cell of each row is a header (scope="row"). */
      rowHeaders: boolean;
      rows: Block[][][];
    };

export interface Section {
  /** Anchor, unique in the document. */
  id: string;
  level: 2 | 3;
  title: Inline[];
  blocks: Block[];
  sections: Section[];
}

export interface NoticeDocument {
  lang: Language;
  title: string;
  /** Paragraphs under the title (effective date, translation note). */
  preamble: Block[];
  sections: Section[];
  /** Contents, skip link and other navigation wording. */
  skipLink: string;
  tocTitle: string;
  footer: Block[];
}

export const text = (value: string, lang?: Language): Inline => (lang ? { t: 'text', text: value, lang } : { t: 'text', text: value });
export const para = (...content: Inline[]): Block => ({ t: 'p', content });
