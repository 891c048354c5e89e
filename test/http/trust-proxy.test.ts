/**
 * Behind a reverse proxy (OPENDPO_TRUST_PROXY): the public rate limits count each visitor's address
 * from X-Forwarded-For, and HSTS follows X-Forwarded-Proto, only from the proxies configured; without
 * the setting, the headers are ignored (anyone could send them), and every visitor behind a proxy
 * shares its address's limit.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseDatabaseUrl } from '../../src/config/config.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';

let store: Store;
beforeAll(async () => {
  store = await openStore(parseDatabaseUrl(':memory:', ROOT));
  await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
});
afterAll(async () => store.close());

const status = (app: ZodApp, headers: Record<string, string>) =>
  app.inject({ url: `/api/v1/organisations/acme-boutique/requests/${randomUUID()}`, headers: { 'x-status-token': 'x'.repeat(43), ...headers } });

describe.each([
  { name: 'no proxy trusted', trustProxy: undefined },
  { name: 'the proxy 127.0.0.1 trusted', trustProxy: ['127.0.0.1'] },
  { name: 'one proxy hop trusted', trustProxy: 1 },
])('the public rate limit with $name', ({ trustProxy }) => {
  let app: ZodApp;
  beforeAll(async () => {
    app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 2, ...(trustProxy === undefined ? {} : { trustProxy }) }, store });
  });
  afterAll(async () => app.close());

  it(trustProxy === undefined ? 'counts the connection\'s address, whatever X-Forwarded-For says' : 'counts each visitor\'s address the proxy forwards', async () => {
    const a = { 'x-forwarded-for': '198.51.100.7' };
    const b = { 'x-forwarded-for': '203.0.113.9' };
    expect((await status(app, a)).statusCode).toBe(404);
    expect((await status(app, a)).statusCode).toBe(404);
    expect((await status(app, a)).statusCode).toBe(429);
    // Another visitor behind the same proxy: limited with the first when the proxy is not trusted.
    expect((await status(app, b)).statusCode).toBe(trustProxy === undefined ? 429 : 404);
    const https = await status(app, { ...b, 'x-forwarded-proto': 'https' });
    expect(https.headers['strict-transport-security'] !== undefined).toBe(trustProxy !== undefined);
  });
});

describe('OPENDPO_TRUST_PROXY', () => {
  const parse = (value: string) => loadConfig({ OPENDPO_TRUST_PROXY: value });
  it('takes a number of proxies or their addresses and ranges', () => {
    expect(parse('1').trustProxy).toBe(1);
    expect(parse(' 127.0.0.1, 10.0.0.0/8 ,::1, fd00::/8').trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    expect(loadConfig({}).trustProxy).toBeUndefined();
  });
  it('refuses true, 0, too many hops and what is not an address, naming it', () => {
    expect(() => parse('true')).toThrow(/OPENDPO_TRUST_PROXY.*"true" is neither/);
    expect(() => parse('0')).toThrow(/1 to 10/);
    expect(() => parse('11')).toThrow(/1 to 10/);
    expect(() => parse('127.0.0.1,proxy.local')).toThrow(/"proxy\.local" is neither/);
    expect(() => parse('10.0.0.0/33')).toThrow(/"10\.0\.0\.0\/33" is neither/);
  });
});
