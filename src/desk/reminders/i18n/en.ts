/**
 * The fixed wording of the daily reminder to staff, in English: written for the people who answer
 * requests, not for the data subjects (their letters are src/desk/letters/). Placeholders are
 * written `{name}`; every key here must exist in fr.ts (`ReminderStrings` makes the compiler check it).
 */
import type { RequestState } from '../../request-states.js';
import type { RequestType } from '../../request-types.js';

export interface ReminderStrings {
  subject: string;
  greeting: string;
  intro: string;
  heading_assigned_overdue: string;
  heading_assigned_due: string;
  heading_unassigned_overdue: string;
  heading_unassigned_due: string;
  item: string;
  due_today: string;
  one_day_left: string;
  days_left: string;
  one_day_late: string;
  days_late: string;
  minimal: string;
  footer: string;
  types: Record<RequestType, string>;
  states: Record<RequestState, string>;
}

export const en: ReminderStrings = {
  subject: 'Requests to answer at {organisation}: {overdue} overdue, {due_soon} due by {last_day}',
  greeting: 'Hello,',
  intro:
    'Here are the requests made to {organisation} whose answer is overdue or due by {last_day}, as of {today}. Each is answered within one month of its receipt, or by the later day told to the person when the period was extended (Art. 12(3) GDPR).',
  heading_assigned_overdue: 'Assigned to you, overdue',
  heading_assigned_due: 'Assigned to you, due by {last_day}',
  heading_unassigned_overdue: 'Assigned to nobody, overdue (sent to you as data protection officer)',
  heading_unassigned_due: 'Assigned to nobody, due by {last_day} (sent to you as data protection officer)',
  item: '{reference} · {type} · due {due_on} ({days_left}) · {state}',
  due_today: 'due today',
  one_day_left: '1 day left',
  days_left: '{days} days left',
  one_day_late: '1 day late',
  days_late: '{days} days late',
  minimal: 'Requests are named here by their reference only: who made them and what they asked are read in opendpo.',
  footer: 'opendpo sends this reminder once a day to the staff of {organisation} who have requests to answer.',
  types: {
    access: 'Access (Art. 15)',
    portability: 'Portability (Art. 20)',
    rectification: 'Rectification (Art. 16)',
    erasure: 'Erasure (Art. 17)',
    restriction: 'Restriction (Art. 18)',
    lift_restriction: 'Lifting a restriction (Art. 18(3))',
    objection: 'Objection (Art. 21)',
    withdraw_consent: 'Consent withdrawn (Art. 7(3))',
    automated_decision_review: 'Review of an automated decision (Art. 22(3))',
    post_mortem: 'Directives after death (French Data Protection Act, Art. 85)',
  },
  states: {
    received: 'received',
    awaiting_identity: 'waiting for identity information',
    verified: 'identity confirmed, to decide',
    awaiting_fee: 'waiting for the fee',
    approved: 'approved, to carry out',
    in_progress: 'running',
    failed: 'failed, to run again',
    completed: 'completed',
    refused: 'refused',
    withdrawn: 'withdrawn',
  },
};
