/**
 * `npx vite examples/pdfjs-viewer` (dev) or `npx vite build examples/pdfjs-viewer` (into out/pdfjs-viewer):
 * kyso from the workspace's TypeScript sources, workers as ES modules (same-origin files for the strict CSP).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { viteSourceAliases } from '../../scripts/source-aliases.mjs';

const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export default defineConfig({
  base: './',
  resolve: {
    // kyso's packages from their sources (one table, scripts/source-aliases.mjs); pages hash with the portable engine.
    alias: viteSourceAliases('portable'),
  },
  worker: { format: 'es' },
  build: { outDir: repo('out/pdfjs-viewer'), emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false }, assetsInlineLimit: 0 },
});
