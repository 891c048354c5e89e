/**
 * Every problem a datasets folder can have is reported with its rule, its file:line:column and,
 * where a typo is likely, the fix; nothing is reported twice, and a file with an error is left out.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDatasets, loadDatasetsOrThrow } from '../../src/dataset/load-datasets.js';
import { OpendpoError } from '../../src/errors/opendpo-error.js';
import type { Finding } from '../../src/register/finding.js';
import { datasetsFolder, nativeDataset, sqliteConnections } from './temp-datasets.js';

/** Problems as [rule, file name, line, column], the shape most assertions need. */
const where = (problems: Finding[]) => problems.map((p) => [p.rule, path.basename(p.file), p.line, p.column]);

const ID = '        - { name: id, primary_key: true, categories: [user.unique_id] }\n';

describe('problems inside one dataset file', () => {
  it('unknown keys, with a did-you-mean, at the key', async () => {
    const dir = await datasetsFolder({
      'a.yaml': nativeDataset('a', `    - name: t\n      feilds: []\n      fields:\n${ID}        - { name: e, categories: [user.contact.email], identty: email }\n        - { name: m, categories: [user.name], masking: { strategy: fixed, valeu: x } }\n`),
    });
    const { problems, datasets } = await loadDatasets(dir);
    expect(datasets).toEqual([]);
    expect(problems.map((p) => [p.rule, p.line, p.column, p.suggestion])).toEqual([
      ['dataset/unknown-key', 5, 7, 'fields'],
      ['dataset/unknown-key', 8, 56, 'identity'],
      ['dataset/unknown-key', 9, 75, 'value'],
    ]);
    expect(problems[1]!.message).toBe('unknown key "identty": did you mean "identity"? (in dataset.collections[0].fields[1])');
  });

  it('wrong values: a missing direction, an unknown masking strategy, an identity type, a provenance', async () => {
    const dir = await datasetsFolder({
      'a.yaml': nativeDataset(
        'a',
        `    - name: t
      fields:
${ID}        - name: r
          categories: [user.unique_id]
          references: [{ field: t.id }]
        - { name: m, categories: [user.name], masking: { strategy: hmak } }
        - { name: e, categories: [user.contact.email], identity: E-mail }
        - { name: p, categories: [user.name], provenance: given }
`,
      ),
    });
    const { problems } = await loadDatasets(dir);
    expect(problems.map((p) => [p.rule, p.line, p.message])).toEqual([
      ['dataset/invalid', 9, 'dataset.collections[0].fields[1].references[0].direction: is required: must be one of "to", "from", "both"'],
      ['dataset/invalid', 10, 'dataset.collections[0].fields[2].masking.strategy: must be one of "null", "fixed", "hmac", "random_string" (did you mean "hmac"?)'],
      ['dataset/invalid', 11, expect.stringContaining('must be an identity type in lowercase letters')],
      ['dataset/invalid', 12, 'dataset.collections[0].fields[4].provenance: must be one of "provided", "observed", "derived", "inferred"'],
    ]);
  });

  it('fideslang keys: an unknown category or subject is an error with a suggestion, a deprecated category a warning', async () => {
    const dir = await datasetsFolder({
      'a.yaml': nativeDataset('a', `    - name: t\n      subject: custmer\n      fields:\n${ID}        - { name: e, categories: [user.contact.emial] }\n        - { name: s, categories: [user.sensor] }\n`),
    });
    const { problems, datasets } = await loadDatasets(dir);
    expect(datasets).toEqual([]);
    expect(problems.map((p) => [p.rule, p.severity, p.line, p.column, p.suggestion])).toEqual([
      ['dataset/unknown-subject', 'error', 5, 16, 'customer'],
      ['dataset/unknown-category', 'error', 8, 35, 'user.contact.email'],
      ['dataset/deprecated-category', 'warning', 9, 35, 'user.device.sensor'],
    ]);
  });

  it('a legal hold without its reason or article, or with an article that is no Art. 17(3) exception', async () => {
    const dir = await datasetsFolder({
      'a.yaml': nativeDataset(
        'a',
        `    - name: t
      legal_hold: { article: Art. 17(3)(b) }
      fields:
${ID}        - { name: x, categories: [user.name], legal_hold: { reason: Tax law } }
        - { name: y, categories: [user.name], legal_hold: { reason: Tax law, article: Art. 6(1)(c) } }
`,
      ),
    });
    const { problems } = await loadDatasets(dir);
    expect(problems.map((p) => [p.rule, p.line, p.article])).toEqual([
      ['dataset/legal-hold-incomplete', 5, 'Art. 17(3)'],
      ['dataset/legal-hold-incomplete', 8, 'Art. 17(3)'],
      ['dataset/invalid', 9, 'Art. 17(3)'],
    ]);
    expect(problems[0]!.message).toBe('dataset.collections[0].legal_hold: a legal hold gives its reason (why the data is kept)');
    expect(problems[2]!.message).toContain('must name the Art. 17(3) exception relied on');
  });

  it('a field given several identity types', async () => {
    const dir = await datasetsFolder({ 'a.yaml': nativeDataset('a', `    - name: t\n      fields:\n${ID}        - { name: c, categories: [user.contact], identity: [email, phone_number] }\n`) });
    const { problems } = await loadDatasets(dir);
    expect(where(problems)).toEqual([['dataset/identity-multiple', 'a.yaml', 7, 60]]);
    expect(problems[0]!.message).toContain('a field holds one identity type');
  });

  it('a restriction flag naming a field the collection does not declare', async () => {
    const dir = await datasetsFolder({
      'a.yaml': nativeDataset('a', `    - name: t\n      restriction_flag: { field: restrcted, value: 1 }\n      fields:\n${ID}        - { name: restricted, categories: [system.operations] }\n`),
    });
    const { problems } = await loadDatasets(dir);
    expect(problems).toEqual([
      expect.objectContaining({ rule: 'dataset/restriction-flag-unknown-field', line: 5, column: 34, article: 'Art. 18', suggestion: 'restricted' }),
    ]);
  });

  it('a restriction flag whose lifted value is its value; null is a lifted value, absent is none', async () => {
    const flagged = (flag: string) => nativeDataset('a', `    - name: t\n      restriction_flag: ${flag}\n      fields:\n${ID}        - { name: restricted, categories: [system.operations] }\n`);
    const same = await loadDatasets(await datasetsFolder({ 'a.yaml': flagged('{ field: restricted, value: 1, lifted_value: 1 }') }));
    expect(same.problems).toEqual([
      expect.objectContaining({ rule: 'dataset/invalid', line: 5, message: expect.stringContaining('lifted_value must differ from value') }),
    ]);
    const nulled = await loadDatasets(await datasetsFolder({ 'a.yaml': flagged('{ field: restricted, value: 1, lifted_value: null }') }));
    expect(nulled.problems).toEqual([]);
    expect(nulled.datasets[0]!.collections[0]!.restrictionFlag).toEqual({ field: 'restricted', value: 1, liftedValue: null });
    const absent = await loadDatasets(await datasetsFolder({ 'a.yaml': flagged('{ field: restricted, value: 1 }') }));
    expect(absent.datasets[0]!.collections[0]!.restrictionFlag).toEqual({ field: 'restricted', value: 1 });
  });

  it('a collection or a field declared twice', async () => {
    const dir = await datasetsFolder({
      'a.yaml': nativeDataset('a', `    - name: t\n      fields:\n${ID}${ID}    - name: t\n      fields:\n${ID}`),
    });
    const { problems } = await loadDatasets(dir);
    expect(where(problems)).toEqual([
      ['dataset/duplicate-field', 'a.yaml', 7, 19],
      ['dataset/duplicate-collection', 'a.yaml', 8, 13],
    ]);
  });

  it('a file that is not a dataset, and an empty file', async () => {
    const dir = await datasetsFolder({ 'a.yaml': 'datset:\n  key: a\n', 'b.yaml': '# nothing\n', 'c.yaml': 'connections: []\n' });
    const { problems } = await loadDatasets(dir);
    expect(problems.map((p) => [p.rule, path.basename(p.file), p.line, p.message])).toEqual([
      ['dataset/not-a-dataset', 'a.yaml', 1, 'this file of the datasets folder is not a dataset: did you mean "dataset"?'],
      ['dataset/empty-file', 'b.yaml', 1, 'the file is empty'],
      ['dataset/not-a-dataset', 'c.yaml', 1, 'this file of the datasets folder is not a dataset: connections belong in connections.yaml'],
    ]);
  });
});

describe('problems across the files of the folder', () => {
  it('a dataset key used twice names the first place', async () => {
    const one = nativeDataset('a', `    - name: t\n      fields:\n${ID}`);
    const dir = await datasetsFolder({ 'one.yaml': one, 'two.yaml': one });
    const { problems, datasets } = await loadDatasets(dir);
    expect(datasets.map((d) => path.basename(d.at.file))).toEqual(['one.yaml']);
    expect(where(problems)).toEqual([['dataset/duplicate-key', 'two.yaml', 2, 8]]);
    expect(problems[0]!.message).toBe(`the dataset key "a" is already used by ${path.join(dir, 'one.yaml')}:2: dataset keys are unique`);
  });

  it('references to an unknown dataset, collection or field, each with a did-you-mean', async () => {
    const ref = (name: string, r: string) => `        - { name: ${name}, categories: [user.unique_id], references: [${r}] }\n`;
    const dir = await datasetsFolder({
      'a.yaml': nativeDataset(
        'a',
        `    - name: customer\n      fields:\n${ID}${ref('r1', '{ field: customer.id, dataset: bb, direction: to }')}${ref('r2', '{ field: custome.id, direction: to }')}${ref('r3', '{ field: customer.idd, direction: to }')}${ref('r4', '{ field: t.id, dataset: b, direction: from }')}`,
      ),
      'b.yaml': nativeDataset('b', `    - name: t\n      fields:\n${ID}`),
    });
    const { problems } = await loadDatasets(dir);
    expect(problems.map((p) => [p.rule, p.line, p.column, p.suggestion])).toEqual([
      ['dataset/reference-unknown', 7, 66, 'b'],
      ['dataset/reference-unknown', 8, 66, 'customer'],
      ['dataset/reference-unknown', 9, 66, 'id'],
    ]);
    expect(problems[0]!.message).toBe('customer.r1 refers to the unknown dataset "bb": did you mean "b"?');
    expect(problems[2]!.message).toBe('customer.r3 refers to "customer.idd", but collection "customer" of dataset "a" has no field "idd": did you mean "id"?');
  });

  it('after and erase_after naming collections that do not exist', async () => {
    const dir = await datasetsFolder({
      'a.yaml': nativeDataset('a', `    - name: t\n      after: [a.u]\n      erase_after: [a.tt]\n      fields:\n${ID}`),
    });
    const { problems } = await loadDatasets(dir);
    expect(problems.map((p) => [p.rule, p.line, p.column, p.suggestion])).toEqual([
      ['dataset/order-unknown', 5, 15, 'a.t'],
      ['dataset/order-unknown', 6, 21, 'a.t'],
    ]);
  });

  it('what refers to a dataset whose file was refused is not reported again', async () => {
    const dir = await datasetsFolder({
      'a.yaml': nativeDataset('a', `    - name: t\n      fields:\n${ID}        - { name: r, categories: [user.unique_id], references: [{ field: t.id, dataset: b, direction: to }] }\n`),
      'b.yaml': nativeDataset('b', `    - name: t\n      fields:\n        - { name: id, categories: [user.unknown] }\n`),
      'connections.yaml': sqliteConnections('a', 'b'),
    });
    const { problems, datasets } = await loadDatasets(dir);
    expect(datasets.map((d) => d.key)).toEqual(['a']);
    expect(where(problems)).toEqual([['dataset/unknown-category', 'b.yaml', 6, 36]]);
  });

  it('connections.yaml: an unknown dataset, a dataset served twice or by no connection, a name used twice', async () => {
    const dir = await datasetsFolder({
      'a.yaml': nativeDataset('a', `    - name: t\n      fields:\n${ID}`),
      'b.yaml': nativeDataset('b', `    - name: t\n      fields:\n${ID}`),
      'shop.yaml': nativeDataset('shop', `    - name: t\n      fields:\n${ID}`),
      'connections.yaml': `connections:
  - name: one
    type: sqlite
    url: sqlite:one.db
    datasets: [a, shp]
  - name: two
    type: manual
    instructions: Ask Bob.
    datasets: [a]
  - name: two
    type: manual
    instructions: Ask Alice.
    datasets: [shop]
`,
    });
    const { problems } = await loadDatasets(dir);
    expect(problems.map((p) => [p.rule, path.basename(p.file), p.line, p.column, p.suggestion])).toEqual([
      ['dataset/not-served', 'b.yaml', 2, 3, undefined],
      ['connections/unknown-dataset', 'connections.yaml', 5, 19, 'shop'],
      ['connections/served-twice', 'connections.yaml', 9, 16, undefined],
      ['connections/duplicate-name', 'connections.yaml', 10, 11, undefined],
    ]);
    expect(problems[2]!.message).toBe('the dataset "a" is served by connection "one" and by connection "two": a dataset lives in one place');
  });

  it('a literal URL with a password is refused, naming the place and never the password', async () => {
    const dir = await datasetsFolder({
      'a.yaml': nativeDataset('a', `    - name: t\n      fields:\n${ID}`),
      'b.yaml': nativeDataset('b', `    - name: t\n      fields:\n${ID}`),
      'connections.yaml': `connections:
  - name: shop-db
    type: postgres
    url: postgres://app:S3cr3t-pw@db.example.com:5432/shop
    datasets: [a]
  - name: api
    type: http
    url: https://api.example.com/dsr?token=abcdef123
    secret: { env: API_KEY }
    datasets: [b]
`,
    });
    const { problems, connections } = await loadDatasets(dir);
    expect(problems.map((p) => [p.rule, p.line, p.column, p.article])).toEqual([
      ['connections/literal-password', 4, 10, 'Art. 32'],
      ['connections/literal-password', 8, 10, 'Art. 32'],
    ]);
    expect(problems[0]!.message).toBe(
      'the url of connection "shop-db" holds a password: put the URL in an environment variable (url: { env: SHOP_DB_DATABASE_URL }) or a file (url: { file: ... }), never in connections.yaml',
    );
    const everything = JSON.stringify({ problems, connections });
    expect(everything).not.toContain('S3cr3t');
    expect(everything).not.toContain('abcdef123');
  });

  it('a URL that does not fit the connection type', async () => {
    const dir = await datasetsFolder({
      'a.yaml': nativeDataset('a', `    - name: t\n      fields:\n${ID}`),
      'connections.yaml': 'connections:\n  - name: db\n    type: mysql\n    url: postgres://db/x\n    datasets: [a]\n',
    });
    const { problems } = await loadDatasets(dir);
    expect(problems.map((p) => [p.rule, p.line, p.message])).toEqual([['connections/invalid-url', 4, 'the url of connection "db" must start like mysql://... for type mysql']]);
  });

  it('connections.yaml keys and values: a did-you-mean for keys and connection types; a secret is env or file', async () => {
    const dir = await datasetsFolder({
      'a.yaml': nativeDataset('a', `    - name: t\n      fields:\n${ID}`),
      'connections.yaml': `conections: []
connections:
  - name: db
    type: postgress
    url: { env: X }
    datasets: [a]
  - name: db2
    type: postgres
    url: { envv: X }
    datasets: [a]
  - name: db3
    type: postgres
    url: { env: X, file: y }
    datasets: [a]
`,
    });
    const { problems } = await loadDatasets(dir);
    expect(problems.map((p) => [p.rule, p.line, p.suggestion ?? p.message])).toEqual([
      ['connections/unknown-key', 1, 'connections'],
      ['connections/invalid', 4, 'connections[0].type: must be one of "postgres", "mysql", "sqlite", "http", "manual" (did you mean "postgres"?)'],
      ['connections/unknown-key', 9, 'env'],
      ['connections/invalid', 13, 'connections[2].url: give either env (an environment variable) or file (a path), exactly one'],
    ]);
  });

  it('connections.yaml and connections.yml together', async () => {
    const conn = sqliteConnections('a');
    const dir = await datasetsFolder({ 'a.yaml': nativeDataset('a', `    - name: t\n      fields:\n${ID}`), 'connections.yaml': conn, 'connections.yml': conn });
    expect(where((await loadDatasets(dir)).problems)).toEqual([['connections/duplicate-file', 'connections.yml', 1, 1]]);
  });

  it('the register: an unknown system, a system listing the file under another id, an unreadable register folder', async () => {
    const root = await datasetsFolder({});
    const dir = path.join(root, 'datasets');
    await mkdir(dir);
    await mkdir(path.join(root, 'register'));
    await writeFile(path.join(root, 'register/organisation.yaml'), 'id: acme\nname: Acme\n');
    await writeFile(path.join(root, 'register/systems.yaml'), 'systems:\n  - { id: webshop, name: Shop }\n  - { id: crm, name: CRM, datasets: [../datasets/b.yaml] }\n');
    await writeFile(path.join(dir, 'a.yaml'), nativeDataset('a', `    - name: t\n      fields:\n${ID}`, '  system: web-shop\n'));
    await writeFile(path.join(dir, 'b.yaml'), nativeDataset('b', `    - name: t\n      fields:\n${ID}`, '  system: webshop\n'));
    await writeFile(path.join(dir, 'connections.yaml'), `register: ../register\n${sqliteConnections('a', 'b')}`);
    const { problems } = await loadDatasets(dir);
    expect(problems.map((p) => [p.rule, path.basename(p.file), p.line, p.column, p.suggestion])).toEqual([
      ['dataset/unknown-system', 'a.yaml', 3, 11, 'webshop'],
      ['dataset/system-mismatch', 'b.yaml', 3, 11, undefined],
    ]);

    await writeFile(path.join(dir, 'connections.yaml'), `register: ../nowhere\n${sqliteConnections('a', 'b')}`);
    const second = await loadDatasets(dir);
    expect(where(second.problems)).toEqual([['connections/register-unreadable', 'connections.yaml', 1, 11]]);
    expect(second.registerDir).toBe(path.join(root, 'nowhere'));
  });

  it('a folder that does not exist, and a folder without dataset files', async () => {
    const missing = await loadDatasets('/nonexistent/datasets');
    expect(missing).toEqual({
      datasets: [],
      connections: undefined,
      problems: [{ rule: 'file/unreadable', severity: 'error', message: 'cannot read the datasets folder /nonexistent/datasets: it does not exist', file: '/nonexistent/datasets', line: 1, column: 1 }],
    });
    const dir = await datasetsFolder({ 'connections.yaml': 'connections: []\n', 'README.md': '# hi\n' });
    expect((await loadDatasets(dir)).problems.map((p) => p.rule)).toEqual(['dataset/empty-folder']);
  });
});

describe('the entries of the folder: links followed or refused, sub-folders said, nothing skipped without a word', () => {
  const dataset = (key: string) => nativeDataset(key, `    - name: t\n      fields:\n${ID}`);

  it('follows a link to a dataset file inside the folder, and says that a sub-folder holding YAML files is not read', async () => {
    const dir = await datasetsFolder({ 'a.yaml': dataset('a'), 'versions/b-2.yaml': dataset('b'), 'data/test.db': '', 'connections.yaml': sqliteConnections('a', 'b') });
    await symlink('versions/b-2.yaml', path.join(dir, 'b.yaml'));
    const { datasets, problems } = await loadDatasets(dir);
    expect(datasets.map((d) => [d.key, d.at.file])).toEqual([
      ['a', path.join(dir, 'a.yaml')],
      ['b', path.join(dir, 'b.yaml')],
    ]);
    expect(problems).toEqual([
      {
        rule: 'file/not-read',
        severity: 'warning',
        message: 'versions is a folder holding YAML files: it is not read (dataset files sit directly in the datasets folder)',
        file: path.join(dir, 'versions'),
        line: 1,
        column: 1,
      },
    ]);
  });

  it('refuses a link leading outside the folder or to nothing, naming each, and a command then acts on nothing', async () => {
    const outside = await datasetsFolder({ 'c.yaml': dataset('c') });
    const dir = await datasetsFolder({ 'a.yaml': dataset('a'), 'connections.yaml': sqliteConnections('a') });
    await symlink(path.join(outside, 'c.yaml'), path.join(dir, 'c.yaml'));
    await symlink('gone.yaml', path.join(dir, 'd.yml'));
    const { datasets, problems } = await loadDatasets(dir);
    expect(datasets.map((d) => d.key)).toEqual(['a']);
    expect(problems.map((p) => [p.rule, p.severity, p.file, p.message])).toEqual([
      ['file/link-refused', 'error', path.join(dir, 'c.yaml'), expect.stringMatching(/^c\.yaml is a symbolic link to .*c\.yaml, outside the datasets folder: links are followed only within the folder/)],
      ['file/link-refused', 'error', path.join(dir, 'd.yml'), 'd.yml is a symbolic link to nothing: its target does not exist'],
    ]);
    await expect(loadDatasetsOrThrow(dir)).rejects.toMatchObject({ code: 'DATASET_INVALID' });
  });
});

describe('loadDatasetsOrThrow', () => {
  it('refuses a folder with errors: DATASET_INVALID, exit 1, HTTP 422, the errors as findings', async () => {
    const dir = await datasetsFolder({ 'a.yaml': nativeDataset('a', `    - name: t\n      fields:\n        - { name: id, categories: [user.nme] }\n`) });
    const err = await loadDatasetsOrThrow(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpendpoError);
    const e = err as OpendpoError;
    expect([e.code, e.exitCode, e.status]).toEqual(['DATASET_INVALID', 1, 422]);
    expect(e.message).toBe(`the datasets in ${dir} have an error; fix it first`);
    expect((e.details as { findings: Finding[] }).findings).toEqual([expect.objectContaining({ rule: 'dataset/unknown-category', file: path.join(dir, 'a.yaml'), line: 6, suggestion: 'user.name' })]);
  });

  it('returns the datasets with their warnings when there is no error', async () => {
    const dir = await datasetsFolder({ 'a.yaml': nativeDataset('a', `    - name: t\n      fields:\n        - { name: id, categories: [user.sensor] }\n`) });
    const { datasets, problems } = await loadDatasetsOrThrow(dir);
    expect(datasets.map((d) => d.key)).toEqual(['a']);
    expect(problems.map((p) => p.severity)).toEqual(['warning']);
  });
});
