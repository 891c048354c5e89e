/**
 * The signature as a system implementing the endpoints checks it: the worked example of
 * docs/http-connector-protocol.md, and real requests captured on the wire, tampered with.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpConnector } from '../../../src/connectors/http/http-connector.js';
import {
  computeOpendpoSignature,
  requestMessageSchema,
  signOpendpoRequest,
  statusMessageSchema,
  verifyOpendpoSignature,
  type VerifyOpendpoSignatureInput,
} from '../../../src/connectors/http/protocol.js';
import { ROOT } from '../../helpers/cli.js';
import { startFakeSystem, type FakeSystem, type Received } from './fake-system.js';

const SECRET = 'protocol-test-secret-at-least-32-bytes-long';
const ENV = 'OPENDPO_TEST_HTTP_PROTOCOL_SECRET';

// The worked example of docs/http-connector-protocol.md (checked there with openssl too).
const EXAMPLE = {
  secret: 'opendpo-example-secret-0123456789abcdef',
  timestamp: '1767225600',
  body: '{"request_id":"4f1c2a9e-8d3b-4c6a-9e2f-1b7d5a3c9e01","action":"access","identities":{"email":"jane@example.com"},"regime":"gdpr","submitted_at":"2026-01-01T00:00:00.000Z"}',
  signature: 'a1b80203d13ae78413df59b9d2e09690a1345c13a059177753a3a313af1a6863',
};

describe('the worked example of the protocol document', () => {
  it('gives the signature the document shows, and the document shows it', () => {
    expect(computeOpendpoSignature(EXAMPLE.secret, EXAMPLE.timestamp, 'POST', '/v1/requests', EXAMPLE.body)).toBe(EXAMPLE.signature);
    expect(signOpendpoRequest({ secret: EXAMPLE.secret, method: 'POST', path: '/v1/requests', body: EXAMPLE.body, now: new Date('2026-01-01T00:00:00.000Z') })).toEqual({
      'X-Opendpo-Timestamp': EXAMPLE.timestamp,
      'X-Opendpo-Signature': `v1=${EXAMPLE.signature}`,
    });
    const doc = readFileSync(path.join(ROOT, 'docs/http-connector-protocol.md'), 'utf8');
    for (const text of [EXAMPLE.secret, EXAMPLE.timestamp, EXAMPLE.body, EXAMPLE.signature]) expect(doc).toContain(text);
    // The example body is a valid request message.
    expect(requestMessageSchema.safeParse(JSON.parse(EXAMPLE.body)).success).toBe(true);
  });

  it('is accepted at its own time and refused 5 minutes and 1 second either side', () => {
    const input: VerifyOpendpoSignatureInput = {
      secret: EXAMPLE.secret,
      method: 'POST',
      path: '/v1/requests',
      body: EXAMPLE.body,
      timestamp: EXAMPLE.timestamp,
      signature: `v1=${EXAMPLE.signature}`,
    };
    const at = (iso: string) => verifyOpendpoSignature({ ...input, now: new Date(iso) });
    expect(at('2026-01-01T00:00:00Z')).toEqual({ valid: true, timestamp: 1767225600 });
    expect(at('2026-01-01T00:05:00Z').valid).toBe(true);
    expect(at('2025-12-31T23:55:00Z').valid).toBe(true);
    expect(at('2026-01-01T00:05:01Z')).toEqual({ valid: false, reason: 'stale' });
    expect(at('2025-12-31T23:54:59Z')).toEqual({ valid: false, reason: 'stale' });
  });
});

describe('verifyOpendpoSignature on requests captured from the connector', () => {
  let system: FakeSystem;
  let post: Received;
  let get: Received;

  beforeAll(async () => {
    process.env[ENV] = SECRET;
    system = await startFakeSystem({ secret: SECRET, prefix: '/privacy' });
    const http = await createHttpConnector({ name: 'crm', url: system.url, secret: { env: ENV } });
    const request = { requestId: randomUUID(), action: 'access' as const, identities: { email: 'customer-1@example.com' } };
    await http.submit(request);
    await http.poll(request);
    [post, get] = system.received as [Received, Received];
  });
  afterAll(async () => {
    delete process.env[ENV];
    await system.close();
  });

  const input = (r: Received, extra: Partial<VerifyOpendpoSignatureInput> = {}): VerifyOpendpoSignatureInput => ({
    secret: SECRET,
    method: r.method,
    path: r.path,
    body: r.body,
    timestamp: r.headers['x-opendpo-timestamp'] as string,
    signature: r.headers['x-opendpo-signature'] as string,
    ...extra,
  });

  it('accepts them as sent (body as text or bytes)', () => {
    expect(verifyOpendpoSignature(input(post)).valid).toBe(true);
    expect(verifyOpendpoSignature(input(post, { body: Buffer.from(post.body) })).valid).toBe(true);
    expect(verifyOpendpoSignature(input(get)).valid).toBe(true);
    expect(get.path).toMatch(/^\/privacy\/v1\/requests\/[0-9a-f-]{36}$/);
  });

  it('refuses a tampered body, method, path or timestamp', () => {
    const tampered = post.body.replace('customer-1@example.com', 'customer-2@example.com');
    expect(tampered).not.toBe(post.body);
    expect(verifyOpendpoSignature(input(post, { body: tampered }))).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifyOpendpoSignature(input(post, { body: `${post.body} ` }))).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifyOpendpoSignature(input(get, { method: 'DELETE' }))).toEqual({ valid: false, reason: 'mismatch' });
    // Another last character of the request id (the id is random: never the same one).
    const otherId = `${get.path.slice(0, -1)}${get.path.endsWith('0') ? '1' : '0'}`;
    expect(otherId).not.toBe(get.path);
    expect(verifyOpendpoSignature(input(get, { path: otherId }))).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifyOpendpoSignature(input(get, { path: get.path.replace('/privacy', '') }))).toEqual({ valid: false, reason: 'mismatch' });
    const ts = Number(post.headers['x-opendpo-timestamp']);
    expect(verifyOpendpoSignature(input(post, { timestamp: String(ts + 1) }))).toEqual({ valid: false, reason: 'mismatch' });
  });

  it('refuses a stale timestamp, even with a valid signature: a replay after 5 minutes', () => {
    const ts = Number(post.headers['x-opendpo-timestamp']);
    expect(verifyOpendpoSignature(input(post, { now: new Date((ts + 301) * 1000) }))).toEqual({ valid: false, reason: 'stale' });
    expect(verifyOpendpoSignature(input(post, { now: new Date((ts + 60) * 1000), toleranceSeconds: 30 }))).toEqual({ valid: false, reason: 'stale' });
  });

  it('refuses another secret, and accepts either secret during a rotation', () => {
    expect(verifyOpendpoSignature(input(post, { secret: 'another-secret-of-at-least-32-bytes-xyz' }))).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifyOpendpoSignature(input(post, { secret: ['another-secret-of-at-least-32-bytes-xyz', SECRET] })).valid).toBe(true);
  });

  it('says what is wrong with missing or malformed headers', () => {
    expect(verifyOpendpoSignature(input(post, { signature: undefined }))).toEqual({ valid: false, reason: 'missing' });
    expect(verifyOpendpoSignature(input(post, { timestamp: '' }))).toEqual({ valid: false, reason: 'missing' });
    expect(verifyOpendpoSignature(input(post, { timestamp: '2026-01-01T00:00:00Z' }))).toEqual({ valid: false, reason: 'malformed' });
    expect(verifyOpendpoSignature(input(post, { signature: 'sha256=abc' }))).toEqual({ valid: false, reason: 'malformed' });
    expect(verifyOpendpoSignature(input(post, { signature: 'v1=abc' }))).toEqual({ valid: false, reason: 'malformed' });
    // Several signatures (a sender mid-rotation): any one valid is enough.
    const good = post.headers['x-opendpo-signature'] as string;
    expect(verifyOpendpoSignature(input(post, { signature: `v1=${'0'.repeat(64)}, ${good}` })).valid).toBe(true);
    expect(verifyOpendpoSignature(input(post, { signature: good.toUpperCase().replace('V1=', 'v1=') })).valid).toBe(true);
  });
});

describe('the message schemas', () => {
  it('take a status message with unknown keys (a system may say more), and give them back without', () => {
    const parsed = statusMessageSchema.parse({ request_id: 'r-1', status: 'pending', expected_by: '2026-02-01T00:00:00Z' });
    expect(parsed).toEqual({ request_id: 'r-1', status: 'pending' });
  });

  it('refuse rows with any status but done', () => {
    const result = statusMessageSchema.safeParse({ request_id: 'r-1', status: 'pending', rows: {} });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([['rows']]);
  });
});
