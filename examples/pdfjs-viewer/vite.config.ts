/**
 * `npx vite examples/pdfjs-viewer` (dev) or `npx vite build examples/pdfjs-viewer` (into out/pdfjs-viewer):
 * kyso from the workspace's TypeScript sources, workers as ES modules (same-origin files for the strict CSP).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export default defineConfig({
  base: './',
  resolve: {
    alias: [
      { find: /^@kyso\/elements\/pdfjs-verifier$/, replacement: repo('packages/elements/src/pdfjs-verifier/index.ts') },
      { find: /^@kyso\/core\/worker$/, replacement: repo('packages/core/src/worker/index.ts') },
      { find: /^@kyso\/core$/, replacement: repo('packages/core/src/index.ts') },
      { find: /^#hash-engine$/, replacement: repo('packages/core/src/crypto/hash-engine-portable.ts') },
    ],
  },
  worker: { format: 'es' },
  build: { outDir: repo('out/pdfjs-viewer'), emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false }, assetsInlineLimit: 0 },
});
