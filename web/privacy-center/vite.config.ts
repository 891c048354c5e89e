// The privacy center's script: the pages work without it (plain forms the server answers); with it,
// they are enhanced. One file, budget 20 KB gzip (docs/BENCHMARKS.md). Built at install into
// dist/web/privacy-center; never committed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: path.join(here, '..', '..', 'dist', 'web', 'privacy-center'),
    emptyOutDir: true,
    sourcemap: true,
    reportCompressedSize: false,
    lib: { entry: path.join(here, 'enhance.ts'), formats: ['iife'], name: 'opendpoPrivacyCenter', fileName: () => 'enhance.js' },
  },
});
