#!/usr/bin/env node
/**
 * Bundles kyso's two worker entries (`dist/worker/entry.js`, every operation;
 * `dist/worker/verify-entry.js`, verification only) with their dependencies
 * into `packages/core/workers/`: self-contained ES modules (and the chunks
 * they share or load lazily) that a page can serve as they are. For bundlers
 * that do not follow `new Worker(new URL(…, import.meta.url))` in a
 * dependency (the Angular CLI's application builder): copy the folder to the
 * app's assets and pass `createKyso({ workerUrl, verifyWorkerUrl, fontUrl })`.
 * Run by core's `prepack` (after `tsc -b`); the folder is generated, not tracked.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const core = fileURLToPath(new URL('..', import.meta.url));
const out = join(core, 'workers');
rmSync(out, { recursive: true, force: true });
await build({
  absWorkingDir: core,
  entryPoints: { entry: 'dist/worker/entry.js', 'verify-entry': 'dist/worker/verify-entry.js' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  chunkNames: 'chunk-[hash]',
  logLevel: 'error',
});
