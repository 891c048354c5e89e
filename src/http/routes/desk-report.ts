/**
 * The desk's report for a period (src/desk/report.ts), over the requests received in it, as JSON or
 * as a CSV sheet. What counts as answered: a request that reached a final state — completed or
 * refused (the controller's answer), or withdrawn (the person ended it: nothing is owed any more) —
 * on the calendar day, in the organisation's zone, of the transition that closed it. `by outcome`
 * tells the three apart; a request still open has no day of answer, and counts as open past its due
 * day when the report's day (today) is after it.
 */
import { z } from 'zod';
import { calendarDay, countryTimeZone } from '../../desk/deadline.js';
import { MAX_WEEKS, reportCsv, requestReport, weeklyReport, weeklyReportCsv, type ReportedRequest } from '../../desk/report.js';
import { FINAL_STATES, type RequestState } from '../../desk/request-states.js';
import { Id } from '../../register/schema.js';
import type { ReportedRequestRow } from '../../store/desk-repository.js';
import type { Store } from '../../store/open-store.js';
import { BadRequestView, ForbiddenView, UnauthenticatedView } from '../presenters/error-presenter.js';
import { presentReport, ReportView } from '../presenters/report-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';

const Day = z.iso.date({ message: 'must be a date written YYYY-MM-DD' });

const ReportSchema = {
  summary: 'The desk\'s report for a period: requests received by type and outcome, days to answer, late answers, open requests past due',
  description:
    'Over the requests received from `from` to `to` (both included, in the organisation\'s calendar). A request is answered on the day it was completed, refused or withdrawn (the calendar day of the transition that closed it); days to answer are counted from the day of receipt (median and 90th percentile, nearest rank). `format=csv` gives the same figures as a sheet, one row each. `group=week` adds `weeks`, the figures of each ISO week of the period (the first and last cut at its ends), a week without a request included with zeros; with `format=csv`, a sheet of one row per week and one for the whole period.',
  tags: ['desk'],
  params: z.object({ org: Id.describe('organisation id') }),
  querystring: z.strictObject({
    from: Day.describe('the first day of receipt counted (YYYY-MM-DD)'),
    to: Day.describe('the last day of receipt counted (YYYY-MM-DD)'),
    format: z.enum(['json', 'csv'], { message: 'must be json or csv' }).default('json'),
    group: z
      .enum(['period', 'week'], { message: 'must be period or week' })
      .default('period')
      .describe(`week: the same figures for each ISO 8601 week (Monday to Sunday, in the organisation's calendar) of the period too, at most ${MAX_WEEKS} weeks; as CSV, one row per week`),
  }),
  response: {
    200: {
      description: 'The report: JSON, or with format=csv a CSV sheet (Content-Disposition gives its file name)',
      content: {
        'application/json': { schema: ReportView },
        'text/csv': { schema: z.string().describe('figure,key,value rows, CRLF line ends') },
      },
    },
    400: BadRequestView,
    401: UnauthenticatedView,
    403: ForbiddenView,
  },
};

export function addDeskReportRoutes(app: ZodApp, { store, now, timeZone }: RouteContext): void {
  app.get('/api/v1/organisations/:org/desk/report', { schema: ReportSchema, config: { access: 'requests.read' } }, async (request, reply) => {
    const { org } = request.params;
    const { from, to, format, group } = request.query;
    const rows = await store.desk.requestsReceivedBetween(org, from, to);
    // Each request's calendar is its organisation's: OPENDPO_TIMEZONE, else the country's zone.
    const zones = new Map<string, string>();
    const zoneOf = (country: string): string => {
      let zone = zones.get(country);
      if (zone === undefined) zones.set(country, (zone = timeZone ?? countryTimeZone(country)));
      return zone;
    };
    const country = rows[0]?.country ?? (await organisationCountry(store, org));
    const asOf = calendarDay(now(), country === undefined ? (timeZone ?? 'UTC') : zoneOf(country));
    const requests = rows.map((r) => reported(r, zoneOf(r.country)));
    if (group === 'week') {
      const weekly = weeklyReport(requests, { from, to, asOf });
      if (format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="opendpo-report-${org}-${from}-${to}-weeks.csv"`)
          .send(weeklyReportCsv(weekly));
      }
      return reply.header('content-type', 'application/json; charset=utf-8').send(presentReport(org, weekly.report, weekly.weeks));
    }
    const report = requestReport(requests, { from, to, asOf });
    if (format === 'csv') {
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="opendpo-report-${org}-${from}-${to}.csv"`)
        .send(reportCsv(report));
    }
    return reply.header('content-type', 'application/json; charset=utf-8').send(presentReport(org, report));
  });
}

/** The organisation's country, from its latest register (for the report's day when the period has no request). */
async function organisationCountry(store: Store, organisationId: string): Promise<string | undefined> {
  const organisation = (await store.registerVersions.latest(organisationId))?.register.organisation;
  return organisation?.address?.country ?? organisation?.supervisory_authority?.country;
}

/** A request as the report reads it: its outcome, and the day it was answered (closed) if it was. */
function reported(row: ReportedRequestRow, timeZone: string): ReportedRequest {
  const closedAt = row.closed?.at ?? row.closed_at;
  const final = FINAL_STATES.has(row.state as RequestState);
  return {
    type: row.type,
    outcome: final ? row.state : 'open',
    receivedOn: row.received_on,
    dueOn: row.due_on,
    ...(final && closedAt !== null ? { answeredOn: calendarDay(new Date(closedAt), timeZone) } : {}),
  };
}
