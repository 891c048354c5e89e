/**
 * The daily reminder to staff (Art. 12(3): an answer "without undue delay and in any event within one
 * month of receipt"): who is told of which requests today. Pure: the open requests, the staff
 * accounts and today (in the organisation's calendar) in, one digest per staff member out.
 *
 * - Each active account receives the requests assigned to it that are overdue (due before today) or
 *   due from today to today + N days (N = 7 by default; calendar days, as the deadline is counted).
 * - Requests assigned to nobody — or to an account since disabled or removed, which no one reads any
 *   more — go to every active account of the `dpo` role: the DPO monitors compliance (Art. 39(1)(b)),
 *   and a request nobody holds is the one most likely to run late.
 * - A disabled account receives nothing.
 * - While the desk waits for information to confirm the person's identity (`awaiting_identity`), the
 *   clock waits (Art. 12(6), EDPB Guidelines 01/2022): its due day is not yet known, and the request
 *   is in no list (as in the queue's `overdue` and `due_within`). Closed requests never are.
 *
 * A digest names requests by id and reference, with their type, state, due day and days left: never
 * an identity of the data subject or what they wrote (Art. 5(1)(c), 32). An account with nothing to
 * be told of receives no mail.
 */
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { Language } from '../../register/schema.js';
import { FINAL_STATES, type RequestState } from '../request-states.js';
import type { RequestType } from '../request-types.js';
import { addDays, daysBetween } from './calendar-days.js';

export const DEFAULT_DUE_WITHIN_DAYS = 7;
/** The longest look-ahead: past two months, the list stops being a reminder. */
export const MAX_DUE_WITHIN_DAYS = 60;

/** What the planner needs of a request: no identity, no content. */
export interface ReminderRequest {
  id: string;
  reference: string;
  type: RequestType;
  state: RequestState;
  /** The last day of the answer, YYYY-MM-DD in the organisation's calendar. */
  dueOn: string;
  /** The staff account (id) it is assigned to, or null. */
  assignee: string | null;
}

/** What the planner needs of a staff account. */
export interface ReminderStaff {
  id: string;
  /** Where the digest goes: the login, an email address for most accounts. */
  login: string;
  role: string;
  disabled: boolean;
  /** The account's language, where one is kept; else the organisation's (its register's default_language). */
  language?: Language | undefined;
}

export interface ReminderItem {
  id: string;
  reference: string;
  type: RequestType;
  state: RequestState;
  dueOn: string;
  /** Calendar days from today to the due day: 0 due today, negative when overdue. */
  daysLeft: number;
}

export interface ReminderList {
  /** Due before today, the longest overdue first. */
  overdue: ReminderItem[];
  /** Due from today to the plan's last day, by due day. */
  dueSoon: ReminderItem[];
}

export interface ReminderDigest {
  staffId: string;
  login: string;
  language: Language;
  /** The requests assigned to this account. */
  assigned: ReminderList;
  /** For `dpo` accounts: the requests assigned to no active account (empty lists for anyone else). */
  unassigned: ReminderList;
}

export interface ReminderPlan {
  today: string;
  dueWithinDays: number;
  /** today + dueWithinDays: the last due day a digest lists. */
  lastDay: string;
  /** One per account with something to be told of, in the order the accounts were given. */
  digests: ReminderDigest[];
  /** The requests the digests list (each once, however many DPOs are told of an unassigned one). */
  listed: number;
  /** Requests assigned to no active account while no active `dpo` account exists: nobody is told of them. */
  untold: number;
}

export interface PlanRemindersInput {
  /** Today in the organisation's calendar (YYYY-MM-DD). */
  today: string;
  /** The organisation's open requests (others are ignored). */
  requests: readonly ReminderRequest[];
  staff: readonly ReminderStaff[];
  /** The organisation's language (its register's default_language), for accounts without one. */
  language: Language;
  /** 1-60 calendar days; default 7. */
  dueWithinDays?: number;
}

export function planReminders(input: PlanRemindersInput): ReminderPlan {
  const days = input.dueWithinDays ?? DEFAULT_DUE_WITHIN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_DUE_WITHIN_DAYS) {
    throw new OpendpoError('INVALID_INPUT', `dueWithinDays: must be a whole number of days from 1 to ${MAX_DUE_WITHIN_DAYS}, not ${JSON.stringify(input.dueWithinDays)}`);
  }
  const lastDay = addDays(input.today, days);
  const active = new Map(input.staff.filter((s) => !s.disabled).map((s) => [s.id, s]));

  const byAssignee = new Map<string, ReminderItem[]>();
  const unassigned: ReminderItem[] = [];
  let assignedCount = 0;
  for (const r of input.requests) {
    if (FINAL_STATES.has(r.state) || r.state === 'awaiting_identity') continue;
    const daysLeft = daysBetween(input.today, r.dueOn);
    if (daysLeft > days) continue;
    const item: ReminderItem = { id: r.id, reference: r.reference, type: r.type, state: r.state, dueOn: r.dueOn, daysLeft };
    if (r.assignee !== null && active.has(r.assignee)) {
      const list = byAssignee.get(r.assignee) ?? [];
      list.push(item);
      byAssignee.set(r.assignee, list);
      assignedCount++;
    } else unassigned.push(item);
  }

  const dpos = [...active.values()].filter((s) => s.role === 'dpo');
  const unassignedList = split(unassigned);
  const digests: ReminderDigest[] = [];
  for (const s of active.values()) {
    const assigned = split(byAssignee.get(s.id) ?? []);
    const theirs = s.role === 'dpo' ? unassignedList : { overdue: [], dueSoon: [] };
    if (count(assigned) + count(theirs) === 0) continue;
    digests.push({ staffId: s.id, login: s.login, language: s.language ?? input.language, assigned, unassigned: theirs });
  }
  const untold = dpos.length === 0 ? unassigned.length : 0;
  return { today: input.today, dueWithinDays: days, lastDay, digests, listed: assignedCount + unassigned.length - untold, untold };
}

/** The requests a digest lists, overdue and due soon together. */
export function digestSize(d: Pick<ReminderDigest, 'assigned' | 'unassigned'>): { overdue: number; dueSoon: number } {
  return { overdue: d.assigned.overdue.length + d.unassigned.overdue.length, dueSoon: d.assigned.dueSoon.length + d.unassigned.dueSoon.length };
}

function split(items: readonly ReminderItem[]): ReminderList {
  const sorted = [...items].sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.reference.localeCompare(b.reference) || a.id.localeCompare(b.id));
  return { overdue: sorted.filter((i) => i.daysLeft < 0), dueSoon: sorted.filter((i) => i.daysLeft >= 0) };
}

const count = (l: ReminderList) => l.overdue.length + l.dueSoon.length;
