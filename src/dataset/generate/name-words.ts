/**
 * Table and column names as words: "customerEmail", "customer_email", "CustomerEMail",
 * "Customer-Email" and "tbl_customer_email" all hold [customer, email]. Suggestions match whole
 * words, so "zip" is never read as "ip" and "hotel" never as "tel".
 *
 * Names are written in many styles: camelCase and PascalCase (with acronyms: "IPAddress",
 * "CustomerID"), digits glued to words ("address1"), accents ("prénom", "téléphone"), glued
 * words ("firstname", "datenaissance") and filler words ("date_de_naissance"). Each is brought
 * to the same plain lower-case words here, once, so that rules are written once.
 */

/** Words that carry no meaning in a column name ("date_de_naissance", "date_of_birth"). */
const FILLER = new Set(['de', 'du', 'des', 'd', 'la', 'le', 'l', 'of', 'the']);

/** "é" -> "e", "œ" -> "oe": names are compared without accents, as people type them either way. */
export function foldAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE')
    .replace(/ß/g, 'ss');
}

/**
 * The words of a name. With `known`, a word that is not itself known but is made of known words
 * ("firstname", "hiredate", "codepostal") is split into them; a word is split only when every
 * piece is known and at least three letters long (or one of the two-letter words known gives),
 * so "company" is never read as "com"+"pan"+"y".
 */
export function nameWords(name: string, known?: ReadonlySet<string>): string[] {
  const words = foldAccents(name)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([a-zA-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '' && !FILLER.has(w));
  if (known === undefined) return words;
  return words.flatMap((w) => (known.has(w) || known.has(singular(w)) ? [w] : (splitGlued(w, known) ?? [w])));
}

/** The fewest known words that make up `word` exactly, or undefined. */
function splitGlued(word: string, known: ReadonlySet<string>): string[] | undefined {
  if (word.length < 5) return undefined;
  const usable = (piece: string) => (piece.length >= 3 || (piece.length === 2 && known.has(piece))) && (known.has(piece) || known.has(singular(piece)));
  // best[i]: the fewest pieces covering word[0..i).
  const best: Array<string[] | undefined> = [[]];
  for (let end = 1; end <= word.length; end++) {
    for (let start = 0; start < end; start++) {
      const before = best[start];
      const piece = word.slice(start, end);
      if (before === undefined || !usable(piece)) continue;
      const candidate = [...before, piece];
      const current = best[end];
      if (current === undefined || candidate.length < current.length) best[end] = candidate;
    }
  }
  const found = best[word.length];
  return found !== undefined && found.length > 1 ? found : undefined;
}

/** The singular of a table word, good enough for names: customers -> customer, companies -> company, addresses -> address. */
export function singular(word: string): string {
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3) return word.slice(0, -1);
  return word;
}
