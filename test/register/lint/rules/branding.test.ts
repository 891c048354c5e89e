import { describe, expect, it } from 'vitest';
import { lintWith, ofRule, ORGANISATION, positionOf } from '../register-fixture.js';

const branded = (colours: string) => `${ORGANISATION}branding:\n  colours:\n${colours}`;

describe('branding/contrast', () => {
  it('reports a primary colour too light for links on white, at the colour', () => {
    const yaml = branded('    primary: "#7fb2ff"\n    on_primary: "#000000"\n');
    const found = ofRule(lintWith({ 'organisation.yaml': yaml }).findings, 'branding/contrast');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', article: 'Art. 12(1)', file: 'reg/organisation.yaml', ...positionOf(yaml, '"#7fb2ff"') });
    expect(found[0]!.message).toContain('on white');
  });

  it('reports button text too faint on the primary colour', () => {
    const yaml = branded('    primary: "#0b4fa8"\n    on_primary: "#3366cc"\n');
    const found = ofRule(lintWith({ 'organisation.yaml': yaml }).findings, 'branding/contrast');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('buttons are hard to read');
  });

  it('accepts colours that reach 4.5:1, and no branding at all', () => {
    expect(lintWith({ 'organisation.yaml': branded('    primary: "#8a3b12"\n') }).findings).toEqual([]);
    expect(ofRule(lintWith().findings, 'branding/contrast')).toEqual([]);
  });

  it('refuses a logo that is not a small data: URI, and a colour that is not #rrggbb', () => {
    const logo = `${ORGANISATION}branding:\n  logo: https://evil.example/logo.png\n`;
    expect(lintWith({ 'organisation.yaml': logo }).problems.map((f) => f.rule)).toContain('schema/invalid');
    const big = `${ORGANISATION}branding:\n  logo: "data:image/png;base64,${'A'.repeat(70_000)}"\n`;
    expect(lintWith({ 'organisation.yaml': big }).problems.map((f) => f.rule)).toContain('schema/invalid');
    expect(lintWith({ 'organisation.yaml': branded('    primary: red\n') }).problems.map((f) => f.rule)).toContain('schema/invalid');
  });
});
