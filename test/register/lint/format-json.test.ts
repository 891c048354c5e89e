import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/register/finding.js';
import { formatJson } from '../../../src/register/lint/format-json.js';

describe('formatJson', () => {
  it('gives findings with a stable key order, and a summary', () => {
    const findings: Finding[] = [
      { file: 'reg/a.yaml', line: 3, column: 5, severity: 'error', rule: 'ref/undefined-system', message: 'system "shops" is not defined', suggestion: 'shop', endLine: 3, endColumn: 10 },
      { rule: 'notice/missing-translation', severity: 'info', message: '1 text has no fr translation (this one)', file: 'reg/b.yaml', line: 1, column: 1 },
    ];
    const text = formatJson(findings);
    expect(text.endsWith('\n')).toBe(true);
    const parsed = JSON.parse(text) as { findings: Record<string, unknown>[]; summary: unknown };
    expect(Object.keys(parsed)).toEqual(['findings', 'summary']);
    expect(Object.keys(parsed.findings[0]!)).toEqual(['rule', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'suggestion']);
    expect(parsed.findings[1]).toEqual({ rule: 'notice/missing-translation', severity: 'info', message: '1 text has no fr translation (this one)', file: 'reg/b.yaml', line: 1, column: 1 });
    expect(parsed.summary).toEqual({ errors: 1, warnings: 0, infos: 1 });
  });

  it('is identical for identical findings', () => {
    const f: Finding[] = [{ rule: 'r/x', severity: 'warning', message: 'm', file: 'f', line: 1, column: 2 }];
    expect(formatJson(f)).toBe(formatJson(f.map(() => ({ column: 2, line: 1, file: 'f', message: 'm', severity: 'warning', rule: 'r/x' }))));
    expect(JSON.parse(formatJson([]))).toEqual({ findings: [], summary: { errors: 0, warnings: 0, infos: 0 } });
  });
});
