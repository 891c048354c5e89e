/** The desk's report as the API gives it (snake_case, as the rest of the API). */
import { z } from 'zod';
import type { RequestReport } from '../../desk/report.js';

export const ReportView = z
  .object({
    organisation: z.string(),
    from: z.string().describe('the first day of receipt counted'),
    to: z.string().describe('the last day of receipt counted'),
    as_of: z.string().describe('the report\'s day (today in the organisation\'s calendar): open requests past their due day are counted on it'),
    received: z.number().int().describe('requests received in the period'),
    by_type: z.record(z.string(), z.number().int()),
    by_outcome: z.record(z.string(), z.number().int()).describe('completed, refused, withdrawn, or open'),
    answered: z.number().int().describe('requests of the period closed so far: completed, refused or withdrawn'),
    days_to_answer: z
      .object({ median: z.number().int().nullable(), p90: z.number().int().nullable() })
      .describe('from the day of receipt to the day closed, over the requests answered (nearest rank); null when none was'),
    answered_late: z.number().int().describe('answered after their due day'),
    open_overdue: z.number().int().describe('still open, their due day before the report\'s day'),
  })
  .meta({ id: 'DeskReport' });

export function presentReport(organisation: string, r: RequestReport): z.infer<typeof ReportView> {
  return {
    organisation,
    from: r.from,
    to: r.to,
    as_of: r.asOf,
    received: r.received,
    by_type: r.byType,
    by_outcome: r.byOutcome,
    answered: r.answered,
    days_to_answer: { median: r.daysToAnswer.median, p90: r.daysToAnswer.p90 },
    answered_late: r.answeredLate,
    open_overdue: r.openOverdue,
  };
}
