/**
 * /console/: the built console (dist/web/console, built by the install) served with its own CSP,
 * a deep link answered with the app, hashed assets cached for good, nothing outside the folder,
 * and a clear 503 when the console was not built (the API still answers).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { buildApp } from '../../src/http/app.js';
import { addConsoleRoutes, builtWebFolder, CONSOLE_CSP } from '../../src/http/routes/console.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';

let store: Store;
let app: ZodApp;

beforeAll(async () => {
  store = await openStore(parseDatabaseUrl(':memory:', ROOT));
  app = await buildApp({ config: { logLevel: 'silent' }, store });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

describe('the built console', () => {
  it('is found where the build writes it', () => {
    expect(builtWebFolder('console')).toBe(path.join(ROOT, 'dist', 'web', 'console'));
  });

  it('answers /console/ and any path under it with the app, not cached, under the console CSP', async () => {
    const built = readFileSync(path.join(builtWebFolder('console'), 'index.html'), 'utf8');
    for (const url of ['/console/', '/console/requests/4b7a3c1e-0000-4000-8000-000000000000', '/console/register?tab=versions']) {
      const answer = await app.inject({ url });
      expect(answer.statusCode, url).toBe(200);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(answer.body).toBe(built);
    }
    const bare = await app.inject({ url: '/console' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/console/');
  });

  it('serves the scripts index.html loads, cached for a year, and no file outside its folder', async () => {
    const index = readFileSync(path.join(builtWebFolder('console'), 'index.html'), 'utf8');
    const scripts = [...index.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const url of scripts) {
      const answer = await app.inject({ url });
      expect(answer.statusCode, url).toBe(200);
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(answer.headers['content-type']).toMatch(/^(application\/javascript|text\/css)/);
    }
    for (const url of ['/console/assets/..%2f..%2f..%2fpackage.json', '/console/assets/%2e%2e%2f%2e%2e%2fsrc%2fcli%2fmain.js']) {
      const answer = await app.inject({ url });
      expect([403, 404], url).toContain(answer.statusCode);
      expect(answer.body).not.toContain('"name": "opendpo"');
      expect(JSON.parse(answer.body)).toHaveProperty('error.code');
    }
    expect((await app.inject({ url: '/console/assets/missing-abc.js' })).statusCode).toBe(404);
  });
});

describe('a console that was not built', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'opendpo-console-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'assets', 'stray.js'), '// no index.html beside it');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says so with a 503 and how to build it', async () => {
    const bare = Fastify();
    await addConsoleRoutes(bare as unknown as ZodApp, dir);
    const answer = await bare.inject({ url: '/console/requests' });
    expect(answer.statusCode).toBe(503);
    expect(answer.body).toContain('npm run build');
    await bare.close();
  });
});
