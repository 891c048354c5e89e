import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintRegister } from '../../../src/register/lint/lint-register.js';
import { RULES } from '../../../src/register/lint/rules.js';
import { lintWith, VALID } from './register-fixture.js';

// The ids other tools and the examples match on (COMMON.md): renaming one is a breaking change.
const STABLE_IDS = `file/unreadable file/not-utf8 file/too-large file/empty-register yaml/syntax yaml/alias-limit
yaml/duplicate-key schema/invalid schema/unknown-key ref/duplicate-id ref/undefined-recipient ref/undefined-system
ref/sub-processor-cycle ref/undefined-legal-basis taxonomy/unknown-data-category taxonomy/unknown-data-use
taxonomy/unknown-data-subject art30/controller-identity art30/dpo-contact art30/purposes art30/data-subjects
art30/data-categories art30/recipients art30/security-measures retention/missing retention/no-end-action
retention/no-duration retention/exceeds-cnil basis/missing basis/purpose-without-basis
basis/consent-without-withdrawal basis/legitimate-interest-unstated basis/special-category-without-condition
basis/criminal-data transfer/no-safeguard transfer/unidentified transfer/scc-without-module
processor/missing-controller joint/missing-arrangement dpia/likely-required notice/rights-channel
notice/supervisory-authority notice/source-missing notice/provision notice/automated-decision-logic
notice/missing-translation notice/cookie-policy`.split(/\s+/);

describe('the rule catalogue', () => {
  it('lists every stable id once, each with a title, help and severity', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of STABLE_IDS) expect(ids, id).toContain(id);
    for (const r of RULES) {
      expect(r.title, r.id).not.toContain('\n');
      expect(r.title.length, r.id).toBeGreaterThan(10);
      expect(r.help.length, r.id).toBeGreaterThan(r.title.length);
      expect(['error', 'warning', 'info'], r.id).toContain(r.severity);
    }
  });

  it('has a test block for every rule with a check (its failing and passing cases)', async () => {
    const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rules');
    const sources = await Promise.all((await readdir(dir)).map((f) => readFile(path.join(dir, f), 'utf8')));
    // describe('art30/purposes, data-subjects') covers art30/purposes and art30/data-subjects.
    const tested = new Set<string>();
    for (const src of sources) {
      for (const m of src.matchAll(/describe\('([a-z0-9-]+)\/([^']+)'/g)) {
        for (const name of m[2]!.split(/,\s*/)) tested.add(`${m[1]}/${name}`);
      }
    }
    for (const r of RULES) if (r.check) expect(tested, r.id).toContain(r.id);
  });

  it('gives the loader rules no check, and every other rule one', () => {
    for (const r of RULES) expect(r.check === undefined, r.id).toBe(/^(file|yaml|schema)\//.test(r.id));
  });
});

describe('lintRegister', () => {
  it('finds nothing in the valid fixture register (the passing case of every rule)', () => {
    const { findings, problems } = lintWith();
    expect(problems).toEqual([]);
    expect(findings).toEqual([]);
    expect(Object.keys(VALID)).toHaveLength(4);
  });

  it('returns findings sorted by file, position, severity and rule', () => {
    const { loaded } = lintWith({ 'organisation.yaml': 'id: acme\nname: Acme\n', 'activities/b.yaml': 'id: b\nname: B\n' });
    const findings = lintRegister(loaded);
    expect(findings.length).toBeGreaterThan(5);
    const keys = findings.map((f) => `${f.file}\u0000${String(f.line).padStart(6, '0')}:${String(f.column).padStart(6, '0')}`);
    expect(keys).toEqual([...keys].sort((a, b) => a.localeCompare(b)));
  });

  it('is pure: linting twice gives the same findings and leaves the register unchanged', () => {
    const { loaded } = lintWith({ 'organisation.yaml': 'id: acme\nname: Acme\n' });
    const before = JSON.stringify(loaded.register);
    expect(lintRegister(loaded)).toEqual(lintRegister(loaded));
    expect(JSON.stringify(loaded.register)).toBe(before);
  });

  it('says nothing more about the organisation when organisation.yaml is invalid (the loader already did)', () => {
    const { findings, problems } = lintWith({ 'organisation.yaml': 'id: acme\nname: Acme\ncookie_policy_url: not a url\n' });
    expect(problems.map((p) => [p.rule, p.line])).toEqual([['schema/invalid', 3]]);
    expect(findings).toEqual([]);
  });

  it('says nothing more about the organisation when organisation.yaml is missing (the loader already did)', () => {
    const { findings, problems } = lintWith({ 'organisation.yaml': null });
    expect(problems.map((p) => p.rule)).toEqual(['art30/controller-identity']);
    expect(findings.filter((f) => f.file.endsWith('organisation.yaml'))).toEqual([]);
    expect(findings).toEqual([]);
  });
});
