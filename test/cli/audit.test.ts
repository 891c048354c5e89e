/**
 * `opendpo audit verify` as a user runs it, on a SQLite store: a chain made by publishing, intact;
 * the head it prints, given back, catches entries cut off; an edited entry fails with exit 1.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, ROOT, runCli } from '../helpers/cli.js';

let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'opendpo-audit-'));
  env = { DATABASE_URL: `sqlite:${path.join(dir, 'store.db')}` };
  const register = path.join(dir, 'register');
  cpSync(path.join(ROOT, 'examples/acme-shop'), register, { recursive: true });
  expect((await runCli(['register', 'publish', register, '--author', 'dpo'], { env })).code).toBe(0);
  // A second version: one more entry.
  const copy = path.join(register, 'activities/newsletter-copy.yaml');
  cpSync(path.join(register, 'activities/newsletter.yaml'), copy);
  writeFileSync(copy, readFileSync(copy, 'utf8').replace(/^id: newsletter$/m, 'id: newsletter-copy'));
  expect((await runCli(['register', 'publish', register, '--author', 'dpo'], { env })).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('opendpo audit verify', () => {
  it('says each chain is intact, with its head, and checks a head given back', async () => {
    const ok = await runCli(['audit', 'verify'], { env });
    expect(ok.code).toBe(0);
    const m = /^acme-boutique: 2 entries, chain intact; head (2:[0-9a-f]{64})\n$/.exec(ok.stdout);
    expect(m, ok.stdout).not.toBeNull();
    const again = await runCli(['audit', 'verify', '--organisation', 'acme-boutique', '--expect-head', m![1]!], { env });
    expect(again.code).toBe(0);

    const db = new SqliteDatabase(path.join(dir, 'store.db'));
    db.prepare("delete from audit_log where seq = 2").run();
    db.close();
    const cut = await runCli(['audit', 'verify', '--organisation', 'acme-boutique', '--expect-head', m![1]!], { env });
    expect(cut.code).toBe(1);
    expect(cut.stdout).toContain('entry 2: the head kept earlier is gone: the chain ends at 1 (entries were cut off)');
    expectNoStackTrace(cut.stderr);
  });

  it('fails with exit 1 on an edited entry, and refuses a malformed head with exit 2', async () => {
    const db = new SqliteDatabase(path.join(dir, 'store.db'));
    db.prepare("update audit_log set actor = 'someone else' where seq = 1").run();
    db.close();
    const edited = await runCli(['audit', 'verify'], { env });
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain('entry 1: its content does not match its hash (edited)');
    const bad = await runCli(['audit', 'verify', '--organisation', 'acme-boutique', '--expect-head', 'latest'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--expect-head: must be SEQ:HASH');
    expectNoStackTrace(bad.stderr);
  });
});
