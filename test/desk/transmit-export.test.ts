/**
 * The portability export sent directly to another controller (Art. 20(2)): the address classifier,
 * the URL validator, and real transmissions to a real HTTPS server on 127.0.0.1 with a self-signed
 * certificate made for the test by openssl. The URL is a person's choice, so every way of pointing
 * the server at its own network is refused before any connection (Art. 32(1)).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyAddress, type AddressRange } from '../../src/desk/transmit/classify-address.js';
import { transmitExport, type ResolvedAddress, type TransmitExportOptions } from '../../src/desk/transmit/transmit-export.js';
import { checkTransmitUrl, TransmitToUrl } from '../../src/desk/transmit/transmit-url.js';

describe('classifyAddress', () => {
  const table: [string, string, AddressRange][] = [
    // IPv4
    ['8.8.8.8', '8.8.8.8', 'public'],
    ['1.1.1.1', '1.1.1.1', 'public'],
    ['172.32.0.1', '172.32.0.1', 'public'],
    ['100.128.0.1', '100.128.0.1', 'public'],
    ['127.0.0.1', '127.0.0.1', 'loopback'],
    ['127.255.255.254', '127.255.255.254', 'loopback'],
    ['10.0.0.1', '10.0.0.1', 'private'],
    ['172.16.0.1', '172.16.0.1', 'private'],
    ['172.31.255.255', '172.31.255.255', 'private'],
    ['192.168.1.1', '192.168.1.1', 'private'],
    ['169.254.169.254', '169.254.169.254', 'link_local'],
    ['100.64.0.1', '100.64.0.1', 'carrier_grade_nat'],
    ['100.127.255.255', '100.127.255.255', 'carrier_grade_nat'],
    ['0.0.0.0', '0.0.0.0', 'unspecified'],
    ['0.1.2.3', '0.1.2.3', 'unspecified'],
    ['224.0.0.1', '224.0.0.1', 'multicast'],
    ['239.255.255.250', '239.255.255.250', 'multicast'],
    ['255.255.255.255', '255.255.255.255', 'broadcast'],
    ['240.0.0.1', '240.0.0.1', 'reserved'],
    ['192.0.2.1', '192.0.2.1', 'reserved'],
    ['198.18.0.1', '198.18.0.1', 'reserved'],
    ['203.0.113.9', '203.0.113.9', 'reserved'],
    ['192.0.0.8', '192.0.0.8', 'reserved'],
    // The forms inet_aton (and so the system's resolver) reads as 127.0.0.1.
    ['127.1', '127.0.0.1', 'loopback'],
    ['0x7f.1', '127.0.0.1', 'loopback'],
    ['0x7f000001', '127.0.0.1', 'loopback'],
    ['2130706433', '127.0.0.1', 'loopback'],
    ['0177.0.0.1', '127.0.0.1', 'loopback'],
    // IPv6
    ['2606:4700:4700::1111', '2606:4700:4700::1111', 'public'],
    ['2a00:1450:4007:80c::200e', '2a00:1450:4007:80c::200e', 'public'],
    ['::1', '::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', '::1', 'loopback'],
    ['::', '::', 'unspecified'],
    ['fe80::1', 'fe80::1', 'link_local'],
    ['fe80::1%eth0', 'fe80::1', 'link_local'],
    ['febf::1', 'febf::1', 'link_local'],
    ['fc00::1', 'fc00::1', 'private'],
    ['fd00:ec2::254', 'fd00:ec2::254', 'private'],
    ['fec0::1', 'fec0::1', 'private'],
    ['ff02::1', 'ff02::1', 'multicast'],
    ['2001:db8::1', '2001:db8::1', 'reserved'],
    ['100::1', '100::1', 'special_purpose'],
    // IPv4-compatible (deprecated): the library calls it unicast; outside 2000::/3, so refused.
    ['::7f00:1', '::7f00:1', 'reserved'],
    ['::8.8.8.8', '::808:808', 'reserved'],
    ['::127.0.0.1', '::7f00:1', 'reserved'],
    // IPv4-mapped: the IPv4 address inside is where the packets go.
    ['::ffff:127.0.0.1', '127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', '127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', '10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', '169.254.169.254', 'link_local'],
    ['::ffff:100.64.0.1', '100.64.0.1', 'carrier_grade_nat'],
    ['::ffff:0.0.0.0', '0.0.0.0', 'unspecified'],
    ['::ffff:8.8.8.8', '8.8.8.8', 'public'],
    // IPv6 carrying IPv4 through a gateway: the IPv4 inside is out of sight.
    ['64:ff9b::7f00:1', '64:ff9b::7f00:1', 'ipv4_translation'],
    ['64:ff9b:1::a00:1', '64:ff9b:1::a00:1', 'ipv4_translation'],
    ['2002:7f00:1::1', '2002:7f00:1::1', 'ipv4_translation'],
    ['2001::1', '2001::1', 'ipv4_translation'],
    ['::ffff:0:7f00:1', '::ffff:0:7f00:1', 'ipv4_translation'],
  ];

  it.each(table)('%s is %s, %s', (text, address, range) => {
    expect(classifyAddress(text)).toEqual({ address, family: address.includes(':') ? 6 : 4, range, public: range === 'public' });
  });

  it('says a host name or anything else is no address', () => {
    for (const text of ['example.org', 'localhost', '', '1.2.3.4.5', '256.1.1.1', '[::1]', '::1::2']) expect(classifyAddress(text)).toBeUndefined();
  });
});

describe('the transmit_to URL', () => {
  const messages = (value: unknown) => TransmitToUrl.safeParse(value).error?.issues.map((i) => i.message) ?? [];

  it.each([
    'https://api.example.org/import',
    'https://receiver.example.com:8443/gdpr/art20?batch=1',
    'https://xn--bcher-kva.example/import',
    'https://8.8.8.8/import',
    'https://[2606:4700:4700::1111]/import',
  ])('accepts %s', (url) => {
    expect(messages(url)).toEqual([]);
    expect(checkTransmitUrl(url).ok).toBe(true);
  });

  // WHATWG URL parsing (what `new URL()` does) turns every numeric IPv4 form into a.b.c.d before the
  // check sees it, so the refusal names the address the socket would reach.
  it.each([
    ['http://api.example.org/import', 'must be an https:// URL'],
    ['ftp://api.example.org/import', 'must be an https:// URL'],
    ['api.example.org/import', 'must be a URL such as https://api.example.org/import'],
    ['https://user:secret@api.example.org/import', 'must not carry a user name or password'],
    ['https://user@api.example.org/import', 'must not carry a user name or password'],
    [`https://api.example.org/${'a'.repeat(2000)}`, 'must be at most 2,000 characters'],
    ['https://127.0.0.1/', 'must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://127.1/', 'must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://0x7f.1/', 'must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://0x7f000001/', 'must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://2130706433/', 'must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://0177.0.0.1/', 'must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://017700000001/', 'must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://%31%32%37.0.0.1/', 'must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://\uff11\uff12\uff17.0.0.1/', 'must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://127.0.0.1./', 'must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://[::1]/', 'must name a host on the internet, not ::1, a loopback address (this machine)'],
    ['https://[::ffff:127.0.0.1]/', 'must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://[0:0:0:0:0:ffff:7f00:1]/', 'must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://[::127.0.0.1]/', 'must name a host on the internet, not ::7f00:1, a reserved address, not routed on the internet'],
    ['https://0/', 'must name a host on the internet, not 0.0.0.0, the unspecified address'],
    ['https://0.0.0.0/', 'must name a host on the internet, not 0.0.0.0, the unspecified address'],
    ['https://[::]/', 'must name a host on the internet, not ::, the unspecified address'],
    ['https://169.254.169.254/latest/meta-data/', 'must name a host on the internet, not 169.254.169.254, a link-local address (such as a cloud metadata service)'],
    ['https://[::ffff:a9fe:a9fe]/', 'must name a host on the internet, not 169.254.169.254, a link-local address (such as a cloud metadata service)'],
    ['https://[fd00:ec2::254]/', 'must name a host on the internet, not fd00:ec2::254, a private network address'],
    ['https://[64:ff9b::a9fe:a9fe]/', 'must name a host on the internet, not 64:ff9b::a9fe:a9fe, an IPv6 address carrying an IPv4 address through a gateway'],
    ['https://10.1.2.3/', 'must name a host on the internet, not 10.1.2.3, a private network address'],
    ['https://192.168.0.10:8443/', 'must name a host on the internet, not 192.168.0.10, a private network address'],
    ['https://100.64.0.1/', 'must name a host on the internet, not 100.64.0.1, a carrier-grade NAT address (RFC 6598)'],
    ['https://224.0.0.251/', 'must name a host on the internet, not 224.0.0.251, a multicast address'],
    ['https://localhost/', 'must name a host on the internet, not localhost (this machine)'],
    ['https://LOCALHOST:8443/', 'must name a host on the internet, not localhost (this machine)'],
    ['https://localhost./', 'must name a host on the internet, not localhost (this machine)'],
    ['https://api.localhost/', 'must name a host on the internet, not localhost (this machine)'],
    ['https://printer.local/', 'must name a host on the internet, not a local network name (.local)'],
    ['https://nas.home.arpa/', 'must name a host on the internet, not a local network name (.home.arpa)'],
    ['https://db.internal/', 'must name a host on the internet, not a local network name (.internal)'],
    ['https://intranet/', 'must name a host on the internet by its full name, such as api.example.org'],
  ])('refuses %s', (url, message) => {
    expect(messages(url)).toEqual([message]);
    expect(checkTransmitUrl(url)).toEqual({ ok: false, reason: message });
  });

  it('refuses what is no string, and is published as a bounded URI string', () => {
    expect(TransmitToUrl.safeParse(42).success).toBe(false);
    expect(z.toJSONSchema(TransmitToUrl)).toMatchObject({ type: 'string', maxLength: 2000, format: 'uri' });
  });

  it('lets loopback through for tests only when asked, and nothing else', () => {
    expect(checkTransmitUrl('https://127.0.0.1:8443/', { allowLoopback: true })).toMatchObject({ ok: true, host: { kind: 'address', address: '127.0.0.1', range: 'loopback' } });
    expect(checkTransmitUrl('https://[::1]/', { allowLoopback: true })).toMatchObject({ ok: true, host: { kind: 'address', address: '::1' } });
    expect(checkTransmitUrl('https://localhost./', { allowLoopback: true })).toMatchObject({ ok: true, host: { kind: 'name', name: 'localhost', loopback: true } });
    expect(checkTransmitUrl('https://10.0.0.1/', { allowLoopback: true }).ok).toBe(false);
    expect(checkTransmitUrl('https://169.254.169.254/', { allowLoopback: true }).ok).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Real transmissions
// ---------------------------------------------------------------------------

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: Buffer;
  servername: string | false | null | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The receiving controller: an HTTPS server on 127.0.0.1 with the test's self-signed certificate. */
interface Receiver {
  server: Server;
  port: number;
  received: Received[];
  /** TCP connections accepted, whether or not a request followed. */
  connections: number;
  answer(handler: Handler): void;
}

const NAME = 'receiver.opendpo.example';
let dir: string;
let cert: string;
let receiver: Receiver;

async function startReceiver(key: string): Promise<Receiver> {
  let handler: Handler = (_req, res) => res.end();
  const r = { received: [] as Received[], connections: 0 } as Receiver;
  const server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks), servername: (req.socket as TLSSocket).servername });
      handler(req, res);
    });
  });
  server.on('connection', () => (r.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.server = server;
  r.port = (server.address() as AddressInfo).port;
  r.answer = (h) => (handler = h);
  return r;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opendpo-transmit-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=opendpo test receiver',
    '-addext', `subjectAltName=DNS:localhost,DNS:${NAME},IP:127.0.0.1,IP:::1`,
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'pipe' });
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  receiver = await startReceiver(readFileSync(join(dir, 'key.pem'), 'utf8'));
});

afterAll(async () => {
  if (receiver) {
    receiver.server.closeAllConnections();
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  }
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  receiver.received.length = 0;
  receiver.answer((_req, res) => res.end());
});

const REQUEST_ID = '0b7f3c9e-5a51-4c1e-9a0c-2f4d6e8a1b3c';
const EXPORT = Buffer.from(`${JSON.stringify({ kind: 'opendpo-portability-export', version: 1, requestId: REQUEST_ID, note: 'Zoë, naïve — 🚲' }, null, 2)}\n`, 'utf8');

/** A loopback transmission as the tests need it: the test's certificate trusted, short delays. */
const send = (over: Partial<TransmitExportOptions> = {}) =>
  transmitExport({
    url: `https://127.0.0.1:${receiver.port}/import?batch=1`,
    body: EXPORT,
    contentType: 'application/json',
    requestId: REQUEST_ID,
    organisationId: 'acme-shop',
    allowLoopback: true,
    ca: cert,
    retryDelaysMs: [10, 20],
    timeoutMs: 5000,
    ...over,
  });

/** A resolver that answers `addresses` for every name, and counts the questions. */
function resolver(...addresses: string[]): { lookup: (name: string) => Promise<ResolvedAddress[]>; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    lookup: (name) => {
      asked.push(name);
      return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
    },
  };
}

describe('transmitExport to a real HTTPS server', () => {
  it('delivers the exact bytes with headers saying what they are, and keeps the answer', async () => {
    receiver.answer((_req, res) => res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}'));
    const result = await send();

    expect(result).toMatchObject({ outcome: 'delivered', answer: '{"accepted":true}', addresses: ['127.0.0.1'] });
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({ status: 202 });
    expect(result.attempts[0]!.error).toBeUndefined();

    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.body.equals(EXPORT)).toBe(true);
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/import?batch=1');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['content-length']).toBe(String(EXPORT.byteLength));
    expect(got.headers['idempotency-key']).toBe(REQUEST_ID);
    expect(got.headers['opendpo-organisation-id']).toBe('acme-shop');
    expect(got.headers['user-agent']).toMatch(/^opendpo\/\d+\.\d+\.\d+ \(GDPR Art\. 20\(2\) transmission\)$/);
    expect(got.headers.host).toBe(`127.0.0.1:${receiver.port}`);
    // No SNI for an IP address (RFC 6066); the certificate was checked against the address.
    expect(got.servername).toBeFalsy();
  });

  it('connects to the checked address and verifies the certificate against the name in the URL (SNI)', async () => {
    receiver.answer((_req, res) => res.writeHead(200).end('ok'));
    const dns = resolver('127.0.0.1');
    const result = await send({ url: `https://${NAME}:${receiver.port}/import`, lookup: dns.lookup });

    expect(result).toMatchObject({ outcome: 'delivered', answer: 'ok', addresses: ['127.0.0.1'] });
    expect(dns.asked).toEqual([NAME]);
    expect(receiver.received[0]!.servername).toBe(NAME);
    expect(receiver.received[0]!.headers.host).toBe(`${NAME}:${receiver.port}`);
  });

  it('tries again after a 500 with the same bytes and key, without resolving the name again', async () => {
    let calls = 0;
    receiver.answer((_req, res) => {
      calls += 1;
      if (calls === 1) res.writeHead(500).end('busy');
      else res.writeHead(200).end('stored');
    });
    const dns = resolver('127.0.0.1');
    const result = await send({ url: `https://${NAME}:${receiver.port}/import`, lookup: dns.lookup });

    expect(result.outcome).toBe('delivered');
    expect(result.attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(result.attempts[0]!.error).toBe('answered HTTP 500');
    expect(result).toMatchObject({ answer: 'stored' });
    // Resolved once: a DNS answer changed between the check and a retry (rebinding) is never asked for.
    expect(dns.asked).toEqual([NAME]);
    expect(receiver.received.map((r) => r.headers['idempotency-key'])).toEqual([REQUEST_ID, REQUEST_ID]);
    expect(receiver.received.every((r) => r.body.equals(EXPORT))).toBe(true);
  });

  it('does not follow a redirect: a failure recorded with its status, not tried again', async () => {
    receiver.answer((_req, res) => res.writeHead(302, { location: `https://127.0.0.1:${receiver.port}/elsewhere` }).end());
    const result = await send();

    expect(result.outcome).toBe('failed');
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({ status: 302 });
    expect(result.attempts[0]!.error).toBe("answered a redirect (HTTP 302 to another path of the same host), which is not followed: the receiving controller's final URL is needed");
    expect(receiver.received.map((r) => r.url)).toEqual(['/import?batch=1']);
  });

  it('takes a 4xx as the receiving controller\'s final answer', async () => {
    receiver.answer((_req, res) => res.writeHead(422).end('unknown format'));
    const result = await send();
    expect(result).toMatchObject({ outcome: 'failed', answer: 'unknown format' });
    expect(result.attempts.map((a) => [a.status, a.error])).toEqual([[422, 'answered HTTP 422: refused, not tried again']]);
  });

  it('gives up on a server that never answers, each attempt within its deadline', async () => {
    receiver.answer(() => {
      // Reads the export and says nothing.
    });
    const started = performance.now();
    const result = await send({ timeoutMs: 300, retryDelaysMs: [10] });

    expect(result.outcome).toBe('failed');
    expect(result.attempts.map((a) => a.error)).toEqual(['no answer within 300 ms', 'no answer within 300 ms']);
    for (const a of result.attempts) {
      expect(a.status).toBeUndefined();
      expect(a.durationMs).toBeGreaterThanOrEqual(250);
    }
    expect(performance.now() - started).toBeLessThan(3000);
    expect(receiver.received).toHaveLength(2);
  });

  it('keeps at most 2 KB of an oversized answer, cut on a character boundary', async () => {
    receiver.answer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(`a${'é'.repeat(50_000)}`));
    const result = await send();
    // 1 byte + 1023 two-byte characters = 2047 bytes; the 1024th is cut in half at 2048 and dropped.
    expect(result).toMatchObject({ outcome: 'delivered', answer: `a${'é'.repeat(1023)}` });
  });

  it('stops reading at 2 KB: a server that streams an answer forever holds nothing', async () => {
    receiver.answer((_req, res) => {
      res.writeHead(200);
      res.write('x'.repeat(4096));
      // ...and never ends it.
    });
    const result = await send({ timeoutMs: 5000 });
    expect(result).toMatchObject({ outcome: 'delivered', answer: 'x'.repeat(2048) });
    expect(result.attempts[0]!.durationMs).toBeLessThan(4000);
  });

  it('refuses a certificate for another name, and does not try again', async () => {
    const dns = resolver('127.0.0.1');
    const result = await send({ url: `https://elsewhere.opendpo.example:${receiver.port}/import`, lookup: dns.lookup });
    expect(result.outcome).toBe('failed');
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]!.error).toBe("the receiving server's certificate was not accepted (ERR_TLS_CERT_ALTNAME_INVALID): not tried again");
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses a certificate no trusted authority signed', async () => {
    const result = await send({ ca: undefined });
    expect(result.outcome).toBe('failed');
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]!.error).toMatch(/^the receiving server's certificate was not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\): not tried again$/);
    expect(receiver.received).toHaveLength(0);
  });

  it('says when the name does not exist (the system resolver, RFC 6761 .invalid)', async () => {
    const result = await send({ url: 'https://no-such-controller.invalid/import' });
    expect(result).toMatchObject({ outcome: 'failed', addresses: [] });
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]!.error).toMatch(/^the host name (does not exist \(ENOTFOUND\)|could not be resolved \(EAI_AGAIN\))$/);
  });

  it('takes a malformed request id or content type as a programming error', async () => {
    await expect(send({ requestId: 'a request\r\nx-injected: 1' })).rejects.toThrow(TypeError);
    await expect(send({ organisationId: 'acme shop' })).rejects.toThrow(TypeError);
    await expect(send({ contentType: 'text/html' })).rejects.toThrow(TypeError);
    expect(receiver.received).toHaveLength(0);
  });
});

describe('transmitExport refuses before any connection', () => {
  it('the same loopback URL without allowLoopback: the server sees no connection', async () => {
    const before = receiver.connections;
    const result = await send({ allowLoopback: false });
    expect(result).toEqual({
      outcome: 'refused',
      attempts: [],
      reason: 'the URL must name a host on the internet, not 127.0.0.1, a loopback address (this machine)',
    });
    expect(receiver.connections).toBe(before);
  });

  it.each([
    ['https://localhost:PORT/import', 'the URL must name a host on the internet, not localhost (this machine)'],
    ['https://localhost.:PORT/import', 'the URL must name a host on the internet, not localhost (this machine)'],
    ['https://127.1:PORT/import', 'the URL must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://2130706433:PORT/import', 'the URL must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://[::1]:PORT/import', 'the URL must name a host on the internet, not ::1, a loopback address (this machine)'],
    ['https://[::ffff:127.0.0.1]:PORT/import', 'the URL must name a host on the internet, not 127.0.0.1, a loopback address (this machine)'],
    ['https://0.0.0.0:PORT/import', 'the URL must name a host on the internet, not 0.0.0.0, the unspecified address'],
    ['https://169.254.169.254/latest/meta-data/', 'the URL must name a host on the internet, not 169.254.169.254, a link-local address (such as a cloud metadata service)'],
    ['http://127.0.0.1:PORT/import', 'the URL must be an https:// URL'],
    ['https://user:pass@api.example.org/import', 'the URL must not carry a user name or password'],
  ])('%s', async (url, reason) => {
    const before = receiver.connections;
    const result = await send({ url: url.replace('PORT', String(receiver.port)), allowLoopback: false });
    expect(result).toEqual({ outcome: 'refused', attempts: [], reason });
    expect(receiver.connections).toBe(before);
  });

  it.each([
    ['a name that resolves to 127.0.0.1', ['127.0.0.1'], 'the host resolves to 127.0.0.1, a loopback address (this machine), not a host on the internet'],
    ['a name with one private address among public ones', ['203.0.114.7', '10.0.0.7'], 'the host resolves to 10.0.0.7, a private network address, not a host on the internet'],
    ['a name that resolves to the metadata service, IPv4-mapped', ['::ffff:169.254.169.254'], 'the host resolves to 169.254.169.254, a link-local address (such as a cloud metadata service), not a host on the internet'],
    ['a name that resolves to a unique local IPv6 address', ['2606:4700:4700::1111', 'fd12:3456::1'], 'the host resolves to fd12:3456::1, a private network address, not a host on the internet'],
  ])('%s', async (_what, addresses, reason) => {
    const before = receiver.connections;
    const dns = resolver(...addresses);
    const result = await send({ url: `https://${NAME}:${receiver.port}/import`, allowLoopback: false, lookup: dns.lookup });
    expect(result).toEqual({ outcome: 'refused', attempts: [], reason });
    expect(dns.asked).toEqual([NAME]);
    expect(receiver.connections).toBe(before);
  });

  it('the loopback name with allowLoopback is this machine whatever a resolver says (RFC 6761)', async () => {
    receiver.answer((_req, res) => res.writeHead(200).end('ok'));
    const dns = resolver('203.0.114.7');
    const result = await send({ url: `https://localhost:${receiver.port}/import`, lookup: dns.lookup });
    expect(result).toMatchObject({ outcome: 'delivered', addresses: ['127.0.0.1', '::1'] });
    expect(dns.asked).toEqual([]);
    expect(receiver.received[0]!.servername).toBe('localhost');
  });
});
