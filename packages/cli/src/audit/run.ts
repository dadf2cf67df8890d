import { availableParallelism } from 'node:os';
import { summarize, type AuditResult, type AuditRow } from './model.js';
import { verifyInWorkers } from './pool.js';
import { verifyOnQueue } from './queued.js';
import type { WorkerConfig } from './protocol.js';
import { findPdfs } from './walk.js';

/** Options of {@link runAudit}. */
export interface AuditOptions {
  /** Profile names (`vn`, `vn-gov`, `vn-public`), PEM texts or DER certificates; default none (nothing trusted). */
  readonly trust?: readonly (string | Uint8Array)[];
  readonly revocation?: 'embedded' | 'online' | 'off';
  /** Certificates or SHA-256 fingerprints removed from `trust` (see `VerifyOptions.distrust`). */
  readonly distrust?: readonly (string | Uint8Array)[];
  /** CRLs and OCSP responses obtained elsewhere (see `VerifyOptions.revocationData`). */
  readonly revocationData?: WorkerConfig['revocationData'];
  /** 'legacy' judges with `LEGACY_POLICY`; default kyso's default policy. */
  readonly policy?: 'default' | 'legacy';
  /** Validation time of every file; default the time the audit starts. */
  readonly at?: Date;
  /** Horizon of the archive-health view: TSA certificates expiring within this many months. */
  readonly tsaExpiryMonths?: number;
  /** Worker threads; default `os.availableParallelism()`. */
  readonly jobs?: number;
  readonly timeoutMs?: number;
  /** URL rewrites for online revocation (see {@link WorkerConfig.urlMap}). */
  readonly urlMap?: Readonly<Record<string, string>>;
  /** Loader-hooks module for workers when running from TypeScript sources (tests). */
  readonly loader?: string;
  /**
   * A `redis://` URL: the files are verified by `kyso worker` processes taking them from a BullMQ
   * queue there (see queued.ts) instead of by worker threads; `jobs` then does not apply.
   */
  readonly queue?: string;
  /** Called as each file is done. */
  readonly onProgress?: (done: number, total: number, row: AuditRow) => void;
  /** Called once the files are known, before any is verified. */
  readonly onStart?: (total: number, unreadableFolders: readonly string[]) => void;
}

/**
 * Verifies every PDF under `dir` (recursively) in worker threads and returns
 * one row per file, sorted by path, with the summary. Throws `ERR_IO` only
 * when `dir` cannot be read; a file that is not a readable PDF is a row with
 * its error code.
 */
export async function runAudit(dir: string, options: AuditOptions = {}): Promise<AuditResult> {
  const { files, unreadableFolders } = findPdfs(dir);
  options.onStart?.(files.length, unreadableFolders);
  const at = (options.at ?? new Date()).toISOString();
  const config: WorkerConfig = {
    trust: options.trust ?? [],
    revocation: options.revocation ?? 'embedded',
    distrust: options.distrust,
    revocationData: options.revocationData,
    policy: options.policy,
    at,
    timeoutMs: options.timeoutMs,
    urlMap: options.urlMap,
  };
  const onRow = (row: AuditRow, done: number, total: number) => options.onProgress?.(done, total, row);
  const rows = options.queue !== undefined
    ? await verifyOnQueue(options.queue, files, config, onRow)
    : await verifyInWorkers(files, { jobs: options.jobs ?? availableParallelism(), config, loader: options.loader, onRow });
  return { rows, summary: summarize(rows, at, options.tsaExpiryMonths) };
}
