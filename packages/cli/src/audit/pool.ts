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
  /** Files in flight per worker; default {@link FILES_IN_FLIGHT}. */
  readonly inFlight?: number;
  /** The worker module; default worker.js beside this module. Tests give one that dies on chosen files. */
  readonly workerUrl?: URL;
}

// Built, this module is dist/audit/pool.js beside worker.js; from the sources (tests), pool.ts beside worker.ts.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

function startWorker(config: WorkerConfig, loader: string | undefined, url = WORKER_URL): Worker {
  if (!loader) return new Worker(url, { workerData: config });
  const boot = `require('node:module').register(${JSON.stringify(loader)}); import(${JSON.stringify(url.href)});`;
  return new Worker(boot, { eval: true, workerData: config });
}

/**
 * Files in flight per worker. A verification awaits file reads and WebCrypto (Node's thread pool); with one
 * file at a time the worker's thread idles through those waits, with a few it parses one file meanwhile.
 */
export const FILES_IN_FLIGHT = 4;

/**
 * Verifies `files` in worker threads, a few files in flight per worker, and
 * returns their rows in the order of `files`. A worker that dies (a crash or
 * exhausted memory on hostile input) while it held one file gives that file
 * an `ERR_INTERNAL` row and is replaced; the files a dying worker held
 * together are verified again one at a time, so that only the file that
 * kills a worker gets that row. A worker that cannot even start fails the audit.
 */
export function verifyInWorkers(files: readonly AuditFile[], options: PoolOptions): Promise<AuditRow[]> {
  const total = files.length;
  const rows: AuditRow[] = new Array<AuditRow>(total);
  if (total === 0) return Promise.resolve(rows);
  const workers = Math.min(Math.max(1, options.jobs), total);
  // Never so deep that a few files all go to the first worker while the others idle.
  const depth = Math.max(1, Math.min(options.inFlight ?? FILES_IN_FLIGHT, Math.ceil(total / workers)));
  return new Promise((resolve, reject) => {
    const live = new Set<Worker>();
    let next = 0;
    let done = 0;
    let settled = false;
    /** Files held by a worker that died with others: each is retried alone. */
    const retry: number[] = [];
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
      const worker = startWorker(options.config, options.loader, options.workerUrl);
      live.add(worker);
      let ready = false;
      const inFlight = new Set<number>();
      const send = (index: number) => {
        inFlight.add(index);
        worker.postMessage({ id: index, file: files[index]!.file, path: files[index]!.path } satisfies AuditJob);
      };
      const feed = () => {
        if (settled) return;
        if (retry.length > 0) {
          // Alone in the worker, so that if it dies again the file is known.
          if (inFlight.size === 0) send(retry.shift()!);
          return;
        }
        while (inFlight.size < depth && next < total) send(next++);
        if (inFlight.size === 0) {
          live.delete(worker);
          void worker.terminate();
        }
      };
      const died = (error: unknown) => {
        if (settled || !live.has(worker)) return;
        live.delete(worker);
        if (!ready) {
          stopAll();
          reject(new Error('an audit worker could not start', { cause: error }));
          return;
        }
        const lost = [...inFlight];
        inFlight.clear();
        if (lost.length === 1) record(lost[0]!, errorRow(files[lost[0]!]!.path, 'ERR_INTERNAL'));
        else retry.push(...lost);
        if (!settled && (next < total || retry.length > 0)) spawn();
      };
      worker.on('message', (message: AuditReply | { ready: true }) => {
        if ('ready' in message) {
          ready = true;
          return;
        }
        if (settled || !inFlight.delete(message.id)) return;
        record(message.id, message.row);
        feed();
      });
      worker.on('error', died);
      worker.on('exit', (code) => died(new Error(`the audit worker exited with code ${code}`)));
      feed();
    };

    for (let i = 0; i < workers; i++) spawn();
  });
}
