/**
 * Writes a letter as plain text and as a minimal HTML document (the mail's two alternatives). Every
 * value is escaped here, and links are kept only where they are web pages or mail addresses: a fact
 * typed by staff or taken from a request can never become markup in the person's mailbox.
 */
import { escapeHtml, safeHref } from '../../notice/write-html.js';
import type { Block, Inline, LetterDocument } from './letter-document.js';

export function writeLetterText(doc: LetterDocument): string {
  const blocks = doc.body.map((b) => {
    switch (b.type) {
      case 'paragraph':
        return textOf(b.content);
      case 'list':
        return b.items.map((item) => `- ${textOf(item).replace(/\n/g, '\n  ')}`).join('\n');
      case 'lines':
        return b.lines.map(textOf).join('\n');
      case 'code':
        return b.code;
    }
  });
  // "-- " opens a signature block: mail clients fold the footer under it.
  return `${blocks.join('\n\n')}\n\n-- \n${doc.footer.map(textOf).join('\n')}\n`;
}

function textOf(content: readonly Inline[]): string {
  return content
    .map((i) => (i.href === undefined || i.href === i.text || i.href === `mailto:${i.text}` ? i.text : `${i.text} <${i.href}>`))
    .join('');
}

const BODY_STYLE = 'font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 16px; line-height: 1.5; color: #1b1b1b; max-width: 40rem; margin: 0 auto; padding: 1rem;';

export function writeLetterHtml(doc: LetterDocument): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${doc.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.subject)}</title>`,
    '</head>',
    `<body style="${escapeHtml(BODY_STYLE)}">`,
    ...doc.body.map(blockHtml),
    '<hr>',
    `<p style="color: #555; font-size: 14px;">${doc.footer.map(inlineHtml).join('<br>')}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function blockHtml(b: Block): string {
  switch (b.type) {
    case 'paragraph':
      return `<p>${inlineHtml(b.content)}</p>`;
    case 'list':
      return ['<ul>', ...b.items.map((item) => `<li>${inlineHtml(item)}</li>`), '</ul>'].join('\n');
    case 'lines':
      return `<p>${b.lines.map(inlineHtml).join('<br>')}</p>`;
    case 'code':
      return `<p style="font-size: 28px; font-weight: bold; letter-spacing: 0.25em; font-family: ui-monospace, Menlo, Consolas, monospace;">${escapeHtml(b.code)}</p>`;
  }
}

function inlineHtml(content: readonly Inline[]): string {
  return content
    .map((i) => {
      let html = escapeHtml(i.text).replace(/\r?\n/g, '<br>');
      const href = i.href === undefined ? undefined : safeHref(i.href);
      if (href !== undefined && !href.startsWith('#')) html = `<a href="${escapeHtml(href)}">${html}</a>`;
      return i.strong ? `<strong>${html}</strong>` : html;
    })
    .join('');
}
