/**
 * A request across a database, a system that answers for itself over signed HTTP (a real server
 * on loopback) and a manual step a person confirms: the request waits for the person, then the
 * same command completes it with everyone's data in the package.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { startFakeSystem, type FakeSystem } from '../connectors/http/fake-system.js';

const SECRET = 'a-shared-secret-of-at-least-32-bytes-for-tests';
const EXAMPLE = path.join(ROOT, 'examples/acme-shop/datasets');
let work: string;
let crm: FakeSystem;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'opendpo-systems-'));
  mkdirSync(path.join(work, '.opendpo'));
  const db = new SqliteDatabase(path.join(work, '.opendpo/acme-shop.db'));
  db.exec(readFileSync(path.join(EXAMPLE, 'seed.sql'), 'utf8'));
  db.close();
  crm = await startFakeSystem({ secret: SECRET, prefix: '/opendpo' });
  crm.customers.push({ id: 9, email: 'alice.martin@example.com', name: 'Alice M.', restricted: false });

  const datasets = path.join(work, 'datasets');
  mkdirSync(datasets);
  copyFileSync(path.join(EXAMPLE, 'shop.yaml'), path.join(datasets, 'shop.yaml'));
  writeFileSync(
    path.join(datasets, 'crm.yaml'),
    `dataset:\n  key: crm\n  collections:\n    - name: customer\n      fields:\n        - name: email\n          categories: [user.contact.email]\n          identity: email\n        - name: name\n          categories: [user.name]\n`,
  );
  writeFileSync(
    path.join(datasets, 'archive.yaml'),
    `dataset:\n  key: archive\n  collections:\n    - name: paper_forms\n      fields:\n        - name: reference\n          categories: [system.operations]\n        - name: signed_form\n          categories: [user.content]\n`,
  );
  writeFileSync(
    path.join(datasets, 'connections.yaml'),
    [
      `register: ${path.join(ROOT, 'examples/acme-shop')}`,
      'connections:',
      '  - name: shop',
      '    type: sqlite',
      '    url: sqlite:.opendpo/acme-shop.db',
      '    datasets: [shop]',
      '  - name: crm',
      '    type: http',
      `    url: ${crm.url}`,
      '    secret: { env: CRM_SIGNING_SECRET }',
      '    datasets: [crm]',
      '  - name: archive',
      '    type: manual',
      '    instructions: Look for signed paper forms in the archive room and scan them.',
      '    assignee: records office',
      '    datasets: [archive]',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await crm?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const dsr = (args: string[]) => runCli(['dsr', ...args], { cwd: work, env: { DATABASE_URL: '', CRM_SIGNING_SECRET: SECRET }, timeoutMs: 30_000 });

describe('a request over a database, an HTTP system and a manual step', () => {
  it('waits for the person, then completes with every system\'s data', async () => {
    const args = ['access', '--identity', 'email=alice.martin@example.com', '--datasets', path.join(work, 'datasets'), '--out', path.join(work, 'package.json')];
    const first = await dsr(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/request ([0-9a-f-]{36}): waiting/);
    expect(first.stderr).toContain('manual archive has not answered yet');
    const id = /request ([0-9a-f-]{36})/.exec(first.stderr)![1]!;
    // The system received a signed request, with the identity and no more.
    expect(crm.received.at(-1)!.verdict.valid).toBe(true);

    const tasks = await dsr(['tasks', '--json']);
    const [task] = JSON.parse(tasks.stdout) as { id: string; requestId: string; action: string }[];
    expect(task).toMatchObject({ requestId: id, action: 'access' });
    writeFileSync(path.join(work, 'rows.json'), JSON.stringify({ paper_forms: [{ reference: 'AR-2025-118', signed_form: 'scan-118.pdf' }] }));
    const confirmed = await dsr(['task-confirm', task!.id, '--by', 'Records office', '--rows', path.join(work, 'rows.json')]);
    expect(confirmed.code, confirmed.stderr).toBe(0);

    // The package of the waiting request is replaced by the complete one: said with --force.
    const second = await dsr([...args, '--force']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`request ${id}: completed`);
    const pkg = readFileSync(path.join(work, 'package.json'), 'utf8');
    expect(pkg).toContain('12 rue de la République'); // the shop database
    expect(pkg).toContain('Alice M.'); // the HTTP system
    expect(pkg).toContain('AR-2025-118'); // the person in the archive room
    // The rows the person reported are not kept in the store once the request is complete.
    expect((await dsr(['tasks', '--status', 'confirmed', '--json'])).stdout).not.toContain('AR-2025-118');
  });

  it('refuses --rows holding far more JSON values than rows found by hand, before parsing it and before the store', async () => {
    // 6 MB of `[{},{},…]`: two million values (20 MB of it took 24 s and 650 MB to parse).
    writeFileSync(path.join(work, 'objects.json'), `[{}${',{}'.repeat(2_000_000)}]`);
    const started = performance.now();
    const r = await dsr(['task-confirm', 'no-such-task', '--by', 'Records office', '--rows', path.join(work, 'objects.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`opendpo: --rows ${path.join(work, 'objects.json')} holds more than 1,000,000 JSON values, far more than rows found by hand: nothing was read\n`);
    expect(performance.now() - started).toBeLessThan(30_000); // generous: the CLI starts in about a second
  });
});
