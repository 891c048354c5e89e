import { describe, expect, it } from 'vitest';
import { ACTIVITY, expectOne, lintWith, ofRule, ORGANISATION, salesWith } from '../register-fixture.js';

const ORG_MINIMAL = `id: acme
name: Acme Shop
dpo:
  email: dpo@acme.example
supervisory_authority:
  name: CNIL
  country: FR
rights_channels:
  - kind: email
    value: privacy@acme.example
cookie_policy_url: https://acme.example/cookies
`;

describe('art30/controller-identity', () => {
  it('reports a controller with neither address nor contact email, at the organisation', () => {
    const { findings } = lintWith({ 'organisation.yaml': ORG_MINIMAL });
    const f = expectOne(findings, 'art30/controller-identity', { file: 'organisation.yaml', line: 1, column: 1, severity: 'error' });
    expect(f.article).toBe('Art. 30(1)(a)');
  });

  it('points at contact when contact is there without email or address', () => {
    const { findings } = lintWith({ 'organisation.yaml': `${ORG_MINIMAL}contact:\n  phone: "+33 1 00 00 00 00"\n` });
    expectOne(findings, 'art30/controller-identity', { file: 'organisation.yaml', line: 13, column: 3, severity: 'error' });
  });

  it('reports a joint controller without contact details', () => {
    const { findings } = lintWith({
      [ACTIVITY]: `${salesWith('name: Online sales', 'name: Online sales\nrole: joint_controller')}joint_controllers:\n  - name: Partner SA\n    arrangement: Partner answers requests\n`,
    });
    expectOne(findings, 'art30/controller-identity', { file: ACTIVITY, line: 45, column: 5, severity: 'error' });
  });

  it('accepts an address, or a contact email alone', () => {
    expect(ofRule(lintWith().findings, 'art30/controller-identity')).toEqual([]);
    const { findings } = lintWith({ 'organisation.yaml': `${ORG_MINIMAL}contact:\n  email: hello@acme.example\n` });
    expect(ofRule(findings, 'art30/controller-identity')).toEqual([]);
  });
});

describe('art30/dpo-contact', () => {
  it('warns when no DPO is given', () => {
    const { findings } = lintWith({ 'organisation.yaml': ORGANISATION.replace('dpo:\n  email: dpo@acme.example\n', '') });
    expectOne(findings, 'art30/dpo-contact', { file: 'organisation.yaml', line: 1, column: 1, severity: 'warning' });
  });

  it('warns at dpo when the DPO has a name but no way to reach them', () => {
    const { findings } = lintWith({ 'organisation.yaml': ORGANISATION.replace('dpo:\n  email: dpo@acme.example\n', 'dpo:\n  name: Data Protection Officer\n') });
    expectOne(findings, 'art30/dpo-contact', { file: 'organisation.yaml', line: 11, column: 3, severity: 'warning' });
  });

  it('accepts a DPO with an email', () => {
    expect(ofRule(lintWith().findings, 'art30/dpo-contact')).toEqual([]);
  });
});

describe('art30/purposes, data-subjects, data-categories, recipients', () => {
  it('reports each missing Art. 30(1) list at the activity (the parent of the missing key)', () => {
    const activity = salesWith('data_subjects:\n  - category: customer\n    label: Customers\n', '').replace('recipients: [shipping, mailer]', 'recipients: []');
    const { findings } = lintWith({ [ACTIVITY]: activity });
    expectOne(findings, 'art30/data-subjects', { file: ACTIVITY, line: 1, column: 1, severity: 'error' });
    const recipients = expectOne(findings, 'art30/recipients', { file: ACTIVITY, line: 23, column: 13, severity: 'warning' });
    expect(recipients.article).toBe('Art. 30(1)(d)');
  });

  it('reports an activity without purposes or data categories', () => {
    const noPurposes = lintWith({ [ACTIVITY]: 'id: sales\nname: Online sales\npurposes: []\n' });
    expectOne(noPurposes.findings, 'art30/purposes', { file: ACTIVITY, line: 3, column: 11, severity: 'error' });
    expectOne(noPurposes.findings, 'art30/data-categories', { file: ACTIVITY, line: 1, column: 1, severity: 'error' });
  });

  it('asks a processor activity for purposes, not for subjects, categories or recipients (Art. 30(2))', () => {
    const { findings } = lintWith({
      [ACTIVITY]: 'id: sales\nname: Hosting for clients\nrole: processor\ncontrollers:\n  - name: Client SA\n    contact:\n      email: dpo@client.example\nsecurity_measures:\n  - kind: encryption\n',
    });
    expect(findings.map((f) => f.rule)).toEqual(['art30/purposes']);
  });

  it('accepts the complete activity', () => {
    const rules = ['art30/purposes', 'art30/data-subjects', 'art30/data-categories', 'art30/recipients'];
    expect(lintWith().findings.filter((f) => rules.includes(f.rule))).toEqual([]);
  });
});

describe('art30/security-measures', () => {
  const without = salesWith('security_measures:\n  - kind: access_control\n', '');

  it('warns when neither the activity nor the organisation describes security', () => {
    const { findings } = lintWith({ [ACTIVITY]: without });
    expectOne(findings, 'art30/security-measures', { file: ACTIVITY, line: 1, column: 1, severity: 'warning' });
  });

  it('accepts a general statement in organisation.yaml', () => {
    const { findings } = lintWith({ [ACTIVITY]: without, 'organisation.yaml': `${ORGANISATION}statements:\n  security: Access is limited and logged.\n` });
    expect(ofRule(findings, 'art30/security-measures')).toEqual([]);
  });
});
