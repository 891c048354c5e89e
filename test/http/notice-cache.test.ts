/**
 * The notice is rendered once per published version, language and format, and a newer version
 * is served once published (within the freshness window): a real SQLite store, the real renderer
 * counted through the cache's `render` option, a clock the test moves. No mocks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { renderNotice } from '../../src/notice/render-notice.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';

const fixture = (name: string) => `${ROOT}/test/fixtures/registers/${name}`;

let store: Store;
let app: ZodApp;
let clock: number;
let renders: string[];

beforeEach(async () => {
  store = await openStore(parseDatabaseUrl(':memory:', ROOT));
  await publishRegister(store, await loadRegister(fixture('store-shop')), { author: 'Ada Lovelace' });
  clock = 0;
  renders = [];
  app = await buildApp({
    config: { logLevel: 'silent' },
    store,
    defaultOrganisation: 'store-shop',
    notices: {
      freshMs: 1000,
      now: () => clock,
      render: (register, options) => {
        renders.push(`${register.activities.length} activities ${options.lang}/${options.format}`);
        return renderNotice(register, options);
      },
    },
  });
});

afterEach(async () => {
  await app.close();
  await store.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe('the notice cache', () => {
  it('renders each language and format of a version once, however many requests ask for it', async () => {
    const first = await get('/privacy-notice?lang=fr');
    for (let i = 0; i < 20; i++) {
      const res = await get('/privacy-notice?lang=fr');
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(first.body);
      expect(res.headers.etag).toBe(first.headers.etag);
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(first.body)));
      clock += 100; // two seconds in all: the version is asked again, and is the same
    }
    await Promise.all(Array.from({ length: 10 }, () => get('/privacy-notice?lang=en&format=md')));
    expect(renders).toEqual(['1 activities fr/html', '1 activities en/md']);
    expect(first.body).toBe(renderNotice((await store.registerVersions.latest('store-shop'))!.register, { lang: 'fr', format: 'html' }));
  });

  it('serves a version published meanwhile once the freshness window has passed, rendered once, with a new ETag', async () => {
    const v1 = await get('/privacy-notice?lang=en');
    // Published as `opendpo register publish` from another process would: straight into the store.
    await publishRegister(store, await loadRegister(fixture('store-shop-v2')), { author: 'Ada Lovelace' });
    clock += 999;
    expect((await get('/privacy-notice?lang=en')).headers.etag).toBe(v1.headers.etag);
    clock += 1;
    const v2 = await get('/privacy-notice?lang=en');
    expect(v2.headers.etag).not.toBe(v1.headers.etag);
    expect(v2.body).toContain('Orders');
    expect(v1.body).not.toContain('Orders');
    await get('/privacy-notice?lang=en');
    expect(renders).toEqual(['1 activities en/html', '2 activities en/html']);
  });

  it('does not remember an organisation it did not find: published later, it is served at once', async () => {
    expect((await get('/privacy-notice?org=acme-test')).statusCode).toBe(404);
    await publishRegister(store, await loadRegister(fixture('diff-before')), { author: 'Ada Lovelace', allowErrors: true });
    const res = await get('/privacy-notice?org=acme-test');
    expect(res.statusCode).toBe(200);
  });
});
