/**
 * Table and column names as words: "customerEmail", "customer_email" and "Customer-Email" are
 * all [customer, email]. Suggestions match whole words, so "zip" is never read as "ip" and
 * "hotel" never as "tel".
 */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** The singular of a table word, good enough for names: customers -> customer, companies -> company, addresses -> address. */
export function singular(word: string): string {
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3) return word.slice(0, -1);
  return word;
}

/** Words of a name, each also in the singular. */
export function wordSet(name: string): Set<string> {
  const words = nameWords(name);
  return new Set([...words, ...words.map(singular)]);
}

/** True when `words` (in order, adjacent) occur in the name's words, or their concatenation is one word ("firstname"). */
export function hasPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 1) return words.includes(phrase[0]!) || words.map(singular).includes(phrase[0]!);
  const joined = phrase.join('');
  if (words.includes(joined)) return true;
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((p, j) => words[i + j] === p || singular(words[i + j]!) === p)) return true;
  }
  return false;
}
