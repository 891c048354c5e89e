/** The desk's report as the API gives it (snake_case, as the rest of the API). */
import { z } from 'zod';
import type { RequestReport, WeekReport } from '../../desk/report.js';

const Figures = {
  received: z.number().int().describe('requests received in the period'),
  by_type: z.record(z.string(), z.number().int()),
  by_outcome: z.record(z.string(), z.number().int()).describe('completed, refused, withdrawn, or open'),
  answered: z.number().int().describe('requests of the period closed so far: completed, refused or withdrawn'),
  days_to_answer: z
    .object({ median: z.number().int().nullable(), p90: z.number().int().nullable() })
    .describe('from the day of receipt to the day closed, over the requests answered (nearest rank); null when none was'),
  answered_late: z.number().int().describe('answered after their due day'),
  open_overdue: z.number().int().describe('still open, their due day before the report\'s day'),
};

export const ReportWeekView = z
  .object({
    week: z.string().describe('the ISO 8601 week, e.g. 2026-W09 (Monday to Sunday; week 1 holds the year\'s first Thursday)'),
    from: z.string().describe('its first day counted: its Monday, or the period\'s first day'),
    to: z.string().describe('its last day counted: its Sunday, or the period\'s last day'),
    ...Figures,
  })
  .describe('by_type and by_outcome have the keys of the whole period\'s, 0 where the week has none')
  .meta({ id: 'DeskReportWeek' });

export const ReportView = z
  .object({
    organisation: z.string(),
    from: z.string().describe('the first day of receipt counted'),
    to: z.string().describe('the last day of receipt counted'),
    as_of: z.string().describe('the report\'s day (today in the organisation\'s calendar): open requests past their due day are counted on it'),
    ...Figures,
    weeks: z.array(ReportWeekView).optional().describe('with group=week: the same figures for each ISO week of the period, in order, a week without a request included'),
  })
  .meta({ id: 'DeskReport' });

const figures = (r: Omit<RequestReport, 'asOf'>) => ({
  received: r.received,
  by_type: r.byType,
  by_outcome: r.byOutcome,
  answered: r.answered,
  days_to_answer: { median: r.daysToAnswer.median, p90: r.daysToAnswer.p90 },
  answered_late: r.answeredLate,
  open_overdue: r.openOverdue,
});

export function presentReport(organisation: string, r: RequestReport, weeks?: readonly WeekReport[]): z.infer<typeof ReportView> {
  return {
    organisation,
    from: r.from,
    to: r.to,
    as_of: r.asOf,
    ...figures(r),
    ...(weeks === undefined ? {} : { weeks: weeks.map((w) => ({ week: w.week, from: w.from, to: w.to, ...figures(w) })) }),
  };
}
