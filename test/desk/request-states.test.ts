/**
 * The desk's state machine, exhaustively: every transition from every state, allowed (to the state
 * written here by hand, not read from the machine) or refused with its reason; what each transition
 * needs (Art. 12(3)-(6)); and a history replayed as an audit would, an edited one refused.
 */
import { describe, expect, it } from 'vitest';
import {
  decide,
  REQUEST_STATES,
  replay,
  type HistoryEntry,
  type RequestFacts,
  type RequestState,
  type TransitionInput,
  type TransitionName,
} from '../../src/desk/request-states.js';

const VALID: Record<TransitionName, TransitionInput> = {
  request_identity: { name: 'request_identity' },
  verify_identity: { name: 'verify_identity' },
  charge_fee: { name: 'charge_fee', grounds: 'the fifth identical access request this month', amountCents: 1500 },
  receive_fee: { name: 'receive_fee' },
  approve: { name: 'approve' },
  refuse: { name: 'refuse', reasons: ['the data is kept under a legal obligation (Art. 17(3)(b))'] },
  start: { name: 'start' },
  complete: { name: 'complete' },
  fail: { name: 'fail', errorCode: 'TARGET_UNAVAILABLE' },
  retry: { name: 'retry' },
  extend: { name: 'extend', months: 2, reasons: ['the request covers twelve systems'] },
  withdraw: { name: 'withdraw' },
};

/** Every transition each state allows, and where it leads. Anything not listed is refused. */
const ALLOWED: Record<RequestState, Partial<Record<TransitionName, RequestState>>> = {
  received: { request_identity: 'awaiting_identity', verify_identity: 'verified', refuse: 'refused', extend: 'received', withdraw: 'withdrawn' },
  awaiting_identity: { verify_identity: 'verified', refuse: 'refused', extend: 'awaiting_identity', withdraw: 'withdrawn' },
  verified: { request_identity: 'awaiting_identity', charge_fee: 'awaiting_fee', approve: 'approved', refuse: 'refused', extend: 'verified', withdraw: 'withdrawn' },
  awaiting_fee: { receive_fee: 'verified', refuse: 'refused', extend: 'awaiting_fee', withdraw: 'withdrawn' },
  approved: { start: 'in_progress', extend: 'approved', withdraw: 'withdrawn' },
  in_progress: { complete: 'completed', fail: 'failed', extend: 'in_progress' },
  failed: { retry: 'approved', extend: 'failed', withdraw: 'withdrawn' },
  completed: {},
  refused: {},
  withdrawn: {},
};

const facts = (state: RequestState, extra: Partial<RequestFacts> = {}): RequestFacts => ({
  state,
  receivedOn: '2026-03-09',
  country: 'FR',
  today: '2026-03-20',
  extensionMonths: 0,
  identityWaits: [],
  unverifiedIdentities: 0,
  ...extra,
});

describe('the request state machine', () => {
  it('knows the ten states, and the expectations cover each', () => {
    expect([...REQUEST_STATES].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  for (const state of REQUEST_STATES) {
    it(`from ${state}: allows exactly the transitions listed, to their state, and refuses the others with a reason`, () => {
      for (const name of Object.keys(VALID) as TransitionName[]) {
        const decision = decide(facts(state), VALID[name]);
        const expected = ALLOWED[state][name];
        if (expected !== undefined) {
          expect(decision, `${state} --${name}-->`).toEqual({ allowed: true, to: expected });
        } else {
          expect(decision.allowed, `${state} --${name}--> should be refused`).toBe(false);
          const reason = (decision as { reason: string }).reason;
          expect(reason).toMatch(['completed', 'refused', 'withdrawn'].includes(state) ? /nothing more can be done/ : /is not possible on a request that is/);
        }
      }
    });
  }
});

describe('what each transition needs (Art. 12)', () => {
  const refusedFor = (f: RequestFacts, input: TransitionInput) => {
    const d = decide(f, input);
    expect(d.allowed).toBe(false);
    return (d as { reason: string }).reason;
  };

  it('confirms the identity only when every identity the request names is confirmed', () => {
    expect(refusedFor(facts('awaiting_identity', { unverifiedIdentities: 1 }), VALID.verify_identity)).toContain('1 of the identities the request names is not confirmed');
    expect(refusedFor(facts('received', { unverifiedIdentities: 2 }), VALID.verify_identity)).toContain('2 of the identities the request names are not confirmed');
  });

  it('refuses only with reasons, and charges a fee only with its grounds and a positive amount', () => {
    expect(refusedFor(facts('verified'), { name: 'refuse', reasons: [] })).toContain('Art. 12(4)');
    expect(refusedFor(facts('verified'), { name: 'refuse', reasons: ['  '] })).toContain('Art. 12(4)');
    expect(refusedFor(facts('verified'), { name: 'charge_fee', grounds: ' ', amountCents: 1500 })).toContain('burden of proof');
    expect(refusedFor(facts('verified'), { name: 'charge_fee', grounds: 'repeated', amountCents: 0 })).toContain('positive amount');
    expect(refusedFor(facts('verified'), { name: 'charge_fee', grounds: 'repeated', amountCents: 12.5 })).toContain('positive amount');
    expect(refusedFor(facts('in_progress'), { name: 'fail', errorCode: '' })).toContain('error code');
  });

  it('extends by two further months at most, with reasons, told within the first month (the clock\'s waits counted)', () => {
    expect(refusedFor(facts('verified'), { name: 'extend', months: 1, reasons: [] })).toContain('with its reasons');
    expect(refusedFor(facts('verified'), { name: 'extend', months: 0, reasons: ['many systems'] })).toContain('one or two whole months');
    expect(refusedFor(facts('verified', { extensionMonths: 1 }), { name: 'extend', months: 2, reasons: ['many systems'] })).toContain('1 already granted');
    expect(decide(facts('verified', { extensionMonths: 1 }), { name: 'extend', months: 1, reasons: ['many systems'] })).toEqual({ allowed: true, to: 'verified' });
    // Received 9 March 2026: the first month ends on 9 April; on 10 April it is too late.
    expect(decide(facts('verified', { today: '2026-04-09' }), VALID.extend)).toEqual({ allowed: true, to: 'verified' });
    expect(refusedFor(facts('verified', { today: '2026-04-10' }), VALID.extend)).toContain('that month ended on 2026-04-09');
    // Ten days waited for identity information move the first month's end to 19 April, a Sunday: 20 April.
    const waited = facts('verified', { today: '2026-04-20', identityWaits: [{ from: '2026-03-10', until: '2026-03-20' }] });
    expect(decide(waited, VALID.extend)).toEqual({ allowed: true, to: 'verified' });
  });
});

describe('a request\'s history', () => {
  const step = (input: TransitionInput, from: RequestState, to: RequestState, n: number): HistoryEntry => ({ input, from, to, at: `2026-03-${String(9 + n).padStart(2, '0')}T10:00:00Z`, actor: n % 2 === 0 ? 'system' : 'staff:dpo' });
  const HISTORY: HistoryEntry[] = [
    step(VALID.request_identity, 'received', 'awaiting_identity', 0),
    step(VALID.verify_identity, 'awaiting_identity', 'verified', 1),
    step(VALID.approve, 'verified', 'approved', 2),
    step(VALID.start, 'approved', 'in_progress', 3),
    step(VALID.fail, 'in_progress', 'failed', 4),
    step(VALID.retry, 'failed', 'approved', 5),
    step(VALID.start, 'approved', 'in_progress', 6),
    step(VALID.extend, 'in_progress', 'in_progress', 7),
    step(VALID.complete, 'in_progress', 'completed', 8),
  ];

  it('replays to the state it led to', () => {
    expect(replay(HISTORY)).toEqual({ state: 'completed' });
    expect(replay([])).toEqual({ state: 'received' });
  });

  it('names the first step that does not hold in an edited history: one removed, two swapped, an outcome changed', () => {
    expect(replay(HISTORY.filter((_, i) => i !== 1))).toEqual({ invalidAt: 1, reason: 'starts from verified, but the request was awaiting_identity' });
    const swapped = [...HISTORY];
    [swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!];
    expect(replay(swapped)).toMatchObject({ invalidAt: 2 });
    const changed = HISTORY.map((e, i) => (i === 8 ? { ...e, to: 'refused' as const } : e));
    expect(replay(changed)).toEqual({ invalidAt: 8, reason: 'complete leads to completed, not refused' });
    const impossible = [step(VALID.approve, 'received', 'approved', 0)];
    expect(replay(impossible)).toEqual({ invalidAt: 0, reason: 'approve cannot be taken from received' });
  });
});
