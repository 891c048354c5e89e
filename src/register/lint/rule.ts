/**
 * A lint rule is data (id, severity, the GDPR article it serves, a one-line title and the help a DPO
 * reads) plus a check over the loaded register. The data feeds the SARIF rule catalogue and the docs;
 * the check reports findings through `report`, which fills in the rule's id, severity and article
 * and turns a pointer into file:line:column.
 */
import type { Finding, Severity } from '../finding.js';
import type { LoadedRegister, Pointer } from '../load.js';
import type { Register } from '../schema.js';

export interface RuleMeta {
  /** Stable id, e.g. "retention/missing": never renamed, other tools match on it. */
  id: string;
  /** The default severity; a check may lower or raise it for one finding. */
  severity: Severity;
  /** The GDPR article the rule serves, e.g. "Art. 30(1)(f)". */
  article?: string;
  /** One line: what is wrong. */
  title: string;
  /** Why it matters and what to do. */
  help: string;
}

export interface ReportExtra {
  suggestion?: string;
  severity?: Severity;
}

export type Report = (at: Pointer, message: string, extra?: ReportExtra) => void;

export interface LintContext {
  loaded: LoadedRegister;
  register: Register;
  /** False when organisation.yaml is missing or invalid and the loader put a placeholder in its place. */
  organisationKnown: boolean;
  /** Index in register.recipients of the first recipient with each id. */
  recipientIndex: ReadonlyMap<string, number>;
  /** Index in register.systems of the first system with each id. */
  systemIndex: ReadonlyMap<string, number>;
}

export interface Rule extends RuleMeta {
  /** Absent for the loader's rules (file/*, yaml/*, schema/*): they are reported while reading. */
  check?: (ctx: LintContext, report: Report) => void;
}

/** Builds the report function of one rule over one run. */
export function reporterFor(rule: RuleMeta, loaded: LoadedRegister, out: Finding[]): Report {
  return (at, message, extra) => {
    const span = loaded.locate(at);
    out.push({
      rule: rule.id,
      severity: extra?.severity ?? rule.severity,
      message,
      ...(rule.article ? { article: rule.article } : {}),
      file: at.file,
      line: span.line,
      column: span.column,
      endLine: span.endLine,
      endColumn: span.endColumn,
      ...(extra?.suggestion ? { suggestion: extra.suggestion } : {}),
    });
  };
}
