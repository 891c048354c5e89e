/**
 * Writes a notice document as GitHub-flavoured Markdown. Register text is escaped so that it can
 * neither become markup (a heading, a link, raw HTML) nor break a table (`|`, line breaks).
 */
import { safeHref } from './write-html.js';
import type { Block, Inline, NoticeDocument, Section } from './notice-document.js';

/** Backslash-escapes what Markdown would read as markup; collapses line breaks into spaces. */
export function escapeMarkdown(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\`*_[\]<>|&~#]/g, '\\$&');
}

/** Text at the start of a line must not open a list, a quote or a setext heading. */
function guardLineStart(line: string): string {
  return line.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

/** Destination of a Markdown link: characters that would end it are percent-encoded. */
function linkDestination(href: string): string {
  return href.replace(/[()<>\s\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function writeMarkdown(doc: NoticeDocument): string {
  const out: string[] = [`# ${escapeMarkdown(doc.title)}`];
  for (const b of doc.preamble) writeBlock(b, out);
  for (const s of doc.sections) writeSection(s, out);
  for (const b of doc.footer) writeBlock(b, out);
  return `${out.join('\n\n')}\n`;
}

function writeSection(s: Section, out: string[]): void {
  out.push(`${'#'.repeat(s.level)} ${inlines(s.title)}`);
  for (const b of s.blocks) writeBlock(b, out);
  for (const sub of s.sections) writeSection(sub, out);
}

function writeBlock(b: Block, out: string[]): void {
  switch (b.t) {
    case 'p':
      out.push(guardLineStart(inlines(b.content)));
      return;
    case 'ul':
      out.push(b.items.map((i) => `- ${inlines(i)}`).join('\n'));
      return;
    case 'dl':
      for (const item of b.items) {
        out.push(`**${inlines(item.term)}**`);
        for (const d of item.details) writeBlock(d, out);
      }
      return;
    case 'table': {
      // GFM tables have no caption: the section heading above names the table.
      const lines = [
        `| ${b.columns.map((c) => inlines(c)).join(' | ')} |`,
        `| ${b.columns.map(() => '---').join(' | ')} |`,
        ...b.rows.map((row) => `| ${row.map((cell, i) => cellContent(cell, b.rowHeaders && i === 0)).join(' | ')} |`),
      ];
      out.push(lines.join('\n'));
      return;
    }
  }
}

/** A table cell is one line: paragraphs and list items are separated by <br>. */
function cellContent(blocks: Block[], header: boolean): string {
  const parts: string[] = [];
  for (const b of blocks) {
    if (b.t === 'p') parts.push(inlines(b.content));
    else if (b.t === 'ul') parts.push(...b.items.map((i) => `• ${inlines(i)}`));
    else if (b.t === 'dl') for (const item of b.items) parts.push(`${inlines(item.term)}: ${item.details.map((d) => cellContent([d], false)).join(' ')}`);
  }
  const content = parts.join('<br>');
  return header && content.length > 0 ? `**${content}**` : content;
}

function inlines(items: readonly Inline[]): string {
  return items.map(inline).join('');
}

function inline(i: Inline): string {
  switch (i.t) {
    case 'text':
      return escapeMarkdown(i.text);
    case 'strong':
      return `**${inlines(i.children)}**`;
    case 'link': {
      const href = safeHref(i.href);
      // Anchors point at ids only the HTML page has; Markdown renderers make their own.
      if (!href || href.startsWith('#')) return escapeMarkdown(i.text);
      return `[${escapeMarkdown(i.text)}](${linkDestination(href)})`;
    }
  }
}
