/** What the loader and the linter report about a register: a place, a rule, and why it matters. */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable id, e.g. "retention/missing". */
  rule: string;
  severity: Severity;
  /** One sentence, safe to show; never personal data. */
  message: string;
  /** The GDPR article the rule serves, e.g. "Art. 30(1)(f)". */
  article?: string;
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** A fix, e.g. the key the author probably meant. */
  suggestion?: string;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order: by file, then position, then severity, then rule. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.rule.localeCompare(b.rule),
  );
}
