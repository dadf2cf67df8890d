/**
 * The messages between the worker client (page side) and the worker entry.
 * Everything here is structured-clone data or a comlink proxy: no signals,
 * no adapters, no `Response` objects cross the boundary.
 */
import type { FinishOptions } from '../sign/finish.js';
import type { PrepareOptions, SignOptions } from '../sign/options.js';
import type { PreparedSignature } from '../sign/prepared.js';
import type { VerifyOptions } from '../verify/verify.js';
import type { ExtendOptions } from '../ltv/extend.js';
import type { VerificationReport } from '../verify/report.js';
import type { SerializedError } from '../errors/index.js';
import type { AdapterCapabilities, CertificateEntry, SignRequest } from '../adapter.js';
import type { Progress } from '../progress.js';
import type { FetchRoute } from './wire-fetch.js';
import type { VerifiedDocument } from './types.js';

/** A result or an error in plain form; errors are revived by code on the far side ({@link reviveError}). */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SerializedError };

/** An HTTP exchange as plain data, since a `Response` cannot be cloned. */
export interface WireRequest {
  /** Which of the caller's functions performs it (see wire-fetch.ts); default `fetch`. */
  readonly route?: FetchRoute;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array;
}
export interface WireResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: ArrayBuffer;
}

/**
 * The caller's side of a call, reached back from the worker through a
 * comlink proxy: network access, the key, progress.
 */
export interface CallerSide {
  /** Performs `fetch` on the caller's side; `id` lets the worker abort it. */
  fetch(id: number, url: string, init: WireRequest): Promise<Outcome<WireResponse>>;
  /** Aborts the fetch `id` (the worker's time-out fired). */
  abortFetch(id: number): void;
  /** `adapter.sign` on the caller's side; the key never leaves it. */
  sign(request: Omit<SignRequest, 'signal'>): Promise<Outcome<Uint8Array>>;
  /** Throttled progress. */
  progress(progress: Progress): void;
}

/** Which options carried a function the worker must call back (replaced by the caller side). */
export interface CallbackFlags {
  /** Some `fetch` is routed to the caller. */
  readonly fetch: boolean;
  /** The option slots whose `fetch` the caller filled (and `default`): the worker fills the same ones. */
  readonly fetchRoutes?: readonly FetchRoute[];
  readonly progress: boolean;
}

/** The adapter's public part, sent as data (its `sign` stays behind as {@link CallerSide.sign}). */
export interface AdapterData {
  readonly name: string;
  readonly entries: readonly CertificateEntry[];
  readonly capabilities: AdapterCapabilities;
}

/** Options without what cannot cross (functions, signals). */
export type WirePrepareOptions = Omit<PrepareOptions, 'signal' | 'onProgress' | 'timestamp' | 'fetch'> & { readonly timestamp?: Omit<NonNullable<PrepareOptions['timestamp']>, 'fetch'> };
export type WireSignOptions = Omit<SignOptions, 'signal' | 'onProgress' | 'timestamp' | 'adapter' | 'ltv' | 'fetch'> & {
  readonly timestamp?: Omit<NonNullable<SignOptions['timestamp']>, 'fetch'>;
  readonly ltv?: Omit<NonNullable<SignOptions['ltv']>, 'fetch' | 'archiveTimestamp'> & { readonly archiveTimestamp?: Omit<NonNullable<NonNullable<SignOptions['ltv']>['archiveTimestamp']>, 'fetch'> };
};
export type WireFinishOptions = Omit<FinishOptions, 'signal' | 'timestamp' | 'pdf' | 'fetch'> & { readonly timestamp?: Omit<NonNullable<FinishOptions['timestamp']>, 'fetch'> };
export type WireVerifyOptions = Omit<VerifyOptions, 'signal' | 'onProgress' | 'fetch'>;
export type WireExtendOptions = Omit<ExtendOptions, 'signal' | 'fetch' | 'timestamp'> & { readonly timestamp?: Omit<NonNullable<ExtendOptions['timestamp']>, 'fetch'> };

/** What the worker entry exposes. Every call carries an id the client may abort. */
export interface WorkerApi {
  /** Sets the default font's URL (once, before the first call). */
  configure(config: { readonly fontUrl: string }): void;
  prepare(id: number, pdf: Uint8Array, options: WirePrepareOptions, flags: CallbackFlags, caller: CallerSide): Promise<Outcome<PreparedSignature>>;
  finish(id: number, prepared: PreparedSignature, signatureValue: Uint8Array, pdf: Uint8Array, options: WireFinishOptions, flags: CallbackFlags, caller: CallerSide): Promise<Outcome<Uint8Array>>;
  sign(id: number, pdf: Uint8Array, options: WireSignOptions, adapter: AdapterData, flags: CallbackFlags, caller: CallerSide): Promise<Outcome<Uint8Array>>;
  verify(id: number, pdf: Uint8Array, options: WireVerifyOptions, flags: CallbackFlags, caller: CallerSide): Promise<Outcome<VerificationReport>>;
  /** `verify`, giving `pdf` back (by transfer) with the report. */
  verifyReturning(id: number, pdf: Uint8Array, options: WireVerifyOptions, flags: CallbackFlags, caller: CallerSide): Promise<Outcome<VerifiedDocument>>;
  /** B-LT / B-LTA; every OCSP, CRL, AIA and TSA request goes through the caller's fetch. */
  extend(id: number, pdf: Uint8Array, options: WireExtendOptions, flags: CallbackFlags, caller: CallerSide): Promise<Outcome<Uint8Array>>;
  /** Aborts call `id` (its AbortController); the call then settles with `ERR_ABORTED`. */
  abort(id: number): void;
}
