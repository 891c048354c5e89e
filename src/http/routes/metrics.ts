/**
 * GET /metrics: Prometheus text format, for a scraper holding an API token of a role with
 * `metrics.read`. Process and HTTP metrics are the server's; the desk's gauges are the caller's
 * organisation's (a credential belongs to one organisation, decision 0030).
 */
import { z } from 'zod';
import { principalOf } from '../auth.js';
import { deskGaugesText } from '../metrics.js';
import { ForbiddenView, UnauthenticatedView } from '../presenters/error-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';

const MetricsSchema = {
  summary: 'Prometheus metrics: process, HTTP requests by route pattern and status, and the desk\'s gauges of the caller\'s organisation',
  tags: ['operations'],
  response: {
    200: {
      description: 'The metrics in Prometheus text format 0.0.4 (no personal data in any label)',
      content: { 'text/plain': { schema: z.string().describe('Prometheus exposition format') } },
    },
    401: UnauthenticatedView,
    403: ForbiddenView,
  },
};

export function addMetricsRoutes(app: ZodApp, { store, metrics, now, timeZone }: RouteContext): void {
  app.get('/metrics', { schema: MetricsSchema, config: { access: 'metrics.read' } }, async (request, reply) => {
    const organisation = principalOf(request).organisationId;
    const text = (await metrics.registry.metrics()) + (await deskGaugesText(store, organisation, now(), timeZone));
    return reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store').send(text);
  });
}
