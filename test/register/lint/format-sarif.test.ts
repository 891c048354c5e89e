/**
 * The SARIF output checked against the essential structure of SARIF 2.1.0 (the parts GitHub code
 * scanning and other viewers require), without fetching the schema.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/register/finding.js';
import { formatSarif } from '../../../src/register/lint/format-sarif.js';
import { RULES } from '../../../src/register/lint/rules.js';
import { VERSION } from '../../../src/version.js';
import { lintWith, salesWith, ACTIVITY } from './register-fixture.js';

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; informationUri?: string; version: string; rules: Record<string, unknown>[] } };
    results: {
      ruleId: string;
      ruleIndex?: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }[];
    }[];
  }[];
}

const BASE = path.resolve('/repo');

function expectValidSarif(log: SarifLog): void {
  expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  expect(log.version).toBe('2.1.0');
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0]!;
  const driver = run.tool.driver;
  expect(driver.name).toBe('opendpo');
  // No invented address: the optional informationUri and helpUri are left out until there is one.
  expect(driver.informationUri).toBeUndefined();
  expect(driver.version).toBe(VERSION);
  for (const rule of driver.rules) {
    expect(rule).toMatchObject({
      id: expect.any(String),
      shortDescription: { text: expect.any(String) },
      fullDescription: { text: expect.any(String) },
      help: { text: expect.stringContaining('docs/register-format.md') },
      defaultConfiguration: { level: expect.stringMatching(/^(error|warning|note)$/) },
      properties: { tags: expect.arrayContaining(['gdpr']) },
    });
  }
  for (const result of run.results) {
    expect(['error', 'warning', 'note']).toContain(result.level);
    expect(result.message.text.length).toBeGreaterThan(0);
    if (result.ruleIndex !== undefined) expect(driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    expect(result.locations).toHaveLength(1);
    const loc = result.locations[0]!.physicalLocation;
    expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
    expect(loc.artifactLocation.uri).not.toMatch(/^\/|\\|^[a-z]+:/i);
    expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
    expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
    if (loc.region.endLine !== undefined) expect(loc.region.endLine).toBeGreaterThanOrEqual(loc.region.startLine!);
  }
}

describe('formatSarif', () => {
  it('lists every rule with its article as a tag', () => {
    const log = JSON.parse(formatSarif([], { baseDir: BASE })) as SarifLog;
    expectValidSarif(log);
    const rules = log.runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    const retention = rules.find((r) => r.id === 'retention/missing')!;
    expect(retention.properties).toEqual({ tags: ['gdpr', 'retention', 'Art. 30(1)(f)'] });
    expect(log.runs[0]!.results).toEqual([]);
  });

  it('maps severities to levels, and places results relative to the base folder with forward slashes', () => {
    const findings: Finding[] = [
      { rule: 'retention/missing', severity: 'error', message: 'no retention', article: 'Art. 30(1)(f)', file: path.join(BASE, 'reg', 'activities', 'a b.yaml'), line: 2, column: 3, endLine: 4, endColumn: 1 },
      { rule: 'notice/cookie-policy', severity: 'warning', message: 'no cookie policy', file: path.join('reg', 'organisation.yaml'), line: 1, column: 1 },
      { rule: 'notice/missing-translation', severity: 'info', message: 'no fr', file: path.join('reg', 'recipients.yaml'), line: 3, column: 11 },
    ];
    const log = JSON.parse(formatSarif(findings, { baseDir: BASE })) as SarifLog;
    expectValidSarif(log);
    const results = log.runs[0]!.results;
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ['retention/missing', 'error'],
      ['notice/cookie-policy', 'warning'],
      ['notice/missing-translation', 'note'],
    ]);
    expect(results[0]!.message.text).toBe('no retention (Art. 30(1)(f))');
    expect(results[0]!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'reg/activities/a%20b.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 3, endLine: 4, endColumn: 1 },
    });
    expect(results[1]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('reg/organisation.yaml');
    expect(results[1]!.locations[0]!.physicalLocation.region).toEqual({ startLine: 1, startColumn: 1 });
  });

  it('is valid for the findings of a real lint run', () => {
    const { findings } = lintWith({ [ACTIVITY]: salesWith('recipients: [shipping, mailer]', 'recipients: [shiping]'), 'organisation.yaml': 'id: acme\nname: Acme\n' });
    expect(findings.length).toBeGreaterThan(3);
    const log = JSON.parse(formatSarif(findings, { baseDir: process.cwd() })) as SarifLog;
    expectValidSarif(log);
    expect(log.runs[0]!.results.every((r) => r.ruleIndex !== undefined)).toBe(true);
    expect(log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toContain('reg/activities/sales.yaml');
  });
});
