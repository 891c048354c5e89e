/**
 * A request a controller forwarded to us, its processor (Art. 28(3)(e)): what the desk keeps of how
 * it came, and what the controller is answered. The controller confirmed its data subject's identity
 * (Art. 12(6) is the controller's to apply), the request is answered to the controller and not to the
 * person, on the contract's deadline. Pure: read from what the store holds.
 */
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { ForwardedRequestTerms, Register } from '../../register/schema.js';
import type { StoredDeskRequest } from '../../store/desk-repository.js';
import { controllerScope } from '../controller-scope.js';

/** How a forwarded request came, kept with it (ids and terms: nothing about the person). */
export interface ForwardedFacts {
  /** opendpo: our own shape; drp: the Data Rights Protocol's (decision 0033). */
  protocol: 'opendpo' | 'drp';
  /** The controller's own reference (DRP: agent-request-id), given back in every status. */
  controller_reference?: string;
  drp?: { version: string; exercise: string; regime?: string; relationships?: string[] };
  /** The contract's terms the deadline was computed from, as the register gave them on receipt. */
  terms?: ForwardedRequestTerms;
}

/** The verification method recorded for an identity the controller confirmed before forwarding the request. */
export const CONTROLLER_VERIFICATION = 'controller';

/** Why no letter goes to the person: the answer is the controller's to give (Art. 28(3)(e), 12(1)). */
export const ANSWERED_TO_CONTROLLER = 'not sent: a request forwarded by a controller is answered to the controller (Art. 28(3)(e)), which answers its data subject';

/**
 * The contract's terms for a controller's forwarded requests, as the register records them. Refused
 * when the register records no activity processed for that controller (its token names a controller
 * we do not process for) or not the contract's period: guessing a deadline would be worse.
 */
export function contractTerms(register: Register, controllerId: string): ForwardedRequestTerms {
  const scope = controllerScope(register, controllerId);
  if (!scope) {
    throw new OpendpoError(
      'FORBIDDEN',
      `the register records no activity processed for controller ${controllerId}: a processor acts on the instructions of the controllers it processes for (Art. 28(3)(a)); give the controller this id in the controllers of its activities (role: processor, controllers[].id)`,
    );
  }
  if (!scope.terms) {
    throw new OpendpoError(
      'REGISTER_INVALID',
      `the register does not say when requests forwarded by controller ${controllerId} are due: add to it, in activity ${scope.activities[0]}, requests: { answer_within_days: N } with the period of the contract (Art. 28(3)(e))`,
    );
  }
  return scope.terms;
}

export function forwardedFacts(stored: StoredDeskRequest): ForwardedFacts | undefined {
  const details = JSON.parse(stored.request.details_json) as { forwarded?: ForwardedFacts };
  return details.forwarded;
}

/** What the controller is told of a closed request. */
export interface ForwardedOutcome {
  result: 'completed' | 'refused' | 'withdrawn';
  /** When it was closed. */
  at: string;
  /** A refusal's reasons (Art. 12(4), for the controller to tell its data subject). */
  reasons: string[];
  /** What was done: staff's own words for a request carried out by hand, else what the engine did. */
  actions: string[];
  /** Records found (access, portability) or acted on (erasure, restriction), when the engine ran it. */
  records: number | null;
}

export function forwardedOutcome(stored: StoredDeskRequest): ForwardedOutcome | undefined {
  const last = stored.transitions.at(-1);
  const state = stored.request.state;
  if (!last || (state !== 'completed' && state !== 'refused' && state !== 'withdrawn')) return undefined;
  const input = JSON.parse(last.input_json) as { reasons?: unknown; done?: unknown; rows?: unknown; kept?: unknown };
  const reasons = state === 'refused' && Array.isArray(input.reasons) ? input.reasons.filter((r): r is string => typeof r === 'string') : [];
  const records = state === 'completed' && typeof input.rows === 'number' ? input.rows : null;
  const actions =
    state !== 'completed'
      ? []
      : typeof input.done === 'string'
        ? [input.done]
        : records !== null
          ? [engineAction(stored.request.type, records, typeof input.kept === 'number' ? input.kept : 0)]
          : [];
  return { result: state, at: last.at, reasons, actions, records };
}

/** What the engine did, in counts (the completion letter's words, for the controller). */
function engineAction(type: string, rows: number, kept: number): string {
  switch (type) {
    case 'access':
      return `The systems processed for the controller were searched: ${rows} record(s) found, in the package.`;
    case 'portability':
      return `The data the data subject provided was exported: ${rows} record(s), in the package.`;
    case 'erasure':
      return `The data subject's data was erased from the systems processed for the controller${kept > 0 ? `; ${kept} set(s) are kept while a legal obligation requires it, then erased` : ''}.`;
    default:
      return `The processing of the data subject's data is restricted as asked (${rows} record(s)).`;
  }
}
