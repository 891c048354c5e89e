/** Which parts of a request's page its state and type allow (the desk's state machine, src/desk/request-states.ts, has the final word). */
import type { RequestView } from '../../api.js';

export const OPEN_STATES: ReadonlySet<string> = new Set(['received', 'awaiting_identity', 'verified', 'awaiting_fee', 'approved', 'in_progress', 'failed']);
/** A refusal comes before the request is approved (Art. 12(4)); afterwards the engine has its answer. */
export const REFUSABLE: ReadonlySet<string> = new Set(['received', 'awaiting_identity', 'verified', 'awaiting_fee']);
/** Types the engine runs once approved; the others staff carry out and record as done. */
export const ENGINE_TYPES: ReadonlySet<string> = new Set(['access', 'portability', 'erasure', 'restriction']);
/** Types the dry run can plan. */
export const PLANNED_TYPES: ReadonlySet<string> = new Set(['access', 'portability', 'erasure', 'restriction', 'rectification']);

/** What a part of the page is given: the request as last read, and where a changed request goes (the page says what changed). */
export interface RequestPart {
  request: RequestView;
  onChange: (next: RequestView) => void;
}
