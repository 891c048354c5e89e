import { describe, expect, it } from 'vitest';
import { ACTIVITY, expectOne, lintWith, ofRule, SALES, salesWith } from '../register-fixture.js';

const BASES = `legal_bases:
  - basis: contract
  - basis: consent
    withdrawal_method: The unsubscribe link in every email
`;

describe('basis/missing', () => {
  it('reports an activity with no basis at all, at the activity', () => {
    const activity = salesWith(BASES, '').replace('    legal_basis: contract\n', '').replace('    legal_basis: consent\n', '');
    const { findings } = lintWith({ [ACTIVITY]: activity });
    const f = expectOne(findings, 'basis/missing', { file: ACTIVITY, line: 1, column: 1, severity: 'error' });
    expect(f.article).toBe('Art. 6(1)');
  });

  it('accepts legal_bases, and leaves processor activities to their controller', () => {
    expect(ofRule(lintWith().findings, 'basis/missing')).toEqual([]);
    const processor = lintWith({
      [ACTIVITY]: 'id: sales\nname: Hosting\nrole: processor\npurposes:\n  - description: Host\ncontrollers:\n  - name: Client\n    contact:\n      email: c@client.example\nsecurity_measures:\n  - kind: backup\n',
    });
    expect(processor.findings).toEqual([]);
  });
});

describe('basis/purpose-without-basis', () => {
  it('reports, at the purpose, a purpose that does not say which of several bases it relies on', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('    legal_basis: consent\n', '') });
    const f = expectOne(findings, 'basis/purpose-without-basis', { file: ACTIVITY, line: 10, column: 5, severity: 'error' });
    expect(f.article).toBe('Art. 13(1)(c)');
  });

  it('leaves a processor activity to its controllers, who give the bases in their own notice', () => {
    const processor = 'id: sales\nname: Hosting\nrole: processor\npurposes:\n  - description: Host\n  - description: Back up\nlegal_bases:\n  - basis: contract\n  - basis: consent\n  - basis: legitimate_interests\ncontrollers:\n  - name: Client\n    contact:\n      email: c@client.example\nsecurity_measures:\n  - kind: backup\n';
    expect(lintWith({ [ACTIVITY]: processor }).findings).toEqual([]);
    // The same activity as the controller's own is reported on each count.
    const own = lintWith({ [ACTIVITY]: processor.replace('role: processor', 'role: controller') }).findings.map((f) => f.rule);
    expect(own).toEqual(expect.arrayContaining(['basis/purpose-without-basis', 'basis/consent-without-withdrawal', 'basis/legitimate-interest-unstated']));
  });

  it('lets purposes inherit the only basis', () => {
    const activity = salesWith(BASES, 'legal_bases:\n  - basis: contract\n').replace('    legal_basis: contract\n', '').replace('    legal_basis: consent\n', '');
    expect(lintWith({ [ACTIVITY]: activity }).findings).toEqual([]);
  });
});

describe('basis/consent-without-withdrawal', () => {
  it('reports consent without a withdrawal method, at the basis', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('    withdrawal_method: The unsubscribe link in every email\n', '') });
    const f = expectOne(findings, 'basis/consent-without-withdrawal', { file: ACTIVITY, line: 16, column: 5, severity: 'error' });
    expect(f.article).toBe('Art. 7(3)');
  });

  it('accepts consent with its withdrawal method', () => {
    expect(ofRule(lintWith().findings, 'basis/consent-without-withdrawal')).toEqual([]);
  });
});

describe('basis/legitimate-interest-unstated', () => {
  const li = (extra: string) =>
    salesWith('    legal_basis: consent\n', '    legal_basis: legitimate_interests\n').replace(
      '  - basis: consent\n    withdrawal_method: The unsubscribe link in every email\n',
      `  - basis: legitimate_interests\n${extra}`,
    );

  it('reports legitimate interests without the interest', () => {
    const { findings } = lintWith({ [ACTIVITY]: li('') });
    expectOne(findings, 'basis/legitimate-interest-unstated', { file: ACTIVITY, line: 16, column: 5, severity: 'error' });
  });

  it('accepts the interest stated', () => {
    expect(lintWith({ [ACTIVITY]: li('    interest: Keeping customers informed of similar products\n') }).findings).toEqual([]);
  });
});

describe('basis/special-category-undecided', () => {
  const opinions = salesWith('  - category: user.name\n    label: Name\n', '  - category: user.name\n    label: Name\n  - category: user.content\n    label: Opinions expressed\n    possibly_special: true\n');

  it('asks the DPO to decide, at the flag, about data that may be special-category data', () => {
    const f = expectOne(lintWith({ [ACTIVITY]: opinions }).findings, 'basis/special-category-undecided', { file: ACTIVITY, line: 25, column: 23, severity: 'warning' });
    expect(f.article).toBe('Art. 9(1)');
    // Undecided is not special: no Art. 9(2) condition is demanded yet.
    expect(ofRule(lintWith({ [ACTIVITY]: opinions }).findings, 'basis/special-category-without-condition')).toEqual([]);
  });

  it('is satisfied by a decision either way', () => {
    expect(lintWith({ [ACTIVITY]: opinions.replace('    possibly_special: true\n', '') }).findings).toEqual([]);
    const decided = opinions.replace('    possibly_special: true\n', '    possibly_special: true\n    special_category: political_opinions\n    incidental: true\n');
    const findings = lintWith({ [ACTIVITY]: decided }).findings;
    expect(ofRule(findings, 'basis/special-category-undecided')).toEqual([]);
    expect(ofRule(findings, 'basis/special-category-without-condition')).toHaveLength(1);
  });
});

describe('basis/special-category-without-condition', () => {
  it('reports a fideslang code that maps to a special category, at the category', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('category: user.name', 'category: user.health.medications') });
    const f = expectOne(findings, 'basis/special-category-without-condition', { file: ACTIVITY, line: 21, column: 5, severity: 'error' });
    expect(f.message).toContain('(health)');
  });

  it('reports data flagged special_category, even when only incidental', () => {
    const { findings } = lintWith({
      [ACTIVITY]: salesWith('    label: Name\n', '    label: Opinions in event videos\n    special_category: political_opinions\n    incidental: true\n'),
    });
    const f = expectOne(findings, 'basis/special-category-without-condition', { file: ACTIVITY, line: 21, column: 5, severity: 'error' });
    expect(f.message).toContain('may incidentally reveal');
  });

  it('reports special-category data in an activity that declares special_category_conditions: none', () => {
    const activity = `${salesWith('category: user.name', 'category: user.health.medications')}special_category_conditions: none\n`;
    const f = expectOne(lintWith({ [ACTIVITY]: activity }).findings, 'basis/special-category-without-condition', { file: ACTIVITY, line: 21, column: 5, severity: 'error' });
    expect(f.message).toContain('declares special_category_conditions: none');
    expect(lintWith({ [ACTIVITY]: `${SALES}special_category_conditions: none\n` }).findings).toEqual([]);
  });

  it('accepts special categories with an Art. 9(2) condition', () => {
    const activity = `${salesWith('category: user.name', 'category: user.health.medications')}special_category_conditions:\n  - condition: explicit_consent\n`;
    expect(ofRule(lintWith({ [ACTIVITY]: activity }).findings, 'basis/special-category-without-condition')).toEqual([]);
  });
});

describe('basis/automated-decision-exception', () => {
  const decision = (extra: string, effect = true) =>
    `${SALES.replace('automated_decisions: none\n', '')}automated_decisions:\n  - description: Orders with a high fraud score are refused\n    logic: A weighted score of risk signals\n    legal_or_similar_effect: ${effect}\n${extra}`;

  it('reports a decision with legal or similar effects that names no Art. 22(2) exception, as legitimate interests would leave it', () => {
    const f = expectOne(lintWith({ [ACTIVITY]: decision('') }).findings, 'basis/automated-decision-exception', { file: ACTIVITY, line: 43, column: 5, severity: 'error' });
    expect(f.article).toBe('Art. 22(2)');
    expect(f.message).toContain('add exception');
  });

  it('asks for the law of a decision authorised by law, and for the Art. 22(3) safeguards of one under a contract or consent', () => {
    expect(expectOne(lintWith({ [ACTIVITY]: decision('    exception: law\n') }).findings, 'basis/automated-decision-exception', { file: ACTIVITY, line: 43, column: 5, severity: 'error' }).message).toContain('add law');
    expect(expectOne(lintWith({ [ACTIVITY]: decision('    exception: explicit_consent\n') }).findings, 'basis/automated-decision-exception', { file: ACTIVITY, line: 43, column: 5, severity: 'error' }).message).toContain('add safeguards');
  });

  it('accepts an exception with what it needs, and decisions without legal or similar effects', () => {
    expect(lintWith({ [ACTIVITY]: decision('    exception: contract\n    safeguards: A person reviews any refusal on request\n') }).findings).toEqual([]);
    expect(lintWith({ [ACTIVITY]: decision('    exception: law\n    law: Code monétaire et financier, art. L561-5\n') }).findings).toEqual([]);
    expect(ofRule(lintWith({ [ACTIVITY]: decision('', false) }).findings, 'basis/automated-decision-exception')).toEqual([]);
  });

  it('refuses legitimate interests as an exception when the register is loaded', () => {
    const { problems } = lintWith({ [ACTIVITY]: decision('    exception: legitimate_interests\n') });
    expect(problems.map((p) => [p.rule, p.line])).toEqual([['schema/invalid', 46]]);
    expect(problems[0]!.message).toContain('exception');
  });
});

describe('basis/criminal-data', () => {
  it('reports criminal-offence data without a legal obligation naming the law', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('category: user.name', 'category: user.criminal_history') });
    expectOne(findings, 'basis/criminal-data', { file: ACTIVITY, line: 21, column: 5, severity: 'error' });
  });

  it('reports data flagged criminal', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('    label: Name\n', '    label: Fraud record\n    criminal: true\n') });
    expect(ofRule(findings, 'basis/criminal-data')).toHaveLength(1);
  });

  it('accepts a legal obligation that names the law', () => {
    const activity = salesWith('category: user.name', 'category: user.criminal_history').replace(
      '  - basis: contract\n',
      '  - basis: contract\n  - basis: legal_obligation\n    law: Code du travail L1234-5\n',
    );
    expect(ofRule(lintWith({ [ACTIVITY]: activity }).findings, 'basis/criminal-data')).toEqual([]);
  });
});
