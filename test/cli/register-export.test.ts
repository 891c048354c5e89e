import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli } from '../helpers/cli.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/registers');
const REGISTER = path.join(FIXTURES, 'diff-after');

let out: string;
beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'opendpo-export-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('opendpo register export', () => {
  it('writes the CNIL-style sheet in French to a file, with a BOM and CRLF line ends', async () => {
    const file = path.join(out, 'registre.csv');
    const r = await runCli(['register', 'export', REGISTER, '--format', 'csv', '--lang', 'fr', '--output', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`opendpo: wrote ${file}: 3 activities as csv\n`);
    const bytes = await readFile(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toMatch(/^\uFEFFRéférence,Nom du traitement,/);
    expect(text.split('\r\n').filter((l) => /^(newsletter|orders|recruitment),/.test(l)).map((l) => l.split(',')[0])).toEqual([
      'newsletter',
      'orders',
      'recruitment',
    ]);
    expect(text).toContain('Consentement (Art. 6(1)(a))');
  });

  it("uses the register's default language when --lang is not given", async () => {
    const r = await runCli(['register', 'export', REGISTER, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\uFEFFReference,Processing activity,/);
  });

  it('prints W3C DPV JSON-LD with every activity as a dpv:Process', async () => {
    const r = await runCli(['register', 'export', REGISTER, '--format', 'jsonld']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { '@context': Record<string, string>; '@graph': { '@id': string; '@type': string }[] };
    expect(doc['@context'].dpv).toBe('https://w3id.org/dpv#');
    expect(doc['@graph'].filter((n) => n['@type'] === 'dpv:Process').map((n) => n['@id'])).toEqual([
      'urn:opendpo:acme-test:activity:newsletter',
      'urn:opendpo:acme-test:activity:orders',
      'urn:opendpo:acme-test:activity:recruitment',
    ]);
  });

  it('refuses a register with errors: exit 1, each problem at file:line:column, nothing exported', async () => {
    const r = await runCli(['register', 'export', path.join(FIXTURES, 'diff-invalid'), '--format', 'csv']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/diff-invalid\/activities\/broken\.yaml:4:15 +error +retention\[0\]\.duration/);
    expect(r.stderr).toContain('opendpo: not exported: the register has an error; fix it first');
    expectNoStackTrace(r.stderr);
  });

  it('exits 2 on bad arguments, without a stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['register', 'export', REGISTER], /give --format \(csv, jsonld\), or --output FILE with one of the extensions \.csv \(csv\), \.jsonld\/\.json \(jsonld\)/],
      [['register', 'export', REGISTER, '--format', 'xlsx'], /--format must be one of csv, jsonld, not "xlsx"/],
      [['register', 'export', REGISTER, '--format', 'csv', '--lang', 'de'], /--lang must be one of en, fr, not "de"/],
      [['register', 'export', REGISTER, '--format', 'csv', '--output', path.join(out, 'no-such-dir', 'x.csv')], /--output .*x\.csv: the folder .*no-such-dir does not exist/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expectNoStackTrace(r.stderr);
    }
  });

  it('exits 1 for a folder that does not exist', async () => {
    const r = await runCli(['register', 'export', path.join(out, 'missing'), '--format', 'jsonld']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read the register folder');
    expectNoStackTrace(r.stderr);
  });
});
