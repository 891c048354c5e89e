import { describe, expect, it } from 'vitest';
import { ACTIVITY, expectOne, lintWith, ofRule, salesWith } from '../register-fixture.js';

const HOSTING = `id: sales
name: Hosting for our clients
role: processor
purposes:
  - description: Host the clients' subscriber data
security_measures:
  - kind: encryption
`;

describe('processor/missing-controller', () => {
  it('reports a processor activity without controllers, at the activity', () => {
    const { findings } = lintWith({ [ACTIVITY]: HOSTING });
    const f = expectOne(findings, 'processor/missing-controller', { file: ACTIVITY, line: 1, column: 1, severity: 'error' });
    expect(f.article).toBe('Art. 30(2)(a)');
  });

  it('reports a controller without contact details, at the controller', () => {
    const { findings } = lintWith({ [ACTIVITY]: `${HOSTING}controllers:\n  - name: Client SA\n` });
    expectOne(findings, 'processor/missing-controller', { file: ACTIVITY, line: 9, column: 5, severity: 'error' });
  });

  it('accepts named controllers with contact details, and ignores controller activities', () => {
    expect(lintWith({ [ACTIVITY]: `${HOSTING}controllers:\n  - name: Client SA\n    contact:\n      email: dpo@client.example\n` }).findings).toEqual([]);
    expect(ofRule(lintWith().findings, 'processor/missing-controller')).toEqual([]);
  });
});

describe('joint/missing-arrangement', () => {
  const joint = (extra: string) => `${salesWith('name: Online sales', 'name: Online sales\nrole: joint_controller')}${extra}`;

  it('reports a joint-controller activity that names no other controller', () => {
    const { findings } = lintWith({ [ACTIVITY]: joint('') });
    const f = expectOne(findings, 'joint/missing-arrangement', { file: ACTIVITY, line: 1, column: 1, severity: 'error' });
    expect(f.article).toBe('Art. 26');
  });

  it('reports a joint controller without the arrangement, at that controller', () => {
    const { findings } = lintWith({ [ACTIVITY]: joint('joint_controllers:\n  - name: Partner SA\n    contact:\n      email: dpo@partner.example\n') });
    expectOne(findings, 'joint/missing-arrangement', { file: ACTIVITY, line: 45, column: 5, severity: 'error' });
  });

  it('accepts the arrangement', () => {
    const { findings } = lintWith({
      [ACTIVITY]: joint('joint_controllers:\n  - name: Partner SA\n    contact:\n      email: dpo@partner.example\n    arrangement: Partner answers access requests\n'),
    });
    expect(findings).toEqual([]);
  });
});
