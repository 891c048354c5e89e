/**
 * A small register that lints clean, and helpers to lint it with one file replaced: each rule's test
 * changes only what the rule is about, so a finding can only come from that change.
 */
import path from 'node:path';
import { expect } from 'vitest';
import type { Finding } from '../../../src/register/finding.js';
import { loadRegisterFromFiles, type LoadedRegister } from '../../../src/register/load.js';
import { lintRegister } from '../../../src/register/lint/lint-register.js';

export const LABEL = 'reg';
export const ACTIVITY = 'activities/sales.yaml';

export const ORGANISATION = `id: acme
name: Acme Shop
address:
  lines: [1 rue de la Paix]
  postal_code: "75002"
  city: Paris
  country: FR
contact:
  email: contact@acme.example
dpo:
  email: dpo@acme.example
supervisory_authority:
  name: CNIL
  country: FR
rights_channels:
  - kind: email
    value: privacy@acme.example
cookie_policy_url: https://acme.example/cookies
default_language: en
`;

export const RECIPIENTS = `recipients:
  - id: shipping
    name: Shipping team
    kind: internal
  - id: mailer
    name: Mailer Inc.
    kind: processor
    country: US
    dpa_reference: DPA-1
`;

export const SYSTEMS = `systems:
  - id: shop
    name: Shop database
    hosting_country: FR
`;

export const SALES = `id: sales
name: Online sales
sources:
  - kind: data_subject
purposes:
  - id: orders
    description: Take and deliver orders
    data_use: essential.service
    legal_basis: contract
  - id: newsletter
    description: Send the newsletter
    data_use: marketing.communications.email
    legal_basis: consent
legal_bases:
  - basis: contract
  - basis: consent
    withdrawal_method: The unsubscribe link in every email
data_categories:
  - category: user.contact.email
    label: Email address
  - category: user.name
    label: Name
data_subjects:
  - category: customer
    label: Customers
recipients: [shipping, mailer]
transfers:
  - recipient: mailer
    country: US
    mechanism: scc
    scc_module: 2
retention:
  - duration: P3Y
    starts_from: the end of the contract
    end_action: delete
security_measures:
  - kind: access_control
provision:
  requirement: contract_prerequisite
  consequences: Without it we cannot deliver the order
systems: [shop]
automated_decisions: none
`;

export const VALID: Readonly<Record<string, string>> = {
  'organisation.yaml': ORGANISATION,
  'recipients.yaml': RECIPIENTS,
  'systems.yaml': SYSTEMS,
  [ACTIVITY]: SALES,
};

/** The file as findings name it. */
export const file = (rel: string) => path.join(LABEL, rel);

export interface Linted {
  loaded: LoadedRegister;
  problems: Finding[];
  findings: Finding[];
}

/** Lints the valid register with some files replaced (a string) or removed (null). */
export function lintWith(overrides: Record<string, string | null> = {}): Linted {
  const files = { ...VALID, ...overrides };
  const inputs = Object.entries(files)
    .filter((e): e is [string, string] => e[1] !== null)
    .map(([p, content]) => ({ path: p, content: new TextEncoder().encode(content) }));
  const { loaded, problems } = loadRegisterFromFiles(LABEL, inputs);
  if (!loaded) throw new Error(`the fixture did not load: ${JSON.stringify(problems)}`);
  return { loaded, problems, findings: lintRegister(loaded) };
}

/** The activity file with `from` replaced by `to` (the text must occur exactly once). */
export function salesWith(from: string, to: string): string {
  expect(SALES.split(from).length - 1, `"${from}" occurs once in the fixture`).toBe(1);
  return SALES.replace(from, to);
}

export const ofRule = (findings: readonly Finding[], rule: string) => findings.filter((f) => f.rule === rule);

/** The one finding of a rule, at the place given (file relative to the register, 1-based line and column). */
export function expectOne(findings: readonly Finding[], rule: string, where: { file: string; line: number; column: number; severity: Finding['severity'] }): Finding {
  const found = ofRule(findings, rule);
  expect(found, `findings of ${rule}: ${JSON.stringify(findings, null, 1)}`).toHaveLength(1);
  expect(found[0]).toMatchObject({ rule, severity: where.severity, file: file(where.file), line: where.line, column: where.column });
  return found[0]!;
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  expect(at, `"${needle}" occurs in the text`).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
