import { describe, expect, it } from 'vitest';
import { ACTIVITY, expectOne, lintWith, ofRule, positionOf } from '../register-fixture.js';

const SECOND = 'activities/support.yaml';

/** A processor activity (it lints clean with controllers that have a contact) with the given controllers block. */
const hosting = (id: string, controllers: string) => `id: ${id}
name: Hosting for our clients
role: processor
purposes:
  - description: Host the clients' subscriber data
security_measures:
  - kind: encryption
controllers:
${controllers}`;

const party = (fields: string) =>
  `  - name: Telco A SA
    contact:
      email: dpo@telco-a.example
${fields}`;

describe('processor/controller-id-conflict', () => {
  it('reports an id that names two controllers, at the second one\'s id', () => {
    const second = hosting('support', `  - id: telco-a\n    name: Telco B SA\n    contact:\n      email: dpo@telco-b.example\n    requests:\n      answer_within_days: 10\n`);
    const { findings } = lintWith({ [ACTIVITY]: hosting('sales', party('    id: telco-a\n    requests:\n      answer_within_days: 10\n')), [SECOND]: second });
    const f = expectOne(findings, 'processor/controller-id-conflict', { file: SECOND, ...positionOf(second, 'telco-a'), severity: 'error' });
    expect(f.message).toBe('the id telco-a already names Telco A SA in activity sales: give Telco B SA an id of its own');
    expect(f.article).toBe('Art. 28(3)(e)');
  });

  it('reports one controller given two different periods, at the second terms', () => {
    const second = hosting('support', party('    id: telco-a\n    requests:\n      answer_within_days: 10\n      days: working\n'));
    const { findings } = lintWith({ [ACTIVITY]: hosting('sales', party('    id: telco-a\n    requests:\n      answer_within_days: 10\n')), [SECOND]: second });
    expectOne(findings, 'processor/controller-id-conflict', { file: SECOND, ...positionOf(second, 'answer_within_days'), severity: 'error' });
  });

  it('accepts one controller named in several activities, its terms given once or the same (calendar days by default)', () => {
    const { findings } = lintWith({
      [ACTIVITY]: hosting('sales', party('    id: telco-a\n    requests:\n      answer_within_days: 10\n')),
      [SECOND]: hosting('support', `  - id: telco-a\n    name: telco a sa\n    contact:\n      email: dpo@telco-a.example\n    requests:\n      answer_within_days: 10\n      days: calendar\n`),
    });
    expect(findings).toEqual([]);
    expect(ofRule(lintWith({ [SECOND]: hosting('support', party('    id: telco-a\n')), [ACTIVITY]: hosting('sales', party('    id: telco-a\n    requests:\n      answer_within_days: 5\n')) }).findings, 'processor/controller-id-conflict')).toEqual([]);
  });
});

describe('processor/request-terms-missing', () => {
  it('warns once for a controller with an id and no terms anywhere, at its first id', () => {
    const first = hosting('sales', party('    id: telco-a\n'));
    const { findings } = lintWith({ [ACTIVITY]: first, [SECOND]: hosting('support', party('    id: telco-a\n')) });
    const f = expectOne(findings, 'processor/request-terms-missing', { file: ACTIVITY, ...positionOf(first, 'telco-a\n'), severity: 'warning' });
    expect(f.message).toContain('requests: { answer_within_days: N }');
  });

  it('says nothing of a controller without an id, or with terms in one of its activities', () => {
    expect(lintWith({ [ACTIVITY]: hosting('sales', party('')) }).findings).toEqual([]);
    const { findings } = lintWith({ [ACTIVITY]: hosting('sales', party('    id: telco-a\n')), [SECOND]: hosting('support', party('    id: telco-a\n    requests:\n      answer_within_days: 30\n')) });
    expect(findings).toEqual([]);
  });
});

describe('processor/request-terms-without-id', () => {
  it('reports terms given to a controller without an id, at the terms', () => {
    const text = hosting('sales', party('    requests:\n      answer_within_days: 10\n'));
    const { findings } = lintWith({ [ACTIVITY]: text });
    expectOne(findings, 'processor/request-terms-without-id', { file: ACTIVITY, ...positionOf(text, 'answer_within_days'), severity: 'error' });
  });

  it('accepts terms with an id', () => {
    expect(lintWith({ [ACTIVITY]: hosting('sales', party('    id: telco-a\n    requests:\n      answer_within_days: 10\n')) }).findings).toEqual([]);
  });
});

describe('the requests terms in the schema', () => {
  it('refuses a period outside 1 to 90 days, and an unknown kind of days, as schema errors', () => {
    const { problems } = lintWith({ [ACTIVITY]: hosting('sales', party('    id: telco-a\n    requests:\n      answer_within_days: 120\n      days: business\n')) });
    expect(problems.map((p) => [p.rule, p.message.includes('1 to 90') || p.message.includes('calendar')])).toEqual([
      ['schema/invalid', true],
      ['schema/invalid', true],
    ]);
  });
});
