/**
 * Bounding the work of reading a JSON file people hand us (`dsr task-confirm --rows`), as
 * read-yaml.ts bounds YAML: bytes alone do not, since `[{},{},…]` holds a value every three bytes
 * and JSON.parse of 20 MB of it took 24 s and 650 MB.
 */

const OPEN_ARRAY = 0x5b; // [
const OPEN_OBJECT = 0x7b; // {
const COMMA = 0x2c;
const COLON = 0x3a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The offset where the text passes `max` values, or undefined. Every value after the first
 * follows a `[`, `{`, `,` or `:` outside a string, so counting those (a little more than the
 * values, never fewer) needs one pass over the characters, and stops at the limit. Text that is not
 * JSON is left to JSON.parse to refuse.
 */
export function jsonValueLimitOffset(text: string, max: number): number | undefined {
  if (text.length <= max) return undefined; // a value takes at least one character
  let values = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT || c === COMMA || c === COLON) {
      if (++values > max) return i;
    }
  }
  return undefined;
}
