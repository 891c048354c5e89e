/**
 * Runs every rule over a loaded register. Pure: the register in, findings out, in a stable order.
 */
import { sortFindings, type Finding } from '../finding.js';
import type { LoadedRegister } from '../load.js';
import type { Organisation } from '../schema.js';
import { reporterFor, type LintContext } from './rule.js';
import { RULES } from './rules.js';

/** The loader puts this placeholder when organisation.yaml is missing or invalid (and reports why). */
function isPlaceholder(org: Organisation): boolean {
  return org.id === 'unknown' && org.name.startsWith('(organisation.yaml');
}

function firstIndexById(items: readonly { id: string }[]): Map<string, number> {
  const index = new Map<string, number>();
  items.forEach((item, i) => {
    if (!index.has(item.id)) index.set(item.id, i);
  });
  return index;
}

export function lintRegister(loaded: LoadedRegister): Finding[] {
  const { register } = loaded;
  const ctx: LintContext = {
    loaded,
    register,
    organisationKnown: !isPlaceholder(register.organisation),
    recipientIndex: firstIndexById(register.recipients),
    systemIndex: firstIndexById(register.systems),
  };
  const findings: Finding[] = [];
  for (const rule of RULES) rule.check?.(ctx, reporterFor(rule, loaded, findings));
  return sortFindings(findings);
}
