/**
 * pdf.js's worker, started by `pdfjs.ts` as a module worker of its own:
 * `new Worker(new URL('./pdf-worker.js', import.meta.url), { type: 'module' })`.
 * Bundlers that follow that expression (Vite, webpack 5, Rollup and
 * Rolldown with a worker plugin) emit this file and pdf.js's worker as one
 * same-origin `.js` script, so nothing bundler-specific is imported, no
 * `setPdfWorkerSrc` call is needed, and no server has to know the `.mjs` MIME
 * type. pdf.js's worker module wires itself to the worker's global scope
 * when it is evaluated in a worker (its `WorkerMessageHandler` static block).
 */
import 'pdfjs-dist/build/pdf.worker.min.mjs';
