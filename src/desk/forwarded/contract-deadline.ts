/**
 * When our answer to a request a controller forwarded to us is due: the period the controller's
 * contract gives its processor (Art. 28(3)(e): the processor assists the controller in answering,
 * on the terms of their contract), not Art. 12(3)'s month, which is the controller's own deadline to
 * the person. The period is counted under Regulation (EEC, Euratom) No 1182/71, as deadline.ts counts
 * the month:
 * - the day of receipt does not count (Art. 3(1));
 * - in calendar days (the default, Art. 3(3)), Saturdays, Sundays and public holidays count, but a
 *   period ending on one ends on the next working day (Art. 3(4)), and a period of two days or more
 *   includes at least two working days (Art. 3(5));
 * - in working days, only working days count (Art. 2(2): not a public holiday of the organisation's
 *   country, a Saturday or a Sunday).
 *
 * Pure: dates are calendar dates (YYYY-MM-DD) in the organisation's calendar.
 */
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { ForwardedRequestTerms } from '../../register/schema.js';
import { isWorkingDay } from '../deadline.js';

export interface ContractDeadlineInput {
  /** The day we received the request (YYYY-MM-DD). */
  receivedOn: string;
  /** The organisation's country (ISO 3166-1 alpha-2): its public holidays. */
  country: string;
  terms: ForwardedRequestTerms;
}

export interface ContractDeadline {
  dueOn: string;
  /** Where the days ended on a day that is not a working day and the period moved on (calendar days only). */
  movedFrom?: string;
}

export function contractDeadline({ receivedOn, country, terms }: ContractDeadlineInput): ContractDeadline {
  const days = terms.answer_within_days;
  if (!Number.isInteger(days) || days < 1 || days > 90) {
    throw new OpendpoError('INVALID_INPUT', `answer_within_days: must be a whole number of days from 1 to 90, not ${JSON.stringify(days)}`);
  }
  // Validates receivedOn (and the country) once, with the field named.
  isWorkingDay(receivedOn, country);
  if (terms.days === 'working') {
    let day = receivedOn;
    for (let counted = 0; counted < days; ) {
      day = nextDay(day);
      if (isWorkingDay(day, country)) counted++;
    }
    return { dueOn: day };
  }
  let end = receivedOn;
  for (let i = 0; i < days; i++) end = nextDay(end);
  let due = end;
  while (!isWorkingDay(due, country)) due = nextDay(due);
  if (days >= 2) {
    // Art. 3(5): at least two working days within the period.
    let working = 0;
    for (let d = nextDay(receivedOn); d <= due; d = nextDay(d)) if (isWorkingDay(d, country)) working++;
    while (working < 2) {
      due = nextDay(due);
      if (isWorkingDay(due, country)) working++;
    }
  }
  return { dueOn: due, ...(due !== end ? { movedFrom: end } : {}) };
}

function nextDay(day: string): string {
  const t = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) + 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
