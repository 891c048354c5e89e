import { describe, expect, it } from 'vitest';
import { ACTIVITY, expectOne, lintWith, ofRule, ORGANISATION, salesWith } from '../register-fixture.js';

const RETENTION = `retention:
  - duration: P3Y
    starts_from: the end of the contract
    end_action: delete
`;
const withRetention = (yaml: string) => salesWith(RETENTION, yaml);

describe('retention/missing', () => {
  it('reports an activity without retention at the activity, even with a general statement', () => {
    const { findings } = lintWith({
      [ACTIVITY]: withRetention(''),
      'organisation.yaml': `${ORGANISATION}statements:\n  retention: Data is kept no longer than necessary.\n`,
    });
    const f = expectOne(findings, 'retention/missing', { file: ACTIVITY, line: 1, column: 1, severity: 'error' });
    expect(f.article).toBe('Art. 30(1)(f)');
  });

  it('reports a rule with neither duration nor criteria, at the rule', () => {
    const { findings } = lintWith({ [ACTIVITY]: withRetention('retention:\n  - starts_from: the last order\n    end_action: delete\n') });
    expectOne(findings, 'retention/missing', { file: ACTIVITY, line: 33, column: 5, severity: 'error' });
  });

  it('reports a data category no per-category rule covers, at the category', () => {
    const { findings } = lintWith({
      [ACTIVITY]: withRetention('retention:\n  - categories: [user.contact.email]\n    duration: P3Y\n    end_action: delete\n'),
    });
    const f = expectOne(findings, 'retention/missing', { file: ACTIVITY, line: 21, column: 5, severity: 'error' });
    expect(f.message).toContain('"user.name"');
  });

  it('accepts a rule for all categories, or rules that cover each', () => {
    expect(ofRule(lintWith().findings, 'retention/missing')).toEqual([]);
    const { findings } = lintWith({
      [ACTIVITY]: withRetention(
        'retention:\n  - categories: [user.contact.email]\n    duration: P3Y\n    end_action: delete\n  - categories: [user.name]\n    duration: P1Y\n    end_action: anonymise\n',
      ),
    });
    expect(findings).toEqual([]);
  });

  it('does not ask a processor activity for retention (Art. 30(2))', () => {
    const { findings } = lintWith({
      [ACTIVITY]: 'id: sales\nname: Hosting\nrole: processor\npurposes:\n  - description: Host\ncontrollers:\n  - name: Client\n    contact:\n      email: c@client.example\nsecurity_measures:\n  - kind: backup\n',
    });
    expect(ofRule(findings, 'retention/missing')).toEqual([]);
  });
});

describe('retention/no-end-action', () => {
  it('warns at the rule when the end of the period is not said', () => {
    const { findings } = lintWith({ [ACTIVITY]: withRetention('retention:\n  - duration: P3Y\n') });
    expectOne(findings, 'retention/no-end-action', { file: ACTIVITY, line: 33, column: 5, severity: 'warning' });
  });

  it('warns at end_action when archiving names no statutory period', () => {
    const { findings } = lintWith({ [ACTIVITY]: withRetention('retention:\n  - duration: P3Y\n    end_action: archive\n') });
    expectOne(findings, 'retention/no-end-action', { file: ACTIVITY, line: 34, column: 17, severity: 'warning' });
  });

  it('accepts delete, and archive with its statute', () => {
    expect(ofRule(lintWith().findings, 'retention/no-end-action')).toEqual([]);
    const { findings } = lintWith({
      [ACTIVITY]: withRetention('retention:\n  - duration: P3Y\n    end_action: archive\n    archive:\n      duration: P10Y\n      statute: Code de commerce L123-22\n'),
    });
    expect(findings).toEqual([]);
  });
});

describe('retention/no-duration', () => {
  it('warns at the criteria when no duration is given', () => {
    const { findings } = lintWith({ [ACTIVITY]: withRetention('retention:\n  - criteria: As long as the account is active\n    end_action: delete\n') });
    expectOne(findings, 'retention/no-duration', { file: ACTIVITY, line: 33, column: 15, severity: 'warning' });
    expect(ofRule(findings, 'retention/missing')).toEqual([]);
  });

  it('accepts a duration', () => {
    expect(ofRule(lintWith().findings, 'retention/no-duration')).toEqual([]);
  });
});

describe('retention/exceeds-cnil', () => {
  const subjects = (category: string) => salesWith('category: customer', `category: ${category}`);

  it('warns when prospects are kept longer than 3 years', () => {
    const { findings } = lintWith({ [ACTIVITY]: subjects('prospect').replace('duration: P3Y', 'duration: P5Y') });
    const f = expectOne(findings, 'retention/exceeds-cnil', { file: ACTIVITY, line: 33, column: 15, severity: 'warning' });
    expect(f.message).toContain('P5Y is longer than the CNIL recommendation for prospect (P3Y');
  });

  it('warns when job applicants are kept longer than 2 years', () => {
    const { findings } = lintWith({ [ACTIVITY]: subjects('job_applicant').replace('duration: P3Y', 'duration: P25M') });
    expect(ofRule(findings, 'retention/exceeds-cnil').map((f) => f.message)).toEqual([expect.stringContaining('for job_applicant (P2Y')]);
  });

  it('accepts the recommended period, and longer periods for other people', () => {
    expect(ofRule(lintWith({ [ACTIVITY]: subjects('prospect') }).findings, 'retention/exceeds-cnil')).toEqual([]);
    expect(ofRule(lintWith({ [ACTIVITY]: subjects('job_applicant').replace('duration: P3Y', 'duration: P24M') }).findings, 'retention/exceeds-cnil')).toEqual([]);
    // The CNIL's 2 years for customers concern inactive accounts, not every customer record.
    expect(ofRule(lintWith({ [ACTIVITY]: salesWith('duration: P3Y', 'duration: P5Y') }).findings, 'retention/exceeds-cnil')).toEqual([]);
  });
});
