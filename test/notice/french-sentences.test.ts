/**
 * Every French sentence the notice generator produces, read against the rules of written French as the
 * CNIL writes it: elision and contraction by rule ("d'Hôtel", "de Hollande", "du dernier séjour"),
 * agreement with what the register says (a DPO addressed in the feminine, one controller or several,
 * one activity or several), "1er" for the first of a month, no capital after a colon for a label of
 * ours, "intérêt légitime" in the singular, one name for the document. The notices of both examples,
 * of the notice fixture and of a register built for these edge cases (test/fixtures/registers/
 * french-edge) are read whole; snapshots alone kept such mistakes (issue 8).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderNotice } from '../../src/notice/render-notice.js';
import { loadRegister } from '../../src/register/load.js';
import { terms, type Vocabulary } from '../../src/reference/vocabulary.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REGISTERS = {
  'french-edge': 'test/fixtures/registers/french-edge',
  'acme-shop': 'examples/acme-shop',
  softathome: 'examples/softathome',
  'notice-sample': 'test/fixtures/registers/notice-sample',
};

/** What a French reader sees: the page's text without tags, without the texts marked as another language. */
function frenchText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<(\w+)[^>]*\blang="en"[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<\/?(p|li|ul|dt|dd|dl|td|th|tr|caption|h[1-6]|title)(\s[^>]*)?>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/[ \t]+/g, ' ');
}

const texts: Record<string, string> = {};
beforeAll(async () => {
  for (const [name, dir] of Object.entries(REGISTERS)) {
    const { loaded } = await loadRegister(path.join(ROOT, dir));
    texts[name] = frenchText(renderNotice(loaded!.register, { lang: 'fr', format: 'html' }));
  }
});

/** Each match of `re` in every notice, with the words around it, to say where. */
function violations(re: RegExp): string[] {
  const out: string[] = [];
  for (const [name, t] of Object.entries(texts)) {
    for (const m of t.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))) {
      out.push(`${name}: …${t.slice(Math.max(0, m.index - 40), m.index + m[0].length + 30).replace(/\n/g, ' ')}…`);
    }
  }
  return out;
}

const MONTHS = 'janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre';

describe('the French notice, sentence by sentence', () => {
  it('elides before a vowel or a mute h, and not before an aspirated h', () => {
    expect(violations(/(^|[\s(«'’])(de|que|le|la|ne|se|ce|je) (?=[aeiouyàâäéèêëîïôöùûüæœAEIOUYÀÂÉÈÊÎÔÛ])/u)).toEqual([]);
    expect(violations(/(^|\s)de (?=[Hh](ôtel|élène|abitude|eure|istoire|ébergement))/u)).toEqual([]);
    expect(violations(/(^|\s)d'(?=[Hh](ollande|aut|auts|autes|éros|asard))/u)).toEqual([]);
    expect(texts['french-edge']).toContain("Politique de confidentialité d'Hôtel des Alpes");
    expect(texts['french-edge']).toContain("pour le compte d'Office de tourisme d'Aix");
  });

  it('contracts "de le", "de les", "à le" and "à les"', () => {
    // An article contracts; a pronoun before a verb does not ("un droit de les demander").
    expect(violations(/(^|\s)(de|à) (le|les) (?!\p{L}+(er|ir|re|oir)\b)/iu)).toEqual([]);
    expect(texts['french-edge']).toContain('3 ans à compter du dernier séjour ; puis anonymisées');
  });

  it('writes the first of a month "1er"', () => {
    expect(violations(new RegExp(`(^|\\s)1 (${MONTHS})`, 'u'))).toEqual([]);
    expect(texts['french-edge']).toContain("Date d'entrée en vigueur : 1er novembre 2026");
  });

  it('agrees with the register: a DPO addressed in the feminine, one controller or several, one activity or several', () => {
    expect(texts['french-edge']).toContain('Notre déléguée à la protection des données est Émilie Durand.');
    expect(texts['french-edge']).toContain('contacter notre déléguée à la protection des données (DPO)');
    expect(texts['french-edge']).not.toMatch(/notre délégué à la protection/);
    expect(texts['french-edge']).toContain("pour le compte d'Office de tourisme d'Aix, Hautes-Alpes Tourisme, qui décident pourquoi");
    expect(texts['notice-sample']).toMatch(/pour le compte d'Éditions du Rhône, qui décide pourquoi/);
    expect(texts['french-edge']).toContain('Activité concernée : Réservations.');
    expect(texts['french-edge']).toContain('Activité également concernée, décrite plus haut : Réservations.');
    // No agreement left to the reader.
    expect(violations(/\w\((e|s|es|nt|x)\)/u)).toEqual([]);
  });

  it('puts no capital on a label of ours after a colon', () => {
    const vocabularies: Vocabulary[] = ['legal_basis', 'special_category', 'provision_requirement', 'automated_decision_exception', 'end_action'];
    const labels = vocabularies.flatMap((v) => terms(v).map((t) => t.label.fr)).filter((l) => /^\p{Lu}\p{Ll}/u.test(l));
    const found = labels.flatMap((l) => violations(new RegExp(` : ${l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u')));
    expect(found).toEqual([]);
    expect(texts['french-edge']).toContain('base légale : intérêt légitime (art. 6.1.f du RGPD)');
    expect(texts['french-edge']).toContain('Réservations : exigence conditionnant la conclusion');
    expect(texts['french-edge']).toContain("Office de tourisme d'Aix : par courriel : rgpd@office-aix.example");
  });

  it('says "intérêt légitime" in the singular, as the CNIL does, and calls the document by one name', () => {
    expect(violations(/intérêts légitimes(?! impérieux)(?! poursuivis)/u)).toEqual([]);
    expect(violations(/\bnotices?\b/iu)).toEqual([]);
    expect(violations(/Loi Informatique/u)).toEqual([]);
  });
});
