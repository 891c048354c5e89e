/**
 * Chapter V (Art. 44-49), 30(1)(e) and 13(1)(f): transfers outside the EEA, the country they go to,
 * and the tool that makes them lawful.
 */
import { adequacyFor, adequacyForInternationalOrganisation, isEea } from '../../../reference/transfers.js';
import type { Recipient, Transfer } from '../../schema.js';
import type { LintContext, Rule } from '../rule.js';

function recipientOf(ctx: LintContext, id: string | undefined): Recipient | undefined {
  const i = id === undefined ? undefined : ctx.recipientIndex.get(id);
  return i === undefined ? undefined : ctx.register.recipients[i];
}

/** The third country of a transfer: its own, or its recipient's. */
const countryOf = (ctx: LintContext, t: Transfer) => t.country ?? recipientOf(ctx, t.recipient)?.country;

export const noSafeguard: Rule = {
  id: 'transfer/no-safeguard',
  severity: 'error',
  article: 'Art. 44-46',
  title: 'A transfer outside the EEA without adequacy and without a safeguard',
  help: 'A transfer to a third country is lawful only under an adequacy decision (Art. 45), an appropriate safeguard (Art. 46: SCC, BCR, ...) or an Art. 49 derogation. The United States count as adequate only for recipients certified under the EU-US Data Privacy Framework (mark them dpf_certified). Give mechanism and its details.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      (a.transfers ?? []).forEach((t, j) => {
        const at = (...p: string[]) => ctx.loaded.at.activity(i, 'transfers', j, ...p);
        const recipient = recipientOf(ctx, t.recipient);
        const country = countryOf(ctx, t);
        if (country !== undefined && isEea(country)) return; // not a transfer under Chapter V
        const adequacy =
          country !== undefined
            ? adequacyFor(country, { dpfCertified: recipient?.dpf_certified === true })
            : t.international_organisation !== undefined
              ? adequacyForInternationalOrganisation(t.international_organisation)
              : undefined;
        const destination = country ?? t.international_organisation;
        switch (t.mechanism) {
          case undefined:
            if (destination !== undefined && !adequacy) {
              report(at(), `the transfer to ${destination} has no adequacy decision${country === 'US' ? ' (the recipient is not marked dpf_certified)' : ''} and no safeguard: add mechanism`);
            }
            return;
          case 'adequacy':
            if (destination !== undefined && !adequacy) {
              report(
                at('mechanism'),
                country === 'US'
                  ? 'the United States are adequate only for recipients certified under the Data Privacy Framework: mark the recipient dpf_certified, or use another mechanism'
                  : `there is no adequacy decision for ${destination}: use another mechanism (scc, bcr, ...)`,
              );
            }
            return;
          case 'derogation':
            if (t.derogation === undefined) report(at('mechanism'), 'the transfer relies on an Art. 49 derogation without naming it: add derogation');
            // Art. 49(1) second subparagraph, 49(6), 30(1)(e): the safeguards must be documented.
            else if (t.derogation === 'compelling_legitimate_interests' && t.safeguards === undefined) {
              report(at('derogation'), 'a transfer for compelling legitimate interests must document its safeguards: add safeguards');
            }
            return;
          default:
            return;
        }
      });
    });
  },
};

export const unidentified: Rule = {
  id: 'transfer/unidentified',
  severity: 'error',
  article: 'Art. 30(1)(e)',
  title: 'A transfer does not name its recipient or its third country',
  help: 'The record identifies each transfer: the third country or international organisation (Art. 30(1)(e)) and, as the CNIL template asks, the recipient. Give recipient (an id from recipients.yaml) and country (or the recipient’s country).',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      (a.transfers ?? []).forEach((t, j) => {
        const noCountry = countryOf(ctx, t) === undefined && t.international_organisation === undefined;
        const noRecipient = t.recipient === undefined;
        if (!noCountry && !noRecipient) return;
        const what = noCountry && noRecipient ? 'names neither the recipient nor the third country' : noCountry ? 'does not name the third country' : 'does not name the recipient';
        report(ctx.loaded.at.activity(i, 'transfers', j), `the transfer ${what}: add ${noRecipient ? 'recipient' : ''}${noCountry && noRecipient ? ' and ' : ''}${noCountry ? 'country' : ''}`);
      });
    });
  },
};

export const undeclared: Rule = {
  id: 'transfer/undeclared',
  severity: 'warning',
  article: 'Art. 30(1)(e)',
  title: 'A recipient outside the EEA receives the data but no transfer is declared',
  help: 'A recipient whose country is outside the EEA receives the activity’s data, so the activity makes a transfer (Art. 44) that the record and the notice must describe (Art. 30(1)(e), 13(1)(f)). Add a transfer to that recipient with its mechanism, or correct the recipient’s country.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      const transfers = a.transfers ?? [];
      const declared = new Set(transfers.flatMap((t) => (t.recipient ? [t.recipient] : [])));
      // A transfer that names a country but not the recipient may be this one: transfer/unidentified says so.
      const anonymousCountries = new Set(transfers.flatMap((t) => (t.recipient === undefined && t.country ? [t.country] : [])));
      (a.recipients ?? []).forEach((id, j) => {
        const r = recipientOf(ctx, id);
        if (!r?.country || isEea(r.country) || declared.has(id) || anonymousCountries.has(r.country)) return;
        report(ctx.loaded.at.activity(i, 'recipients', j), `recipient "${id}" is in ${r.country}, outside the EEA, and the activity declares no transfer to it: add a transfer`);
      });
    });
  },
};

export const sccWithoutModule: Rule = {
  id: 'transfer/scc-without-module',
  severity: 'warning',
  article: 'Art. 46(2)(c)',
  title: 'Standard contractual clauses without their module',
  help: 'The SCC of Decision (EU) 2021/914 come in four modules (1 controller to controller, 2 controller to processor, 3 processor to processor, 4 processor to controller); the module shows the clauses fit the relationship. Give scc_module.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      (a.transfers ?? []).forEach((t, j) => {
        if (t.mechanism === 'scc' && t.scc_module === undefined) {
          report(ctx.loaded.at.activity(i, 'transfers', j, 'mechanism'), 'the transfer relies on standard contractual clauses without naming the module: add scc_module (1-4)');
        }
      });
    });
  },
};

export const TRANSFER_RULES: readonly Rule[] = [noSafeguard, unidentified, undeclared, sccWithoutModule];
