import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffRegisters, type RegisterChange } from '../../src/register/diff.js';
import { formatDiffJson, formatDiffText } from '../../src/register/format-diff.js';
import { loadRegister } from '../../src/register/load.js';
import {
  DEROGATIONS,
  LEGAL_BASES,
  ROLES,
  SOURCE_KINDS,
  SPECIAL_CATEGORIES,
  TRANSFER_MECHANISMS,
  type Activity,
  type Register,
} from '../../src/register/schema.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/registers');

async function fixture(name: string): Promise<Register> {
  const { loaded, problems } = await loadRegister(path.join(FIXTURES, name));
  expect(problems).toEqual([]);
  return loaded!.register;
}

const summaryOf = (changes: RegisterChange[]) => changes.map((c) => ({ kind: c.kind, activity: c.activity, material: c.material }));

function base(): Register {
  return {
    organisation: { id: 'org', name: 'Org', default_language: 'en' },
    recipients: [
      { id: 'host', name: 'Host', kind: 'processor', country: 'FR' },
      { id: 'mailer', name: 'Mailer', kind: 'processor', country: 'US' },
    ],
    systems: [],
    activities: [
      {
        id: 'a',
        name: 'A',
        role: 'controller',
        purposes: [{ description: 'Sending orders', data_use: 'essential.service', legal_basis: 'contract' }],
        legal_bases: [{ basis: 'contract' }],
        data_categories: [{ category: 'user.name' }, { category: 'user.contact.email' }],
        recipients: ['host'],
        transfers: [{ recipient: 'mailer', country: 'US', mechanism: 'scc', scc_module: 2 }],
        retention: [
          { categories: ['user.name'], duration: 'P3Y', end_action: 'delete' },
          { categories: ['user.contact.email'], duration: 'P1Y', end_action: 'delete' },
        ],
      },
    ],
  };
}

/** A copy of `base()` with the first activity changed by `edit`. */
function edited(edit: (a: Activity, r: Register) => void): Register {
  const r = base();
  edit(r.activities[0]!, r);
  return r;
}

describe('diffRegisters on the fixture registers', () => {
  it('reports each material change of the newer register, grouped by activity', async () => {
    const before = await fixture('diff-before');
    const after = await fixture('diff-after');
    const diff = diffRegisters(before, after);
    expect(summaryOf(diff.changes)).toEqual([
      { kind: 'dpo_changed', activity: undefined, material: true },
      { kind: 'activity_removed', activity: 'analytics', material: true },
      { kind: 'purpose_added', activity: 'newsletter', material: true },
      { kind: 'legal_basis_added', activity: 'newsletter', material: true },
      { kind: 'recipient_added', activity: 'newsletter', material: true },
      { kind: 'transfer_added', activity: 'newsletter', material: true },
      { kind: 'retention_longer', activity: 'newsletter', material: true },
      { kind: 'wording_changed', activity: 'orders', material: false },
      { kind: 'data_category_added', activity: 'orders', material: true },
      { kind: 'activity_added', activity: 'recruitment', material: true },
    ]);
    expect(diff.materialCount).toBe(9);
    const retention = diff.changes.find((c) => c.kind === 'retention_longer')!;
    expect(retention.summary).toBe('The data of this activity is kept longer: P5Y instead of P3Y.');
    expect(retention.article).toBe('Art. 13(2)(a)');
    const recipient = diff.changes.find((c) => c.kind === 'recipient_added')!;
    expect(recipient.summary).toBe('New recipient "Mailer Inc." (processor, US).');
    expect(recipient.after).toBe('mailer');
  });

  it('finds nothing between a register and itself', async () => {
    const r = await fixture('diff-after');
    expect(diffRegisters(r, r)).toEqual({ changes: [], materialCount: 0 });
    expect(diffRegisters(r, structuredClone(r)).changes).toEqual([]);
  });

  it('presents the changes as text grouped by activity and as JSON', async () => {
    const diff = diffRegisters(await fixture('diff-before'), await fixture('diff-after'));
    const text = formatDiffText(diff, { before: 'HEAD~1:reg', after: 'HEAD:reg' });
    expect(text).toContain('Changes from HEAD~1:reg to HEAD:reg');
    expect(text).toMatch(/Activity newsletter\n {2}material {2}New purpose "Tailoring/);
    expect(text).toContain('9 material changes, 1 other change.');
    const json = JSON.parse(formatDiffJson(diff, { before: 'old', after: 'new' })) as { material_changes: number; changes: RegisterChange[] };
    expect(json.material_changes).toBe(9);
    expect(json.changes).toHaveLength(10);
    expect(formatDiffText({ changes: [], materialCount: 0 }, { before: 'a', after: 'b' })).toContain('No changes.');
  });
});

describe('diffRegisters, change by change', () => {
  it('compares retention per data category: longer is material, shorter is not', () => {
    const diff = diffRegisters(
      base(),
      edited((a) => {
        a.retention = [
          { categories: ['user.name'], duration: 'P5Y', end_action: 'delete' },
          { categories: ['user.contact.email'], duration: 'P6M', end_action: 'delete' },
        ];
      }),
    );
    expect(summaryOf(diff.changes)).toEqual([
      { kind: 'retention_shorter', activity: 'a', material: false },
      { kind: 'retention_longer', activity: 'a', material: true },
    ]);
    expect(diff.changes[1]!.summary).toBe('User.name is kept longer: P5Y instead of P3Y.');
  });

  it('reports a move from a duration to criteria only as a material "changed"', () => {
    const diff = diffRegisters(
      base(),
      edited((a) => {
        a.retention![0] = { categories: ['user.name'], criteria: 'As long as the account is active' };
      }),
    );
    expect(summaryOf(diff.changes)).toEqual([{ kind: 'retention_changed', activity: 'a', material: true }]);
  });

  it('treats a retention rule without categories as covering every category', () => {
    const before = edited((a) => {
      a.retention = [{ duration: 'P1Y' }];
    });
    const after = edited((a) => {
      a.retention = [{ duration: 'P1Y' }, { categories: ['user.name'], duration: 'P2Y' }];
    });
    expect(summaryOf(diffRegisters(before, after).changes)).toEqual([{ kind: 'retention_longer', activity: 'a', material: true }]);
  });

  it('matches purposes without an id by data use and description, and reports a changed legal basis', () => {
    const diff = diffRegisters(
      base(),
      edited((a) => {
        a.purposes![0]!.legal_basis = 'legitimate_interests';
        a.legal_bases = [{ basis: 'contract' }, { basis: 'legitimate_interests', interest: 'Efficiency' }];
      }),
    );
    expect(summaryOf(diff.changes)).toEqual([{ kind: 'legal_basis_changed', activity: 'a', material: true }]);
    expect(diff.changes[0]).toMatchObject({ before: 'contract', after: 'legitimate_interests', article: 'Art. 13(1)(c)' });
  });

  it('reports a reworded purpose without an id as a new purpose (the safe side)', () => {
    const diff = diffRegisters(
      base(),
      edited((a) => {
        a.purposes![0]!.description = 'Sending and tracking orders';
      }),
    );
    expect(summaryOf(diff.changes)).toEqual([
      { kind: 'purpose_added', activity: 'a', material: true },
      { kind: 'purpose_removed', activity: 'a', material: false },
    ]);
  });

  it('reports a reworded purpose with an id as wording only, and a new data use as a changed purpose', () => {
    const withId = edited((a) => {
      a.purposes![0]!.id = 'orders';
    });
    const reworded = structuredClone(withId);
    reworded.activities[0]!.purposes![0]!.description = 'Sending and tracking orders';
    expect(summaryOf(diffRegisters(withId, reworded).changes)).toEqual([{ kind: 'wording_changed', activity: 'a', material: false }]);
    const repurposed = structuredClone(withId);
    repurposed.activities[0]!.purposes![0]!.data_use = 'marketing.advertising';
    expect(summaryOf(diffRegisters(withId, repurposed).changes)).toEqual([{ kind: 'purpose_changed', activity: 'a', material: true }]);
  });

  it('reports a changed transfer mechanism and a transfer moved to another country', () => {
    const mechanism = diffRegisters(
      base(),
      edited((a) => {
        a.transfers = [{ recipient: 'mailer', country: 'US', mechanism: 'adequacy' }];
      }),
    );
    expect(summaryOf(mechanism.changes)).toEqual([{ kind: 'transfer_changed', activity: 'a', material: true }]);
    expect(mechanism.changes[0]!.summary).toBe(
      'The transfer to "Mailer" in US now relies on an adequacy decision instead of standard contractual clauses (module 2).',
    );
    const moved = diffRegisters(
      base(),
      edited((a) => {
        a.transfers = [{ recipient: 'mailer', country: 'IN', mechanism: 'scc', scc_module: 2 }];
      }),
    );
    expect(summaryOf(moved.changes)).toEqual([{ kind: 'transfer_changed', activity: 'a', material: true }]);
    const added = diffRegisters(
      base(),
      edited((a) => {
        a.transfers!.push({ country: 'CN', mechanism: 'scc', scc_module: 2 });
      }),
    );
    expect(summaryOf(added.changes)).toEqual([{ kind: 'transfer_added', activity: 'a', material: true }]);
  });

  it('reports a special category, new or newly flagged, under Art. 9', () => {
    const flagged = diffRegisters(
      base(),
      edited((a) => {
        a.data_categories![0]!.special_category = 'health';
      }),
    );
    expect(summaryOf(flagged.changes)).toEqual([{ kind: 'special_category_added', activity: 'a', material: true }]);
    expect(flagged.changes[0]!.article).toBe('Art. 9(1)');
    const criminal = diffRegisters(
      base(),
      edited((a) => {
        a.data_categories!.push({ category: 'user.criminal_history', criminal: true });
      }),
    );
    expect(criminal.changes[0]).toMatchObject({ kind: 'special_category_added', article: 'Art. 10' });
  });

  it('reports new data subjects, sources and automated decisions as material, their removal as not', () => {
    const after = edited((a) => {
      a.data_subjects = [{ category: 'prospect', label: 'Prospects' }];
      a.sources = [{ kind: 'third_party', explanation: 'Bought from a list broker' }];
      a.automated_decisions = [{ description: 'Credit scoring', legal_or_similar_effect: true }];
    });
    expect(summaryOf(diffRegisters(base(), after).changes)).toEqual([
      { kind: 'data_subject_added', activity: 'a', material: true },
      { kind: 'source_added', activity: 'a', material: true },
      { kind: 'automated_decision_added', activity: 'a', material: true },
    ]);
    expect(summaryOf(diffRegisters(after, base()).changes)).toEqual([
      { kind: 'data_subject_removed', activity: 'a', material: false },
      { kind: 'source_removed', activity: 'a', material: false },
      { kind: 'automated_decision_removed', activity: 'a', material: false },
    ]);
  });

  it('reports the controller, the DPO and the rights channels as material (WP260 para. 29)', () => {
    const after = base();
    after.organisation = {
      ...after.organisation,
      name: 'Org Holding',
      dpo: { email: 'dpo@org.example' },
      rights_channels: [{ kind: 'email', value: 'privacy@org.example' }],
    };
    const diff = diffRegisters(base(), after);
    expect(summaryOf(diff.changes)).toEqual([
      { kind: 'controller_changed', activity: undefined, material: true },
      { kind: 'dpo_changed', activity: undefined, material: true },
      { kind: 'rights_channels_changed', activity: undefined, material: true },
    ]);
    expect(diff.changes[0]!.summary).toBe('The controller changed from "Org" to "Org Holding".');
  });

  it('reports a recipient in use that moves to another country', () => {
    const after = base();
    after.recipients[0]!.country = 'US';
    expect(summaryOf(diffRegisters(base(), after).changes)).toEqual([{ kind: 'recipient_changed', activity: undefined, material: true }]);
    // A recipient no activity uses changes nothing people are told.
    const unused = base();
    unused.recipients[1]!.country = 'CA';
    expect(diffRegisters(base(), unused).changes).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

const idArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/);
const textArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0),
  fc.record({ en: fc.constantFrom('One', 'Two', 'Three'), fr: fc.constantFrom('Un', 'Deux') }),
);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const durationArb = fc.constantFrom('P1Y', 'P3Y', 'P6M', 'P30D', 'P13M');
const categoryArb = fc.constantFrom('user.name', 'user.contact.email', 'user.device.ip_address', 'user.financial', 'user.health_and_medical');

function activityArb(id: string, recipientIds: string[]): fc.Arbitrary<Activity> {
  return fc.record(
    {
      id: fc.constant(id),
      name: textArb,
      role: fc.constantFrom(...ROLES),
      sources: opt(fc.array(fc.record({ kind: fc.constantFrom(...SOURCE_KINDS), explanation: opt(textArb) }), { maxLength: 3 })),
      purposes: opt(
        fc.array(
          fc.record({
            id: opt(idArb),
            description: textArb,
            data_use: opt(fc.constantFrom('essential.service', 'marketing.communications.email', 'analytics.reporting')),
            legal_basis: opt(fc.constantFrom(...LEGAL_BASES)),
          }),
          { maxLength: 3 },
        ),
      ),
      legal_bases: opt(
        fc.uniqueArray(fc.record({ basis: fc.constantFrom(...LEGAL_BASES), interest: opt(textArb) }), { selector: (l) => l.basis, maxLength: 3 }),
      ),
      data_categories: opt(
        fc.uniqueArray(
          fc.record({ category: categoryArb, special_category: opt(fc.constantFrom(...SPECIAL_CATEGORIES)), criminal: opt(fc.boolean()) }),
          { selector: (c) => c.category, maxLength: 4 },
        ),
      ),
      data_subjects: opt(fc.array(fc.record({ category: opt(fc.constantFrom('customer', 'prospect', 'employee')), label: textArb }), { maxLength: 2 })),
      recipients: opt(fc.subarray(recipientIds)),
      transfers: opt(
        fc.array(
          fc.record({
            recipient: opt(fc.constantFrom(...recipientIds)),
            country: opt(fc.constantFrom('US', 'IN', 'CH')),
            mechanism: opt(fc.constantFrom(...TRANSFER_MECHANISMS)),
            derogation: opt(fc.constantFrom(...DEROGATIONS)),
          }),
          { maxLength: 2 },
        ),
      ),
      retention: opt(
        fc.array(
          fc.record({ categories: opt(fc.uniqueArray(categoryArb, { minLength: 1, maxLength: 2 })), duration: opt(durationArb), criteria: opt(textArb) }),
          { maxLength: 3 },
        ),
      ),
      automated_decisions: opt(fc.array(fc.record({ description: textArb, legal_or_similar_effect: fc.boolean() }), { maxLength: 1 })),
    },
    { requiredKeys: ['id', 'name', 'role'] },
  );
}

const registerArb: fc.Arbitrary<Register> = fc
  .record({
    recipientIds: fc.uniqueArray(idArb, { minLength: 1, maxLength: 5 }),
    activityIds: fc.uniqueArray(idArb, { minLength: 1, maxLength: 5 }),
  })
  .chain(({ recipientIds, activityIds }) =>
    fc.record({
      organisation: fc.record({ id: fc.constant('org'), name: textArb.map((t) => (typeof t === 'string' ? t : t.en)), default_language: fc.constant('en' as const) }),
      recipients: fc.tuple(
        ...recipientIds.map((id) =>
          fc.record({ id: fc.constant(id), name: textArb, kind: fc.constantFrom('processor' as const, 'third_party' as const), country: opt(fc.constantFrom('FR', 'US')) }),
        ),
      ),
      systems: fc.constant([]),
      activities: fc.tuple(...activityIds.sort().map((id) => activityArb(id, recipientIds))),
    }),
  );

describe('diffRegisters properties', () => {
  it('finds no change between a register and a copy of itself', () => {
    fc.assert(
      fc.property(registerArb, (r) => {
        expect(diffRegisters(r, structuredClone(r)).changes).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('reports exactly one material change when a recipient is added to one activity', () => {
    fc.assert(
      fc.property(registerArb, fc.nat(), fc.nat(), (r, activityPick, recipientPick) => {
        const after = structuredClone(r);
        const activity = after.activities[activityPick % after.activities.length]!;
        const unused = after.recipients.map((x) => x.id).filter((id) => !(activity.recipients ?? []).includes(id));
        let added = unused[recipientPick % Math.max(unused.length, 1)];
        if (added === undefined) {
          added = 'new-recipient';
          after.recipients.push({ id: added, name: 'New recipient', kind: 'processor' });
        }
        activity.recipients = [...(activity.recipients ?? []), added];
        const diff = diffRegisters(r, after);
        expect(diff.changes.map((c) => [c.kind, c.activity, c.material, c.after])).toEqual([['recipient_added', activity.id, true, added]]);
        expect(diff.materialCount).toBe(1);
      }),
      { numRuns: 200 },
    );
  });
});
