import type { FinishOptions } from '../sign/finish.js';
import type { PrepareOptions, SignOptions } from '../sign/options.js';
import type { PreparedSignature } from '../sign/prepared.js';
import type { VerifyOptions } from '../verify/verify.js';
import type { ExtendOptions } from '../ltv/extend.js';
import type { VerificationReport } from '../verify/report.js';
import type { ProgressListener } from '../progress.js';
import type { WorkerLike } from './web-types.js';

/** A verification report and the document it is about (see {@link KysoClient.verifyReturning}). */
export interface VerifiedDocument {
  readonly report: VerificationReport;
  readonly pdf: Uint8Array;
}

/**
 * Per-call options of the worker client. Everything that cannot cross a
 * worker boundary (signals, listeners) is handled on the caller's side.
 */
export interface CallOptions {
  /** Cancels the call; the worker stops at its next check and the promise rejects with `ERR_ABORTED`. */
  readonly signal?: AbortSignal;
  /** Progress of hashing, signing, timestamping and verifying. */
  readonly onProgress?: ProgressListener;
  /**
   * Transfer the caller's PDF buffer to the worker (default `true`): no copy is
   * made, and the caller's `Uint8Array` is detached afterwards. Pass `false`
   * to keep it (the worker then receives a copy).
   */
  readonly transfer?: boolean;
}

/**
 * The kyso core behind a module Web Worker (comlink). Mirrors core's staged
 * API; PDF bytes go in by transfer, results come back by transfer. Functions
 * in options (`fetch` for TSA/OCSP/CRL, the adapter of `sign`) stay on the
 * caller's side and are called back through the worker boundary, so keys and
 * network access never move into the worker.
 */
export interface KysoClient {
  prepare(pdf: Uint8Array, options: PrepareOptions, call?: CallOptions): Promise<PreparedSignature>;
  finish(prepared: PreparedSignature, signatureValue: Uint8Array, options: FinishOptions, call?: CallOptions): Promise<Uint8Array>;
  /** prepare (worker) → adapter.sign (caller's side) → finish (worker), sending the document once. */
  sign(pdf: Uint8Array, options: SignOptions, call?: CallOptions): Promise<Uint8Array>;
  verify(pdf: Uint8Array, options?: VerifyOptions, call?: CallOptions): Promise<VerificationReport>;
  /**
   * `verify` for a caller that owns `pdf` and still needs it afterwards (to show the document): the bytes are
   * moved to the worker and back, never copied. `pdf` is detached from the call on; the same bytes come back, in a
   * new array, with the report. (`call.transfer` does not apply.) Optional: {@link createKyso}'s client has it; a
   * caller given another client falls back to `verify` with `transfer: false`.
   */
  verifyReturning?(pdf: Uint8Array, options?: VerifyOptions, call?: CallOptions): Promise<VerifiedDocument>;
  /**
   * Raises the document's signatures to B-LT or B-LTA (validation data in /DSS, then a document timestamp).
   * `fetch` (default the page's) reaches OCSP, CRL, AIA and the TSA from the caller's side.
   */
  extend(pdf: Uint8Array, options: Omit<ExtendOptions, 'fetch'> & { readonly fetch?: ExtendOptions['fetch'] }, call?: CallOptions): Promise<Uint8Array>;
  /** Ends the worker; later calls reject with `ERR_ABORTED`. */
  terminate(): void;
}

/** Options of {@link createKyso}. */
export interface CreateKysoOptions {
  /**
   * URL of the full worker module (every operation); default the entry beside
   * the client (`entry.js`), which bundlers emit. Without `verifyWorkerUrl`,
   * this worker verifies too. For a page whose bundler does not follow
   * `new Worker(new URL(…))` in dependencies, serve `@kyso/core/workers/` and
   * give `…/entry.js` here.
   */
  readonly workerUrl?: string | URL;
  /**
   * URL of the verification worker module (`@kyso/core/workers/verify-entry.js`
   * served by the page), used for `verify` when `workerUrl` is given too.
   */
  readonly verifyWorkerUrl?: string | URL;
  /** An already constructed worker (tests, custom bundling). */
  readonly worker?: WorkerLike;
  /** URL of the default appearance font (DejaVu Sans TTF) for visible signatures. */
  readonly fontUrl?: string | URL;
}
