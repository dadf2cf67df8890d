/**
 * Option types shared by every layer (signing, verification, long-term
 * validation, the worker), and the one rule that says which `fetch` and which
 * time-out reach each network service. It is the bottom layer: it imports
 * nothing, so `crypto/`, `verify/` and `sign/` can all depend on it without
 * depending on each other (docs/decisions/0032).
 */

/** Hash functions kyso signs with (FIPS 180-4). */
export type HashAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** Signature schemes kyso signs with; names follow WebCrypto. */
export type SignatureScheme = 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA';

/**
 * A signature algorithm as requested from a key source. For RSA-PSS the salt
 * length is the hash length (RFC 8017 §9.1 recommendation; ETSI TS 119 312).
 */
export interface SignatureAlgorithm {
  readonly scheme: SignatureScheme;
  readonly hash: HashAlgorithm;
}

/** `/SubFilter` of the signature dictionary (ISO 32000-2 §12.8.3.3 and §12.8.3.4). */
export type SubFilter = 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached';

/** A `fetch`-compatible function; core never reaches the network by itself. */
export type FetchLike = (input: string, init?: {
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  signal?: AbortSignal;
}) => Promise<{ ok: boolean; status: number; headers: { get(name: string): string | null }; arrayBuffer(): Promise<ArrayBuffer> }>;

/**
 * The network services core talks to: an RFC 3161 timestamp authority, OCSP
 * responders (RFC 6960), CRL distribution points (RFC 5280 §4.2.1.13) and
 * issuer certificates named by Authority Information Access (RFC 5280 §4.2.2.1).
 */
export type NetworkService = 'tsa' | 'ocsp' | 'crl' | 'aia';

/** Milliseconds each kind of exchange may take before it counts as failed. */
export type ServiceTimeouts = { readonly [S in NetworkService]?: number };

/**
 * Where the worker puts the page's `globalThis.fetch`: the one default core
 * applies (the signature's TSA when no fetch is given) must be the caller's
 * realm's, not the worker's. A symbol, so that no caller sets it by accident
 * and no structured clone carries it.
 * @internal
 */
export const DEFAULT_FETCH: unique symbol = Symbol('kyso.defaultFetch');

/**
 * How core reaches the network, the same for every operation and the same in
 * the worker as in-process: one `fetch` for every service, and a time-out per
 * service.
 */
export interface NetworkOptions {
  /**
   * Performs every request core makes (TSA, OCSP, CRL, AIA). Where an older
   * option nested in `timestamp` or `ltv` names a fetch of its own, that one
   * wins for its service (see {@link fetchFor}).
   */
  readonly fetch?: FetchLike;
  /** Time-out per service, in milliseconds; each wins over the older `timeoutMs` options. */
  readonly timeouts?: ServiceTimeouts;
  /** @internal see {@link DEFAULT_FETCH} */
  readonly [DEFAULT_FETCH]?: FetchLike;
}

/**
 * The option slots a `fetch` can sit in, as a caller writes them: the
 * top-level `fetch`, `timestamp.fetch`, `ltv.fetch`, `ltv.archiveTimestamp.fetch`.
 * The worker routes each request back to the caller's function of the same
 * slot, so that core's precedence picks the same function on both sides.
 */
export type FetchSlot = 'fetch' | 'timestamp' | 'ltv' | 'archiveTimestamp';

/** The shape of options that may carry a fetch in any slot (sign, prepare, finish, verify, extend). */
export interface FetchSlots {
  readonly fetch?: FetchLike;
  /** @internal see {@link DEFAULT_FETCH} */
  readonly [DEFAULT_FETCH]?: FetchLike;
  readonly timestamp?: { readonly fetch?: FetchLike };
  readonly ltv?: { readonly fetch?: FetchLike; readonly archiveTimestamp?: { readonly fetch?: FetchLike } };
}

/**
 * The fetch a service is reached through. Precedence, the same in every
 * operation: the fetch nested in that service's own (deprecated) option, then
 * the top-level `fetch`, then, for validation data only, the timestamp's fetch
 * (what signing used before there was a top-level one). `undefined` when none
 * is given: the caller decides whether a default applies (only the signature's
 * TSA defaults to `globalThis.fetch`).
 * - `tsa`: `timestamp.fetch` → `fetch`.
 * - `ocsp`, `crl`, `aia`: `ltv.fetch` → `fetch` → `timestamp.fetch`.
 */
export function fetchFor(options: FetchSlots | undefined, service: NetworkService): FetchLike | undefined {
  if (!options) return undefined;
  if (service === 'tsa') return options.timestamp?.fetch ?? options.fetch;
  return options.ltv?.fetch ?? options.fetch ?? options.timestamp?.fetch;
}

/** Every slot of `options` that holds a function, with it: what the worker client sends routes for. */
export function fetchSlots(options: FetchSlots | undefined): Partial<Record<FetchSlot, FetchLike>> {
  const out: Partial<Record<FetchSlot, FetchLike>> = {};
  if (typeof options?.fetch === 'function') out.fetch = options.fetch;
  if (typeof options?.timestamp?.fetch === 'function') out.timestamp = options.timestamp.fetch;
  if (typeof options?.ltv?.fetch === 'function') out.ltv = options.ltv.fetch;
  if (typeof options?.ltv?.archiveTimestamp?.fetch === 'function') out.archiveTimestamp = options.ltv.archiveTimestamp.fetch;
  return out;
}

/**
 * The time-out of one service: `timeouts[service]`, else the older option that
 * covered it (`timestamp.timeoutMs`, `ltv.timeoutMs`, `timeoutMs`), else the
 * service's default.
 */
export function timeoutFor(timeouts: ServiceTimeouts | undefined, service: NetworkService, legacyMs: number | undefined, defaultMs: number): number {
  return timeouts?.[service] ?? legacyMs ?? defaultMs;
}
