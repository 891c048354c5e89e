/**
 * Art. 6(1), 7(3), 9(2), 10 and 13(1)(c)-(d), 13(2)(c): the lawfulness of each purpose and what the
 * notice must say about it.
 */
import { isCriminalData, isOwnProcessing, specialCategoryOfData } from '../activity-facts.js';
import type { Rule } from '../rule.js';

export const basisMissing: Rule = {
  id: 'basis/missing',
  severity: 'error',
  article: 'Art. 6(1)',
  title: 'An activity gives no legal basis',
  help: 'Processing is lawful only on one of the bases of Art. 6(1)(a)-(f), and the notice names it for each purpose (Art. 13(1)(c)). Add legal_bases, and name each purpose’s legal_basis.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      // Art. 30(2): the lawfulness of a processor's activity is its controller's to establish.
      if (!isOwnProcessing(a)) return;
      if (a.legal_bases?.length || (a.purposes ?? []).some((p) => p.legal_basis !== undefined)) return;
      report(ctx.loaded.at.activity(i, 'legal_bases'), 'the activity gives no legal basis: add legal_bases');
    });
  },
};

export const purposeWithoutBasis: Rule = {
  id: 'basis/purpose-without-basis',
  severity: 'error',
  article: 'Art. 13(1)(c)',
  title: 'With several legal bases, a purpose does not say which one it relies on',
  help: 'The notice gives the legal basis of each purpose (Art. 13(1)(c)). When an activity relies on more than one basis, the reader cannot tell which applies to which purpose: give each purpose its legal_basis.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      // Art. 13 is the controller's duty: a processor relies on its controllers' bases (Art. 30(2)).
      if (!isOwnProcessing(a)) return;
      const bases = new Set((a.legal_bases ?? []).map((b) => b.basis));
      if (bases.size < 2) return; // with one basis every purpose inherits it
      (a.purposes ?? []).forEach((p, j) => {
        if (p.legal_basis === undefined) {
          report(ctx.loaded.at.activity(i, 'purposes', j), `the activity relies on ${bases.size} legal bases and this purpose does not say which: add legal_basis`);
        }
      });
    });
  },
};

export const consentWithoutWithdrawal: Rule = {
  id: 'basis/consent-without-withdrawal',
  severity: 'error',
  article: 'Art. 7(3)',
  title: 'Consent without a way to withdraw it',
  help: 'Withdrawing consent must be as easy as giving it (Art. 7(3)) and the notice tells people how (Art. 13(2)(c)). Give withdrawal_method on the consent basis (e.g. "the unsubscribe link in every email").',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      if (!isOwnProcessing(a)) return; // the controller's notice says it (Art. 13), not a processor's record
      (a.legal_bases ?? []).forEach((b, j) => {
        if (b.basis === 'consent' && b.withdrawal_method === undefined) {
          report(ctx.loaded.at.activity(i, 'legal_bases', j), 'consent is relied on without saying how to withdraw it: add withdrawal_method');
        }
      });
    });
  },
};

export const legitimateInterestUnstated: Rule = {
  id: 'basis/legitimate-interest-unstated',
  severity: 'error',
  article: 'Art. 13(1)(d)',
  title: 'Legitimate interests without the interest pursued',
  help: 'Where processing rests on legitimate interests, the notice states the interests pursued (Art. 13(1)(d), 14(2)(b)), and the balancing test needs them. Give interest on the legitimate_interests basis.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      if (!isOwnProcessing(a)) return; // the controller's notice says it (Art. 13), not a processor's record
      (a.legal_bases ?? []).forEach((b, j) => {
        if (b.basis === 'legitimate_interests' && b.interest === undefined) {
          report(ctx.loaded.at.activity(i, 'legal_bases', j), 'legitimate interests are relied on without stating the interest pursued: add interest');
        }
      });
    });
  },
};

export const specialCategoryWithoutCondition: Rule = {
  id: 'basis/special-category-without-condition',
  severity: 'error',
  article: 'Art. 9(2)',
  title: 'Special-category data without an Art. 9(2) condition',
  help: 'Processing of health, biometric, genetic data, opinions, beliefs, union membership, ethnic origin or sex life is prohibited unless one of the conditions of Art. 9(2) applies, even when the data only appears incidentally. Add special_category_conditions naming the condition, or remove the data.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      if (a.special_category_conditions?.length) return;
      (a.data_categories ?? []).forEach((c, j) => {
        const special = specialCategoryOfData(c);
        if (special === undefined) return;
        report(
          ctx.loaded.at.activity(i, 'data_categories', j),
          a.special_category_conditions === undefined
            ? `"${c.category}" is${c.incidental ? ' or may incidentally reveal' : ''} special-category data (${special.replaceAll('_', ' ')}) and the activity states no Art. 9(2) condition: add special_category_conditions`
            : `"${c.category}" is${c.incidental ? ' or may incidentally reveal' : ''} special-category data (${special.replaceAll('_', ' ')}) and the activity declares special_category_conditions: none: name the Art. 9(2) condition`,
        );
      });
    });
  },
};

export const specialCategoryUndecided: Rule = {
  id: 'basis/special-category-undecided',
  severity: 'warning',
  article: 'Art. 9(1)',
  title: 'Data that may be special-category data, not decided',
  help: 'Some data may reveal a special category of Art. 9(1) (opinions in a video may be political, religious or philosophical, or none of these). Whether it does is the controller\'s decision, not the register\'s guess: decide, and either give special_category (with incidental: true if it only appears incidentally, and an Art. 9(2) condition) or remove possibly_special. Until then the notice names the data in its own words and asserts no special category.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      (a.data_categories ?? []).forEach((c, j) => {
        if (c.possibly_special !== true || specialCategoryOfData(c) !== undefined) return;
        report(ctx.loaded.at.activity(i, 'data_categories', j, 'possibly_special'), `"${c.category}" may reveal a special category of data: decide which (special_category), or that it does not, and remove possibly_special`);
      });
    });
  },
};

export const criminalData: Rule = {
  id: 'basis/criminal-data',
  severity: 'error',
  article: 'Art. 10',
  title: 'Criminal-offence data without the law that authorises it',
  help: 'Data relating to criminal convictions and offences may be processed only under the control of official authority or when authorised by Union or Member State law (Art. 10). Rely on legal_obligation or public_task and name the law.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      const authorised = (a.legal_bases ?? []).some((b) => (b.basis === 'legal_obligation' || b.basis === 'public_task') && b.law !== undefined);
      if (authorised) return;
      (a.data_categories ?? []).forEach((c, j) => {
        if (isCriminalData(c)) {
          report(
            ctx.loaded.at.activity(i, 'data_categories', j),
            `"${c.category}" is criminal-offence data and no legal_obligation or public_task basis names the law that authorises it`,
          );
        }
      });
    });
  },
};

export const automatedDecisionException: Rule = {
  id: 'basis/automated-decision-exception',
  severity: 'error',
  article: 'Art. 22(2)',
  title: 'A decision with legal or similar effects without its Art. 22(2) exception',
  help: 'A decision based solely on automated processing that produces legal or similarly significant effects is allowed only when necessary for a contract with the person, authorised by law, or based on their explicit consent (Art. 22(2)(a)-(c)); legitimate interests is not one of them. Give exception (contract, law or explicit_consent), with the law for law, and the safeguards of Art. 22(3) for the other two.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      if (!isOwnProcessing(a)) return;
      (a.automated_decisions ?? []).forEach((d, k) => {
        if (!d.legal_or_similar_effect) return;
        const at = ctx.loaded.at.activity(i, 'automated_decisions', k);
        if (d.exception === undefined) {
          report(at, 'the decision has legal or similar effects and names no Art. 22(2) exception: add exception (contract, law or explicit_consent)');
        } else if (d.exception === 'law' && d.law === undefined) {
          report(at, 'the decision rests on a law that is not named: add law');
        } else if (d.exception !== 'law' && d.safeguards === undefined) {
          report(at, `the decision rests on ${d.exception === 'contract' ? 'a contract' : 'explicit consent'} and states no Art. 22(3) safeguard (human intervention, expressing one's view, contesting): add safeguards`);
        }
      });
    });
  },
};

export const LEGAL_BASIS_RULES: readonly Rule[] = [
  basisMissing,
  purposeWithoutBasis,
  consentWithoutWithdrawal,
  legitimateInterestUnstated,
  specialCategoryWithoutCondition,
  specialCategoryUndecided,
  automatedDecisionException,
  criminalData,
];
