/**
 * Writes a notice document as one accessible HTML page: `lang` on the document and on any text
 * in another language, a skip link, one h1 and no skipped heading level, tables with a caption
 * and scoped headers. Every text from the register is escaped here, and nowhere else.
 */
import type { Block, Inline, NoticeDocument, Section } from './notice-document.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Only links a reader can safely follow: web pages, email, telephone, and anchors in the page. */
export function safeHref(href: string): string | undefined {
  return /^(https?:\/\/|mailto:|tel:|#)/i.test(href) ? href : undefined;
}

const STYLE = `
:root { color-scheme: light; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; background: #fff; margin: 0; }
main, footer { max-width: 58rem; margin: 0 auto; padding: 0 1.25rem; }
main { padding-top: 1.5rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .75rem; }
h2 { font-size: 1.45rem; margin: 2.25rem 0 .75rem; padding-top: .5rem; border-top: 1px solid #d0d0d0; }
h3 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; }
a { color: #0b4fa8; }
a:focus, a:hover { outline: 2px solid #0b4fa8; outline-offset: 2px; }
.skip-link { position: absolute; left: -999rem; top: .5rem; background: #fff; padding: .5rem 1rem; z-index: 1; }
.skip-link:focus { left: .5rem; }
table { border-collapse: collapse; width: 100%; margin: .75rem 0 1.25rem; }
caption { text-align: left; font-weight: 600; padding: .4rem 0; }
th, td { border: 1px solid #c4c4c4; padding: .45rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #eef1f5; }
tbody th { background: #f7f8fa; width: 14rem; font-weight: 600; }
td p, th p, dd p { margin: 0 0 .35rem; }
td ul { margin: 0; padding-left: 1.1rem; }
dt { font-weight: 600; margin-top: .75rem; }
dd { margin: .2rem 0 0 1.25rem; }
nav ul { columns: 2; }
footer { color: #555; font-size: .9rem; padding-bottom: 2rem; }
@media print {
  body { font-size: 11pt; }
  .skip-link, nav { display: none; }
  a { color: inherit; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; }
  h2, h3, caption { break-after: avoid; }
  tr { break-inside: avoid; }
  main, footer { max-width: none; padding: 0; }
}
`.trim();

export function writeHtml(doc: NoticeDocument): string {
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    `<html lang="${doc.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    `<a class="skip-link" href="#content">${escapeHtml(doc.skipLink)}</a>`,
    '<main id="content">',
    `<h1>${escapeHtml(doc.title)}</h1>`,
  );
  for (const b of doc.preamble) writeBlock(b, out);
  out.push(`<nav aria-labelledby="toc"><h2 id="toc">${escapeHtml(doc.tocTitle)}</h2>`, '<ul>');
  for (const s of doc.sections) out.push(`<li><a href="#${escapeHtml(s.id)}">${inlines(s.title)}</a></li>`);
  out.push('</ul>', '</nav>');
  for (const s of doc.sections) writeSection(s, out);
  out.push('</main>');
  if (doc.footer.length > 0) {
    out.push('<footer>');
    for (const b of doc.footer) writeBlock(b, out);
    out.push('</footer>');
  }
  out.push('</body>', '</html>', '');
  return out.join('\n');
}

function writeSection(s: Section, out: string[]): void {
  const id = escapeHtml(s.id);
  // Plain sections, not named regions: a notice of many activities would otherwise flood the
  // landmark list of a screen reader; the headings already give the structure.
  out.push('<section>', `<h${s.level} id="${id}">${inlines(s.title)}</h${s.level}>`);
  for (const b of s.blocks) writeBlock(b, out);
  for (const sub of s.sections) writeSection(sub, out);
  out.push('</section>');
}

function writeBlock(b: Block, out: string[]): void {
  switch (b.t) {
    case 'p':
      out.push(`<p>${inlines(b.content)}</p>`);
      return;
    case 'ul':
      out.push(`<ul>${b.items.map((i) => `<li>${inlines(i)}</li>`).join('')}</ul>`);
      return;
    case 'dl':
      out.push('<dl>');
      for (const item of b.items) {
        out.push(`<dt>${inlines(item.term)}</dt>`, '<dd>');
        for (const d of item.details) writeBlock(d, out);
        out.push('</dd>');
      }
      out.push('</dl>');
      return;
    case 'table': {
      out.push('<table>', `<caption>${inlines(b.caption)}</caption>`, '<thead><tr>');
      out.push(b.columns.map((c) => `<th scope="col">${inlines(c)}</th>`).join(''));
      out.push('</tr></thead>', '<tbody>');
      for (const row of b.rows) {
        const cells = row.map((cell, i) => {
          const header = b.rowHeaders && i === 0;
          const content = cellContent(cell);
          return header ? `<th scope="row">${content}</th>` : `<td>${content}</td>`;
        });
        out.push(`<tr>${cells.join('')}</tr>`);
      }
      out.push('</tbody>', '</table>');
      return;
    }
  }
}

/** A cell of a single paragraph is written without the <p>, so simple cells stay simple. */
function cellContent(blocks: Block[]): string {
  if (blocks.length === 1 && blocks[0]!.t === 'p') return inlines(blocks[0]!.content);
  const out: string[] = [];
  for (const b of blocks) writeBlock(b, out);
  return out.join('');
}

function inlines(items: readonly Inline[]): string {
  return items.map(inline).join('');
}

function inline(i: Inline): string {
  switch (i.t) {
    case 'text':
      return i.lang ? `<span lang="${i.lang}">${escapeHtml(i.text)}</span>` : escapeHtml(i.text);
    case 'strong':
      return `<strong>${inlines(i.children)}</strong>`;
    case 'link': {
      const href = safeHref(i.href);
      const lang = i.lang ? ` lang="${i.lang}"` : '';
      if (!href) return i.lang ? `<span${lang}>${escapeHtml(i.text)}</span>` : escapeHtml(i.text);
      return `<a href="${escapeHtml(href)}"${lang}>${escapeHtml(i.text)}</a>`;
    }
  }
}
