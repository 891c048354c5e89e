/**
 * Art. 30(1)(a)-(g) and 30(2): what the record of processing activities must contain. (e) transfers
 * and (f) retention have their own families (transfers.ts, retention.ts).
 */
import type { Contact, Party } from '../../schema.js';
import { isOwnProcessing } from '../activity-facts.js';
import type { Rule } from '../rule.js';

const reachable = (c: Contact | undefined) => !!c && !!(c.email || c.phone || c.url || c.address);
export const partyHasContact = (p: Party) => reachable(p.contact);

export const controllerIdentity: Rule = {
  id: 'art30/controller-identity',
  severity: 'error',
  article: 'Art. 30(1)(a)',
  title: 'The controller, a joint controller or the representative cannot be identified and contacted',
  help: 'The record starts with the name and contact details of the controller and, where applicable, of the joint controllers and the representative (Art. 30(1)(a)); the notice repeats them (Art. 13(1)(a)). Give organisation.yaml an address or a contact email, and each joint controller a contact.',
  check(ctx, report) {
    const { register, loaded } = ctx;
    const org = register.organisation;
    // With the loader's placeholder the missing file is already reported: one finding is enough.
    if (ctx.organisationKnown) {
      if (!org.address && !org.contact?.address && !org.contact?.email) {
        report(
          org.contact ? loaded.at.organisation('contact') : loaded.at.organisation(),
          'the controller has no postal address and no contact email: give address or contact.email',
        );
      }
      if (org.representative && !partyHasContact(org.representative)) {
        report(loaded.at.organisation('representative'), 'the representative in the Union has no contact details: give contact');
      }
    }
    register.activities.forEach((a, i) => {
      (a.joint_controllers ?? []).forEach((p, k) => {
        if (!partyHasContact(p)) report(loaded.at.activity(i, 'joint_controllers', k), 'the joint controller has no contact details: give contact');
      });
    });
  },
};

export const dpoContact: Rule = {
  id: 'art30/dpo-contact',
  severity: 'warning',
  article: 'Art. 30(1)(a)',
  title: 'No contact for the data protection officer',
  help: 'The record and the notice give the contact details of the DPO where one is designated (Art. 30(1)(a), 13(1)(b), 37(7)). Give dpo with an email, a phone, a URL or an address; without a DPO, give the contact that handles data protection questions.',
  check(ctx, report) {
    if (!ctx.organisationKnown) return;
    const { dpo } = ctx.register.organisation;
    if (!dpo) report(ctx.loaded.at.organisation(), 'the organisation gives no DPO: add dpo with their contact details');
    else if (!reachable(dpo)) report(ctx.loaded.at.organisation('dpo'), 'the DPO has no contact details: give an email, a phone, a URL or an address');
  },
};

export const purposes: Rule = {
  id: 'art30/purposes',
  severity: 'error',
  article: 'Art. 30(1)(b)',
  title: 'An activity gives no purpose',
  help: 'Every processing activity states its purposes (Art. 30(1)(b), 30(2)(b)); the notice lists them with their legal basis (Art. 13(1)(c)). Add purposes, each with a description.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      if (!a.purposes?.length) report(ctx.loaded.at.activity(i, 'purposes'), 'the activity gives no purpose: add purposes');
    });
  },
};

export const dataSubjects: Rule = {
  id: 'art30/data-subjects',
  severity: 'error',
  article: 'Art. 30(1)(c)',
  title: 'An activity gives no category of data subjects',
  help: 'The record describes the categories of data subjects (Art. 30(1)(c)): customers, prospects, employees, ... Add data_subjects, each with a label and, if it fits, a fideslang category.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      if (isOwnProcessing(a) && !a.data_subjects?.length) {
        report(ctx.loaded.at.activity(i, 'data_subjects'), 'the activity gives no category of data subjects: add data_subjects');
      }
    });
  },
};

export const dataCategories: Rule = {
  id: 'art30/data-categories',
  severity: 'error',
  article: 'Art. 30(1)(c)',
  title: 'An activity gives no category of personal data',
  help: 'The record describes the categories of personal data (Art. 30(1)(c)); the notice needs them when the data is not collected from the person (Art. 14(1)(d)). Add data_categories with fideslang codes.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      if (isOwnProcessing(a) && !a.data_categories?.length) {
        report(ctx.loaded.at.activity(i, 'data_categories'), 'the activity gives no category of personal data: add data_categories');
      }
    });
  },
};

export const recipients: Rule = {
  id: 'art30/recipients',
  severity: 'warning',
  article: 'Art. 30(1)(d)',
  title: 'An activity names no recipient',
  help: 'The record lists the categories of recipients the data is disclosed to, including in third countries (Art. 30(1)(d)); internal teams count. Add recipients by id from recipients.yaml, or confirm that nobody receives the data.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      if (isOwnProcessing(a) && !a.recipients?.length) report(ctx.loaded.at.activity(i, 'recipients'), 'the activity names no recipient: add recipients');
    });
  },
};

export const securityMeasures: Rule = {
  id: 'art30/security-measures',
  severity: 'warning',
  article: 'Art. 30(1)(g)',
  title: 'No security measure is described',
  help: 'Where possible the record gives a general description of the Art. 32 security measures (Art. 30(1)(g), 30(2)(d)). Add security_measures to the activity, or a general statements.security to organisation.yaml.',
  check(ctx, report) {
    if (ctx.register.organisation.statements?.security) return;
    ctx.register.activities.forEach((a, i) => {
      if (!a.security_measures?.length) {
        report(ctx.loaded.at.activity(i, 'security_measures'), 'no security measure is described for this activity or for the organisation: add security_measures');
      }
    });
  },
};

export const ART30_RULES: readonly Rule[] = [controllerIdentity, dpoContact, purposes, dataSubjects, dataCategories, recipients, securityMeasures];
