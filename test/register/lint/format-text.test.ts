import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/register/finding.js';
import { formatText } from '../../../src/register/lint/format-text.js';

const FINDINGS: Finding[] = [
  { rule: 'retention/missing', severity: 'error', message: 'the activity gives no retention period: add retention with a duration', article: 'Art. 30(1)(f)', file: 'reg/activities/a.yaml', line: 1, column: 1 },
  { rule: 'art30/recipients', severity: 'warning', message: 'the activity names no recipient: add recipients', article: 'Art. 30(1)(d)', file: 'reg/activities/a.yaml', line: 4, column: 13 },
  { rule: 'notice/cookie-policy', severity: 'warning', message: 'the organisation gives no cookie policy link: add cookie_policy_url', file: 'reg/organisation.yaml', line: 1, column: 1 },
  { rule: 'notice/missing-translation', severity: 'info', message: '2 texts have no fr translation (the first is here)', file: 'reg/activities/a.yaml', line: 2, column: 7 },
];

describe('formatText', () => {
  it('groups by file, one line per finding with place, severity, message, rule and article, then a summary', () => {
    expect(formatText(FINDINGS, { color: false })).toBe(
      [
        'reg/activities/a.yaml:1:1  error    the activity gives no retention period: add retention with a duration  retention/missing (Art. 30(1)(f))',
        'reg/activities/a.yaml:4:13  warning  the activity names no recipient: add recipients  art30/recipients (Art. 30(1)(d))',
        'reg/activities/a.yaml:2:7  info     2 texts have no fr translation (the first is here)  notice/missing-translation',
        '',
        'reg/organisation.yaml:1:1  warning  the organisation gives no cookie policy link: add cookie_policy_url  notice/cookie-policy',
        '',
        '1 error, 2 warnings, 1 info',
        '',
      ].join('\n'),
    );
  });

  it('prints only the summary when there is nothing to report', () => {
    expect(formatText([], { color: false })).toBe('0 errors, 0 warnings, 0 infos\n');
  });

  it('colours only when asked', () => {
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[\d+m/;
    expect(formatText(FINDINGS, { color: false })).not.toMatch(ansi);
    const coloured = formatText(FINDINGS, { color: true });
    expect(coloured).toMatch(ansi);
    expect(coloured).toContain('\u001b[31merror  \u001b[39m');
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(formatText(FINDINGS, { color: false }));
  });
});
