import { describe, expect, it } from 'vitest';
import { ACTIVITY, expectOne, lintWith, ofRule, RECIPIENTS, salesWith } from '../register-fixture.js';

const TRANSFER = `transfers:
  - recipient: mailer
    country: US
    mechanism: scc
    scc_module: 2
`;
const withTransfer = (yaml: string) => salesWith(TRANSFER, yaml);

describe('transfer/no-safeguard', () => {
  it('reports a transfer to the US without a mechanism when the recipient is not DPF-certified', () => {
    const { findings } = lintWith({ [ACTIVITY]: withTransfer('transfers:\n  - recipient: mailer\n    country: US\n') });
    const f = expectOne(findings, 'transfer/no-safeguard', { file: ACTIVITY, line: 28, column: 5, severity: 'error' });
    expect(f.message).toContain('not marked dpf_certified');
    expect(f.article).toBe('Art. 44-46');
  });

  it('takes the country from the recipient when the transfer does not give one', () => {
    const { findings } = lintWith({ [ACTIVITY]: withTransfer('transfers:\n  - recipient: mailer\n') });
    expect(ofRule(findings, 'transfer/no-safeguard')).toHaveLength(1);
    expect(ofRule(findings, 'transfer/unidentified')).toEqual([]);
  });

  it('reports mechanism adequacy for a country without an adequacy decision, at the mechanism', () => {
    const { findings } = lintWith({ [ACTIVITY]: withTransfer('transfers:\n  - recipient: mailer\n    country: IN\n    mechanism: adequacy\n') });
    const f = expectOne(findings, 'transfer/no-safeguard', { file: ACTIVITY, line: 30, column: 16, severity: 'error' });
    expect(f.message).toContain('no adequacy decision for IN');
  });

  it('reports mechanism adequacy for the US when the recipient is not DPF-certified', () => {
    const { findings } = lintWith({ [ACTIVITY]: withTransfer('transfers:\n  - recipient: mailer\n    country: US\n    mechanism: adequacy\n') });
    expect(ofRule(findings, 'transfer/no-safeguard').map((f) => f.message)).toEqual([expect.stringContaining('Data Privacy Framework')]);
  });

  it('reports a derogation that names no Art. 49 case, and compelling interests without safeguards', () => {
    const { findings } = lintWith({
      [ACTIVITY]: withTransfer(
        'transfers:\n  - recipient: mailer\n    country: US\n    mechanism: derogation\n  - recipient: mailer\n    country: US\n    mechanism: derogation\n    derogation: compelling_legitimate_interests\n',
      ),
    });
    expect(ofRule(findings, 'transfer/no-safeguard').map((f) => [f.line, f.column])).toEqual([
      [30, 16],
      [34, 17],
    ]);
  });

  it('accepts the US for a DPF-certified recipient, a country with adequacy, SCC, and an EEA country', () => {
    const certified = `${RECIPIENTS}    dpf_certified: true\n`;
    expect(ofRule(lintWith({ 'recipients.yaml': certified, [ACTIVITY]: withTransfer('transfers:\n  - recipient: mailer\n    country: US\n') }).findings, 'transfer/no-safeguard')).toEqual([]);
    expect(ofRule(lintWith({ 'recipients.yaml': certified, [ACTIVITY]: withTransfer('transfers:\n  - recipient: mailer\n    mechanism: adequacy\n') }).findings, 'transfer/no-safeguard')).toEqual([]);
    expect(lintWith({ [ACTIVITY]: withTransfer('transfers:\n  - recipient: mailer\n    country: JP\n    mechanism: adequacy\n') }).findings).toEqual([]);
    expect(lintWith({ [ACTIVITY]: withTransfer('transfers:\n  - recipient: mailer\n    country: NO\n') }).findings).toEqual([]);
    expect(lintWith().findings).toEqual([]);
  });
});

describe('transfer/no-safeguard to an international organisation', () => {
  it('accepts one with an adequacy decision, and reports one without a mechanism', () => {
    const to = (name: string) => withTransfer(`transfers:\n  - recipient: mailer\n    international_organisation: ${name}\n`).replace('recipients: [shipping, mailer]', 'recipients: [shipping]');
    const eeaMailer = RECIPIENTS.replace('    country: US\n', '');
    expect(lintWith({ 'recipients.yaml': eeaMailer, [ACTIVITY]: to('European Patent Organisation') }).findings).toEqual([]);
    const { findings } = lintWith({ 'recipients.yaml': eeaMailer, [ACTIVITY]: to('World Widget Organisation') });
    expect(ofRule(findings, 'transfer/no-safeguard').map((f) => f.message)).toEqual([
      'the transfer to World Widget Organisation has no adequacy decision and no safeguard: add mechanism',
    ]);
  });
});

describe('transfer/unidentified', () => {
  it('reports a transfer that names neither recipient nor country (the seed announces such transfers)', () => {
    const { findings } = lintWith({ [ACTIVITY]: withTransfer('transfers:\n  - mechanism: scc\n    scc_module: 2\n') });
    const f = expectOne(findings, 'transfer/unidentified', { file: ACTIVITY, line: 28, column: 5, severity: 'error' });
    expect(f.message).toBe('the transfer names neither the recipient nor the third country: add recipient and country');
    expect(f.article).toBe('Art. 30(1)(e)');
  });

  it('reports a transfer without a recipient', () => {
    const { findings } = lintWith({ [ACTIVITY]: withTransfer('transfers:\n  - country: US\n    mechanism: scc\n    scc_module: 2\n') });
    expect(ofRule(findings, 'transfer/unidentified').map((f) => f.message)).toEqual(['the transfer does not name the recipient: add recipient']);
    // The unnamed transfer to the US may be the one to the US recipient: not also "undeclared".
    expect(ofRule(findings, 'transfer/undeclared')).toEqual([]);
  });

  it('accepts a recipient with a country', () => {
    expect(ofRule(lintWith().findings, 'transfer/unidentified')).toEqual([]);
  });
});

describe('transfer/undeclared', () => {
  it('warns when a recipient outside the EEA receives the data and no transfer is declared', () => {
    const { findings } = lintWith({ [ACTIVITY]: withTransfer('') });
    const f = expectOne(findings, 'transfer/undeclared', { file: ACTIVITY, line: 26, column: 24, severity: 'warning' });
    expect(f.message).toContain('"mailer" is in US');
  });

  it('accepts recipients in the EEA or without a country', () => {
    const eea = RECIPIENTS.replace('country: US', 'country: IE');
    expect(lintWith({ 'recipients.yaml': eea, [ACTIVITY]: withTransfer('transfers: none\n') }).findings).toEqual([]);
  });
});

describe('transfer/scc-without-module', () => {
  it('warns at the mechanism when SCC name no module', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('    scc_module: 2\n', '') });
    expectOne(findings, 'transfer/scc-without-module', { file: ACTIVITY, line: 30, column: 16, severity: 'warning' });
  });

  it('accepts SCC with a module', () => {
    expect(ofRule(lintWith().findings, 'transfer/scc-without-module')).toEqual([]);
  });
});
