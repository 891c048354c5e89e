import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, ROOT, runCli } from '../helpers/cli.js';

const SAMPLE = path.join(ROOT, 'test/fixtures/registers/notice-sample');

describe('opendpo notice render', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'opendpo-notice-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('prints the HTML notice in the language asked', async () => {
    const r = await runCli(['notice', 'render', SAMPLE, '--lang', 'fr', '--format', 'html']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>\n<html lang="fr">/);
    expect(r.stdout).toContain('<h1>Politique de confidentialité de Lumen Books</h1>');
  });

  it('prints Markdown, in the register default language when --lang is not given', async () => {
    const r = await runCli(['notice', 'render', SAMPLE, '--format', 'md']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Privacy notice of Lumen Books\n/);
  });

  it('writes the notice to --output', async () => {
    const out = path.join(tmp, 'notice.md');
    const r = await runCli(['notice', 'render', SAMPLE, '--lang', 'en', '--format', 'md', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`wrote ${out}`);
    expect(await readFile(out, 'utf8')).toContain('## Your rights');
  });

  it('says clearly when --output cannot be written (exit 2)', async () => {
    const out = path.join(tmp, 'no-such-folder', 'notice.html');
    const r = await runCli(['notice', 'render', SAMPLE, '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`opendpo: --output ${out}: the folder ${path.dirname(out)} does not exist\n`);
    expectNoStackTrace(r.stderr);
  });

  it('refuses a bad --lang or --format with exit 2 and a clear message', async () => {
    const lang = await runCli(['notice', 'render', SAMPLE, '--lang', 'de']);
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain('--lang must be one of en, fr, not "de"');
    expect(lang.stdout).toBe('');
    const format = await runCli(['notice', 'render', SAMPLE, '--format', 'pdf']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be one of html, md, not "pdf"');
    expectNoStackTrace(lang.stderr + format.stderr);
  });

  it('refuses a register the loader cannot read, naming file:line:column (exit 1)', async () => {
    const dir = path.join(tmp, 'broken');
    await mkdir(path.join(dir, 'activities'), { recursive: true });
    await writeFile(path.join(dir, 'organisation.yaml'), 'id: broken\nname: Broken Org\n');
    await writeFile(path.join(dir, 'activities', 'a.yaml'), 'id: a\nname: A\npurposes:\n  - descripton: typo\n');
    const r = await runCli(['notice', 'render', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`${path.join(dir, 'activities', 'a.yaml').replace(/[.\\/]/g, '\\$&')}:4:5 +error +unknown key "descripton"`));
    expectNoStackTrace(r.stderr);
    const missing = await runCli(['notice', 'render', path.join(tmp, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
  });

  it('renders an incomplete register that lint would flag: the notice says what the register says', async () => {
    const dir = path.join(tmp, 'gaps');
    await mkdir(path.join(dir, 'activities'), { recursive: true });
    await writeFile(path.join(dir, 'organisation.yaml'), 'id: gaps\nname: Gaps Org\n');
    await writeFile(path.join(dir, 'activities', 'a.yaml'), 'id: a\nname: Mailing list\npurposes:\n  - description: Sending news\n');
    const r = await runCli(['notice', 'render', dir, '--format', 'md']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('### Mailing list');
    expect(r.stdout).toContain('The register gives no retention period');
  });
});
