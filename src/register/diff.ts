/**
 * What changed between two versions of a register, sorted into the changes people must be
 * told about and the rest.
 *
 * Art. 13(3) and 14(4): processing for a new purpose needs information before it starts.
 * EDPB/WP29 Guidelines on transparency (WP260 rev.01, para. 29-33): a change of purpose, of the
 * controller's identity, or of how people exercise their rights must always be communicated;
 * so must any change that the person would not reasonably expect (a new recipient, a transfer,
 * longer retention, new categories of data). Rewording is not a material change.
 *
 * Pure: two Registers in, a list of changes out. Matching rules:
 * - activities by id;
 * - purposes by id, otherwise by data use + description (a reworded purpose without an id is
 *   reported as a new purpose: over-reporting is the safe side for transparency);
 * - retention by data category (a rule without categories covers the whole activity);
 * - transfers by recipient + country (a known recipient moving country is a changed transfer);
 * - data categories by fideslang code, data subjects by code or label, sources by kind.
 */
import { durationInDays } from '../reference/cnil.js';
import type {
  Activity,
  DataCategory,
  LegalBasisCode,
  LocalisedText,
  Organisation,
  Purpose,
  Recipient,
  Register,
  Retention,
  Transfer,
} from './schema.js';

export type ChangeKind =
  | 'controller_changed'
  | 'dpo_changed'
  | 'representative_changed'
  | 'rights_channels_changed'
  | 'supervisory_authority_changed'
  | 'recipient_changed'
  | 'activity_added'
  | 'activity_removed'
  | 'role_changed'
  | 'joint_controller_added'
  | 'purpose_added'
  | 'purpose_changed'
  | 'purpose_removed'
  | 'legal_basis_added'
  | 'legal_basis_changed'
  | 'withdrawal_method_changed'
  | 'legitimate_interest_changed'
  | 'recipient_added'
  | 'recipient_removed'
  | 'transfer_added'
  | 'transfer_changed'
  | 'transfer_removed'
  | 'retention_longer'
  | 'retention_changed'
  | 'retention_shorter'
  | 'retention_stated'
  | 'data_category_added'
  | 'special_category_added'
  | 'data_category_removed'
  | 'data_subject_added'
  | 'data_subject_removed'
  | 'source_added'
  | 'source_changed'
  | 'source_removed'
  | 'automated_decision_added'
  | 'automated_decision_changed'
  | 'automated_decision_removed'
  | 'operation_added'
  | 'provision_changed'
  | 'wording_changed';

export interface RegisterChange {
  kind: ChangeKind;
  /** True when people must be told before the change applies (Art. 13(3), 14(4), WP260 para. 29). */
  material: boolean;
  /** The activity id, absent for register-wide changes (organisation, recipient definitions). */
  activity?: string;
  /** One sentence, in English. */
  summary: string;
  before?: unknown;
  after?: unknown;
  /** The GDPR article that makes the change matter. */
  article: string;
}

export interface RegisterDiff {
  changes: RegisterChange[];
  /** How many of the changes are material. */
  materialCount: number;
}

export function diffRegisters(before: Register, after: Register): RegisterDiff {
  const changes: RegisterChange[] = [];
  const push = (c: RegisterChange) => changes.push(c);

  diffOrganisation(before.organisation, after.organisation, push);
  diffRecipientDefinitions(before, after, push);

  const beforeById = new Map(before.activities.map((a) => [a.id, a]));
  const afterById = new Map(after.activities.map((a) => [a.id, a]));
  const ids = [...new Set([...beforeById.keys(), ...afterById.keys()])].sort();
  for (const id of ids) {
    const b = beforeById.get(id);
    const a = afterById.get(id);
    if (!b && a) {
      push({
        kind: 'activity_added',
        material: true,
        activity: id,
        summary: `New processing activity "${text(a.name)}".`,
        after: a.id,
        article: 'Art. 13(1), 14(1)',
      });
    } else if (b && !a) {
      push({
        kind: 'activity_removed',
        material: true,
        activity: id,
        summary: `The processing activity "${text(b.name)}" was removed.`,
        before: b.id,
        article: 'Art. 30(1)',
      });
    } else if (b && a) {
      diffActivity(b, a, { before, after }, push);
    }
  }
  return { changes, materialCount: changes.filter((c) => c.material).length };
}

// ---------------------------------------------------------------------------
// Organisation and recipient definitions
// ---------------------------------------------------------------------------

type Push = (c: RegisterChange) => void;

function diffOrganisation(b: Organisation, a: Organisation, push: Push): void {
  const identity = (o: Organisation) => ({
    name: o.name,
    legal_form: o.legal_form,
    registration: o.registration,
    address: o.address,
    contact: o.contact,
  });
  // Art. 13(1)(a): who the controller is and how to reach them.
  if (!same(identity(b), identity(a))) {
    push({
      kind: 'controller_changed',
      material: true,
      summary: b.name === a.name ? `The controller's identity or contact details changed.` : `The controller changed from "${b.name}" to "${a.name}".`,
      before: identity(b),
      after: identity(a),
      article: 'Art. 13(1)(a)',
    });
  }
  if (!same(b.dpo, a.dpo)) {
    push({
      kind: 'dpo_changed',
      material: true,
      summary: a.dpo ? (b.dpo ? `The DPO contact details changed.` : `A DPO is now named.`) : `The DPO is no longer named.`,
      before: b.dpo,
      after: a.dpo,
      article: 'Art. 13(1)(b)',
    });
  }
  if (!same(b.representative, a.representative)) {
    push({
      kind: 'representative_changed',
      material: true,
      summary: `The representative in the Union changed.`,
      before: b.representative,
      after: a.representative,
      article: 'Art. 13(1)(a), 27',
    });
  }
  // WP260 para. 29: a change in how people exercise their rights must always be communicated.
  if (!same(b.rights_channels, a.rights_channels)) {
    push({
      kind: 'rights_channels_changed',
      material: true,
      summary: `The ways to exercise data subject rights changed.`,
      before: b.rights_channels,
      after: a.rights_channels,
      article: 'Art. 12(2)',
    });
  }
  if (!same(b.supervisory_authority, a.supervisory_authority)) {
    push({
      kind: 'supervisory_authority_changed',
      material: false,
      summary: `The supervisory authority named for complaints changed.`,
      before: b.supervisory_authority,
      after: a.supervisory_authority,
      article: 'Art. 13(2)(d)',
    });
  }
  // The register-wide retention statement is the retention information where activities give none.
  if (!same(b.statements?.retention, a.statements?.retention)) {
    push({
      kind: 'retention_changed',
      material: true,
      summary: `The general statement on retention periods changed.`,
      before: b.statements?.retention,
      after: a.statements?.retention,
      article: 'Art. 13(2)(a)',
    });
  }
  if (!same(b.statements?.transfers, a.statements?.transfers)) {
    push({
      kind: 'transfer_changed',
      material: true,
      summary: `The general statement on transfers outside the EEA changed.`,
      before: b.statements?.transfers,
      after: a.statements?.transfers,
      article: 'Art. 13(1)(f)',
    });
  }
  const wording = (o: Organisation) => ({ ...o.statements, retention: undefined, transfers: undefined, cookie_policy_url: o.cookie_policy_url });
  if (!same(wording(b), wording(a))) {
    push({
      kind: 'wording_changed',
      material: false,
      summary: `The register-wide statements of the notice were reworded.`,
      article: 'Art. 12(1)',
    });
  }
}

/** A recipient already in use that changes name, kind or country is, to the person, a different recipient. */
function diffRecipientDefinitions(before: Register, after: Register, push: Push): void {
  const inUse = new Set(after.activities.flatMap((a) => a.recipients ?? []));
  const beforeById = new Map(before.recipients.map((r) => [r.id, r]));
  for (const a of [...after.recipients].sort((x, y) => x.id.localeCompare(y.id))) {
    const b = beforeById.get(a.id);
    if (!b || !inUse.has(a.id)) continue;
    const essence = (r: Recipient) => ({ name: r.name, kind: r.kind, country: r.country, dpf_certified: r.dpf_certified });
    if (same(essence(b), essence(a))) continue;
    const what: string[] = [];
    if (!same(b.name, a.name)) what.push('name');
    if (b.kind !== a.kind) what.push(`kind (${b.kind} → ${a.kind})`);
    if (b.country !== a.country) what.push(`country (${b.country ?? 'none'} → ${a.country ?? 'none'})`);
    if (b.dpf_certified !== a.dpf_certified) what.push('Data Privacy Framework certification');
    push({
      kind: 'recipient_changed',
      material: true,
      summary: `The recipient "${text(a.name)}" changed its ${what.join(', ')}.`,
      before: essence(b),
      after: essence(a),
      article: 'Art. 13(1)(e)-(f)',
    });
  }
}

// ---------------------------------------------------------------------------
// One activity
// ---------------------------------------------------------------------------

interface Registers {
  before: Register;
  after: Register;
}

function diffActivity(b: Activity, a: Activity, regs: Registers, push: Push): void {
  const activity = a.id;
  const add = (c: Omit<RegisterChange, 'activity'>) => push({ ...c, activity });

  if (!same(b.name, a.name) || !same(b.description, a.description)) {
    add({ kind: 'wording_changed', material: false, summary: `The name or description of the activity was reworded.`, before: b.name, after: a.name, article: 'Art. 12(1)' });
  }
  if (b.role !== a.role) {
    add({ kind: 'role_changed', material: true, summary: `The organisation's role changed from ${words(b.role)} to ${words(a.role)}.`, before: b.role, after: a.role, article: 'Art. 26, 28, 30' });
  }
  for (const jc of a.joint_controllers ?? []) {
    if (!(b.joint_controllers ?? []).some((x) => x.name === jc.name)) {
      add({ kind: 'joint_controller_added', material: true, summary: `New joint controller "${jc.name}".`, after: jc.name, article: 'Art. 26(2)' });
    }
  }

  const basesReported = diffPurposes(b, a, add);
  diffLegalBases(b, a, basesReported, add);
  diffRecipients(b, a, regs, add);
  diffTransfers(b, a, regs, add);
  diffRetention(b, a, add);
  diffDataCategories(b, a, add);
  diffDataSubjects(b, a, add);
  diffSources(b, a, add);
  diffAutomatedDecisions(b, a, add);

  const newOps = (a.operations ?? []).filter((o) => !(b.operations ?? []).includes(o));
  if (newOps.length > 0) {
    add({ kind: 'operation_added', material: false, summary: `New processing operations: ${newOps.map(words).join(', ')}.`, after: newOps, article: 'Art. 4(2)' });
  }
  if (!same(b.provision, a.provision)) {
    add({ kind: 'provision_changed', material: false, summary: `Whether providing the data is required, or the consequences of not providing it, changed.`, before: b.provision, after: a.provision, article: 'Art. 13(2)(e)' });
  }
}

type Add = (c: Omit<RegisterChange, 'activity'>) => void;

/** The basis a purpose relies on: its own, or the activity's only one. */
function basisOf(p: Purpose, activity: Activity): LegalBasisCode | undefined {
  if (p.legal_basis) return p.legal_basis;
  const bases = activity.legal_bases ?? [];
  return bases.length === 1 ? bases[0]!.basis : undefined;
}

const purposeText = (p: Purpose) => `${p.data_use ?? ''}\u0000${canonical(p.description)}`;

/** Reports purpose changes; returns the legal bases already reported with a purpose. */
function diffPurposes(b: Activity, a: Activity, add: Add): Set<LegalBasisCode> {
  const reported = new Set<LegalBasisCode>();
  const pairs = pair(
    b.purposes ?? [],
    a.purposes ?? [],
    (x, y) => x.id !== undefined && x.id === y.id,
    (x, y) => purposeText(x) === purposeText(y),
  );
  for (const p of pairs.added) {
    add({
      kind: 'purpose_added',
      material: true,
      summary: `New purpose "${short(text(p.description))}"${p.data_use ? ` (${p.data_use})` : ''}.`,
      after: p,
      article: 'Art. 13(3), 14(4)',
    });
  }
  for (const [pb, pa] of pairs.matched) {
    if (pb.data_use !== pa.data_use) {
      // Art. 13(3): a different data use is a different purpose, even under the same id.
      add({
        kind: 'purpose_changed',
        material: true,
        summary: `The purpose "${short(text(pa.description))}" changed its use from ${pb.data_use ?? 'unstated'} to ${pa.data_use ?? 'unstated'}.`,
        before: pb.data_use,
        after: pa.data_use,
        article: 'Art. 13(3), 14(4)',
      });
    } else if (!same(pb.description, pa.description)) {
      add({ kind: 'wording_changed', material: false, summary: `The purpose "${short(text(pa.description))}" was reworded.`, before: pb.description, after: pa.description, article: 'Art. 12(1)' });
    }
    const bb = basisOf(pb, b);
    const ba = basisOf(pa, a);
    if (ba !== undefined && bb !== ba) {
      reported.add(ba);
      add({
        kind: bb === undefined ? 'legal_basis_added' : 'legal_basis_changed',
        material: true,
        summary:
          bb === undefined
            ? `The purpose "${short(text(pa.description))}" now relies on ${words(ba)}.`
            : `The purpose "${short(text(pa.description))}" now relies on ${words(ba)} instead of ${words(bb)}.`,
        before: bb,
        after: ba,
        article: 'Art. 13(1)(c)',
      });
    }
  }
  for (const p of pairs.removed) {
    add({ kind: 'purpose_removed', material: false, summary: `The purpose "${short(text(p.description))}" was removed.`, before: p, article: 'Art. 30(1)(b)' });
  }
  return reported;
}

function diffLegalBases(b: Activity, a: Activity, reportedWithPurpose: Set<LegalBasisCode>, add: Add): void {
  const beforeBases = new Map((b.legal_bases ?? []).map((l) => [l.basis, l]));
  for (const l of a.legal_bases ?? []) {
    const prev = beforeBases.get(l.basis);
    if (!prev) {
      // A basis a purpose newly relies on was reported with that purpose.
      if (reportedWithPurpose.has(l.basis)) continue;
      add({ kind: 'legal_basis_added', material: true, summary: `The activity now relies on ${words(l.basis)}.`, after: l.basis, article: 'Art. 13(1)(c)' });
      continue;
    }
    // Art. 7(3), WP260 para. 29: how consent is withdrawn is how people exercise a right.
    if (!same(prev.withdrawal_method, l.withdrawal_method)) {
      add({ kind: 'withdrawal_method_changed', material: true, summary: `The way to withdraw consent changed.`, before: prev.withdrawal_method, after: l.withdrawal_method, article: 'Art. 7(3), 13(2)(c)' });
    }
    if (!same(prev.interest, l.interest)) {
      add({ kind: 'legitimate_interest_changed', material: false, summary: `The statement of the legitimate interest pursued changed.`, before: prev.interest, after: l.interest, article: 'Art. 13(1)(d)' });
    }
  }
}

function diffRecipients(b: Activity, a: Activity, regs: Registers, add: Add): void {
  const beforeIds = new Set(b.recipients ?? []);
  const afterIds = new Set(a.recipients ?? []);
  for (const id of a.recipients ?? []) {
    if (beforeIds.has(id)) continue;
    const r = regs.after.recipients.find((x) => x.id === id);
    add({
      kind: 'recipient_added',
      material: true,
      summary: `New recipient "${r ? text(r.name) : id}"${r ? ` (${words(r.kind)}${r.country ? `, ${r.country}` : ''})` : ''}.`,
      after: id,
      article: 'Art. 13(1)(e)',
    });
  }
  for (const id of b.recipients ?? []) {
    if (afterIds.has(id)) continue;
    const r = regs.before.recipients.find((x) => x.id === id);
    add({ kind: 'recipient_removed', material: false, summary: `The recipient "${r ? text(r.name) : id}" no longer receives the data.`, before: id, article: 'Art. 30(1)(d)' });
  }
}

function diffTransfers(b: Activity, a: Activity, regs: Registers, add: Add): void {
  const place = (t: Transfer) => `${t.recipient ?? ''}|${t.country ?? ''}|${t.international_organisation ?? ''}`;
  const pairs = pair(
    b.transfers ?? [],
    a.transfers ?? [],
    (x, y) => place(x) === place(y),
    (x, y) => x.recipient !== undefined && x.recipient === y.recipient,
  );
  const describe = (t: Transfer, reg: Register) => {
    const r = t.recipient ? reg.recipients.find((x) => x.id === t.recipient) : undefined;
    const who = r ? `"${text(r.name)}"` : t.recipient ? `"${t.recipient}"` : 'an unnamed recipient';
    const where = t.country ?? t.international_organisation ?? 'an unstated country';
    return `${who} in ${where}`;
  };
  const mechanism = (t: Transfer) =>
    t.mechanism === undefined
      ? 'no stated safeguard'
      : `${MECHANISM_WORDS[t.mechanism]}${t.scc_module ? ` (module ${t.scc_module})` : ''}${t.derogation ? ` (${words(t.derogation)})` : ''}`;
  for (const t of pairs.added) {
    add({ kind: 'transfer_added', material: true, summary: `New transfer outside the EEA to ${describe(t, regs.after)} under ${mechanism(t)}.`, after: t, article: 'Art. 13(1)(f)' });
  }
  for (const [tb, ta] of pairs.matched) {
    const essence = (t: Transfer) => ({ place: place(t), mechanism: t.mechanism, scc_module: t.scc_module, derogation: t.derogation });
    if (!same(essence(tb), essence(ta))) {
      const moved = place(tb) !== place(ta);
      add({
        kind: 'transfer_changed',
        material: true,
        summary: moved
          ? `The transfer to ${describe(tb, regs.before)} now goes to ${ta.country ?? ta.international_organisation ?? 'an unstated country'} under ${mechanism(ta)}.`
          : `The transfer to ${describe(ta, regs.after)} now relies on ${mechanism(ta)} instead of ${mechanism(tb)}.`,
        before: tb,
        after: ta,
        article: 'Art. 13(1)(f)',
      });
    } else if (!same(tb, ta)) {
      add({ kind: 'wording_changed', material: false, summary: `The safeguards text or documentation link of the transfer to ${describe(ta, regs.after)} changed.`, before: tb, after: ta, article: 'Art. 13(1)(f)' });
    }
  }
  for (const t of pairs.removed) {
    add({ kind: 'transfer_removed', material: false, summary: `The transfer to ${describe(t, regs.before)} was removed.`, before: t, article: 'Art. 30(1)(e)' });
  }
}

/** Retention rules by the data category they cover; '*' is a rule for the whole activity. */
function retentionByCategory(a: Activity): Map<string, Retention> {
  const map = new Map<string, Retention>();
  for (const r of a.retention ?? []) {
    for (const c of r.categories ?? ['*']) if (!map.has(c)) map.set(c, r);
  }
  return map;
}

function diffRetention(b: Activity, a: Activity, add: Add): void {
  const rb = retentionByCategory(b);
  const ra = retentionByCategory(a);
  const keys = [...new Set([...rb.keys(), ...ra.keys()])].sort((x, y) => (x === '*' ? -1 : y === '*' ? 1 : x.localeCompare(y)));
  for (const key of keys) {
    const before = rb.get(key) ?? (key === '*' ? undefined : rb.get('*'));
    const after = ra.get(key) ?? (key === '*' ? undefined : ra.get('*'));
    const data = key === '*' ? 'the data of this activity' : key;
    const essence = (r: Retention | undefined) => (r ? { ...r, categories: undefined } : undefined);
    if (same(essence(before), essence(after))) continue;
    if (!before && after) {
      add({ kind: 'retention_stated', material: false, summary: `A retention period is now stated for ${data}${after.duration ? ` (${after.duration})` : ''}.`, after: essence(after), article: 'Art. 13(2)(a)' });
      continue;
    }
    if (before && !after) {
      add({ kind: 'retention_changed', material: true, summary: `No retention period is stated any more for ${data}.`, before: essence(before), article: 'Art. 13(2)(a)' });
      continue;
    }
    if (!before || !after) continue;
    const db = before.duration ? durationInDays(before.duration) : undefined;
    const da = after.duration ? durationInDays(after.duration) : undefined;
    if (db !== undefined && da !== undefined && da > db) {
      add({ kind: 'retention_longer', material: true, summary: `${capitalise(data)} is kept longer: ${after.duration} instead of ${before.duration}.`, before: essence(before), after: essence(after), article: 'Art. 13(2)(a)' });
    } else if (db !== undefined && da !== undefined && da < db) {
      add({ kind: 'retention_shorter', material: false, summary: `${capitalise(data)} is kept for less time: ${after.duration} instead of ${before.duration}.`, before: essence(before), after: essence(after), article: 'Art. 13(2)(a)' });
    } else {
      // Same duration but another starting event or end action, or criteria only: the period
      // may be longer, and only a person can tell, so it is reported.
      add({ kind: 'retention_changed', material: true, summary: `The retention rule for ${data} changed.`, before: essence(before), after: essence(after), article: 'Art. 13(2)(a)' });
    }
  }
}

function specialOf(c: DataCategory): string | undefined {
  return c.special_category ?? (c.criminal ? 'criminal' : undefined);
}

function diffDataCategories(b: Activity, a: Activity, add: Add): void {
  const before = new Map((b.data_categories ?? []).map((c) => [c.category, c]));
  const afterCodes = new Set((a.data_categories ?? []).map((c) => c.category));
  for (const c of a.data_categories ?? []) {
    const prev = before.get(c.category);
    const special = specialOf(c);
    const label = c.label ? `"${text(c.label)}" (${c.category})` : c.category;
    if (special && (!prev || specialOf(prev) !== special)) {
      add({
        kind: 'special_category_added',
        material: true,
        summary: special === 'criminal' ? `Data relating to criminal convictions and offences is now processed: ${label}.` : `Special-category data (${words(special)}) is now processed: ${label}.`,
        before: prev,
        after: c,
        article: special === 'criminal' ? 'Art. 10' : 'Art. 9(1)',
      });
    } else if (!prev) {
      add({ kind: 'data_category_added', material: true, summary: `New category of personal data: ${label}.`, after: c, article: 'Art. 14(1)(d), 30(1)(c)' });
    }
  }
  for (const c of b.data_categories ?? []) {
    if (!afterCodes.has(c.category)) {
      add({ kind: 'data_category_removed', material: false, summary: `The category of personal data ${c.category} is no longer processed.`, before: c, article: 'Art. 30(1)(c)' });
    }
  }
}

function diffDataSubjects(b: Activity, a: Activity, add: Add): void {
  const key = (s: { category?: string; label: LocalisedText }) => s.category ?? `label:${canonical(s.label)}`;
  const beforeKeys = new Set((b.data_subjects ?? []).map(key));
  const afterKeys = new Set((a.data_subjects ?? []).map(key));
  for (const s of a.data_subjects ?? []) {
    if (!beforeKeys.has(key(s))) {
      add({ kind: 'data_subject_added', material: true, summary: `New category of data subjects: "${text(s.label)}".`, after: s, article: 'Art. 30(1)(c)' });
    }
  }
  for (const s of b.data_subjects ?? []) {
    if (!afterKeys.has(key(s))) {
      add({ kind: 'data_subject_removed', material: false, summary: `The data subjects "${text(s.label)}" are no longer concerned.`, before: s, article: 'Art. 30(1)(c)' });
    }
  }
}

function diffSources(b: Activity, a: Activity, add: Add): void {
  const pairs = pair(
    b.sources ?? [],
    a.sources ?? [],
    (x, y) => x.kind === y.kind && same(x.explanation, y.explanation),
    (x, y) => x.kind === y.kind,
  );
  const describe = (s: { kind: string; explanation?: LocalisedText }) => `${words(s.kind)}${s.explanation ? ` ("${short(text(s.explanation))}")` : ''}`;
  for (const s of pairs.added) {
    add({ kind: 'source_added', material: true, summary: `New source of the data: ${describe(s)}.`, after: s, article: 'Art. 14(2)(f)' });
  }
  for (const [sb, sa] of pairs.matched) {
    if (!same(sb, sa)) {
      add({ kind: 'source_changed', material: true, summary: `The source of the data changed: ${describe(sa)}.`, before: sb, after: sa, article: 'Art. 14(2)(f)' });
    }
  }
  for (const s of pairs.removed) {
    add({ kind: 'source_removed', material: false, summary: `The data no longer comes from ${describe(s)}.`, before: s, article: 'Art. 14(2)(f)' });
  }
}

function diffAutomatedDecisions(b: Activity, a: Activity, add: Add): void {
  const pairs = pair(b.automated_decisions ?? [], a.automated_decisions ?? [], (x, y) => same(x.description, y.description));
  for (const d of pairs.added) {
    add({
      kind: 'automated_decision_added',
      material: true,
      summary: `New automated decision "${short(text(d.description))}"${d.legal_or_similar_effect ? ' with legal or similarly significant effect' : ''}.`,
      after: d,
      article: 'Art. 13(2)(f), 22',
    });
  }
  for (const [db, da] of pairs.matched) {
    if (!same(db, da)) {
      add({ kind: 'automated_decision_changed', material: true, summary: `The automated decision "${short(text(da.description))}" changed (logic, effect or safeguards).`, before: db, after: da, article: 'Art. 13(2)(f), 22' });
    }
  }
  for (const d of pairs.removed) {
    add({ kind: 'automated_decision_removed', material: false, summary: `The automated decision "${short(text(d.description))}" was removed.`, before: d, article: 'Art. 22' });
  }
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/**
 * Pairs the items of two lists: first by `exact`, then the leftovers by `loose` (one to one,
 * in order). What is left is added (only after) or removed (only before).
 */
function pair<T>(
  before: readonly T[],
  after: readonly T[],
  exact: (b: T, a: T) => boolean,
  loose?: (b: T, a: T) => boolean,
): { matched: [T, T][]; added: T[]; removed: T[] } {
  const leftBefore = [...before];
  const leftAfter: T[] = [];
  const matched: [T, T][] = [];
  for (const a of after) {
    const i = leftBefore.findIndex((b) => exact(b, a));
    if (i >= 0) matched.push([leftBefore.splice(i, 1)[0]!, a]);
    else leftAfter.push(a);
  }
  const added: T[] = [];
  for (const a of leftAfter) {
    const i = loose ? leftBefore.findIndex((b) => loose(b, a)) : -1;
    if (i >= 0) matched.push([leftBefore.splice(i, 1)[0]!, a]);
    else added.push(a);
  }
  return { matched, added, removed: leftBefore };
}

/** Deep equality that ignores key order and undefined members (YAML and clones alike). */
function same(x: unknown, y: unknown): boolean {
  return canonical(x) === canonical(y);
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .filter((k) => o[k] !== undefined)
          .sort()
          .map((k) => [k, o[k]]),
      );
    }
    return value;
  }) ?? 'undefined';
}

/** The English text when there is one (summaries are in English), otherwise the first given. */
function text(t: LocalisedText): string {
  if (typeof t === 'string') return t;
  return t.en ?? Object.values(t).find((v): v is string => typeof v === 'string') ?? '';
}

function short(s: string, max = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1).trimEnd()}…`;
}

const MECHANISM_WORDS: Record<NonNullable<Transfer['mechanism']>, string> = {
  adequacy: 'an adequacy decision',
  scc: 'standard contractual clauses',
  authority_clauses: 'clauses adopted by a supervisory authority',
  bcr: 'binding corporate rules',
  code_of_conduct: 'an approved code of conduct',
  certification: 'an approved certification',
  ad_hoc_clauses: 'authorised contractual clauses',
  derogation: 'a derogation',
};

const words = (code: string) => code.replace(/_/g, ' ');
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
