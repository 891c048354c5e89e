/**
 * The console's first load stays within its budget (decision 0035): the JavaScript and CSS that
 * index.html loads, gzipped, at most 200 KB; and nothing inline that the CSP would refuse.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { builtWebFolder } from '../../src/http/routes/console.js';
import { consoleBuilt } from './console-server.js';

describe('the console as built', () => {
  it('loads at most 200 KB gzip at first, with no inline script or style', () => {
    if (!consoleBuilt()) throw new Error('the console is not built: run npm run build:web first');
    const folder = builtWebFolder('console');
    const index = readFileSync(path.join(folder, 'index.html'), 'utf8');
    const assets = [...index.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    const gzipped = assets.reduce((n, a) => n + gzipSync(readFileSync(path.join(folder, a)), { level: 9 }).length, 0);
    console.log(`console first load: ${assets.join(', ')}: ${gzipped} bytes gzip`);
    expect(gzipped).toBeLessThanOrEqual(200 * 1024);
    expect(index).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(index).not.toMatch(/<style|\bstyle="/);
  });
});
