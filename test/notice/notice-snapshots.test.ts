/**
 * The whole notice, in both languages and both formats, for the notice fixture and the two example
 * registers: any change to the wording or the structure shows up as a reviewable diff.
 * Update deliberately with `npx vitest run test/notice/notice-snapshots.test.ts -u`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../src/notice/render-notice.js';
import { loadRegister } from '../../src/register/load.js';
import { htmlStructureProblems } from './check-html-structure.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REGISTERS = {
  'notice-sample': path.join(ROOT, 'test/fixtures/registers/notice-sample'),
  'acme-shop': path.join(ROOT, 'examples/acme-shop'),
  softathome: path.join(ROOT, 'examples/softathome'),
};

describe.each(Object.entries(REGISTERS))('notice of %s', (name, dir) => {
  it('loads without errors', async () => {
    expect(existsSync(dir), `${dir} exists`).toBe(true);
    const { loaded, problems } = await loadRegister(dir);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(loaded).toBeDefined();
  });

  it.each([
    ['en', 'html'],
    ['fr', 'html'],
    ['en', 'md'],
    ['fr', 'md'],
  ] as const)('matches the %s %s snapshot', async (lang, format) => {
    const { loaded } = await loadRegister(dir);
    const notice = renderNotice(loaded!.register, { lang, format });
    if (format === 'html') expect(htmlStructureProblems(notice)).toEqual([]);
    await expect(notice).toMatchFileSnapshot(`__snapshots__/${name}.${lang}.${format}`);
  });
});
