/**
 * The files the other commands write (`notice render --output`, `register export --output`,
 * `register lint --output`, `dataset generate --out`), as `dsr access --out` writes its package: in
 * the format the name says, never replacing a file without --force, checked before any work, and a
 * reader that stops reading ending the output without a stack trace.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoStackTrace, ROOT, runCli } from '../helpers/cli.js';

const REGISTER = path.join(ROOT, 'examples/acme-shop');
let work: string;
const cli = (args: string[], opts: { closeStdout?: boolean } = {}) => runCli(args, { cwd: work, env: { DATABASE_URL: '' }, timeoutMs: 40_000, ...opts });

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'opendpo-output-files-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('files written by the other commands', () => {
  it('take their format from the extension, are not replaced without --force, and are checked before any work', async () => {
    // Markdown because the name says so (the default format is HTML).
    const md = await cli(['notice', 'render', REGISTER, '--output', 'notice.md']);
    expect(md.code, md.stderr).toBe(0);
    expect(readFileSync(path.join(work, 'notice.md'), 'utf8')).toMatch(/^# /);
    writeFileSync(path.join(work, 'notice.md'), 'kept');
    const again = await cli(['notice', 'render', REGISTER, '--output', 'notice.md']);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('opendpo: notice.md already exists: choose another --output, or add --force to replace it\n');
    expect(readFileSync(path.join(work, 'notice.md'), 'utf8')).toBe('kept');
    const forced = await cli(['notice', 'render', REGISTER, '--output', 'notice.md', '--force', '--format', 'md']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(path.join(work, 'notice.md'), 'utf8')).toMatch(/^# /);

    const pdf = await cli(['register', 'export', REGISTER, '--output', 'register.pdf']);
    expect(pdf.code).toBe(2);
    expect(pdf.stderr).toBe(
      'opendpo: --output register.pdf: .pdf is not a format this command writes; the format follows the extension: .csv (csv), .jsonld/.json (jsonld) (or give --format)\n',
    );
    const mismatch = await cli(['register', 'lint', REGISTER, '--format', 'sarif', '--output', 'lint.txt']);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toBe('opendpo: --output lint.txt: --format sarif is written to a file ending in .sarif or .sarif.json, not .txt\n');

    // Refused before the database is opened: this one does not exist, and is not what is said.
    const yaml = await cli(['dataset', 'generate', '--url', 'sqlite:no-such.db', '--out', 'shop.json']);
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toBe('opendpo: --out shop.json: .json is not a format this command writes; write a .yaml or .yml file\n');

    // A closed standard output: the output ends, quietly, with the command's own status.
    const closed = await cli(['register', 'export', REGISTER, '--format', 'jsonld'], { closeStdout: true });
    expect(closed.code).toBe(0);
    expect(closed.stderr).toBe('');

    for (const r of [md, again, forced, pdf, mismatch, yaml, closed]) expectNoStackTrace(r.stderr);
    expect(readdirSync(work)).toEqual(['notice.md']);
  });
});
