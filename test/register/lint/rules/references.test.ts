import { describe, expect, it } from 'vitest';
import { ACTIVITY, expectOne, lintWith, ofRule, RECIPIENTS, salesWith, SYSTEMS } from '../register-fixture.js';

describe('ref/duplicate-id', () => {
  it('reports a second activity with the same id at its id', () => {
    const { findings } = lintWith({ 'activities/z-copy.yaml': 'name: Copy\nid: sales\n' });
    const f = expectOne(findings, 'ref/duplicate-id', { file: 'activities/z-copy.yaml', line: 2, column: 5, severity: 'error' });
    expect(f.message).toContain('reg/activities/sales.yaml');
  });

  it('reports a duplicate recipient, system, and purpose id within an activity', () => {
    const { findings } = lintWith({
      'recipients.yaml': `${RECIPIENTS}  - id: mailer\n    name: Other\n    kind: third_party\n`,
      'systems.yaml': `${SYSTEMS}  - id: shop\n    name: Other\n`,
      [ACTIVITY]: salesWith('  - id: newsletter', '  - id: orders'),
    });
    expect(ofRule(findings, 'ref/duplicate-id').map((f) => [f.file, f.line, f.column])).toEqual([
      ['reg/activities/sales.yaml', 10, 9],
      ['reg/recipients.yaml', 10, 9],
      ['reg/systems.yaml', 5, 9],
    ]);
  });

  it('accepts distinct ids, and the same purpose id in two activities', () => {
    const { findings } = lintWith({ 'activities/returns.yaml': salesWith('id: sales', 'id: returns') });
    expect(ofRule(findings, 'ref/duplicate-id')).toEqual([]);
  });
});

describe('ref/undefined-recipient', () => {
  it('reports an unknown recipient id at the list item, with the closest id', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('recipients: [shipping, mailer]', 'recipients: [shiping, mailer]') });
    const f = expectOne(findings, 'ref/undefined-recipient', { file: ACTIVITY, line: 26, column: 14, severity: 'error' });
    expect(f.suggestion).toBe('shipping');
    expect(f.message).toBe('recipient "shiping" is not defined in recipients.yaml: did you mean "shipping"?');
    expect(f.article).toBe('Art. 30(1)(d)');
  });

  it('checks transfer recipients, sub_processor_of and operated_by too', () => {
    const { findings } = lintWith({
      [ACTIVITY]: salesWith('  - recipient: mailer', '  - recipient: nobody-at-all'),
      'recipients.yaml': `${RECIPIENTS}    sub_processor_of: ghost\n`,
      'systems.yaml': `${SYSTEMS}    operated_by: phantom\n`,
    });
    expect(ofRule(findings, 'ref/undefined-recipient').map((f) => [f.file, f.line, f.column, f.suggestion])).toEqual([
      ['reg/activities/sales.yaml', 28, 16, undefined],
      ['reg/recipients.yaml', 10, 23, undefined],
      ['reg/systems.yaml', 5, 18, undefined],
    ]);
  });

  it('accepts ids defined in recipients.yaml', () => {
    expect(ofRule(lintWith().findings, 'ref/undefined-recipient')).toEqual([]);
  });
});

describe('ref/undefined-system', () => {
  it('reports an unknown system id with the closest id', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('systems: [shop]', 'systems:\n  - shops') });
    const f = expectOne(findings, 'ref/undefined-system', { file: ACTIVITY, line: 42, column: 5, severity: 'error' });
    expect(f.suggestion).toBe('shop');
  });

  it('accepts a defined system', () => {
    expect(ofRule(lintWith().findings, 'ref/undefined-system')).toEqual([]);
  });
});

describe('ref/sub-processor-cycle', () => {
  const chain = (links: Record<string, string | undefined>) =>
    `recipients:\n${Object.entries(links)
      .map(([id, parent]) => `  - id: ${id}\n    name: ${id}\n    kind: processor\n${parent ? `    sub_processor_of: ${parent}\n` : ''}`)
      .join('')}  - id: shipping\n    name: Shipping\n    kind: internal\n  - id: mailer\n    name: Mailer\n    kind: processor\n    country: US\n`;

  it('reports a cycle once, with its path, at the sub_processor_of that closes it', () => {
    const { findings } = lintWith({ 'recipients.yaml': chain({ a: 'b', b: 'c', c: 'a', d: 'a' }) });
    const f = expectOne(findings, 'ref/sub-processor-cycle', { file: 'recipients.yaml', line: 5, column: 23, severity: 'error' });
    expect(f.message).toBe('sub_processor_of forms a cycle: "a" → "b" → "c" → "a"');
  });

  it('reports a recipient that is its own sub-processor', () => {
    const { findings } = lintWith({ 'recipients.yaml': chain({ solo: 'solo' }) });
    expect(ofRule(findings, 'ref/sub-processor-cycle').map((f) => f.message)).toEqual(['sub_processor_of forms a cycle: "solo" → "solo"']);
  });

  it('accepts a chain that ends at a processor', () => {
    const { findings } = lintWith({ 'recipients.yaml': chain({ a: 'b', b: 'c', c: undefined, d: 'a' }) });
    expect(ofRule(findings, 'ref/sub-processor-cycle')).toEqual([]);
  });
});

describe('ref/undefined-legal-basis', () => {
  it("reports a purpose's basis that legal_bases does not list, at the purpose's legal_basis", () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('    legal_basis: contract', '    legal_basis: legal_obligation') });
    expectOne(findings, 'ref/undefined-legal-basis', { file: ACTIVITY, line: 9, column: 18, severity: 'error' });
  });

  it('accepts purposes whose basis is listed', () => {
    expect(ofRule(lintWith().findings, 'ref/undefined-legal-basis')).toEqual([]);
  });
});
