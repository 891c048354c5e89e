/**
 * Names the place in a message that is wrong ("rows.customer[3].email"), never the value found
 * there: a system's answer holds personal data, and error messages are shown and logged.
 */
import type { z } from 'zod';

const MAX_ISSUES = 3;

/** `rows.customer[0].email`, `identities["e-mail"]`, or `(the whole message)` for the root. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the whole message)';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const name = String(key).slice(0, 64);
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${out === '' ? '' : '.'}${name}` : `[${JSON.stringify(name)}]`;
    }
  }
  return out;
}

/**
 * zod's messages say what was expected and the type found ("expected string, received number"),
 * never the value (zod 4 leaves input out of issues unless asked), so they are safe to repeat.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES).map((issue) => `at ${formatJsonPath(issue.path)}: ${issue.message}`);
  const more = issues.length > MAX_ISSUES ? `; and ${issues.length - MAX_ISSUES} more` : '';
  return shown.join('; ') + more;
}
