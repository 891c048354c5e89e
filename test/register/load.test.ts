import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRegister, loadRegisterFromFiles, MAX_FILE_NODES } from '../../src/register/load.js';

const enc = (s: string) => new TextEncoder().encode(s);

const made: string[] = [];
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

async function writeRegister(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'opendpo-load-'));
  made.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  return dir;
}

const ORG = 'id: acme\nname: Acme\n';

describe('loadRegister', () => {
  it('reads organisation, recipients, systems and activities, activities sorted by id', async () => {
    const dir = await writeRegister({
      'organisation.yaml': ORG,
      'recipients.yaml': 'recipients:\n  - id: host\n    name: Hosting\n    kind: processor\n',
      'systems.yaml': 'systems:\n  - id: crm\n    name: CRM\n',
      'activities/b.yaml': 'id: b\nname: B\n',
      'activities/a.yml': 'id: a\nname: A\nrole: processor\n',
      'notes.txt': 'ignored',
    });
    const { loaded, problems } = await loadRegister(dir);
    expect(problems).toEqual([]);
    expect(loaded?.register.organisation.name).toBe('Acme');
    expect(loaded?.register.organisation.default_language).toBe('en');
    expect(loaded?.register.activities.map((a) => a.id)).toEqual(['a', 'b']);
    expect(loaded?.register.activities[1]?.role).toBe('controller');
    expect(loaded?.register.recipients[0]?.id).toBe('host');
    expect(loaded?.register.systems[0]?.id).toBe('crm');
    expect(loaded?.files).toHaveLength(5);
  });

  it('locates a nested value, and falls back to the nearest ancestor for a missing one', async () => {
    const dir = await writeRegister({
      'organisation.yaml': ORG,
      'activities/a.yaml': 'id: a\nname: A\npurposes:\n  - description: Sell\n    legal_basis: contract\n',
    });
    const { loaded } = await loadRegister(dir);
    expect(loaded).toBeDefined();
    const at = loaded!.locate(loaded!.at.activity(0, 'purposes', 0, 'legal_basis'));
    expect(at).toMatchObject({ line: 5, column: 18 });
    const missing = loaded!.locate(loaded!.at.activity(0, 'purposes', 0, 'data_use'));
    expect(missing).toMatchObject({ line: 4, column: 5 });
    expect(loaded!.at.activity(0).file).toBe(path.join(dir, 'activities/a.yaml'));
  });

  it('reports an unknown key at the key, with the key it probably meant', async () => {
    const dir = await writeRegister({ 'organisation.yaml': `${ORG}dpo:\n  emial: dpo@acme.test\n` });
    const { problems } = await loadRegister(dir);
    expect(problems).toEqual([
      expect.objectContaining({
        rule: 'schema/unknown-key',
        file: path.join(dir, 'organisation.yaml'),
        line: 4,
        column: 3,
        suggestion: 'email',
        message: 'unknown key "emial": did you mean "email"? (in dpo)',
      }),
    ]);
  });

  it('reports wrong types and wrong enum values at the value, suggesting the closest value', async () => {
    const dir = await writeRegister({
      'organisation.yaml': ORG,
      'activities/a.yaml': 'id: a\nname: A\npurposes: "sell things"\nlegal_bases:\n  - basis: contrat\n',
    });
    const { problems, loaded } = await loadRegister(dir);
    expect(problems.map((p) => [p.rule, p.line, p.column, p.message])).toEqual([
      ['schema/invalid', 3, 11, 'purposes: must be an array, not string "sell things"'],
      ['schema/invalid', 5, 12, expect.stringContaining('legal_bases[0].basis: must be one of "consent", "contract"')],
    ]);
    expect(problems[1]?.message).toContain('did you mean "contract"?');
    // The invalid activity is left out; the rest of the register still loads.
    expect(loaded?.register.activities).toEqual([]);
  });

  it('reads none as a declared empty list, and reports what is wrong inside a list that may be none at its place', async () => {
    const ok = await loadRegister(await writeRegister({ 'organisation.yaml': ORG, 'activities/a.yaml': 'id: a\nname: A\ntransfers: none\nautomated_decisions: []\n' }));
    expect(ok.problems).toEqual([]);
    const a = ok.loaded!.register.activities[0]!;
    expect([a.transfers, a.automated_decisions, a.special_category_conditions]).toEqual([[], [], undefined]);
    const dir = await writeRegister({
      'organisation.yaml': ORG,
      'activities/a.yaml': 'id: a\nname: A\ntransfers: nope\nautomated_decisions:\n  - description: d\n    legal_or_similar_effect: maybe\n',
    });
    expect((await loadRegister(dir)).problems.map((p) => [p.rule, p.line, p.column, p.message])).toEqual([
      ['schema/invalid', 3, 12, 'transfers: must be the word none or a list'],
      ['schema/invalid', 6, 30, 'automated_decisions[0].legal_or_similar_effect: must be a boolean, not string "maybe"'],
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with their line', async () => {
    const dir = await writeRegister({
      'organisation.yaml': ORG,
      'activities/a.yaml': 'id: a\nname: [unclosed\n',
      'activities/b.yaml': 'id: b\nname: B\nname: C\n',
    });
    const { problems } = await loadRegister(dir);
    expect(problems).toEqual([
      expect.objectContaining({ rule: 'yaml/syntax', file: path.join(dir, 'activities/a.yaml') }),
      expect.objectContaining({ rule: 'yaml/duplicate-key', file: path.join(dir, 'activities/b.yaml'), line: 3 }),
    ]);
  });

  it('refuses a file that is not UTF-8 and names the line of the first bad byte', async () => {
    const dir = await writeRegister({
      'organisation.yaml': ORG,
      'activities/a.yaml': new Uint8Array([...enc('id: a\nname: Caf'), 0xe9, ...enc('\n')]),
    });
    const { problems } = await loadRegister(dir);
    expect(problems).toEqual([expect.objectContaining({ rule: 'file/not-utf8', line: 2, column: 10 })]);
  });

  it('refuses alias bombs and self-referencing aliases without expanding them', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) bomb.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i - 1]}`).join(', ')}]`);
    const { problems } = loadRegisterFromFiles('reg', [
      { path: 'organisation.yaml', content: enc(ORG) },
      { path: 'activities/bomb.yaml', content: enc(`${bomb.join('\n')}\n`) },
      { path: 'activities/cycle.yaml', content: enc('id: c\nname: &n [*n]\n') },
    ]);
    expect(problems.map((p) => [p.rule, p.file])).toEqual([
      ['yaml/alias-limit', path.join('reg', 'activities/bomb.yaml')],
      ['yaml/alias-limit', path.join('reg', 'activities/cycle.yaml')],
    ]);
  });

  it('says so when the folder is empty, missing, or not a folder', async () => {
    const empty = await writeRegister({});
    expect((await loadRegister(empty)).problems).toEqual([expect.objectContaining({ rule: 'file/empty-register' })]);
    expect((await loadRegister(path.join(empty, 'nope'))).problems).toEqual([
      expect.objectContaining({ rule: 'file/unreadable', message: expect.stringContaining('does not exist') }),
    ]);
    const file = await writeRegister({ 'organisation.yaml': ORG });
    expect((await loadRegister(path.join(file, 'organisation.yaml'))).problems[0]?.message).toContain('is not a folder');
  });

  it('refuses an oversized file before reading it', async () => {
    const dir = await writeRegister({ 'organisation.yaml': ORG, 'activities/big.yaml': `# ${'x'.repeat(3 * 1024 * 1024)}\n` });
    const { problems, loaded } = await loadRegister(dir);
    expect(problems).toEqual([expect.objectContaining({ rule: 'file/too-large', message: expect.stringContaining('3.0 MB') })]);
    expect(loaded?.register.organisation.id).toBe('acme');
  });

  it('refuses a file holding far more values than a register file holds, quickly, at the place the limit is passed', async () => {
    // 1.8 MB of `[1,1,…]`: under the size limit, but 900,000 values (it took 934 MB).
    const dir = await writeRegister({ 'organisation.yaml': ORG, 'activities/a.yaml': 'id: a\nname: A\n', 'activities/ones.yaml': `[${Array<string>(900_000).fill('1').join(',')}]\n` });
    const started = performance.now();
    const { problems, loaded } = await loadRegister(dir);
    const elapsed = performance.now() - started;
    expect(problems).toEqual([
      {
        rule: 'yaml/node-limit',
        severity: 'error',
        file: path.join(dir, 'activities/ones.yaml'),
        line: 1,
        column: 2 + 2 * (MAX_FILE_NODES - 1),
        message: 'the file passes 50,000 YAML values (texts, numbers, lists, mappings) here, far more than register files hold: it is not read (split it if it really is one)',
      },
    ]);
    expect(loaded?.register.activities.map((a) => a.id)).toEqual(['a']);
    expect(elapsed).toBeLessThan(30_000); // generous: well under a second on a quiet machine
  });

  it('reports a missing organisation.yaml as an unidentified controller, and still loads the activities', () => {
    const { problems, loaded } = loadRegisterFromFiles('reg', [{ path: 'activities/a.yaml', content: enc('id: a\nname: A\n') }]);
    expect(problems).toEqual([expect.objectContaining({ rule: 'art30/controller-identity', article: 'Art. 30(1)(a)' })]);
    expect(loaded?.register.activities).toHaveLength(1);
  });

  it('accepts localised texts and rejects unknown languages', () => {
    const { problems, loaded } = loadRegisterFromFiles('reg', [
      { path: 'organisation.yaml', content: enc(ORG) },
      { path: 'activities/a.yaml', content: enc('id: a\nname: { en: Orders, fr: Commandes }\n') },
      { path: 'activities/b.yaml', content: enc('id: b\nname: { de: Bestellungen }\n') },
    ]);
    expect(loaded?.register.activities[0]?.name).toEqual({ en: 'Orders', fr: 'Commandes' });
    expect(problems).toEqual([expect.objectContaining({ rule: 'schema/unknown-key', line: 2, column: 9 })]);
  });
});

describe('loadRegister: links, sub-folders and what activities/ holds are followed or refused, never skipped', () => {
  const ACT = (id: string) => `id: ${id}\nname: ${id}\n`;

  it('follows links that stay inside the register folder: activities/ itself, an activity file, organisation.yaml', async () => {
    const dir = await writeRegister({ 'shared/org.yaml': ORG, 'shared/acts/a.yaml': ACT('a'), 'shared/b.yaml': ACT('b') });
    await symlink('shared/org.yaml', path.join(dir, 'organisation.yaml'));
    await symlink('shared/acts', path.join(dir, 'activities'));
    await symlink('../b.yaml', path.join(dir, 'shared/acts/b.yaml'));
    const { loaded, problems } = await loadRegister(dir);
    expect(problems).toEqual([]);
    expect(loaded?.register.organisation.id).toBe('acme');
    expect(loaded?.register.activities.map((a) => a.id)).toEqual(['a', 'b']);
  });

  it('refuses links leading outside the register folder or nowhere, naming each', async () => {
    const outside = await writeRegister({ 'acts/x.yaml': ACT('x'), 'y.yaml': ACT('y') });
    const linkedFolder = await writeRegister({ 'organisation.yaml': ORG });
    await symlink(path.join(outside, 'acts'), path.join(linkedFolder, 'activities'));
    const folderResult = await loadRegister(linkedFolder);
    expect(folderResult.problems).toEqual([
      expect.objectContaining({
        rule: 'file/link-refused',
        severity: 'error',
        file: path.join(linkedFolder, 'activities'),
        message: expect.stringContaining('outside the register folder'),
      }),
    ]);
    expect(folderResult.loaded?.register.activities).toEqual([]);

    const linkedFile = await writeRegister({ 'organisation.yaml': ORG, 'activities/a.yaml': ACT('a') });
    await symlink(path.join(outside, 'y.yaml'), path.join(linkedFile, 'activities/y.yaml'));
    await symlink('gone.yaml', path.join(linkedFile, 'activities/dangling.yaml'));
    const fileResult = await loadRegister(linkedFile);
    expect(fileResult.problems.map((p) => [p.rule, p.file, p.message])).toEqual([
      ['file/link-refused', path.join(linkedFile, 'activities/dangling.yaml'), 'activities/dangling.yaml is a symbolic link to nothing: its target does not exist'],
      ['file/link-refused', path.join(linkedFile, 'activities/y.yaml'), expect.stringContaining('outside the register folder')],
    ]);
    expect(fileResult.loaded?.register.activities.map((a) => a.id)).toEqual(['a']);
  });

  it('reads sub-folders of activities/, and reads a folder a link leads back to only once', async () => {
    const dir = await writeRegister({ 'organisation.yaml': ORG, 'activities/a.yaml': ACT('a'), 'activities/hr/payroll.yaml': ACT('payroll'), 'activities/hr/deep/c.yml': ACT('c') });
    await symlink('..', path.join(dir, 'activities/hr/loop'));
    const { loaded, problems } = await loadRegister(dir);
    expect(loaded?.register.activities.map((a) => a.id)).toEqual(['a', 'c', 'payroll']);
    expect(loaded?.files).toContain(path.join(dir, 'activities/hr/deep/c.yml'));
    expect(problems).toEqual([expect.objectContaining({ rule: 'file/link-refused', file: path.join(dir, 'activities/hr/loop'), message: expect.stringContaining('already read') })]);
  });

  it('says that activities is not a folder, and warns of a file in activities/ that is not read', async () => {
    const asFile = await writeRegister({ 'organisation.yaml': ORG, activities: ACT('a') });
    expect((await loadRegister(asFile)).problems).toEqual([
      expect.objectContaining({ rule: 'file/activities-not-folder', severity: 'error', file: path.join(asFile, 'activities'), message: expect.stringContaining('activities is not a folder') }),
    ]);
    const notYaml = await writeRegister({ 'organisation.yaml': ORG, 'activities/a.yaml': ACT('a'), 'activities/b.yaml.bak': ACT('b'), 'activities/.gitkeep': '' });
    expect((await loadRegister(notYaml)).problems).toEqual([
      expect.objectContaining({ rule: 'file/not-yaml', severity: 'warning', file: path.join(notYaml, 'activities/b.yaml.bak') }),
    ]);
  });
});
