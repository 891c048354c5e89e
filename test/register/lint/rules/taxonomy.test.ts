import { describe, expect, it } from 'vitest';
import { ACTIVITY, expectOne, lintWith, ofRule, salesWith } from '../register-fixture.js';

describe('taxonomy/unknown-data-category', () => {
  it('reports a code outside fideslang at the code, with a did-you-mean', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('category: user.contact.email', 'category: user.contact.emial') });
    const f = expectOne(findings, 'taxonomy/unknown-data-category', { file: ACTIVITY, line: 19, column: 15, severity: 'error' });
    expect(f.message).toBe('"user.contact.emial" is not a fideslang data category: did you mean "user.contact.email"?');
    expect(f.suggestion).toBe('user.contact.email');
  });

  it('reports a deprecated key as a warning naming its replacement', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('category: user.name', 'category: user.childrens') });
    const f = expectOne(findings, 'taxonomy/unknown-data-category', { file: ACTIVITY, line: 21, column: 15, severity: 'warning' });
    expect(f.suggestion).toBe('user.children');
  });

  it('checks the categories a retention rule names', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('  - duration: P3Y', '  - categories: [user.contact.email, user.name, no.such.code]\n    duration: P3Y') });
    expectOne(findings, 'taxonomy/unknown-data-category', { file: ACTIVITY, line: 33, column: 49, severity: 'error' });
  });

  it('accepts fideslang codes', () => {
    expect(ofRule(lintWith().findings, 'taxonomy/unknown-data-category')).toEqual([]);
  });
});

describe('taxonomy/unknown-data-use', () => {
  it("reports a purpose's data use outside fideslang", () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('data_use: essential.service', 'data_use: essentail.service') });
    const f = expectOne(findings, 'taxonomy/unknown-data-use', { file: ACTIVITY, line: 8, column: 15, severity: 'error' });
    expect(f.suggestion).toBe('essential.service');
  });

  it('accepts fideslang data uses, and a purpose without one', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('    data_use: essential.service\n', '') });
    expect(ofRule(findings, 'taxonomy/unknown-data-use')).toEqual([]);
  });
});

describe('taxonomy/unknown-data-subject', () => {
  it('reports a data subject category outside fideslang', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('category: customer', 'category: costumer') });
    const f = expectOne(findings, 'taxonomy/unknown-data-subject', { file: ACTIVITY, line: 24, column: 15, severity: 'error' });
    expect(f.message).toContain('did you mean "customer"?');
  });

  it('accepts a fideslang subject, and a subject with only a label', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('  - category: customer\n    label: Customers', '  - label: Customers') });
    expect(ofRule(findings, 'taxonomy/unknown-data-subject')).toEqual([]);
    expect(findings).toEqual([]);
  });
});
