/**
 * Art. 12-14: what the privacy notice generated from the register must be able to say.
 */
import { LANGUAGES, type Language, type LocalisedText } from '../../schema.js';
import { isOwnProcessing } from '../activity-facts.js';
import { localisedTextsByFile } from '../localised-texts.js';
import type { Rule } from '../rule.js';

export const rightsChannel: Rule = {
  id: 'notice/rights-channel',
  severity: 'error',
  article: 'Art. 12(2)',
  title: 'The notice cannot say how people exercise their rights',
  help: 'The controller facilitates the exercise of the rights (Art. 12(2)) and the notice says how (Art. 13(2)(b)). Give rights_channels in organisation.yaml: an email address, a web form, a postal address.',
  check(ctx, report) {
    if (!ctx.organisationKnown) return;
    const channels = ctx.register.organisation.rights_channels ?? [];
    if (channels.length === 0) {
      report(ctx.loaded.at.organisation('rights_channels'), 'the organisation gives no channel for exercising rights: add rights_channels');
      return;
    }
    channels.forEach((c, k) => {
      if (c.value === undefined && c.address === undefined) {
        report(ctx.loaded.at.organisation('rights_channels', k), `the ${c.kind} channel gives no ${c.kind === 'post' ? 'address' : 'value'}: add ${c.kind === 'post' ? 'address' : 'value'}`);
      }
    });
  },
};

export const supervisoryAuthority: Rule = {
  id: 'notice/supervisory-authority',
  severity: 'warning',
  article: 'Art. 13(2)(d)',
  title: 'The notice cannot name the supervisory authority to complain to',
  help: 'The notice tells people of their right to lodge a complaint with a supervisory authority (Art. 13(2)(d), 77); naming it, with its address, makes the right usable. Give supervisory_authority in organisation.yaml (in France: the CNIL).',
  check(ctx, report) {
    if (!ctx.organisationKnown || ctx.register.organisation.supervisory_authority) return;
    report(ctx.loaded.at.organisation(), 'the organisation names no supervisory authority: add supervisory_authority');
  },
};

export const sourceMissing: Rule = {
  id: 'notice/source-missing',
  severity: 'error',
  article: 'Art. 14(2)(f)',
  title: 'The notice cannot say where the data comes from',
  help: 'Whether data is collected from the person (Art. 13) or elsewhere (Art. 14) decides what the notice must say; when it comes from elsewhere, the notice names the source (Art. 14(2)(f)). Give sources, with an explanation for each source that is not the data subject.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      if (!isOwnProcessing(a)) return;
      const sources = a.sources ?? [];
      if (sources.length === 0) {
        report(ctx.loaded.at.activity(i, 'sources'), 'the activity does not say where the data comes from: add sources');
        return;
      }
      sources.forEach((s, k) => {
        if (s.kind !== 'data_subject' && s.explanation === undefined) {
          report(ctx.loaded.at.activity(i, 'sources', k), `the data comes from ${s.kind === 'public' ? 'public sources' : 'a third party'} without saying which: add explanation`);
        }
      });
    });
  },
};

export const sourceCategories: Rule = {
  id: 'notice/source-categories',
  severity: 'warning',
  article: 'Art. 14(1)(d)',
  title: 'The notice cannot say which data comes from a source other than the person',
  help: 'Where data is not obtained from the person, the notice gives the categories of data concerned (Art. 14(1)(d)): per source, not every category of the activity. When an activity has several sources, give categories on each source that is not the data subject, as codes of the activity\'s data_categories.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      const sources = a.sources ?? [];
      const declared = new Set((a.data_categories ?? []).map((c) => c.category));
      sources.forEach((s, k) => {
        (s.categories ?? []).forEach((code, j) => {
          if (!declared.has(code)) report(ctx.loaded.at.activity(i, 'sources', k, 'categories', j), `"${code}" is not one of the activity's data_categories: correct it, or add it there`, { severity: 'error' });
        });
        if (isOwnProcessing(a) && sources.length > 1 && s.kind !== 'data_subject' && s.categories === undefined) {
          report(ctx.loaded.at.activity(i, 'sources', k), `the activity has ${sources.length} sources and does not say which data comes from this one: add categories`);
        }
      });
    });
  },
};

export const provision: Rule = {
  id: 'notice/provision',
  severity: 'warning',
  article: 'Art. 13(2)(e)',
  title: 'The notice cannot say whether providing the data is required',
  help: 'When data is collected from the person, the notice says whether providing it is a statutory or contractual requirement, and the consequences of not providing it (Art. 13(2)(e)). Give provision on the activity, or a general statements.provision in organisation.yaml.',
  check(ctx, report) {
    if (!ctx.organisationKnown || ctx.register.organisation.statements?.provision) return;
    ctx.register.activities.forEach((a, i) => {
      if (!isOwnProcessing(a)) return;
      // Art. 13 applies to data collected from the person; an activity without sources is assumed to.
      if (a.sources?.length && !a.sources.some((s) => s.kind === 'data_subject')) return;
      if (!a.provision) {
        report(ctx.loaded.at.activity(i, 'provision'), 'the activity does not say whether providing the data is required: add provision');
      } else if (a.provision.requirement !== 'voluntary' && a.provision.consequences === undefined) {
        report(ctx.loaded.at.activity(i, 'provision'), 'providing the data is required and the consequences of not providing it are not given: add consequences');
      }
    });
  },
};

export const automatedDecisionLogic: Rule = {
  id: 'notice/automated-decision-logic',
  severity: 'error',
  article: 'Art. 13(2)(f)',
  title: 'An automated decision without meaningful information about its logic',
  help: 'For automated decisions with legal or similarly significant effects (Art. 22(1)), the notice gives meaningful information about the logic involved and the envisaged consequences (Art. 13(2)(f), 14(2)(g)); for other automated decisions it is good practice. Give logic (and consequences).',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      (a.automated_decisions ?? []).forEach((d, k) => {
        if (d.logic !== undefined) return;
        report(
          ctx.loaded.at.activity(i, 'automated_decisions', k),
          d.legal_or_similar_effect
            ? 'the automated decision has legal or similar effects and its logic is not explained: add logic'
            : 'the automated decision does not explain its logic: add logic',
          d.legal_or_similar_effect ? undefined : { severity: 'warning' },
        );
      });
    });
  },
};

/**
 * Art. 13(1)(f), 13(2)(f): the notice tells people whether data goes outside the EEA and whether
 * decisions about them are automated. A register that does not say cannot be turned into either
 * statement: "none" must be declared, not inferred from silence.
 */
function notStated(id: string, article: string, key: 'automated_decisions' | 'transfers', what: string, help: string): Rule {
  return {
    id,
    severity: 'warning',
    article,
    title: `The notice cannot say whether there are ${what}`,
    help,
    check(ctx, report) {
      ctx.register.activities.forEach((a, i) => {
        if (!isOwnProcessing(a) || a[key] !== undefined) return;
        report(ctx.loaded.at.activity(i), `the activity does not say whether there are ${what}: list them, or write ${key}: none`);
      });
    },
  };
}

export const automatedDecisionsNotStated = notStated(
  'notice/automated-decisions-not-stated',
  'Art. 13(2)(f)',
  'automated_decisions',
  'automated decisions',
  'The notice states the existence of automated decision-making, including profiling (Art. 13(2)(f), 14(2)(g), 22). Silence in the register is not a "no": list the decisions, or write automated_decisions: none. Until then the notice says "not stated" for the activity.',
);

export const transfersNotStated = notStated(
  'notice/transfers-not-stated',
  'Art. 13(1)(f)',
  'transfers',
  'transfers outside the EEA',
  'The notice says whether data is transferred to a third country or an international organisation, and on which safeguard (Art. 13(1)(f), 14(1)(f)). Silence in the register is not a "no": list the transfers, or write transfers: none. Until then the notice says "not stated" for the activity.',
);

function missingLanguages(text: LocalisedText, required: readonly Language[], defaultLanguage: Language): Language[] {
  if (typeof text === 'string') return required.filter((l) => l !== defaultLanguage);
  return required.filter((l) => !text[l]);
}

export const missingTranslation: Rule = {
  id: 'notice/missing-translation',
  severity: 'info',
  title: 'A text is missing in a language the notice is published in',
  help: 'The notice is published in each language of organisation.languages; a text without a translation is shown in another language. Write such texts as a map of language to text (en: ..., fr: ...).',
  check(ctx, report) {
    if (!ctx.organisationKnown) return;
    const org = ctx.register.organisation;
    const required = org.languages ?? [org.default_language];
    // One finding per file, at its first untranslated text: the count says how much is left.
    for (const texts of localisedTextsByFile(ctx.loaded)) {
      let first: (typeof texts)[number] | undefined;
      let count = 0;
      const languages = new Set<Language>();
      for (const t of texts) {
        const missing = missingLanguages(t.text, required, org.default_language);
        if (missing.length === 0) continue;
        first ??= t;
        count++;
        for (const l of missing) languages.add(l);
      }
      if (!first) continue;
      const which = LANGUAGES.filter((l) => languages.has(l)).join(', ');
      report(first.at, count === 1 ? `1 text has no ${which} translation (this one)` : `${count} texts have no ${which} translation (the first is here)`);
    }
  },
};

export const cookiePolicy: Rule = {
  id: 'notice/cookie-policy',
  severity: 'warning',
  title: 'The notice cannot link to the cookie policy',
  help: 'Cookies and trackers need their own information and consent (ePrivacy Directive Art. 5(3)); the notice links to the cookie policy. Give cookie_policy_url in organisation.yaml.',
  check(ctx, report) {
    if (!ctx.organisationKnown || ctx.register.organisation.cookie_policy_url) return;
    report(ctx.loaded.at.organisation(), 'the organisation gives no cookie policy link: add cookie_policy_url');
  },
};

export const NOTICE_RULES: readonly Rule[] = [
  rightsChannel,
  supervisoryAuthority,
  sourceMissing,
  sourceCategories,
  provision,
  automatedDecisionLogic,
  automatedDecisionsNotStated,
  transfersNotStated,
  missingTranslation,
  cookiePolicy,
];
