/**
 * Findings as stable JSON for scripts and CI: { findings, summary }, keys always in the same order.
 */
import type { Finding } from '../finding.js';
import { summariseFindings, type FindingSummary } from './summarise-findings.js';

export interface JsonReport {
  findings: Finding[];
  summary: FindingSummary;
}

export function toJsonReport(findings: readonly Finding[]): JsonReport {
  return {
    findings: findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      ...(f.article !== undefined ? { article: f.article } : {}),
      file: f.file,
      line: f.line,
      column: f.column,
      ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
      ...(f.endColumn !== undefined ? { endColumn: f.endColumn } : {}),
      ...(f.suggestion !== undefined ? { suggestion: f.suggestion } : {}),
    })),
    summary: summariseFindings(findings),
  };
}

export function formatJson(findings: readonly Finding[]): string {
  return `${JSON.stringify(toJsonReport(findings), null, 2)}\n`;
}
