/**
 * References between register files: ids must be unique and every id referred to must exist,
 * or the record silently loses a recipient (Art. 30(1)(d)) or a system.
 */
import type { Pointer } from '../../load.js';
import type { Rule } from '../rule.js';
import { suggestClosest } from '../../suggest-closest.js';

const didYouMean = (guess: string | undefined) => (guess ? `: did you mean "${guess}"?` : '');

export const duplicateId: Rule = {
  id: 'ref/duplicate-id',
  severity: 'error',
  title: 'Two activities, recipients, systems or purposes of one activity share an id',
  help: 'Ids are how files refer to each other: with two things under one id, references and published versions become ambiguous. Give each its own id.',
  check(ctx, report) {
    const { register, loaded } = ctx;
    const seenActivity = new Map<string, number>();
    register.activities.forEach((a, i) => {
      const first = seenActivity.get(a.id);
      if (first === undefined) seenActivity.set(a.id, i);
      else report(loaded.at.activity(i, 'id'), `activity id "${a.id}" is already used in ${loaded.at.activity(first).file}`);
      const seenPurpose = new Set<string>();
      (a.purposes ?? []).forEach((p, j) => {
        if (p.id === undefined) return;
        if (seenPurpose.has(p.id)) report(loaded.at.activity(i, 'purposes', j, 'id'), `purpose id "${p.id}" appears twice in this activity`);
        seenPurpose.add(p.id);
      });
    });
    register.recipients.forEach((r, i) => {
      if (ctx.recipientIndex.get(r.id) !== i) report(loaded.at.recipient(i, 'id'), `recipient id "${r.id}" is already used by recipient ${(ctx.recipientIndex.get(r.id) ?? 0) + 1}`);
    });
    register.systems.forEach((s, i) => {
      if (ctx.systemIndex.get(s.id) !== i) report(loaded.at.system(i, 'id'), `system id "${s.id}" is already used by system ${(ctx.systemIndex.get(s.id) ?? 0) + 1}`);
    });
  },
};

export const undefinedRecipient: Rule = {
  id: 'ref/undefined-recipient',
  severity: 'error',
  article: 'Art. 30(1)(d)',
  title: 'A recipient id is not defined in recipients.yaml',
  help: 'Activities, transfers, sub-processors and systems refer to recipients by id. An id missing from recipients.yaml leaves a recipient out of the record and of the notice: define it, or correct the id.',
  check(ctx, report) {
    const { register, loaded } = ctx;
    const ids = [...ctx.recipientIndex.keys()];
    const check = (id: string | undefined, at: () => Pointer, what: string) => {
      if (id === undefined || ctx.recipientIndex.has(id)) return;
      const guess = suggestClosest(id, ids);
      report(at(), `${what} "${id}" is not defined in recipients.yaml${didYouMean(guess)}`, guess ? { suggestion: guess } : undefined);
    };
    register.activities.forEach((a, i) => {
      (a.recipients ?? []).forEach((id, j) => check(id, () => loaded.at.activity(i, 'recipients', j), 'recipient'));
      (a.transfers ?? []).forEach((t, j) => check(t.recipient, () => loaded.at.activity(i, 'transfers', j, 'recipient'), 'the transfer recipient'));
    });
    register.recipients.forEach((r, i) => check(r.sub_processor_of, () => loaded.at.recipient(i, 'sub_processor_of'), 'sub_processor_of'));
    register.systems.forEach((s, i) => check(s.operated_by, () => loaded.at.system(i, 'operated_by'), 'operated_by'));
  },
};

export const undefinedSystem: Rule = {
  id: 'ref/undefined-system',
  severity: 'error',
  title: 'A system id is not defined in systems.yaml',
  help: 'An activity names the systems that hold its data; an id missing from systems.yaml cannot be traced to where the data lives. Define the system, or correct the id.',
  check(ctx, report) {
    const ids = [...ctx.systemIndex.keys()];
    ctx.register.activities.forEach((a, i) => {
      (a.systems ?? []).forEach((id, j) => {
        if (ctx.systemIndex.has(id)) return;
        const guess = suggestClosest(id, ids);
        report(ctx.loaded.at.activity(i, 'systems', j), `system "${id}" is not defined in systems.yaml${didYouMean(guess)}`, guess ? { suggestion: guess } : undefined);
      });
    });
  },
};

export const subProcessorCycle: Rule = {
  id: 'ref/sub-processor-cycle',
  severity: 'error',
  article: 'Art. 28(2)',
  title: 'Recipients are sub-processors of each other in a cycle',
  help: 'sub_processor_of names the processor that engaged a sub-processor (Art. 28(2), (4)); a chain that loops back has no processor at its head. Break the cycle.',
  check(ctx, report) {
    const { register } = ctx;
    const next = (id: string): string | undefined => {
      const i = ctx.recipientIndex.get(id);
      return i === undefined ? undefined : register.recipients[i]?.sub_processor_of;
    };
    // Each recipient is walked once: 1 = on the current chain, 2 = done.
    const state = new Map<string, 1 | 2>();
    for (const r of register.recipients) {
      if (state.has(r.id)) continue;
      const chain: string[] = [];
      let cur: string | undefined = r.id;
      while (cur !== undefined && ctx.recipientIndex.has(cur) && !state.has(cur)) {
        state.set(cur, 1);
        chain.push(cur);
        cur = next(cur);
      }
      if (cur !== undefined && state.get(cur) === 1) {
        const cycle = chain.slice(chain.indexOf(cur));
        const at = ctx.recipientIndex.get(cur) ?? 0;
        const desc = [...cycle, cur].map((id) => `"${id}"`).join(' → ');
        report(ctx.loaded.at.recipient(at, 'sub_processor_of'), `sub_processor_of forms a cycle: ${desc}`);
      }
      for (const id of chain) state.set(id, 2);
    }
  },
};

export const undefinedLegalBasis: Rule = {
  id: 'ref/undefined-legal-basis',
  severity: 'error',
  article: 'Art. 13(1)(c)',
  title: "A purpose names a legal basis the activity's legal_bases does not list",
  help: "Each purpose's legal_basis refers to an entry of the activity's legal_bases, which carries what the notice must say about it (the interest pursued, how to withdraw consent, the law). Add the basis to legal_bases, or correct the purpose.",
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      const listed = new Set((a.legal_bases ?? []).map((b) => b.basis));
      (a.purposes ?? []).forEach((p, j) => {
        if (p.legal_basis === undefined || listed.has(p.legal_basis)) return;
        report(
          ctx.loaded.at.activity(i, 'purposes', j, 'legal_basis'),
          `the purpose relies on "${p.legal_basis}", which the activity's legal_bases does not list: add it there with its details`,
        );
      });
    });
  },
};

export const REFERENCE_RULES: readonly Rule[] = [duplicateId, undefinedRecipient, undefinedSystem, subProcessorCycle, undefinedLegalBasis];
