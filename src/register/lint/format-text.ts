/**
 * Findings for people: grouped by file, one line each as `file:line:col  severity  message  rule (Art.)`
 * so terminals and editors make the place clickable, then a summary line.
 */
import { createColors } from 'picocolors';
import type { Finding, Severity } from '../finding.js';
import { summariseFindings } from './summarise-findings.js';

export interface TextOptions {
  /** Colour the output: the caller decides (a TTY, and NO_COLOR unset). */
  color: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatText(findings: readonly Finding[], { color }: TextOptions): string {
  const c = createColors(color);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const group = groups.get(f.file);
    if (group) group.push(f);
    else groups.set(f.file, [f]);
  }
  const blocks: string[] = [];
  for (const [file, group] of groups) {
    const lines = group.map((f) => {
      const where = c.dim(`${file}:${f.line}:${f.column}`);
      const severity = paint[f.severity](f.severity.padEnd(7));
      const rule = c.dim(`${f.rule}${f.article ? ` (${f.article})` : ''}`);
      return `${where}  ${severity}  ${f.message}  ${rule}`;
    });
    blocks.push(lines.join('\n'));
  }
  const s = summariseFindings(findings);
  const summary = `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info')}`;
  const painted = s.errors > 0 ? c.bold(c.red(summary)) : s.warnings > 0 ? c.bold(c.yellow(summary)) : c.bold(c.green(summary));
  return `${[...blocks, painted].join('\n\n')}\n`;
}
