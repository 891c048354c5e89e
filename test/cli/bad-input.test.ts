/**
 * Issue 2, section 7: what bad input gets. Every case gives a clear message naming file:line:column,
 * a non-zero exit, and never a stack trace.
 */
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli, type CliResult } from '../helpers/cli.js';
import { ORGANISATION } from '../register/lint/register-fixture.js';

let root: string;

async function register(name: string, files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  return dir;
}

async function lint(dir: string): Promise<CliResult> {
  const r = await runCli(['register', 'lint', dir, '--format', 'text']);
  expectNoStackTrace(r.stdout + r.stderr);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(1);
  return r;
}

/** The line of the output that names this place and rule. */
function expectLine(r: CliResult, where: string, rule: string, message: RegExp): void {
  const line = r.stdout.split('\n').find((l) => l.startsWith(`${where}  `) && l.includes(rule));
  expect(line, `a line starting with ${where} for ${rule} in:\n${r.stdout}`).toBeDefined();
  expect(line).toMatch(message);
}

// "Billion laughs": nine levels of nine aliases would expand to 9^9 strings.
const ALIAS_BOMB = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat([...'bcdefghi'].map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`))
  .join('\n');

describe.concurrent('bad input to opendpo register lint', () => {
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'opendpo-bad-input-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('malformed YAML: the syntax error at its place', async () => {
    const dir = await register('malformed', { 'organisation.yaml': ORGANISATION, 'activities/a.yaml': 'id: a\nname: A: B\n' });
    const r = await lint(dir);
    // The position is given once, in front, not repeated at the end of yaml's message.
    expectLine(r, `${dir}/activities/a.yaml:2:7`, 'yaml/syntax', /error {4}Nested mappings are not allowed in compact mappings {2}yaml\/syntax$/);
  });

  it('wrong types: what was expected and what was found, at the value', async () => {
    const dir = await register('types', { 'organisation.yaml': ORGANISATION, 'activities/a.yaml': 'id: a\nname: A\npurposes: 12\n' });
    const r = await lint(dir);
    expectLine(r, `${dir}/activities/a.yaml:3:11`, 'schema/invalid', /purposes: must be an array, not number 12/);
  });

  it('an empty folder', async () => {
    const dir = await register('empty', {});
    const r = await lint(dir);
    expectLine(r, `${dir}:1:1`, 'file/empty-register', /no register files found/);
  });

  it('a folder that does not exist', async () => {
    const dir = path.join(root, 'does-not-exist');
    const r = await lint(dir);
    expectLine(r, `${dir}:1:1`, 'file/unreadable', /does not exist/);
  });

  it('a file that is not UTF-8: the first bad byte', async () => {
    const dir = await register('latin1', { 'organisation.yaml': Uint8Array.from([...Buffer.from('id: acme\nname: Caf'), 0xe9, ...Buffer.from(' SA\n')]) });
    const r = await lint(dir);
    expectLine(r, `${dir}/organisation.yaml:2:10`, 'file/not-utf8', /not valid UTF-8/);
  });

  it('a 50 MB file: refused from its size, without reading it', async () => {
    const dir = await register('huge', { 'organisation.yaml': ORGANISATION, 'activities/huge.yaml': '' });
    await truncate(path.join(dir, 'activities/huge.yaml'), 50 * 1024 * 1024);
    const r = await lint(dir);
    expectLine(r, `${dir}/activities/huge.yaml:1:1`, 'file/too-large', /50\.0 MB; register files are limited to 2 MB/);
  });

  it('a 1.8 MB file of 900,000 values: refused from its count of values, where it passes the limit, quickly', async () => {
    const dir = await register('ones', { 'organisation.yaml': ORGANISATION, 'activities/ones.yaml': `[${Array<string>(900_000).fill('1').join(',')}]\n` });
    const started = performance.now();
    const r = await lint(dir);
    expect(performance.now() - started).toBeLessThan(60_000); // generous: the CLI starts in about a second
    // [ and 49,999 values pass 50,000 at the next one, column 2 + 2 × 49,999.
    expectLine(r, `${dir}/activities/ones.yaml:1:100000`, 'yaml/node-limit', /passes 50,000 YAML values .* far more than register files hold: it is not read/);
  });

  it('a YAML alias bomb (billion laughs)', async () => {
    const dir = await register('bomb', { 'organisation.yaml': ORGANISATION, 'activities/bomb.yaml': ALIAS_BOMB });
    const r = await lint(dir);
    // At the first alias: the file is never expanded.
    expectLine(r, `${dir}/activities/bomb.yaml:2:8`, 'yaml/alias-limit', /expands YAML aliases too many times/);
  });

  it('a self-referencing alias', async () => {
    const dir = await register('self-alias', { 'organisation.yaml': ORGANISATION, 'activities/a.yaml': 'id: a\nname: &n\n  en: A\n  fr: *n\n' });
    const r = await lint(dir);
    // At the alias inside the node it names.
    expectLine(r, `${dir}/activities/a.yaml:4:7`, 'yaml/alias-limit', /refers to a node that contains it/);
  });

  it('a sub_processor_of cycle: the cycle spelled out', async () => {
    const dir = await register('cycle', {
      'organisation.yaml': ORGANISATION,
      'recipients.yaml': 'recipients:\n  - id: a\n    name: A\n    kind: processor\n    sub_processor_of: b\n  - id: b\n    name: B\n    kind: processor\n    sub_processor_of: a\n',
    });
    const r = await lint(dir);
    expectLine(r, `${dir}/recipients.yaml:5:23`, 'ref/sub-processor-cycle', /"a" → "b" → "a"/);
  });

  it('unknown keys: the key, and the key it probably meant', async () => {
    const dir = await register('unknown-key', { 'organisation.yaml': ORGANISATION, 'activities/a.yaml': 'id: a\nname: A\npurposes:\n  - descripton: Sell\n' });
    const r = await lint(dir);
    expectLine(r, `${dir}/activities/a.yaml:4:5`, 'schema/unknown-key', /unknown key "descripton": did you mean "description"\?/);
  });
});
