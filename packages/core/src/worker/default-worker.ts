/**
 * Starts the bundled worker entries. Each kept to one expression on purpose:
 * bundlers (Vite, webpack 5, Rollup with a worker plugin) recognise the
 * literal `new Worker(new URL('./entry.js', import.meta.url), { type: 'module' })`
 * and emit the entry as a same-origin file, which a strict CSP allows
 * (`worker-src 'self'`). The specifier names the built file; on the
 * TypeScript sources (the tests' alias) Vite resolves `./entry.js` to
 * `./entry.ts` like any TypeScript import, so one form serves both.
 */
import { kysoError } from '../errors/index.js';
import type { WorkerConstructor, WorkerLike } from './web-types.js';

// The page's global, typed locally (core has no DOM lib; see web-types.ts).
declare const Worker: WorkerConstructor;

function checkWorker(): void {
  if (typeof Worker === 'undefined') {
    throw kysoError('ERR_INVALID_ARGUMENT', 'no Worker in this environment: pass options.worker, or use @kyso/core directly');
  }
}

/** A new module worker running `entry.js` (every operation), or `url` when given. */
export function startWorker(url?: string | URL): WorkerLike {
  checkWorker();
  if (url !== undefined) return new Worker(url, { type: 'module' });
  return new Worker(new URL('./entry.js', import.meta.url), { type: 'module' });
}

/**
 * A new module worker running `verify-entry.js`: verification only, a
 * fraction of the full worker's size, for pages that only verify. A separate
 * file rather than a lazily loaded part of `entry.js`, because a bundler may
 * put a worker and everything it imports, dynamic imports included, into one
 * file (Vite does by default).
 */
export function startVerifyWorker(): WorkerLike {
  checkWorker();
  return new Worker(new URL('./verify-entry.js', import.meta.url), { type: 'module' });
}

/**
 * URL of the default appearance font (DejaVu Sans: free licence, full
 * Vietnamese coverage), shipped in @kyso/core's `assets/` (see
 * scripts/assets.mjs). A relative path, so that bundlers emit the font as an
 * asset and a dev server (Vite's dependency pre-bundling included, which
 * rebases the path) serves it; it is fetched only when a visible signature
 * needs it.
 */
export function defaultFontUrl(): string {
  return new URL('../../assets/DejaVuSans.ttf', import.meta.url).href;
}
