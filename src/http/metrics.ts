/**
 * The server's Prometheus metrics, on a registry of its own (never prom-client's global one: a
 * process may build several servers, as the tests do): Node's process metrics, every answer counted
 * and timed by method, route pattern and status (recorded once the answer is sent), and, at each
 * scrape, the desk's gauges read from the store for the caller's organisation.
 *
 * Labels carry nothing a person typed: the route is the pattern (`/api/v1/organisations/:org/...`),
 * never the URL; a request no route serves is `(no route)`; the desk's gauges name the organisation
 * and a state, never a request.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { calendarDay, countryTimeZone } from '../desk/deadline.js';
import { FINAL_STATES, REQUEST_STATES } from '../desk/request-states.js';
import type { Store } from '../store/open-store.js';
import type { ZodApp } from './route-context.js';

/** What a request no route serves is counted under (a 404, a path the router refused). */
export const NO_ROUTE = '(no route)';

export interface HttpMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route' | 'status'>;
}

export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  return {
    registry,
    requests: new Counter({ name: 'opendpo_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status', labelNames, registers: [registry] }),
    duration: new Histogram({
      name: 'opendpo_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

/** Counts and times every answer (onResponse: the status is the one sent). */
export function addHttpMetricsHook(app: ZodApp, metrics: HttpMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? NO_ROUTE, status: String(reply.statusCode) };
    metrics.requests.inc(labels);
    metrics.duration.observe(labels, reply.elapsedTime / 1000);
  });
}

const OPEN_STATES = REQUEST_STATES.filter((s) => !FINAL_STATES.has(s));

/**
 * The desk's gauges of one organisation, worked out now from the store: open requests by state
 * (every open state, 0 included, so that a series never vanishes), open requests past their due day
 * (due_on before today in the organisation's calendar) and letters kept as failed. A registry made
 * for this scrape only: two scrapes at once never mix their organisations.
 */
export async function deskGaugesText(store: Store, organisationId: string, now: Date, timeZone: string | undefined): Promise<string> {
  const registry = new Registry();
  const open = new Gauge({ name: 'opendpo_desk_open_requests', help: 'Open requests at the desk, by state', labelNames: ['organisation', 'state'] as const, registers: [registry] });
  const overdue = new Gauge({
    name: 'opendpo_desk_overdue_requests',
    help: 'Open requests whose due day (Art. 12(3)) has passed in the organisation\'s calendar',
    labelNames: ['organisation'] as const,
    registers: [registry],
  });
  const failed = new Gauge({
    name: 'opendpo_desk_letters_failed',
    help: 'Letters that could not be sent (no email address, the mail server down), kept for staff to send by post or again',
    labelNames: ['organisation'] as const,
    registers: [registry],
  });
  const [counts, failedLetters] = await Promise.all([store.desk.openRequestCounts(organisationId), store.desk.failedLetterCount(organisationId)]);
  const byState = new Map<string, number>(OPEN_STATES.map((s) => [s, 0]));
  const todayIn = new Map<string, string>();
  let late = 0;
  for (const c of counts) {
    byState.set(c.state, (byState.get(c.state) ?? 0) + c.count);
    let today = todayIn.get(c.country);
    if (today === undefined) todayIn.set(c.country, (today = calendarDay(now, timeZone ?? countryTimeZone(c.country))));
    // While the desk waits for identity information the clock stands still (Art. 12(6)): not overdue.
    if (c.due_on < today && c.state !== 'awaiting_identity') late += c.count;
  }
  for (const [state, n] of byState) open.set({ organisation: organisationId, state }, n);
  overdue.set({ organisation: organisationId }, late);
  failed.set({ organisation: organisationId }, failedLetters);
  return registry.metrics();
}
