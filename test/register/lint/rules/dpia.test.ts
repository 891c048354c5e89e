import { describe, expect, it } from 'vitest';
import { dpiaCriteriaOf } from '../../../../src/register/lint/rules/dpia.js';
import { ACTIVITY, expectOne, lintWith, ofRule, SALES, salesWith } from '../register-fixture.js';

const CONDITION = 'special_category_conditions:\n  - condition: explicit_consent\n';
const sensitive = salesWith('category: user.name', 'category: user.health.medications');
const sensitiveAndVulnerable = `${sensitive.replace('category: customer', 'category: patient')}${CONDITION}`;

describe('dpia/likely-required', () => {
  it('warns, naming the criteria, when two inferred criteria apply and no DPIA is recorded', () => {
    const { findings } = lintWith({ [ACTIVITY]: sensitiveAndVulnerable });
    const f = expectOne(findings, 'dpia/likely-required', { file: ACTIVITY, line: 1, column: 1, severity: 'warning' });
    expect(f.message).toBe('2 EDPB criteria apply (sensitive_data, vulnerable_data_subjects) and no DPIA is recorded: record dpia');
    expect(f.article).toBe('Art. 35');
  });

  it('counts declared criteria with inferred ones', () => {
    const { findings } = lintWith({ [ACTIVITY]: `${SALES}dpia_criteria: [systematic_monitoring, large_scale]\n` });
    expect(ofRule(findings, 'dpia/likely-required').map((f) => f.message)).toEqual([expect.stringContaining('(systematic_monitoring, large_scale)')]);
  });

  it('infers criteria from automated decisions, vulnerable subjects and children’s data', () => {
    const { loaded } = lintWith({
      [ACTIVITY]: `${salesWith('category: user.name', 'category: user.children').replace('automated_decisions: none\n', '')}automated_decisions:\n  - description: Credit scoring\n    logic: A score from payment history\n    legal_or_similar_effect: true\n    profiling: true\n`,
    });
    expect(dpiaCriteriaOf(loaded.register.activities[0]!)).toEqual(['evaluation_or_scoring', 'automated_decision_with_legal_effect', 'vulnerable_data_subjects']);
  });

  it('warns at dpia when it is marked not required without a summary', () => {
    const { findings } = lintWith({ [ACTIVITY]: `${sensitiveAndVulnerable}dpia:\n  status: not_required\n` });
    expectOne(findings, 'dpia/likely-required', { file: ACTIVITY, line: 46, column: 3, severity: 'warning' });
  });

  it('accepts a recorded DPIA, a reasoned not_required, and a single criterion', () => {
    expect(lintWith({ [ACTIVITY]: `${sensitiveAndVulnerable}dpia:\n  status: completed\n  reference: DPIA-7\n` }).findings).toEqual([]);
    expect(lintWith({ [ACTIVITY]: `${sensitiveAndVulnerable}dpia:\n  status: not_required\n  summary: Small pharmacy list, assessed with the CNIL list\n` }).findings).toEqual([]);
    expect(ofRule(lintWith({ [ACTIVITY]: `${sensitive}${CONDITION}` }).findings, 'dpia/likely-required')).toEqual([]);
  });
});

