/**
 * Property: whatever text a register holds, the notice shows it as text. In HTML no tag comes from
 * the register and the text reads back exactly; in Markdown it stays on its line and reads back
 * once the escapes are removed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../src/notice/render-notice.js';
import type { Register } from '../../src/register/schema.js';
import { htmlStructureProblems } from './check-html-structure.js';

const TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'a', 'main', 'h1', 'h2', 'h3', 'p', 'nav', 'ul', 'li', 'section', 'strong', 'span', 'dl', 'dt', 'dd', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'footer']);
const unescapeHtml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

const nasty = fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", '|', '\n', '#', '*', '_', '[', ']', '(', ')', '\\', '`', '-', '1', '.', 'a', ' ', 'é', '$') , minLength: 1, maxLength: 40 });

/** The block structure of a Markdown page: what starts each line. */
const outline = (md: string) => md.split('\n').map((l) => /^(#{1,6} |- |\| |\*\*|$)/.exec(l)?.[1] ?? 'text');

function registerNamed(name: string, activityName: string): Register {
  return {
    organisation: { id: 'org', name, default_language: 'en' },
    activities: [
      {
        id: 'a',
        name: activityName,
        role: 'controller',
        sources: [{ kind: 'data_subject', explanation: activityName }],
        purposes: [{ description: activityName, legal_basis: 'contract' }],
        legal_bases: [{ basis: 'contract' }],
      },
    ],
    recipients: [],
    systems: [],
  };
}

describe('notice escaping (property)', () => {
  it('HTML: no tag from the register, and the text reads back exactly', () => {
    fc.assert(
      fc.property(nasty, nasty, (name, activityName) => {
        const html = renderNotice(registerNamed(name, activityName), { lang: 'en', format: 'html' });
        const body = html.replace(/<style>[\s\S]*?<\/style>/, '');
        for (const m of body.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)) expect(TAGS.has(m[1]!), m[0]).toBe(true);
        expect(unescapeHtml(/<h1>([\s\S]*?)<\/h1>/.exec(html)![1]!)).toBe(`Privacy notice of ${name}`);
        expect(htmlStructureProblems(html)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('Markdown: register text never leaves its line and reads back without the escapes', () => {
    fc.assert(
      fc.property(nasty, nasty, (name, activityName) => {
        const md = renderNotice(registerNamed(name, activityName), { lang: 'en', format: 'md' });
        const first = md.split('\n')[0]!;
        expect(first.startsWith('# Privacy notice of ')).toBe(true);
        const shown = first.slice('# '.length).replace(/\\([\\`*_[\]<>|&~#])/g, '$1');
        expect(shown).toBe(`Privacy notice of ${name}`.replace(/\s*[\r\n]+\s*/g, ' '));
        // Register text adds no heading, list item or line; the table rows keep their four pipes.
        expect(outline(md)).toEqual(outline(renderNotice(registerNamed('x', 'y'), { lang: 'en', format: 'md' })));
        const rows = md.split('\n').filter((l) => l.startsWith('| **Source of the data**') || l.startsWith('| **Purposes**'));
        expect(rows).toHaveLength(2);
        for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length).toBe(4);
      }),
      { numRuns: 150 },
    );
  });
});
