import { Worker } from 'node:worker_threads';
import { errorRow, type AuditRow } from './model.js';
import type { AuditJob, AuditReply, WorkerConfig } from './protocol.js';

/** A file to audit: where to open it and how to name it in the row. */
export interface AuditFile {
  readonly file: string;
  readonly path: string;
}

/** Options of {@link verifyInWorkers}. */
export interface PoolOptions {
  /** Number of worker threads (at most one per file). */
  readonly jobs: number;
  readonly config: WorkerConfig;
  /** Called on the main thread as each row arrives, with how many are done. */
  readonly onRow?: (row: AuditRow, done: number, total: number) => void;
  /**
   * A module that registers loader hooks (`module.register`) in each worker before the worker module
   * loads; needed only when kyso runs from its TypeScript sources, as under the test runner.
   */
  readonly loader?: string;
}

// Built, this module is dist/audit/pool.js beside worker.js; from the sources (tests), pool.ts beside worker.ts.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

function startWorker(config: WorkerConfig, loader: string | undefined): Worker {
  if (!loader) return new Worker(WORKER_URL, { workerData: config });
  const boot = `require('node:module').register(${JSON.stringify(loader)}); import(${JSON.stringify(WORKER_URL.href)});`;
  return new Worker(boot, { eval: true, workerData: config });
}

/**
 * Verifies `files` in worker threads, one file in flight per worker, and
 * returns their rows in the order of `files`. A worker that dies on a file
 * (a crash or exhausted memory on hostile input) gives that file an
 * `ERR_INTERNAL` row and is replaced; one that cannot even start fails the audit.
 */
export function verifyInWorkers(files: readonly AuditFile[], options: PoolOptions): Promise<AuditRow[]> {
  const total = files.length;
  const rows: AuditRow[] = new Array<AuditRow>(total);
  if (total === 0) return Promise.resolve(rows);
  return new Promise((resolve, reject) => {
    const live = new Set<Worker>();
    let next = 0;
    let done = 0;
    let settled = false;
    const stopAll = () => {
      settled = true;
      for (const w of live) void w.terminate();
      live.clear();
    };
    const record = (index: number, row: AuditRow) => {
      rows[index] = row;
      done++;
      options.onRow?.(row, done, total);
      if (done === total) {
        stopAll();
        resolve(rows);
      }
    };

    const spawn = () => {
      const worker = startWorker(options.config, options.loader);
      live.add(worker);
      let ready = false;
      let current: number | null = null;
      const feed = () => {
        if (next >= total) {
          current = null;
          live.delete(worker);
          void worker.terminate();
          return;
        }
        current = next++;
        worker.postMessage({ id: current, file: files[current]!.file, path: files[current]!.path } satisfies AuditJob);
      };
      const died = (error: unknown) => {
        if (settled || !live.has(worker)) return;
        live.delete(worker);
        if (!ready) {
          stopAll();
          reject(new Error('an audit worker could not start', { cause: error }));
          return;
        }
        const lost = current;
        current = null;
        if (lost !== null) record(lost, errorRow(files[lost]!.path, 'ERR_INTERNAL'));
        if (!settled && next < total) spawn();
      };
      worker.on('message', (message: AuditReply | { ready: true }) => {
        if ('ready' in message) {
          ready = true;
          return;
        }
        if (settled || message.id !== current) return;
        record(message.id, message.row);
        if (!settled) feed();
      });
      worker.on('error', died);
      worker.on('exit', (code) => died(new Error(`the audit worker exited with code ${code}`)));
      feed();
    };

    for (let i = 0; i < Math.min(Math.max(1, options.jobs), total); i++) spawn();
  });
}
