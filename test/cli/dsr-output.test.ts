/**
 * Where a request's package goes, and where its identities come from, as a user meets them on the
 * example shop (SQLite, made from seed.sql in a fresh working folder): an --out checked before the
 * request runs, in the format its name says, never replaced without --force; a request never
 * recorded completed when its package was not written (standard output closed); a reader that
 * stops reading (`dsr list | head -1`) ending the output quietly; identities from a file or
 * standard input, never shown in a message.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoStackTrace, ROOT, runCli } from '../helpers/cli.js';

const DATASETS = path.join(ROOT, 'examples/acme-shop/datasets');
const EMAIL = 'alice.martin@example.com';
let work: string;

const dsr = (args: string[], opts: { input?: string; closeStdout?: boolean } = {}) =>
  runCli(['dsr', ...args], { cwd: work, env: { DATABASE_URL: '' }, timeoutMs: 40_000, ...opts });

interface Listed {
  id: string;
  kind: string;
  status: string;
  errorCode: string | null;
  resumable: boolean;
}

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'opendpo-dsr-output-'));
  mkdirSync(path.join(work, '.opendpo'));
  const db = new SqliteDatabase(path.join(work, '.opendpo/acme-shop.db'));
  db.exec(readFileSync(path.join(DATASETS, 'seed.sql'), 'utf8'));
  db.close();
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('dsr access --out', () => {
  it('is checked before the request runs, follows its extension, is never replaced without --force, and completes the request only once written', async () => {
    writeFileSync(path.join(work, 'alice.txt'), `# the person of ticket 4711\n\nemail=${EMAIL}\n`);
    const access = ['access', '--identity-file', 'alice.txt', '--datasets', DATASETS, '--no-progress'];

    // A folder that does not exist, an extension opendpo does not write: refused, no request made.
    const missing = await dsr([...access, '--out', 'no-such-folder/alice.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^opendpo: --out no-such-folder\/alice\.json: the folder .*no-such-folder does not exist\n$/);
    const pdf = await dsr([...access, '--out', 'alice.pdf']);
    expect(pdf.code).toBe(2);
    expect(pdf.stderr).toContain('--out alice.pdf: .pdf is not a format this command writes; the format follows the extension: .json (json), .html/.htm (html), .zip (zip)');

    // Written once; the same --out again is refused without touching the file; --force replaces it.
    const first = await dsr([...access, '--out', 'alice.html']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/request [0-9a-f-]{36}: completed/);
    const page = readFileSync(path.join(work, 'alice.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    writeFileSync(path.join(work, 'alice.html'), 'kept');
    const again = await dsr([...access, '--out', 'alice.html']);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('opendpo: alice.html already exists: choose another --out, or add --force to replace it\n');
    expect(readFileSync(path.join(work, 'alice.html'), 'utf8')).toBe('kept');
    const forced = await dsr([...access, '--out', 'alice.html', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(path.join(work, 'alice.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    // Nothing left beside it (the temporary file took the name).
    expect(readdirSync(work).sort()).toEqual(['.opendpo', 'alice.html', 'alice.txt']);

    // The package to a standard output that is closed: not delivered, so not completed.
    const closed = await dsr(['access', '--identity-file', '-', '--datasets', DATASETS, '--no-progress'], { input: `email=${EMAIL}\n`, closeStdout: true });
    expect(closed.code).toBe(74);
    expect(closed.stderr).toMatch(/^opendpo: standard output was closed before everything was written \(request [0-9a-f-]{36} stays unfinished: run the same command again to resume it\)\n$/);

    const list = await dsr(['list', '--json']);
    const requests = (JSON.parse(list.stdout) as Listed[]).reverse();
    // The refused runs made no request; the closed output left its request failed, resumable.
    expect(requests.map((r) => [r.status, r.errorCode, r.resumable])).toEqual([
      ['completed', null, false],
      ['completed', null, false],
      ['failed', 'OUTPUT_FAILED', true],
    ]);
    const shown = await dsr(['show', requests[1]!.id]);
    expect(shown.stdout).toMatch(/deliver .* html package of \d+ bytes written to the --out file/);

    // `dsr list | head -0`: the reader is gone; no stack trace, the command's own status.
    const piped = await dsr(['list'], { closeStdout: true });
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');

    for (const r of [missing, pdf, first, again, forced, closed, list, shown, piped]) {
      expectNoStackTrace(r.stderr);
      expect(r.stderr + r.stdout).not.toContain(EMAIL);
    }
  });
});

describe('identities from a file or standard input', () => {
  it('are read one type=value a line, and a wrong line is named without its value', async () => {
    writeFileSync(path.join(work, 'ids.txt'), `# checked against the passport on 2026-11-30\nemail=${EMAIL}\n${EMAIL}\n`);
    const bad = await dsr(['plan', '--identity-file', 'ids.txt', '--datasets', DATASETS]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('opendpo: ids.txt:3: write type=value (e.g. email=jane@example.com); no "=" comes after a type\n');

    const twice = await dsr(['plan', '--identity-file', '-', '--identity', `email=${EMAIL}`, '--datasets', DATASETS], { input: `\r\nemail=${EMAIL}\r\n` });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe('opendpo: identity type "email" is given twice: one value per type and request\n');

    const plan = await dsr(['plan', '--identity-file', '-', '--datasets', DATASETS], { input: `# from the request form\n\nemail=${EMAIL}\n` });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('shop.customer.email  (email)');
    for (const r of [bad, twice, plan]) expect(r.stderr + r.stdout).not.toContain(EMAIL);
  });
});
