// The staff console: a Preact single-page app served by `opendpo serve` at /console/ (decision 0035).
// Built at install (npm's prepare) into dist/web/console; never committed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/console/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: path.join(here, '..', '..', 'dist', 'web', 'console'),
    emptyOutDir: true,
    // The budget is measured (docs/BENCHMARKS.md): no inline assets, so the CSP can stay 'self'.
    assetsInlineLimit: 0,
    sourcemap: true,
    reportCompressedSize: false,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
