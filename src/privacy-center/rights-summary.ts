/**
 * What the privacy center's home page says about each activity — what is processed, why, for how
 * long, who receives it — taken from the privacy notice built from the published register, so the
 * two never differ (Art. 12(1), 13(1)(c),(e), 13(2)(a)). Pure: the notice document in, plain texts
 * out (the page escapes them when it writes them).
 */
import { buildNotice, NOTICE_STRINGS } from '../notice/build-notice.js';
import type { Block, Inline, Section } from '../notice/notice-document.js';
import type { Language, Register } from '../register/schema.js';

export interface ActivitySummary {
  /** The activity's id in the register (what an objection or a withdrawal names). */
  id: string;
  /** The activity's anchor in the notice, for a link to its full description. */
  anchor: string;
  /** Whether it relies on consent (Art. 6(1)(a)): what a withdrawal of consent can name (Art. 7(3)). */
  consent: boolean;
  name: string;
  purposes: string[];
  data: string[];
  retention: string[];
  recipients: string[];
}

export function summariseActivities(register: Register, lang: Language): ActivitySummary[] {
  const doc = buildNotice(register, { lang });
  const s = NOTICE_STRINGS[lang];
  const out: ActivitySummary[] = [];
  const visit = (section: Section): void => {
    const table = section.level === 3 ? section.blocks.find((b) => b.t === 'table') : undefined;
    if (table && table.t === 'table') {
      const row = (header: string): string[] => {
        const found = table.rows.find((r) => blocksText(r[0] ?? []).join(' ') === header);
        return found ? blocksText(found[1] ?? []) : [];
      };
      // The notice anchors an activity as <group>-<id>: the longest id that ends the anchor is it.
      const activity = register.activities
        .filter((a) => section.id.endsWith(`-${a.id}`))
        .sort((a, b) => b.id.length - a.id.length)[0];
      if (activity) out.push({
        id: activity.id,
        anchor: section.id,
        consent: (activity.legal_bases ?? []).some((b) => b.basis === 'consent'),
        name: inlineText(section.title),
        purposes: row(s.row_purposes),
        data: row(s.row_data_categories),
        retention: row(s.row_retention),
        recipients: row(s.row_recipients),
      });
    }
    section.sections.forEach(visit);
  };
  doc.sections.forEach(visit);
  return out;
}

function inlineText(parts: readonly Inline[]): string {
  return parts.map((p) => (p.t === 'strong' ? inlineText(p.children) : p.text)).join('');
}

/** One text per paragraph or list item. */
function blocksText(blocks: readonly Block[]): string[] {
  return blocks.flatMap((b) => {
    if (b.t === 'p') return [inlineText(b.content)];
    if (b.t === 'ul') return b.items.map(inlineText);
    if (b.t === 'dl') return b.items.map((i) => `${inlineText(i.term)}: ${blocksText(i.details).join(' ')}`);
    return [];
  });
}
