/**
 * docs/register-format.md must stay true: its complete example lints clean, and it documents every field
 * of the schema and every lint rule.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { lintRegister } from '../../src/register/lint/lint-register.js';
import { RULES } from '../../src/register/lint/rules.js';
import { loadRegisterFromFiles } from '../../src/register/load.js';
import { FILE_SCHEMAS } from '../../src/register/schema.js';
import { schemaKeys } from '../helpers/schema-keys.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const doc = await readFile(path.join(ROOT, 'docs/register-format.md'), 'utf8');

/** The YAML blocks of the "A complete example" section, keyed by the file name printed before each. */
function exampleFiles(): Map<string, string> {
  const section = doc.slice(doc.indexOf('## A complete example'), doc.indexOf('## Lint rules at a glance'));
  const files = new Map<string, string>();
  for (const m of section.matchAll(/`([\w/.-]+\.yaml)`:\s*\n+```yaml\n([\s\S]*?)```/g)) files.set(m[1]!, m[2]!);
  return files;
}

describe('docs/register-format.md', () => {
  it('gives a complete example of three files that loads and lints with no finding', () => {
    const files = exampleFiles();
    expect([...files.keys()].sort()).toEqual(['activities/newsletter.yaml', 'organisation.yaml', 'recipients.yaml']);
    const enc = new TextEncoder();
    const { loaded, problems } = loadRegisterFromFiles(
      'doc-example',
      [...files].map(([p, content]) => ({ path: p, content: enc.encode(content) })),
    );
    expect(problems).toEqual([]);
    expect(lintRegister(loaded!)).toEqual([]);
  });

  it('documents every field of every file kind', () => {
    const undocumented: string[] = [];
    for (const [kind, schema] of Object.entries(FILE_SCHEMAS)) {
      for (const key of schemaKeys(schema as z.ZodType)) {
        if (!new RegExp(`\\| \`([a-z_]+\\.)?${key}\` \\|`).test(doc)) undocumented.push(`${kind}: ${key}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('lists every lint rule id', () => {
    expect(RULES.map((r) => r.id).filter((id) => !doc.includes(`| \`${id}\` |`))).toEqual([]);
  });

  it('shows the editor autocompletion line for each published JSON Schema', () => {
    for (const kind of Object.keys(FILE_SCHEMAS)) expect(doc).toContain(`schema/${kind}.schema.json`);
    expect(doc).toContain('# yaml-language-server: $schema=');
  });
});
