/**
 * A small system implementing the opendpo systems protocol on a real HTTP server (node:http on
 * 127.0.0.1, port 0), the way a CRM's developers would: it checks the signature with
 * verifyOpendpoSignature, validates the request with requestMessageSchema, keeps requests by
 * request_id (a second POST of the same id is a question, not a new request), and holds a few
 * customers it can find, erase or restrict. Tests script misbehaviour through `override`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestMessageSchema, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyOpendpoSignature, type RequestMessage, type SignatureVerdict, type StatusMessage } from '../../../src/connectors/http/protocol.js';

export interface Received {
  method: string;
  path: string;
  body: string;
  headers: IncomingMessage['headers'];
  verdict: SignatureVerdict;
}

export interface Customer {
  id: number;
  email: string;
  name: string | null;
  restricted: boolean;
}

/** What to do instead of the normal behaviour: a raw answer, or hang (before headers or mid-body). */
export type Override =
  | { status: number; body?: string | Buffer; headers?: Record<string, string> }
  | { hang: 'before-headers' | 'mid-body' }
  | { chunks: number; chunkBytes: number };

export interface FakeSystemOptions {
  secret: string;
  /** Path prefix of the base URL, e.g. "/opendpo". */
  prefix?: string;
  /** Polls a request answers "pending" to before it is done (0: done at once). */
  pendingPolls?: number;
}

export interface FakeSystem {
  /** The base URL to give the connector. */
  url: string;
  received: Received[];
  customers: Customer[];
  /** Requests kept by request_id, with the status they reached. */
  requests: Map<string, { message: RequestMessage; status: StatusMessage; polls: number }>;
  override?: ((received: Received) => Override | undefined) | undefined;
  /** Forget every request (a system reset): the next poll gets 404. */
  forgetRequests(): void;
  close(): Promise<void>;
}

export async function startFakeSystem(options: FakeSystemOptions): Promise<FakeSystem> {
  const prefix = options.prefix ?? '';
  const system: FakeSystem = {
    url: '',
    received: [],
    customers: [
      { id: 1, email: 'customer-1@example.com', name: "Ann O'Neil", restricted: false },
      { id: 2, email: 'customer-2@example.com', name: 'Bob Stone', restricted: false },
    ],
    requests: new Map(),
    forgetRequests: () => system.requests.clear(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '';
    const received: Received = {
      method: req.method ?? '',
      path,
      body,
      headers: req.headers,
      verdict: verifyOpendpoSignature({
        secret: options.secret,
        method: req.method ?? '',
        path,
        body,
        timestamp: req.headers[TIMESTAMP_HEADER.toLowerCase()] as string | undefined,
        signature: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined,
      }),
    };
    system.received.push(received);

    const override = system.override?.(received);
    if (override) return misbehave(res, override);
    if (!received.verdict.valid) return json(res, 401, { error: { code: 'signature', message: received.verdict.reason } });

    if (req.method === 'POST' && path === `${prefix}/v1/requests`) {
      const parsed = requestMessageSchema.safeParse(JSON.parse(body));
      if (!parsed.success) return json(res, 400, { error: { code: 'invalid', message: 'invalid request' } });
      const known = system.requests.get(parsed.data.request_id);
      if (known) return json(res, 200, known.status);
      const entry: { message: RequestMessage; status: StatusMessage; polls: number } = { message: parsed.data, status: { request_id: parsed.data.request_id, status: 'pending' }, polls: 0 };
      system.requests.set(parsed.data.request_id, entry);
      if ((options.pendingPolls ?? 0) === 0) entry.status = act(system, parsed.data);
      return json(res, entry.status.status === 'pending' ? 202 : 200, entry.status);
    }
    const match = new RegExp(`^${prefix}/v1/requests/([^/]+)$`).exec(path);
    if (req.method === 'GET' && match) {
      const entry = system.requests.get(decodeURIComponent(match[1]!));
      if (!entry) return json(res, 404, { error: { code: 'not_found', message: 'unknown request' } });
      entry.polls += 1;
      if (entry.status.status === 'pending' && entry.polls >= (options.pendingPolls ?? 0)) entry.status = act(system, entry.message);
      return json(res, 200, entry.status);
    }
    return json(res, 404, { error: { code: 'not_found', message: 'no such endpoint' } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  system.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
  return system;
}

/** The system doing the work: find the person's customers by email, then act. */
function act(system: FakeSystem, message: RequestMessage): StatusMessage {
  const email = message.identities.email;
  const mine = system.customers.filter((c) => email !== undefined && c.email === email);
  const request_id = message.request_id;
  if (mine.length === 0) return { request_id, status: 'refused', reason: 'no customer matches the identities given' };
  switch (message.action) {
    case 'access':
      return { request_id, status: 'done', rows: { customer: mine.map((c) => ({ id: c.id, email: c.email, name: c.name, restricted: c.restricted })) } };
    case 'erasure':
      system.customers = system.customers.filter((c) => !mine.includes(c));
      return { request_id, status: 'done', affected: mine.length };
    case 'restriction':
      for (const c of mine) c.restricted = true;
      return { request_id, status: 'done', affected: mine.length };
    case 'rectification':
      for (const c of mine) if (message.changes?.['customer.name'] !== undefined) c.name = message.changes['customer.name'];
      return { request_id, status: 'done', affected: mine.length };
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function misbehave(res: ServerResponse, override: Override): void {
  if ('hang' in override) {
    if (override.hang === 'mid-body') {
      // Headers and the start of a body, then nothing: the connection stays open.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"request_id": "');
    }
    return;
  }
  if ('chunks' in override) {
    // A body streamed without Content-Length, larger than the client's limit.
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(override.chunkBytes, 'x');
    let sent = 0;
    const next = () => {
      while (sent < override.chunks) {
        sent += 1;
        if (!res.write(chunk)) return void res.once('drain', next);
      }
      res.end();
    };
    res.on('error', () => {});
    next();
    return;
  }
  res.writeHead(override.status, { 'content-type': 'application/json', ...override.headers });
  res.end(override.body ?? '');
}
