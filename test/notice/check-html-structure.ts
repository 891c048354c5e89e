/**
 * A structural accessibility check of a generated HTML page, strict enough to fail on the mistakes
 * a template makes: a missing `lang`, more than one h1, a skipped heading level, a table without a
 * caption or with headers lacking a scope, a link to an anchor that does not exist.
 */
export function htmlStructureProblems(html: string): string[] {
  const problems: string[] = [];
  if (!/^<!DOCTYPE html>/i.test(html)) problems.push('no doctype');
  if (!/<html lang="[a-z]{2}">/.test(html)) problems.push('<html> has no lang');
  if (!/<meta charset="utf-8">/i.test(html)) problems.push('no <meta charset="utf-8">');
  if (!/<title>[^<]+<\/title>/.test(html)) problems.push('no <title>');

  const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
  if (levels.filter((l) => l === 1).length !== 1) problems.push(`expected one h1, found ${levels.filter((l) => l === 1).length}`);
  if (levels[0] !== 1) problems.push('the first heading is not the h1');
  for (let i = 1; i < levels.length; i++) {
    if (levels[i]! > levels[i - 1]! + 1) problems.push(`heading level skipped: h${levels[i - 1]} then h${levels[i]}`);
  }

  const tables = html.split('<table').slice(1).map((t) => t.slice(0, t.indexOf('</table>')));
  tables.forEach((t, i) => {
    if (!/^[^>]*>\s*<caption>[^<]*\S[\s\S]*?<\/caption>/.test(t)) problems.push(`table ${i + 1} has no caption as its first child`);
    const ths = [...t.matchAll(/<th(\s[^>]*)?>/g)];
    if (ths.length === 0) problems.push(`table ${i + 1} has no header cells`);
    for (const th of ths) if (!/\sscope="(col|row)"/.test(th[1] ?? '')) problems.push(`table ${i + 1} has a <th> without scope`);
  });

  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) problems.push(`duplicate id "${id}"`);
    seen.add(id);
  }
  for (const m of html.matchAll(/<a href="#([^"]*)"/g)) if (!seen.has(m[1]!)) problems.push(`link to missing anchor #${m[1]}`);
  const firstInBody = /<body>\s*<a class="skip-link" href="#([^"]+)">/.exec(html);
  if (!firstInBody) problems.push('no skip link at the start of <body>');
  return problems;
}
