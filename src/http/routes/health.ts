import { z } from 'zod';
import type { RouteContext, ZodApp } from '../route-context.js';

const HealthSchema = {
  summary: 'Liveness and readiness: 200 when the store answers, 503 otherwise',
  tags: ['operations'],
  response: {
    200: z.object({ status: z.literal('ok') }).describe('The server runs and its store answers'),
    503: z.object({ status: z.literal('unavailable') }).describe('The store does not answer'),
  },
};

export function addHealthRoutes(app: ZodApp, { store }: RouteContext): void {
  app.get('/healthz', { schema: HealthSchema, config: { access: 'public' } }, async (request, reply) => {
    try {
      await store.ping();
      return { status: 'ok' as const };
    } catch (err) {
      // The reason goes to the log, not to whoever probes the endpoint.
      request.log.warn({ code: (err as { code?: string }).code }, 'store unreachable');
      return reply.code(503).send({ status: 'unavailable' as const });
    }
  });
}
