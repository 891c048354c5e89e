/**
 * What Fastify and Node refuse before a route runs — a path parameter over the router's limit
 * (414), a request line or headers over Node's maxHeaderSize (431), a request that is not HTTP
 * (400) — answers in our error format and never repeats the path; nor does a 404, for a path no
 * route serves or an organisation nobody published. A real server on loopback, raw requests on a
 * socket: inject() does not go through Node's HTTP parser.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';

let store: Store;
let app: ZodApp;
let port: number;

beforeAll(async () => {
  store = await openStore(parseDatabaseUrl(':memory:', ROOT));
  app = await buildApp({ config: { logLevel: 'silent' }, store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

/** Sends the bytes as they are and reads the answer to the end: status, headers, body. */
function raw(request: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(request));
    let text = '';
    socket.setEncoding('utf8').on('data', (d: string) => (text += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head!.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

const MARKER = 'alice.martin%40example.com-';

describe('errors before a route runs, on a real socket', () => {
  it('414 for a path parameter over 200 characters, in the error format, without the path', async () => {
    const res = await raw(`GET /api/v1/organisations/${MARKER.repeat(10)}/register HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(414);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'INVALID_INPUT', message: 'a path parameter is longer than 200 characters' } });
    expect(res.body).not.toContain('alice');
  });

  it('431 for a request line or headers over the limit, in the error format, without the path', async () => {
    const longPath = await raw(`GET /privacy-notice?org=${MARKER.repeat(1000)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    const longHeader = await raw(`GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Note: ${MARKER.repeat(1000)}\r\nConnection: close\r\n\r\n`);
    for (const res of [longPath, longHeader]) {
      expect(res.status).toBe(431);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers.connection).toBe('close');
      expect(JSON.parse(res.body)).toEqual({ error: { code: 'INVALID_INPUT', message: 'the request line and headers are larger than 16 KB' } });
      expect(res.body).not.toContain('alice');
    }
  });

  it('400 for a request that is not HTTP, in the error format', async () => {
    const res = await raw(`GET /${MARKER} and more\r\n\r\n`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'INVALID_INPUT', message: 'the request is malformed' } });
  });

  it('404 says what was not found without repeating the path or the query, which may carry personal data', async () => {
    const get = (target: string) => raw(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    const cases: [string, number, string, string][] = [
      ['/requests/alice.martin@example.com', 404, 'NOT_FOUND', 'no endpoint answers GET at this path: the endpoints are listed in /openapi.json'],
      ['/requests/alice.martin%40example.com?email=alice.martin%40example.com', 404, 'NOT_FOUND', 'no endpoint answers GET at this path: the endpoints are listed in /openapi.json'],
      ['/privacy-notice?org=alice-martin', 404, 'NOT_FOUND', 'no organisation of this id has published a register'],
      // The register beyond the notice is for staff: asked without a credential, 401 before anything is looked up.
      ['/api/v1/organisations/alice-martin/register', 401, 'UNAUTHENTICATED', 'sign in (POST /api/v1/session) or give an API token (Authorization: Bearer odp_…)'],
      ['/api/v1/organisations/alice-martin/register/versions/1', 401, 'UNAUTHENTICATED', 'sign in (POST /api/v1/session) or give an API token (Authorization: Bearer odp_…)'],
      ['/api/v1/organisations/alice-martin/requests/00000000-0000-4000-8000-000000000000', 400, 'INVALID_INPUT', 'header "x-status-token" is required: the status token given when the request was submitted'],
    ];
    for (const [target, status, code, message] of cases) {
      const res = await get(target);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body)).toEqual({ error: { code, message } });
      expect(res.body).not.toMatch(/alice|requests/);
    }
  });

  it('still serves normal requests on the same server', async () => {
    const res = await raw('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
  });
});
