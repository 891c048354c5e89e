/**
 * A `fetch` answered by the app itself, without a socket: how the server-rendered privacy center
 * calls the API (the same routes, schemas, limits and audit as any client) through the generated
 * client. The visitor's address is passed on, so the public rate limits count each visitor and not
 * the server, and the API's answer is read whole (its routes answer JSON or a package).
 */
import type { FastifyInstance } from 'fastify';

export function inProcessFetch(app: FastifyInstance, remoteAddress: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const answer = await app.inject({
      method: request.method as 'GET',
      url: `${url.pathname}${url.search}`,
      headers,
      remoteAddress,
      ...(body === undefined ? {} : { payload: body }),
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, String(v));
    }
    // A Response cannot carry a body with these statuses.
    const empty = answer.statusCode === 204 || answer.statusCode === 304;
    return new Response(empty ? null : answer.rawPayload, { status: answer.statusCode, headers: responseHeaders });
  };
}
