/**
 * The HTTP connector against a real HTTP server on loopback that implements the protocol
 * (fake-system.ts): what opendpo sends, what it accepts, and the errors for everything else.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SystemRequest } from '../../../src/connectors/connector.js';
import { createHttpConnector, DEFAULT_MAX_RESPONSE_VALUES, type HttpConnectorOptions } from '../../../src/connectors/http/http-connector.js';
import { requestMessageSchema } from '../../../src/connectors/http/protocol.js';
import { OpendpoError } from '../../../src/errors/opendpo-error.js';
import { expectNoStackTrace } from '../../helpers/cli.js';
import { startFakeSystem, type FakeSystem } from './fake-system.js';

const SECRET = 'test-secret-of-at-least-32-bytes-0123456789';
const ENV = 'OPENDPO_TEST_HTTP_CONNECTOR_SECRET';
const EMAIL = 'customer-1@example.com';

const request = (action: SystemRequest['action'], extra: Partial<SystemRequest> = {}): SystemRequest => ({
  requestId: randomUUID(),
  action,
  identities: { email: EMAIL },
  ...extra,
});

/** A connector for the fake system; its creation (which reads the secret) is awaited on first use. */
function connector(system: FakeSystem, extra: Partial<HttpConnectorOptions> = {}) {
  const created = createHttpConnector({ name: 'crm', url: system.url, secret: { env: ENV }, ...extra });
  return {
    created,
    submit: async (r: SystemRequest) => (await created).submit(r),
    poll: async (r: SystemRequest) => (await created).poll(r),
  };
}

/** The error a promise rejects with, asserted to be a safe OpendpoError (no stack text, no values). */
async function failure(promise: Promise<unknown>, ...values: string[]): Promise<OpendpoError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpendpoError);
  const message = (err as OpendpoError).message;
  expectNoStackTrace(message);
  for (const value of [EMAIL, SECRET, ...values]) expect(message).not.toContain(value);
  return err as OpendpoError;
}

beforeAll(() => {
  process.env[ENV] = SECRET;
});
afterAll(() => {
  delete process.env[ENV];
});

describe('the HTTP connector with a system that follows the protocol', () => {
  let system: FakeSystem;
  beforeAll(async () => {
    system = await startFakeSystem({ secret: SECRET, prefix: '/opendpo' });
  });
  afterAll(() => system.close());
  afterEach(() => {
    system.override = undefined;
  });

  it('sends a signed, valid access request and returns the rows, logging nothing', async () => {
    const logged = [vi.spyOn(console, 'log'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'error'), vi.spyOn(console, 'info')];
    const http = connector(system);
    const req = request('access');
    const outcome = await http.submit(req);
    expect(outcome).toEqual({
      status: 'done',
      rows: { customer: [{ id: 1, email: EMAIL, name: "Ann O'Neil", restricted: false }] },
    });
    const sent = system.received.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/opendpo/v1/requests');
    expect(sent.verdict).toEqual({ valid: true, timestamp: expect.any(Number) });
    expect(sent.headers['x-opendpo-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['user-agent']).toMatch(/^opendpo\//);
    const message = requestMessageSchema.parse(JSON.parse(sent.body));
    expect(message).toEqual({ request_id: req.requestId, action: 'access', identities: { email: EMAIL }, regime: 'gdpr', submitted_at: expect.any(String) });
    expect((await http.created).label).toBe(`http crm (${system.url})`);
    for (const spy of logged) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
  });

  it('erases, and a retry with the same request_id is answered from the first run, not done twice', async () => {
    const http = connector(system);
    const req = request('erasure', { identities: { email: 'customer-2@example.com' } });
    expect(await http.submit(req)).toEqual({ status: 'done', affected: 1 });
    expect(system.customers.map((c) => c.email)).toEqual([EMAIL]);
    const before = system.received.length;
    expect(await http.submit(req)).toEqual({ status: 'done', affected: 1 });
    const retried = system.received.slice(before);
    expect(retried).toHaveLength(1);
    expect(JSON.parse(retried[0]!.body).request_id).toBe(req.requestId);
    expect([...system.requests.keys()].filter((id) => id === req.requestId)).toHaveLength(1);
  });

  it('rectifies and restricts, sending the changes only with a rectification', async () => {
    const http = connector(system);
    const rectify = request('rectification', { changes: { 'customer.name': 'Ann Smith' } });
    expect(await http.submit(rectify)).toEqual({ status: 'done', affected: 1 });
    expect(JSON.parse(system.received.at(-1)!.body).changes).toEqual({ 'customer.name': 'Ann Smith' });
    expect(system.customers.find((c) => c.email === EMAIL)?.name).toBe('Ann Smith');
    expect(await http.submit(request('restriction'))).toEqual({ status: 'done', affected: 1 });
    expect(JSON.parse(system.received.at(-1)!.body)).not.toHaveProperty('changes');
    expect(system.customers.find((c) => c.email === EMAIL)?.restricted).toBe(true);
  });

  it('returns the refusal and its reason when the system cannot identify the person', async () => {
    const outcome = await connector(system).submit(request('access', { identities: { email: 'nobody@example.com' } }));
    expect(outcome).toEqual({ status: 'refused', reason: 'no customer matches the identities given' });
  });

  it('refuses to send a request the protocol does not allow, sending nothing', async () => {
    const before = system.received.length;
    const err = await failure(connector(system).submit(request('rectification')));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('at changes: a rectification says which fields change');
    const empty = await failure(connector(system).submit(request('access', { identities: { email: '' } })));
    expect(empty.message).toContain('at identities.email');
    expect(system.received.length).toBe(before);
  });

  it('submits again when a poll finds the system has forgotten the request (404), with the same request_id', async () => {
    const http = connector(system);
    const req = request('access');
    await http.submit(req);
    system.forgetRequests();
    const before = system.received.length;
    expect((await http.poll(req)).status).toBe('done');
    expect(system.received.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /opendpo/v1/requests/${req.requestId}`,
      'POST /opendpo/v1/requests',
    ]);
    expect(JSON.parse(system.received.at(-1)!.body).request_id).toBe(req.requestId);
  });

  it('is TARGET_INVALID when the system refuses the signature (another secret)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-http-'));
    try {
      const file = path.join(dir, 'secret');
      writeFileSync(file, 'another-secret-of-at-least-32-bytes-xyz\n');
      const err = await failure(connector(system, { secret: { file } }).submit(request('access')));
      expect(err.code).toBe('TARGET_INVALID');
      expect(err.message).toBe(
        `http crm (${system.url}) refused opendpo's signature (HTTP 401): check that both sides hold the same secret and that their clocks agree (POST /opendpo/v1/requests)`,
      );
      expect(system.received.at(-1)!.verdict).toEqual({ valid: false, reason: 'mismatch' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is TARGET_INVALID when the clocks disagree by more than 5 minutes', async () => {
    const slow = connector(system, { now: () => new Date(Date.now() - 6 * 60_000) });
    const err = await failure(slow.submit(request('access')));
    expect(err.code).toBe('TARGET_INVALID');
    expect(system.received.at(-1)!.verdict).toEqual({ valid: false, reason: 'stale' });
  });
});

describe('the HTTP connector with a system that works asynchronously', () => {
  let system: FakeSystem;
  beforeAll(async () => {
    system = await startFakeSystem({ secret: SECRET, pendingPolls: 2 });
  });
  afterAll(() => system.close());

  it('is pending on submit, pending on the first poll, then done, always about the same request', async () => {
    const http = connector(system);
    const req = request('access');
    expect(await http.submit(req)).toEqual({ status: 'pending', reference: req.requestId });
    expect(await http.poll(req)).toEqual({ status: 'pending', reference: req.requestId });
    const done = await http.poll(req);
    expect(done.status).toBe('done');
    expect(done.status === 'done' && done.rows?.customer?.map((r) => r.id)).toEqual([1]);
    expect(system.received.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/requests',
      `GET /v1/requests/${req.requestId}`,
      `GET /v1/requests/${req.requestId}`,
    ]);
    expect(system.received.every((r) => r.verdict.valid)).toBe(true);
    expect(system.received[1]!.body).toBe('');
  });

  it('passes on the message a pending answer gives', async () => {
    const req = request('erasure');
    system.override = () => ({ status: 202, body: JSON.stringify({ request_id: req.requestId, status: 'pending', message: 'waiting for the billing team' }) });
    try {
      expect(await connector(system).submit(req)).toEqual({ status: 'pending', reference: req.requestId, message: 'waiting for the billing team' });
    } finally {
      system.override = undefined;
    }
  });
});

describe('the HTTP connector with a system that misbehaves', () => {
  let system: FakeSystem;
  beforeAll(async () => {
    system = await startFakeSystem({ secret: SECRET });
  });
  afterAll(() => system.close());
  afterEach(() => {
    system.override = undefined;
  });

  const answer = (body: unknown, status = 200) => {
    system.override = () => ({ status, body: typeof body === 'string' ? body : JSON.stringify(body) });
  };

  it('is TARGET_UNAVAILABLE when the system does not answer within the timeout', async () => {
    system.override = () => ({ hang: 'before-headers' });
    const err = await failure(connector(system, { timeoutMs: 300 }).submit(request('access')));
    expect(err.code).toBe('TARGET_UNAVAILABLE');
    expect(err.message).toBe(`http crm (${system.url}) did not answer within 300 ms (POST /v1/requests); the request can be run again`);
  });

  it('is TARGET_UNAVAILABLE when the answer stops half-way', async () => {
    system.override = () => ({ hang: 'mid-body' });
    const err = await failure(connector(system, { timeoutMs: 300 }).poll(request('access')));
    expect(err.code).toBe('TARGET_UNAVAILABLE');
    expect(err.message).toContain('did not answer within 300 ms (GET /v1/requests/');
  });

  it('is TARGET_UNAVAILABLE on 503 and 429, which say "later"', async () => {
    for (const status of [503, 429, 500]) {
      answer({ error: { message: `about ${EMAIL}` } }, status);
      const err = await failure(connector(system).submit(request('access')));
      expect(err.code).toBe('TARGET_UNAVAILABLE');
      expect(err.message).toContain(`answered HTTP ${status} (POST /v1/requests)`);
    }
  });

  it('is TARGET_INVALID, without the body, when the answer is not JSON', async () => {
    answer(`<html>Hello ${EMAIL}</html>`);
    const err = await failure(connector(system).submit(request('access')));
    expect(err.code).toBe('TARGET_INVALID');
    expect(err.message).toBe(`http crm (${system.url}) answered a body that is not JSON (POST /v1/requests)`);
  });

  it('is TARGET_INVALID naming the JSON path, never the value, when the message breaks the schema', async () => {
    const req = request('access');
    answer({ request_id: req.requestId, status: 'done', rows: { customer: [{ id: 1 }, { id: 2, address: { street: 'Secret Street 1' } }] } });
    const err = await failure(connector(system).submit(req), 'Secret Street');
    expect(err.code).toBe('TARGET_INVALID');
    expect(err.message).toBe(
      `http crm (${system.url}) answered an invalid message: at rows.customer[1].address: expected a string, number, boolean or null (POST /v1/requests)`,
    );

    answer({ request_id: req.requestId, status: 'finished-for-customer-1@example.com' });
    const status = await failure(connector(system).submit(req));
    expect(status.message).toContain('at status: Invalid option: expected one of "done"|"pending"|"refused"');

    answer({ request_id: req.requestId, status: 'refused' });
    expect((await failure(connector(system).submit(req))).message).toContain('at reason: a refused request must say why');

    answer({ request_id: req.requestId, status: 'done', affected: -1 });
    expect((await failure(connector(system).submit(request('erasure', { requestId: req.requestId })))).message).toContain('at affected:');

    answer([1, 2]);
    expect((await failure(connector(system).submit(req))).message).toContain('at (the whole message):');
  });

  it('is TARGET_INVALID when an access is "done" without rows, or the answer is about another request', async () => {
    const req = request('access');
    answer({ request_id: req.requestId, status: 'done', affected: 1 });
    expect((await failure(connector(system).submit(req))).message).toContain('at rows: an access request that is done returns rows');
    answer({ request_id: 'another-request', status: 'done', rows: {} });
    const other = await failure(connector(system).submit(req));
    expect(other.code).toBe('TARGET_INVALID');
    expect(other.message).toContain('answered about another request');
  });

  it('is TARGET_INVALID when the answer is larger than the limit, announced or streamed', async () => {
    const req = request('access');
    const big = JSON.stringify({ request_id: req.requestId, status: 'done', rows: { customer: [{ note: 'x'.repeat(4096) }] } });
    answer(big);
    const announced = await failure(connector(system, { maxResponseBytes: 1024 }).submit(req));
    expect(announced.code).toBe('TARGET_INVALID');
    expect(announced.message).toBe(`http crm (${system.url}) answered more than 1024 bytes (the limit for one answer) (POST /v1/requests)`);

    system.override = () => ({ chunks: 200, chunkBytes: 64 * 1024 });
    const streamed = await failure(connector(system, { maxResponseBytes: 1024 * 1024 }).submit(req));
    expect(streamed.code).toBe('TARGET_INVALID');
    expect(streamed.message).toContain('answered more than 1 MiB (the limit for one answer)');
  });

  it('is TARGET_INVALID, before parsing, when the answer holds more JSON values than one person\'s data', async () => {
    // 3 MB, far under the byte limit, but a value every three bytes: parsed, it would take some
    // 100 MB and seconds, and 50 MiB of it gigabytes.
    const req = request('access');
    answer(`{"request_id":"${req.requestId}","status":"done","rows":{"customer":[${'{},'.repeat(DEFAULT_MAX_RESPONSE_VALUES)}{}]}}`);
    const err = await failure(connector(system).submit(req));
    expect(err.code).toBe('TARGET_INVALID');
    expect(err.message).toBe(
      `http crm (${system.url}) answered more than 1,000,000 JSON values (the limit for one answer: far more than one person's data); nothing of it was read (POST /v1/requests)`,
    );

    // Under the limit, the same shape is read.
    answer({ request_id: req.requestId, status: 'done', rows: { customer: Array.from({ length: 1000 }, () => ({})) } });
    expect(await connector(system).submit(req)).toMatchObject({ status: 'done', rows: { customer: expect.any(Array) } });
  });

  it('does not follow redirects: the identities would go wherever they point', async () => {
    const other = await startFakeSystem({ secret: SECRET });
    try {
      system.override = () => ({ status: 307, headers: { location: `${other.url}/v1/requests` } });
      const err = await failure(connector(system).submit(request('access')));
      expect(err.code).toBe('TARGET_INVALID');
      expect(err.message).toContain('answered a redirect (HTTP 307)');
      expect(other.received).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('is TARGET_INVALID when POST finds no endpoint (404) or the request is refused (400)', async () => {
    answer({ error: {} }, 404);
    expect((await failure(connector(system).submit(request('access')))).message).toContain('answered HTTP 404: no opendpo endpoint at this URL');
    answer({ error: {} }, 400);
    const bad = await failure(connector(system).submit(request('access')));
    expect(bad.code).toBe('TARGET_INVALID');
    expect(bad.message).toContain('answered HTTP 400 (POST /v1/requests)');
  });
});

describe('the HTTP connector when the system is down or misconfigured', () => {
  it('is TARGET_UNAVAILABLE (connection refused) when nothing listens', async () => {
    const port = await freePort();
    const http = await createHttpConnector({ name: 'crm', url: `http://127.0.0.1:${port}`, secret: { env: ENV } });
    const err = await failure(http.submit(request('erasure')));
    expect(err.code).toBe('TARGET_UNAVAILABLE');
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe(`http crm (http://127.0.0.1:${port}) cannot be reached: connection refused (POST /v1/requests); the request can be run again`);
  });

  it('refuses a configuration that would leak identities or credentials, naming the connection', async () => {
    const make = (extra: Partial<HttpConnectorOptions>) => createHttpConnector({ name: 'crm', url: 'https://crm.example.com', secret: { env: ENV }, ...extra });
    await expect(make({ url: 'http://crm.example.com' })).rejects.toThrow('connection crm: url must use https://');
    await expect(make({ url: 'http://crm.internal', allowInsecureHttp: true })).resolves.toBeDefined();
    await expect(make({ url: 'https://user:pw@crm.example.com' })).rejects.toThrow('connection crm: url must not hold a user name or password');
    await expect(make({ url: 'https://crm.example.com/?token=x' })).rejects.toThrow('without ?query');
    await expect(make({ url: 'ftp://crm.example.com' })).rejects.toThrow('url must start with https://');
    await expect(make({ url: 'not a url' })).rejects.toThrow('connection crm: url is not a URL');
    await expect(make({ timeoutMs: 0 })).rejects.toThrow('timeout_ms must be a positive whole number');
    await expect(make({ secret: { env: 'OPENDPO_TEST_NO_SUCH_VARIABLE' } })).rejects.toThrow(
      'the environment variable OPENDPO_TEST_NO_SUCH_VARIABLE is not set (the signing secret of connection crm)',
    );
    await expect(make({ secret: { file: '/nonexistent/opendpo-secret' } })).rejects.toThrow(
      'cannot read the secret file /nonexistent/opendpo-secret: it does not exist (the signing secret of connection crm)',
    );
    process.env.OPENDPO_TEST_SHORT_SECRET = 'short-secret';
    try {
      const err = await failure(make({ secret: { env: 'OPENDPO_TEST_SHORT_SECRET' } }), 'short-secret');
      expect(err.code).toBe('CONFIG_INVALID');
      expect(err.message).toBe('the signing secret of connection crm (environment variable OPENDPO_TEST_SHORT_SECRET) is shorter than 32 bytes');
    } finally {
      delete process.env.OPENDPO_TEST_SHORT_SECRET;
    }
  });

  it('takes a confidential base URL from a secret reference and never shows its path', async () => {
    const system = await startFakeSystem({ secret: SECRET, prefix: '/hooks/T0KEN-IN-PATH' });
    process.env.OPENDPO_TEST_HTTP_URL = system.url;
    try {
      const http = await createHttpConnector({ name: 'crm', url: { env: 'OPENDPO_TEST_HTTP_URL' }, secret: { env: ENV } });
      expect(http.label).toBe(`http crm (${new URL(system.url).origin})`);
      expect((await http.submit(request('access'))).status).toBe('done');
      expect(system.received[0]!.path).toBe('/hooks/T0KEN-IN-PATH/v1/requests');
      system.override = () => ({ status: 200, body: 'not json' });
      const err = await failure(http.submit(request('access')), 'T0KEN-IN-PATH');
      expect(err.message).toContain('(POST /v1/requests)');
      await expect(createHttpConnector({ name: 'crm', url: { env: 'OPENDPO_TEST_NO_SUCH_URL' }, secret: { env: ENV } })).rejects.toThrow(
        'the environment variable OPENDPO_TEST_NO_SUCH_URL is not set (the url of connection crm)',
      );
    } finally {
      delete process.env.OPENDPO_TEST_HTTP_URL;
      await system.close();
    }
  });
});

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
