/**
 * Findings as SARIF 2.1.0, so code-review tools (GitHub code scanning, GitLab, VS Code SARIF viewer)
 * show them inline. Paths are relative to the base folder (the repository root in CI), with forward
 * slashes, under the %SRCROOT% base id.
 */
import path from 'node:path';
import { VERSION } from '../../version.js';
import type { Finding, Severity } from '../finding.js';
import type { Rule } from './rule.js';
import { RULES } from './rules.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  /** An absolute folder: artifact URIs are made relative to it (the repository root in CI). */
  baseDir: string;
}

// No informationUri/helpUri: the project has no public address yet, and an invented one would
// send reviewers nowhere. Every rule carries its help text, and the rules are documented in
// docs/register-format.md ("Lint rules at a glance").
function sarifRule(rule: Rule) {
  return {
    id: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.help },
    help: { text: `${rule.help} (opendpo: docs/register-format.md, "Lint rules at a glance")` },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ['gdpr', rule.id.split('/')[0]!, ...(rule.article ? [rule.article] : [])] },
  };
}

function artifactUri(file: string, baseDir: string): string {
  const relative = path.relative(baseDir, path.resolve(baseDir, file)) || '.';
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}

export function toSarif(findings: readonly Finding[], { baseDir }: SarifOptions) {
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'opendpo',
            version: VERSION,
            rules: RULES.map(sarifRule),
          },
        },
        // yaml's columns count UTF-16 code units, as JavaScript strings do.
        columnKind: 'utf16CodeUnits' as const,
        results: findings.map((f) => {
          const ruleIndex = index.get(f.rule);
          return {
            ruleId: f.rule,
            ...(ruleIndex !== undefined ? { ruleIndex } : {}),
            level: LEVEL[f.severity],
            message: { text: f.article ? `${f.message} (${f.article})` : f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: artifactUri(f.file, baseDir), uriBaseId: '%SRCROOT%' },
                  region: {
                    startLine: f.line,
                    startColumn: f.column,
                    ...(f.endLine !== undefined && f.endColumn !== undefined ? { endLine: f.endLine, endColumn: f.endColumn } : {}),
                  },
                },
              },
            ],
            ...(f.suggestion ? { properties: { suggestion: f.suggestion } } : {}),
          };
        }),
      },
    ],
  };
}

export function formatSarif(findings: readonly Finding[], options: SarifOptions): string {
  return `${JSON.stringify(toSarif(findings, options), null, 2)}\n`;
}
