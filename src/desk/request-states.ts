/**
 * The life of a request at the desk: one state machine with named transitions. Each transition says
 * from which states it may be taken and what it needs; `decide` answers "allowed, to this state" or
 * "refused, for this reason", and a request's history is the list of the transitions it took
 * (`replay` checks that list from the start, as an audit would). Pure: the clock and the actor are
 * given, nothing is read or written here.
 *
 * The states follow the obligations of Art. 12: the identity is confirmed before anything is done,
 * only on reasonable doubt and for every identity the request names (Art. 12(6), EDPB Guidelines
 * 01/2022); a request manifestly unfounded or excessive may cost a reasonable fee (Art. 12(5)(a)); a
 * refusal states its reasons and the right to complain and to a judicial remedy (Art. 12(4)); an
 * extension is told, with its reasons, within the first month (Art. 12(3)).
 */
import { answerDeadline, type IdentityWait } from './deadline.js';

export const REQUEST_STATES = [
  /** Submitted; nothing checked yet. */
  'received',
  /** The controller asked for information to confirm the identity (a code sent, or a step-up): its clock waits. */
  'awaiting_identity',
  /** Every identity the request names is confirmed: for staff to decide. */
  'verified',
  /** A reasonable fee was asked for a manifestly unfounded or excessive request (Art. 12(5)(a)). */
  'awaiting_fee',
  /** Approved: waiting for the engine (or, for a contested automated decision, for the human review). */
  'approved',
  /** The engine is running it. */
  'in_progress',
  /** The engine's run failed (a database down): retried, never lost. */
  'failed',
  'completed',
  'refused',
  /** The person withdrew the request. */
  'withdrawn',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** States a request never leaves. */
export const FINAL_STATES: ReadonlySet<RequestState> = new Set(['completed', 'refused', 'withdrawn']);
const OPEN: readonly RequestState[] = REQUEST_STATES.filter((s) => !FINAL_STATES.has(s));

/** What each transition needs beyond its name. */
export type TransitionInput =
  | { name: 'request_identity' }
  | { name: 'verify_identity' }
  | { name: 'charge_fee'; grounds: string; amountCents: number }
  | { name: 'receive_fee' }
  | { name: 'approve' }
  | { name: 'refuse'; reasons: readonly string[] }
  | { name: 'start' }
  | { name: 'complete' }
  | { name: 'fail'; errorCode: string }
  | { name: 'retry' }
  | { name: 'extend'; months: number; reasons: readonly string[] }
  | { name: 'withdraw' };
export type TransitionName = TransitionInput['name'];

/** From which states each transition may be taken, and the state it leads to (`same`: it stays). */
export const TRANSITIONS: Readonly<Record<TransitionName, { from: readonly RequestState[]; to: RequestState | 'same' }>> = {
  // From `verified` too: step-up when a doubt appears later (the data asked for is sensitive).
  request_identity: { from: ['received', 'verified'], to: 'awaiting_identity' },
  verify_identity: { from: ['received', 'awaiting_identity'], to: 'verified' },
  charge_fee: { from: ['verified'], to: 'awaiting_fee' },
  receive_fee: { from: ['awaiting_fee'], to: 'verified' },
  approve: { from: ['verified'], to: 'approved' },
  refuse: { from: ['received', 'awaiting_identity', 'verified', 'awaiting_fee'], to: 'refused' },
  start: { from: ['approved'], to: 'in_progress' },
  complete: { from: ['in_progress'], to: 'completed' },
  fail: { from: ['in_progress'], to: 'failed' },
  retry: { from: ['failed'], to: 'approved' },
  extend: { from: OPEN, to: 'same' },
  // Not while the engine writes: its run ends first (an erasure half-done is not undone by a withdrawal).
  withdraw: { from: OPEN.filter((s) => s !== 'in_progress'), to: 'withdrawn' },
};

/** What the desk knows of a request when a transition is asked. */
export interface RequestFacts {
  state: RequestState;
  /** The day the request was received (YYYY-MM-DD), the organisation's country, and today. */
  receivedOn: string;
  country: string;
  today: string;
  /** Further months already granted (Art. 12(3)). */
  extensionMonths: number;
  identityWaits: readonly IdentityWait[];
  /** Identities the request names that are not confirmed yet: all of them are, or none counts (never one verified and another trusted). */
  unverifiedIdentities: number;
}

export type Decision = { allowed: true; to: RequestState } | { allowed: false; reason: string };

const STATE_WORDS: Record<RequestState, string> = {
  received: 'received',
  awaiting_identity: 'waiting for identity information',
  verified: 'verified',
  awaiting_fee: 'waiting for a fee',
  approved: 'approved',
  in_progress: 'in progress',
  failed: 'failed',
  completed: 'completed',
  refused: 'refused',
  withdrawn: 'withdrawn',
};

export function decide(facts: RequestFacts, input: TransitionInput): Decision {
  const rule = TRANSITIONS[input.name];
  if (!rule.from.includes(facts.state)) {
    return {
      allowed: false,
      reason: FINAL_STATES.has(facts.state)
        ? `the request is ${STATE_WORDS[facts.state]}: nothing more can be done with it`
        : `${input.name.replace('_', ' ')} is not possible on a request that is ${STATE_WORDS[facts.state]} (possible from: ${rule.from.map((s) => STATE_WORDS[s]).join(', ')})`,
    };
  }
  const refused = needs(facts, input);
  if (refused !== undefined) return { allowed: false, reason: refused };
  return { allowed: true, to: rule.to === 'same' ? facts.state : rule.to };
}

/** What a transition needs beyond its starting state; the reason it is refused, or undefined. */
function needs(facts: RequestFacts, input: TransitionInput): string | undefined {
  switch (input.name) {
    case 'verify_identity':
      return facts.unverifiedIdentities > 0
        ? `${facts.unverifiedIdentities} of the identities the request names ${facts.unverifiedIdentities === 1 ? 'is' : 'are'} not confirmed: every one is, before the request goes on (Art. 12(6))`
        : undefined;
    case 'refuse':
      return input.reasons.some((r) => r.trim().length > 0) ? undefined : 'a refusal states its reasons (Art. 12(4)): give at least one';
    case 'charge_fee':
      if (input.grounds.trim().length === 0) return 'a fee needs the grounds that make the request manifestly unfounded or excessive: the controller bears the burden of proof (Art. 12(5))';
      return Number.isInteger(input.amountCents) && input.amountCents > 0 ? undefined : 'a fee is a positive amount, in cents';
    case 'fail':
      return input.errorCode.trim().length > 0 ? undefined : 'a failure names its error code';
    case 'extend': {
      if (!input.reasons.some((r) => r.trim().length > 0)) return 'an extension is told to the person with its reasons (Art. 12(3)): give at least one';
      if (!Number.isInteger(input.months) || input.months < 1) return 'an extension is of one or two whole months';
      if (facts.extensionMonths + input.months > 2) {
        return `the period may be extended by two further months at most (Art. 12(3)); ${facts.extensionMonths} already granted`;
      }
      // Told "within one month of receipt": by the first due date, the clock's waits counted.
      const first = answerDeadline({ receivedOn: facts.receivedOn, country: facts.country, identityWaits: facts.identityWaits });
      return facts.today > first.dueOn ? `an extension is told within the first month (Art. 12(3)); that month ended on ${first.dueOn}` : undefined;
    }
    default:
      return undefined;
  }
}

/** One step of a request's history. */
export interface HistoryEntry {
  input: TransitionInput;
  from: RequestState;
  to: RequestState;
  at: string;
  actor: string;
}

/**
 * The state a history leads to, checking each step as it was taken: each entry must start where the
 * previous one ended, and lead where the machine leads. The first entry starts from `received`.
 * Returns the state, or the first entry that does not hold and why (a history edited by hand).
 */
export function replay(history: readonly HistoryEntry[]): { state: RequestState } | { invalidAt: number; reason: string } {
  let state: RequestState = 'received';
  for (let i = 0; i < history.length; i++) {
    const entry = history[i]!;
    if (entry.from !== state) return { invalidAt: i, reason: `starts from ${entry.from}, but the request was ${state}` };
    const rule = TRANSITIONS[entry.input.name];
    if (rule === undefined || !rule.from.includes(state)) return { invalidAt: i, reason: `${entry.input.name} cannot be taken from ${state}` };
    const to: RequestState = rule.to === 'same' ? state : rule.to;
    if (entry.to !== to) return { invalidAt: i, reason: `${entry.input.name} leads to ${to}, not ${entry.to}` };
    state = to;
  }
  return { state };
}
