import { defineConfig } from 'vite';

/**
 * Vite settings for Storybook only (main.ts adds the @kyso/* aliases in
 * viteFinal). Lit's decorators need the legacy (experimental) transform,
 * which Vite takes from the tsconfig of each file; the packages' tsconfig
 * sets it. Workers are ES modules, like core's worker client expects.
 */
export default defineConfig({
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
});
