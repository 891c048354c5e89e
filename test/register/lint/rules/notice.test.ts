import { describe, expect, it } from 'vitest';
import { ACTIVITY, expectOne, lintWith, ofRule, ORGANISATION, RECIPIENTS, SALES, salesWith } from '../register-fixture.js';

const orgWithout = (yaml: string) => {
  expect(ORGANISATION).toContain(yaml);
  return ORGANISATION.replace(yaml, '');
};

describe('notice/rights-channel', () => {
  it('reports an organisation without rights channels', () => {
    const { findings } = lintWith({ 'organisation.yaml': orgWithout('rights_channels:\n  - kind: email\n    value: privacy@acme.example\n') });
    const f = expectOne(findings, 'notice/rights-channel', { file: 'organisation.yaml', line: 1, column: 1, severity: 'error' });
    expect(f.article).toBe('Art. 12(2)');
  });

  it('reports a channel without its value, at the channel', () => {
    const { findings } = lintWith({ 'organisation.yaml': ORGANISATION.replace('    value: privacy@acme.example\n', '') });
    expectOne(findings, 'notice/rights-channel', { file: 'organisation.yaml', line: 16, column: 5, severity: 'error' });
  });

  it('accepts a channel with its value, and a postal channel with its address', () => {
    expect(ofRule(lintWith().findings, 'notice/rights-channel')).toEqual([]);
    const post = ORGANISATION.replace(
      '  - kind: email\n    value: privacy@acme.example\n',
      '  - kind: post\n    address:\n      lines: [DPO, 1 rue de la Paix]\n      city: Paris\n      country: FR\n',
    );
    expect(lintWith({ 'organisation.yaml': post }).findings).toEqual([]);
  });
});

describe('notice/supervisory-authority', () => {
  it('warns when no supervisory authority is named', () => {
    const { findings } = lintWith({ 'organisation.yaml': orgWithout('supervisory_authority:\n  name: CNIL\n  country: FR\n') });
    expectOne(findings, 'notice/supervisory-authority', { file: 'organisation.yaml', line: 1, column: 1, severity: 'warning' });
  });

  it('accepts a named authority', () => {
    expect(ofRule(lintWith().findings, 'notice/supervisory-authority')).toEqual([]);
  });
});

describe('notice/source-missing', () => {
  it('reports an activity that does not say where the data comes from', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('sources:\n  - kind: data_subject\n', '') });
    expectOne(findings, 'notice/source-missing', { file: ACTIVITY, line: 1, column: 1, severity: 'error' });
  });

  it('reports an Art. 14 source without its explanation, at the source', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('  - kind: data_subject\n', '  - kind: data_subject\n  - kind: third_party\n') });
    const f = expectOne(findings, 'notice/source-missing', { file: ACTIVITY, line: 5, column: 5, severity: 'error' });
    expect(f.article).toBe('Art. 14(2)(f)');
  });

  it('accepts a third-party source with its explanation', () => {
    const activity = salesWith('  - kind: data_subject\n', '  - kind: data_subject\n  - kind: public\n    explanation: The company register\n    categories: [user.name]\n');
    expect(lintWith({ [ACTIVITY]: activity }).findings).toEqual([]);
  });
});

describe('notice/provision', () => {
  const withoutProvision = salesWith('provision:\n  requirement: contract_prerequisite\n  consequences: Without it we cannot deliver the order\n', '');

  it('warns when data collected from the person does not say whether providing it is required', () => {
    const { findings } = lintWith({ [ACTIVITY]: withoutProvision });
    const f = expectOne(findings, 'notice/provision', { file: ACTIVITY, line: 1, column: 1, severity: 'warning' });
    expect(f.article).toBe('Art. 13(2)(e)');
  });

  it('warns at provision when a requirement comes without its consequences', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('  consequences: Without it we cannot deliver the order\n', '') });
    expectOne(findings, 'notice/provision', { file: ACTIVITY, line: 39, column: 3, severity: 'warning' });
  });

  it('accepts an organisation-wide statement, and data not collected from the person', () => {
    expect(lintWith({ [ACTIVITY]: withoutProvision, 'organisation.yaml': `${ORGANISATION}statements:\n  provision: Fields marked * are required.\n` }).findings).toEqual([]);
    const art14 = withoutProvision.replace('  - kind: data_subject\n', '  - kind: third_party\n    explanation: Our resellers\n');
    expect(ofRule(lintWith({ [ACTIVITY]: art14 }).findings, 'notice/provision')).toEqual([]);
  });
});

describe('notice/automated-decision-logic', () => {
  const decision = (effect: boolean, logic = '') =>
    `${SALES.replace('automated_decisions: none\n', '')}automated_decisions:\n  - description: Fraud check on orders\n${logic}    legal_or_similar_effect: ${effect}\n`;

  it('reports, as an error, a decision with legal effects whose logic is not explained', () => {
    const { findings } = lintWith({ [ACTIVITY]: decision(true) });
    const f = expectOne(findings, 'notice/automated-decision-logic', { file: ACTIVITY, line: 43, column: 5, severity: 'error' });
    expect(f.article).toBe('Art. 13(2)(f)');
  });

  it('warns for other automated decisions', () => {
    const { findings } = lintWith({ [ACTIVITY]: decision(false) });
    expectOne(findings, 'notice/automated-decision-logic', { file: ACTIVITY, line: 43, column: 5, severity: 'warning' });
  });

  it('accepts the logic explained', () => {
    expect(ofRule(lintWith({ [ACTIVITY]: decision(true, '    logic: Orders are scored on address and payment mismatches\n') }).findings, 'notice/automated-decision-logic')).toEqual([]);
  });
});

describe('notice/source-categories', () => {
  const twoSources = (categories = '') =>
    salesWith('sources:\n  - kind: data_subject\n', `sources:\n  - kind: data_subject\n  - kind: third_party\n    explanation: A partner shop that forwards orders\n${categories}`);

  it('warns, at the source, when an activity with several sources does not say which data comes from one that is not the person (Art. 14(1)(d))', () => {
    const f = expectOne(lintWith({ [ACTIVITY]: twoSources() }).findings, 'notice/source-categories', { file: ACTIVITY, line: 5, column: 5, severity: 'warning' });
    expect(f.article).toBe('Art. 14(1)(d)');
  });

  it('reports, as an error, a category the activity does not have', () => {
    const f = expectOne(lintWith({ [ACTIVITY]: twoSources('    categories: [user.contact.phone_number]\n') }).findings, 'notice/source-categories', { file: ACTIVITY, line: 7, column: 18, severity: 'error' });
    expect(f.message).toContain('user.contact.phone_number');
  });

  it('accepts the categories given, and a single source whose categories are the activity\'s', () => {
    expect(lintWith({ [ACTIVITY]: twoSources('    categories: [user.name]\n') }).findings).toEqual([]);
    expect(ofRule(lintWith().findings, 'notice/source-categories')).toEqual([]);
  });
});

describe('notice/automated-decisions-not-stated, transfers-not-stated', () => {
  const without = (key: string) => SALES.replace(new RegExp(`^${key}:(\n  .*| none)*\n`, 'm'), '');

  it('warns, at the activity, when the register is silent on automated decisions or on transfers', () => {
    expect(without('automated_decisions')).not.toContain('automated_decisions');
    const automated = expectOne(lintWith({ [ACTIVITY]: without('automated_decisions') }).findings, 'notice/automated-decisions-not-stated', { file: ACTIVITY, line: 1, column: 1, severity: 'warning' });
    expect(automated.article).toBe('Art. 13(2)(f)');
    expect(automated.message).toContain('automated_decisions: none');
    expect(without('transfers')).not.toContain('transfers');
    const transfers = expectOne(lintWith({ [ACTIVITY]: without('transfers'), 'recipients.yaml': RECIPIENTS.replace('country: US', 'country: FR') }).findings, 'notice/transfers-not-stated', { file: ACTIVITY, line: 1, column: 1, severity: 'warning' });
    expect(transfers.article).toBe('Art. 13(1)(f)');
  });

  it('accepts none declared (as the word or an empty list), and leaves a processor activity to its controllers', () => {
    expect(lintWith().findings).toEqual([]);
    const empty = SALES.replace('automated_decisions: none', 'automated_decisions: []');
    expect(lintWith({ [ACTIVITY]: empty }).findings).toEqual([]);
    const processor = 'id: sales\nname: Hosting\nrole: processor\npurposes:\n  - description: Host\ncontrollers:\n  - name: Client\n    contact:\n      email: c@client.example\nsecurity_measures:\n  - kind: backup\n';
    expect(lintWith({ [ACTIVITY]: processor }).findings).toEqual([]);
  });
});

describe('notice/missing-translation', () => {
  const bilingual = ORGANISATION.replace('default_language: en\n', 'default_language: en\nlanguages: [en, fr]\n');

  it('gives one info per file, at its first untranslated text, counting them', () => {
    const { findings } = lintWith({ 'organisation.yaml': bilingual });
    const found = ofRule(findings, 'notice/missing-translation');
    expect(found.map((f) => [f.file, f.line, f.column, f.severity])).toEqual([
      ['reg/activities/sales.yaml', 2, 7, 'info'],
      ['reg/recipients.yaml', 3, 11, 'info'],
    ]);
    expect(found[0]!.message).toBe('9 texts have no fr translation (the first is here)');
    expect(found[1]!.message).toBe('2 texts have no fr translation (the first is here)');
  });

  it('counts a map that lacks a language', () => {
    const recipients = RECIPIENTS.replace('name: Shipping team', 'name:\n      en: Shipping team\n      fr: Équipe logistique').replace(
      'name: Mailer Inc.',
      'name:\n      en: Mailer Inc.',
    );
    const { findings } = lintWith({ 'organisation.yaml': bilingual, 'recipients.yaml': recipients });
    const f = ofRule(findings, 'notice/missing-translation').find((x) => x.file === 'reg/recipients.yaml');
    expect(f).toMatchObject({ line: 9, column: 7, message: '1 text has no fr translation (this one)' });
  });

  it('accepts a register published in its default language only', () => {
    expect(ofRule(lintWith().findings, 'notice/missing-translation')).toEqual([]);
  });
});

describe('notice/cookie-policy', () => {
  it('warns when no cookie policy is linked', () => {
    const { findings } = lintWith({ 'organisation.yaml': orgWithout('cookie_policy_url: https://acme.example/cookies\n') });
    expectOne(findings, 'notice/cookie-policy', { file: 'organisation.yaml', line: 1, column: 1, severity: 'warning' });
  });

  it('accepts a cookie policy link', () => {
    expect(ofRule(lintWith().findings, 'notice/cookie-policy')).toEqual([]);
  });
});
