import type { ZodApp } from '../route-context.js';

/** GET /openapi.json: OpenAPI 3.1, generated from the zod schema of every route. */
export function addOpenApiRoute(app: ZodApp): void {
  app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
}
