/** `opendpo register publish`, run as a user runs it: a spawned process on a real SQLite file. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { openStore } from '../../src/store/open-store.js';
import { expectNoStackTrace, ROOT, runCli } from '../helpers/cli.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { createThrowawayPostgres } from '../store/throwaway-postgres.js';

const postgresAvailable = await serviceAvailable('PostgreSQL', POSTGRES_URL);

const FIXTURES = path.join(ROOT, 'test/fixtures/registers');
const fixture = (name: string) => path.join('test/fixtures/registers', name);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'opendpo-publish-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function publish(dbFile: string, args: string[]) {
  return runCli(['register', 'publish', ...args], { env: { DATABASE_URL: `sqlite:${dbFile}` } });
}

/** Everything the store holds, to compare before and after. */
async function snapshot(dbFile: string) {
  const store = await openStore(parseDatabaseUrl(`sqlite:${dbFile}`, dir));
  try {
    const organisations = await store.registerVersions.organisations();
    const versions = await Promise.all(
      organisations.map(async (o) => Promise.all((await store.registerVersions.list(o.id)).map((v) => store.registerVersions.get(o.id, v.version)))),
    );
    return { organisations, versions };
  } finally {
    await store.close();
  }
}

describe('opendpo register publish', () => {
  it('publishes a first version, then says "unchanged" for the same register, then publishes version 2', async () => {
    const db = path.join(dir, 'sequence.db');
    const first = await publish(db, [fixture('store-shop'), '--author', 'Ada Lovelace', '--message', 'first publication']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^published store-shop version 1 \(sha256 [0-9a-f]{64}\)/);
    expect(first.stdout).toContain('first published version');

    const same = await publish(db, [fixture('store-shop')]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^unchanged: store-shop version 1 already holds this register/);

    const second = await publish(db, [fixture('store-shop-v2'), '--author', 'Ada Lovelace']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^published store-shop version 2 \(sha256 [0-9a-f]{64}\)/);
    expect(second.stdout).toContain('material changes from the previous version');
    expect(second.stdout).toContain('orders: New processing activity "Orders".');

    const { versions } = await snapshot(db);
    const [v2, v1] = versions[0]!;
    expect(v1?.author).toBe('Ada Lovelace');
    expect(v1?.message).toBe('first publication');
    expect(v1?.diff).toBeNull();
    expect(v2?.diff).toMatchObject({ changes: expect.arrayContaining([expect.objectContaining({ kind: 'activity_added', activity: 'orders', material: true })]) });
    expect(v2?.register.activities.map((a) => a.id)).toEqual(['newsletter', 'orders']);
  });

  it('refuses a register with errors, names file:line:column, and leaves the store exactly as it was', async () => {
    const db = path.join(dir, 'refused.db');
    expect((await publish(db, [fixture('store-shop')])).code).toBe(0);
    const before = await snapshot(db);

    const refused = await publish(db, [fixture('store-invalid')]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(new RegExp(`${fixture('store-invalid')}/activities/newsletter.yaml:7:12 +error`));
    expect(refused.stderr).toContain('schema/invalid');
    expect(refused.stderr).toContain('nothing was published');
    expectNoStackTrace(refused.stderr);

    expect(await snapshot(db)).toEqual(before);
  });

  it('does not even create the store when the first publish is refused', async () => {
    const db = path.join(dir, 'never-created', 'store.db');
    const refused = await publish(db, [fixture('store-invalid')]);
    expect(refused.code).toBe(1);
    expect(existsSync(db)).toBe(false);
  });

  it('publishes anyway with --allow-errors and records the findings', async () => {
    const db = path.join(dir, 'allowed.db');
    // Its one activity is invalid, so the version holds none: that takes --allow-empty as well.
    const withoutEmpty = await publish(db, [path.join(FIXTURES, 'store-invalid'), '--allow-errors']);
    expect(withoutEmpty.code).toBe(1);
    expect(withoutEmpty.stderr).toContain('the register has no processing activity that can be read (see the errors above): nothing was published');
    const result = await publish(db, [path.join(FIXTURES, 'store-invalid'), '--allow-errors', '--allow-empty']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/version 1 /);
    expect(result.stdout).toMatch(/recorded [1-9]\d* error\(s\)/);
    const { versions } = await snapshot(db);
    const findings = versions[0]![0]!.findings;
    // Stored relative to the register folder: the machine's own paths stay on the machine.
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'schema/invalid', file: 'activities/newsletter.yaml', line: 7, column: 12 }));
  });

  it('refuses a register whose activities/ is a link leading outside the folder, naming the link, and writes nothing', async () => {
    const db = path.join(dir, 'link-outside.db');
    expect((await publish(db, [fixture('store-shop')])).code).toBe(0);
    const before = await snapshot(db);
    const reg = path.join(dir, 'linked-register');
    mkdirSync(reg);
    cpSync(path.join(FIXTURES, 'store-shop/organisation.yaml'), path.join(reg, 'organisation.yaml'));
    cpSync(path.join(FIXTURES, 'store-shop/recipients.yaml'), path.join(reg, 'recipients.yaml'));
    symlinkSync(path.join(FIXTURES, 'store-shop/activities'), path.join(reg, 'activities'));

    const lint = await runCli(['register', 'lint', reg]);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain(`${reg}/activities:1:1  error    activities is a symbolic link to ${path.join(FIXTURES, 'store-shop/activities')}, outside the register folder`);
    const refused = await publish(db, [reg]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('file/link-refused');
    expect(refused.stderr).toContain('nothing was published');
    expectNoStackTrace(refused.stderr);
    expect(await snapshot(db)).toEqual(before);
  });

  it('publishes a register with no processing activity only with --allow-empty', async () => {
    const db = path.join(dir, 'emptied.db');
    expect((await publish(db, [fixture('store-shop')])).code).toBe(0);
    const before = await snapshot(db);
    const reg = path.join(dir, 'emptied-register');
    cpSync(path.join(FIXTURES, 'store-shop'), reg, { recursive: true });
    rmSync(path.join(reg, 'activities'), { recursive: true });

    const refused = await publish(db, [reg]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('the register has no processing activity: nothing was published (if every activity has really ended, publish with --allow-empty)');
    expectNoStackTrace(refused.stderr);
    expect(await snapshot(db)).toEqual(before);

    const allowed = await publish(db, [reg, '--allow-empty']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/^published store-shop version 2 /);
    const { versions } = await snapshot(db);
    expect(versions[0]![0]!.register.activities).toEqual([]);
  });

  it('gives two publishers racing on the same SQLite file distinct versions', async () => {
    const db = path.join(dir, 'race.db');
    // Create the schema first, so both processes race on publishing, not on migrating.
    await (await openStore(parseDatabaseUrl(`sqlite:${db}`, dir))).close();
    const results = await Promise.all([publish(db, [fixture('store-shop')]), publish(db, [fixture('store-shop-v2')])]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const numbers = results.map((r) => Number(/version (\d+)/.exec(r.stdout)?.[1])).sort();
    expect(numbers).toEqual([1, 2]);
    const { versions } = await snapshot(db);
    expect(versions[0]!.map((v) => v?.version)).toEqual([2, 1]);
  });

  it.runIf(postgresAvailable)('publishes to PostgreSQL when DATABASE_URL says so', async () => {
    const db = await createThrowawayPostgres();
    try {
      const first = await runCli(['register', 'publish', fixture('store-shop')], { env: { DATABASE_URL: db.url } });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain(`published store-shop version 1`);
      expect(first.stdout).toContain(`to postgres ${db.url}`);
      const same = await runCli(['register', 'publish', fixture('store-shop')], { env: { DATABASE_URL: db.url } });
      expect(same.stdout).toMatch(/^unchanged: store-shop version 1/);
    } finally {
      await db.drop();
    }
  });

  it('says which store it cannot reach, without the password, and exits 3', async () => {
    const result = await runCli(['register', 'publish', fixture('store-shop')], {
      env: { DATABASE_URL: 'postgres://app:s3cret-pw@127.0.0.1:1/opendpo' },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('cannot open the store (postgres postgres://app:***@127.0.0.1:1/opendpo)');
    expect(result.stderr).not.toContain('s3cret-pw');
    expectNoStackTrace(result.stderr);
  });

  it('names the variable when DATABASE_URL is malformed, and exits 2', async () => {
    const result = await runCli(['register', 'publish', fixture('store-shop')], { env: { DATABASE_URL: 'mysql://x' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DATABASE_URL must be postgres://..., postgresql://..., sqlite:PATH or :memory:');
  });
});
