import type { Finding } from '../finding.js';

export interface FindingSummary {
  errors: number;
  warnings: number;
  infos: number;
}

export function summariseFindings(findings: readonly Finding[]): FindingSummary {
  const summary = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === 'error') summary.errors++;
    else if (f.severity === 'warning') summary.warnings++;
    else summary.infos++;
  }
  return summary;
}
