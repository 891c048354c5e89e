import { describe, expect, it } from 'vitest';
import { en } from '../../src/notice/i18n/en.js';
import { fr } from '../../src/notice/i18n/fr.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('notice wording', () => {
  it('has every English key in French, with the same placeholders, and no empty text', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(fr[key].trim().length, key).toBeGreaterThan(0);
      expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('uses the GDPR terms of the French text of the Regulation, not the seed confusions', () => {
    const all = Object.values(fr).join('\n');
    for (const word of ['responsable du traitement', 'sous-traitant', 'destinataires', 'durée de conservation', 'autorité de contrôle', 'délégué à la protection des données']) {
      expect(all.toLowerCase()).toContain(word);
    }
    expect(en.def_controller_text).toMatch(/determines the purposes and means/);
    expect(en.def_processor_text).toMatch(/on behalf of the controller/);
  });
});
