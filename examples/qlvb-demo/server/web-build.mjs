// @ts-check
// Builds the two pages (the QLVB app and the portal) with Vite's JS API. One build, two HTML entries,
// shared chunks (Lit, the elements, the kyso worker). Nothing is inlined: every script, style sheet, worker,
// font and wasm file is its own same-origin file, so the pages run under `script-src 'self'; style-src 'self'`.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const examples = fileURLToPath(new URL('../../', import.meta.url));

/** The HTML entries, relative to examples/. */
export const PAGES = /** @type {const} */ ({ qlvb: 'qlvb-demo/web/index.html', portal: 'portal-badge/index.html' });

/**
 * @param {string} outDir absolute
 * @param {{ quiet?: boolean }} [options]
 */
export async function buildWeb(outDir, options = {}) {
  await build({
    configFile: false,
    root: examples,
    base: '/',
    logLevel: options.quiet ? 'error' : 'warn',
    clearScreen: false,
    // Vite's own esbuild/oxc transform reads examples/qlvb-demo/tsconfig.json for the page sources.
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      assetsInlineLimit: 0, // no data: URLs for scripts, fonts or workers
      modulePreload: { polyfill: false }, // the polyfill is not needed by Chromium and would be one more script
      sourcemap: false,
      chunkSizeWarningLimit: 4096,
      rollupOptions: {
        input: Object.fromEntries(Object.entries(PAGES).map(([k, v]) => [k, `${examples}${v}`])),
      },
    },
    worker: { format: 'es' },
  });
}
