/**
 * The webhook notifier against a real HTTP server on loopback: the signed POST, what is tried again
 * and what is not, and the receiver's check of the signature (Art. 19, Art. 32).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RecipientNotice } from '../../src/notify/notifier.js';
import { signWebhookBody, verifyWebhookSignature, WebhookNotifier } from '../../src/notify/webhook/webhook-notifier.js';

const SECRET = 'a-secret-shared-with-one-recipient-0123456789';
const FAST = { retryDelaysMs: [10, 20] };

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A receiver on 127.0.0.1, port 0, answering with whatever the test sets. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[]; answer(handler: Handler): void }> {
  const received: Received[] = [];
  let handler: Handler = (_req, res) => res.end();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/opendpo/art19`, received, answer: (h) => (handler = h) };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const notice = (over: Partial<RecipientNotice> = {}): RecipientNotice => ({
  id: randomUUID(),
  organisationId: 'acme-shop',
  requestId: randomUUID(),
  recipientId: 'colis-express',
  action: 'erasure',
  categories: ['user.contact.address', 'user.contact.phone_number'],
  occurredAt: '2026-03-12T09:30:00.000Z',
  subjectRef: 'CUST-00042',
  ...over,
});

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => stop(receiver.server));
afterEach(() => {
  receiver.received.length = 0;
});

describe('the webhook notifier', () => {
  it('posts the notice as JSON, signed, with its id as the idempotency key, and keeps the answer', async () => {
    receiver.answer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
    const n = notice();
    const result = await new WebhookNotifier({ url: receiver.url, secret: SECRET, ...FAST }).deliver(n);

    expect(result).toMatchObject({ outcome: 'delivered', answer: '{"received":true}' });
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({ status: 200 });
    expect(result.attempts[0]!.error).toBeUndefined();
    expect(result.attempts[0]!.durationMs).toBeGreaterThanOrEqual(0);

    const [got] = receiver.received;
    expect(got!.headers['idempotency-key']).toBe(n.id);
    expect(got!.headers['content-type']).toBe('application/json');
    expect(verifyWebhookSignature(SECRET, got!.headers['opendpo-signature'] as string, got!.body, new Date(), 300)).toMatchObject({ valid: true });
    expect(JSON.parse(got!.body)).toEqual({
      type: 'opendpo.art19.notice',
      version: 1,
      id: n.id,
      organisation_id: 'acme-shop',
      request_id: n.requestId,
      recipient_id: 'colis-express',
      action: 'erasure',
      categories: ['user.contact.address', 'user.contact.phone_number'],
      occurred_at: '2026-03-12T09:30:00.000Z',
      subject_ref: 'CUST-00042',
    });
  });

  it('tries again after a 503 and delivers on the second attempt, with the same idempotency key', async () => {
    let calls = 0;
    receiver.answer((_req, res) => {
      calls += 1;
      if (calls === 1) res.writeHead(503).end('busy');
      else res.writeHead(200).end('ok');
    });
    const n = notice();
    const result = await new WebhookNotifier({ url: receiver.url, secret: SECRET, ...FAST }).deliver(n);
    expect(result.outcome).toBe('delivered');
    expect(result.attempts.map((a) => a.status)).toEqual([503, 200]);
    expect(result.attempts[0]!.error).toBe('answered HTTP 503');
    expect(result.answer).toBe('ok');
    expect(receiver.received.map((r) => r.headers['idempotency-key'])).toEqual([n.id, n.id]);
  });

  it('also tries again on 408 and 429, three tries at most', async () => {
    const statuses = [408, 429, 500];
    receiver.answer((_req, res) => res.writeHead(statuses.shift()!, { 'retry-after': '0' }).end());
    const result = await new WebhookNotifier({ url: receiver.url, secret: SECRET, ...FAST }).deliver(notice());
    expect(result.outcome).toBe('failed');
    expect(result.attempts.map((a) => a.status)).toEqual([408, 429, 500]);
  });

  it('does not try again after a 400: the same notice would be refused the same way', async () => {
    receiver.answer((_req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"unknown recipient"}'));
    const result = await new WebhookNotifier({ url: receiver.url, secret: SECRET, ...FAST }).deliver(notice());
    expect(result.outcome).toBe('failed');
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({ status: 400, error: 'answered HTTP 400: refused, not tried again' });
    expect(result.answer).toBe('{"error":"unknown recipient"}');
    expect(receiver.received).toHaveLength(1);
  });

  it('fails, every attempt recorded, when nobody listens: a result, not an exception', async () => {
    const down = await startReceiver();
    const url = down.url;
    await stop(down.server);
    const result = await new WebhookNotifier({ url, secret: SECRET, ...FAST }).deliver(notice());
    expect(result.outcome).toBe('failed');
    expect(result.attempts).toHaveLength(3);
    for (const a of result.attempts) {
      expect(a.status).toBeUndefined();
      expect(a.error).toMatch(/^could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
    }
  });

  it('never follows a redirect, to another host or its own', async () => {
    const elsewhere = await startReceiver();
    try {
      receiver.answer((_req, res) => res.writeHead(307, { location: elsewhere.url }).end());
      const result = await new WebhookNotifier({ url: receiver.url, secret: SECRET, ...FAST }).deliver(notice());
      expect(result.outcome).toBe('failed');
      expect(result.attempts).toHaveLength(1);
      expect(result.attempts[0]!.status).toBe(307);
      expect(result.attempts[0]!.error).toContain('answered a redirect (HTTP 307 to http://127.0.0.1:');
      expect(result.attempts[0]!.error).toContain('which opendpo does not follow');
      expect(elsewhere.received).toHaveLength(0);

      receiver.answer((_req, res) => res.writeHead(301, { location: '/moved' }).end());
      const same = await new WebhookNotifier({ url: receiver.url, secret: SECRET, ...FAST }).deliver(notice());
      expect(same.attempts[0]!.error).toContain('HTTP 301 to /moved');
    } finally {
      await stop(elsewhere.server);
    }
  });

  it('gives up on an attempt after its timeout, and tries again', async () => {
    receiver.answer(() => undefined); // never answers
    const started = Date.now();
    const result = await new WebhookNotifier({ url: receiver.url, secret: SECRET, timeoutMs: 200, retryDelaysMs: [10] }).deliver(notice());
    expect(result.outcome).toBe('failed');
    expect(result.attempts.map((a) => a.error)).toEqual(['no answer within 200 ms', 'no answer within 200 ms']);
    expect(result.attempts[0]!.durationMs).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('keeps 2 KB of the answer, cut on a character', async () => {
    receiver.answer((_req, res) => res.writeHead(200).end('é'.repeat(5000)));
    const result = await new WebhookNotifier({ url: receiver.url, secret: SECRET, ...FAST }).deliver(notice());
    expect(result.outcome).toBe('delivered');
    expect(result.answer).toBe('é'.repeat(1024));
  });

  it('refuses URLs that are not http(s), credentials in the URL, a short secret, and a malformed notice', async () => {
    expect(() => new WebhookNotifier({ url: 'ftp://127.0.0.1/x', secret: SECRET })).toThrow(/http: or https:/);
    expect(() => new WebhookNotifier({ url: 'file:///etc/passwd', secret: SECRET })).toThrow(/http: or https:/);
    expect(() => new WebhookNotifier({ url: 'not a url', secret: SECRET })).toThrow(/not a URL/);
    expect(() => new WebhookNotifier({ url: 'https://user:pw@example.com/', secret: SECRET })).toThrow(/user name or password/);
    expect(() => new WebhookNotifier({ url: receiver.url, secret: 'short' })).toThrow(/32 bytes/);
    const notifier = new WebhookNotifier({ url: receiver.url, secret: SECRET, ...FAST });
    await expect(notifier.deliver(notice({ subjectRef: 'jane@example.com' }))).rejects.toThrow(/subjectRef/);
    await expect(notifier.deliver(notice({ subjectRef: 'Jane Doe' }))).rejects.toThrow(/subjectRef/);
    await expect(notifier.deliver(notice({ id: 'not-a-uuid' }))).rejects.toThrow(/id/);
    expect(receiver.received).toHaveLength(0);
  });
});

describe('verifyWebhookSignature', () => {
  const body = '{"type":"opendpo.art19.notice","id":"x"}';
  const now = new Date('2026-03-12T10:00:00Z');
  const header = signWebhookBody(SECRET, body, now);

  it('accepts the body as signed, within five minutes either way', () => {
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, header, body, now, 300)).toEqual({ valid: true, timestamp: now.getTime() / 1000 });
    expect(verifyWebhookSignature(SECRET, header, Buffer.from(body), new Date(now.getTime() + 299_000), 300).valid).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, body, new Date(now.getTime() - 299_000), 300).valid).toBe(true);
  });

  it('refuses a tampered body, another secret, an old or future timestamp', () => {
    expect(verifyWebhookSignature(SECRET, header, body.replace('"x"', '"y"'), now, 300)).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifyWebhookSignature(`${SECRET}!`, header, body, now, 300)).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifyWebhookSignature(SECRET, header, body, new Date(now.getTime() + 301_000), 300)).toEqual({ valid: false, reason: 'stale' });
    expect(verifyWebhookSignature(SECRET, header, body, new Date(now.getTime() - 301_000), 300)).toEqual({ valid: false, reason: 'stale' });
    // A replay with a fresh timestamp but the old signature: the timestamp is signed too.
    const fresh = header.replace(/^t=\d+/, `t=${Math.floor(now.getTime() / 1000) + 60}`);
    expect(verifyWebhookSignature(SECRET, fresh, body, now, 300)).toEqual({ valid: false, reason: 'mismatch' });
  });

  it('accepts any one of several v1 values (a secret being rotated), and refuses what is not a signature', () => {
    const other = signWebhookBody('another-secret-of-at-least-32-bytes-xx', body, now).split(',')[1]!;
    expect(verifyWebhookSignature(SECRET, `${header},${other}`, body, now, 300).valid).toBe(true);
    expect(verifyWebhookSignature(SECRET, undefined, body, now, 300)).toEqual({ valid: false, reason: 'missing' });
    expect(verifyWebhookSignature(SECRET, '', body, now, 300)).toEqual({ valid: false, reason: 'missing' });
    expect(verifyWebhookSignature(SECRET, 'v1=abc', body, now, 300)).toEqual({ valid: false, reason: 'malformed' });
    expect(verifyWebhookSignature(SECRET, header.replace(/v1=[0-9a-f]{2}/, 'v1=zz'), body, now, 300)).toEqual({ valid: false, reason: 'malformed' });
    expect(verifyWebhookSignature(SECRET, header.split(',')[0]!, body, now, 300)).toEqual({ valid: false, reason: 'malformed' });
  });
});
