/**
 * Revocation status of a certification path at one time (RFC 5280 §6.3,
 * RFC 6960; ETSI EN 319 102-1 §5.2.6 "revocation freshness" is judged later by
 * the policy from the recorded dates).
 */
import { timeoutFor, type FetchLike, type ServiceTimeouts } from '../../options.js';
import { toBase64 } from '../../util/base64.js';
import type { RevocationFacts } from '../facts.js';
import { checkCrl } from './crl.js';
import { readCrl } from './crl-reader.js';
import { revocationCacheFor, type Loaded, type RevocationFetchCache } from './fetch-cache.js';
import { checkOcspResponse, ocspRequestFor, readBasicResponse } from './ocsp.js';
import { crlUrls, exchangeWithRetries, ocspUrls, type FetchRequest, type RetryPolicy } from './online.js';
import { hashBytes } from './signature.js';
import type { RevocationVerdict } from './verdict.js';

/** Revocation data already at hand: /DSS, adbe-revocationInfoArchival, CMS `crls`, caller-supplied. */
export interface RevocationSources {
  /** DER OCSPResponse (or bare BasicOCSPResponse) values. */
  readonly ocsps: readonly Uint8Array[];
  /** DER CertificateList values. */
  readonly crls: readonly Uint8Array[];
  /**
   * Data the caller obtained elsewhere (a CRL downloaded on another network, an
   * OCSP response kept by a back end): consulted after the document's own data
   * and before the network, and reported as `ocsp-supplied` / `crl-supplied`
   * (it is not in the file, so it does not make the file LTV-enabled).
   */
  readonly supplied?: { readonly ocsps: readonly Uint8Array[]; readonly crls: readonly Uint8Array[] };
}

/** How {@link checkRevocation} may look for data. */
export interface RevocationOptions {
  /** 'off': nothing is checked; 'embedded': `sources` only; 'online': `sources`, then the certificates' OCSP and CRL URLs. */
  readonly mode: 'embedded' | 'online' | 'off';
  /** Required for 'online' mode to reach anything: core reaches the network through nothing else (without it, online sources give 'unknown'). */
  readonly fetch?: FetchLike;
  /** Milliseconds for each HTTP exchange; default 10 000. */
  readonly timeoutMs?: number;
  /** Per service (`ocsp`, `crl`), winning over `timeoutMs`. */
  readonly timeouts?: ServiceTimeouts;
  /** The validation clock; default the current time. Data claiming to be from after it is refused. */
  readonly now?: Date;
  /**
   * Receives the DER of each OCSP response or CRL that decided a certificate's
   * status (embedded or fetched): the validation data a PAdES-LT `/DSS` keeps
   * (ETSI EN 319 142-1 §5.4.2).
   */
  readonly onEvidence?: (kind: 'ocsp' | 'crl', der: Uint8Array, certIndex: number) => void;
  /**
   * Where fetched answers are shared: default the cache of this `fetch`
   * function ({@link revocationCacheFor}); `false` fetches every time.
   */
  readonly cache?: RevocationFetchCache | false;
  /** Retries of transient network failures; default 2 retries, 200 ms back-off doubling. */
  readonly retry?: RetryPolicy;
}

type Entry = RevocationFacts['entries'][number];
type Source = Entry['source'];

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_OCSP_BYTES = 1024 * 1024;
const MAX_CRL_BYTES = 32 * 1024 * 1024;

/**
 * Checks every certificate of `path` but the last (the anchor) against the
 * revocation data its issuer (the next certificate) published, at `at`.
 *
 * For each certificate: embedded OCSP responses, then embedded CRLs, then in
 * 'online' mode the AIA OCSP responder (POST with a nonce) and the CRL
 * distribution points. The first source that decides wins; a revocation
 * before `at` is preferred over any "good" from the same kind of source.
 * Sources that fail (time-out, HTTP error, garbage, unauthorised responder,
 * bad signature, stale data) decide nothing; their reasons are joined in the
 * entry's `reason` when no source decides.
 *
 * Overall: 'revoked' if any certificate is revoked at `at`; 'good' if all are
 * good and there is at least one (a path with nothing below its anchor proves
 * nothing); 'not-checked' in mode 'off'; otherwise 'unknown'. Never throws.
 *
 * @param path DER certificates, signer first, trust anchor last.
 */
export async function checkRevocation(
  path: readonly Uint8Array[],
  at: Date,
  sources: RevocationSources,
  options: RevocationOptions,
): Promise<RevocationFacts> {
  if (options.mode === 'off') return { status: 'not-checked', entries: [] };
  const now = options.now ?? new Date();
  const entries: Entry[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    entries.push(await checkOne(i, path[i]!, path[i + 1]!, at, now, sources, options));
  }
  const status = entries.some((e) => e.status === 'revoked')
    ? 'revoked'
    : entries.length > 0 && entries.every((e) => e.status === 'good')
      ? 'good'
      : 'unknown';
  return { status, entries };
}

async function checkOne(
  certIndex: number,
  cert: Uint8Array,
  issuer: Uint8Array,
  at: Date,
  now: Date,
  sources: RevocationSources,
  options: RevocationOptions,
): Promise<Entry> {
  const problems: string[] = [];
  const settle = (verdicts: readonly RevocationVerdict[], source: Source, ders: readonly Uint8Array[]): Entry | null => {
    const applicable = verdicts.filter((v) => v.applicable);
    const chosen = applicable.find((v) => v.status === 'revoked') ?? applicable.find((v) => v.status === 'good');
    for (const v of applicable) if (v.status === 'unknown' && v.reason) problems.push(`${source}: ${v.reason}`);
    if (chosen && options.onEvidence) {
      const der = ders[verdicts.indexOf(chosen)];
      if (der) options.onEvidence(source.startsWith('ocsp') ? 'ocsp' : 'crl', der, certIndex);
    }
    return chosen ? toEntry(certIndex, chosen, source) : null;
  };

  const ctx = { at, now };
  const embeddedOcsp = await Promise.all(sources.ocsps.map((r) => checkOcspResponse(r, cert, issuer, ctx)));
  const byOcsp = settle(embeddedOcsp, 'ocsp-embedded', sources.ocsps);
  if (byOcsp) return byOcsp;
  const embeddedCrl = await Promise.all(sources.crls.map((c) => checkCrl(c, cert, issuer, ctx)));
  const byCrl = settle(embeddedCrl, 'crl-embedded', sources.crls);
  if (byCrl) return byCrl;
  if (sources.supplied) {
    const { ocsps, crls } = sources.supplied;
    const bySuppliedOcsp = settle(await Promise.all(ocsps.map((r) => checkOcspResponse(r, cert, issuer, ctx))), 'ocsp-supplied', ocsps);
    if (bySuppliedOcsp) return bySuppliedOcsp;
    const bySuppliedCrl = settle(await Promise.all(crls.map((c) => checkCrl(c, cert, issuer, ctx))), 'crl-supplied', crls);
    if (bySuppliedCrl) return bySuppliedCrl;
  }

  if (options.mode === 'online') {
    const fetch = options.fetch;
    const ocspTimeoutMs = timeoutFor(options.timeouts, 'ocsp', options.timeoutMs, DEFAULT_TIMEOUT_MS);
    const crlTimeoutMs = timeoutFor(options.timeouts, 'crl', options.timeoutMs, DEFAULT_TIMEOUT_MS);
    if (typeof fetch !== 'function') {
      problems.push('online: no fetch function was given');
    } else {
      const net: Network = {
        fetch, ocspTimeoutMs, retry: options.retry ?? {},
        cache: options.cache === false ? null : options.cache ?? revocationCacheFor(fetch),
      };
      for (const url of ocspUrls(cert)) {
        const { verdict, der } = await onlineOcsp(url, cert, issuer, ctx, net);
        const decided = settle([verdict], 'ocsp-online', der ? [der] : []);
        if (decided) return decided;
      }
      for (const url of crlUrls(cert)) {
        const got = await through(net, `crl ${url}`, async () => {
          const r = await exchangeWithRetries(
            { url, fetch, timeoutMs: crlTimeoutMs, method: 'GET', accept: 'application/pkix-crl', maxBytes: MAX_CRL_BYTES }, net.retry);
          return r.ok ? { body: r.body, freshUntil: crlNextUpdate(r.body), meta: null } : r.reason;
        });
        const verdict = typeof got === 'string' ? unreachable(got) : await checkCrl(got.body, cert, issuer, ctx);
        const decided = settle([verdict], 'crl-online', typeof got === 'string' ? [] : [got.body]);
        if (decided) return decided;
      }
    }
  }
  return {
    certIndex,
    status: 'unknown',
    source: 'none',
    revokedAt: null,
    producedAt: null,
    reason: problems.length > 0 ? problems.join('; ') : 'no revocation data for this certificate',
  };
}

/** How the online sources are reached. */
interface Network {
  readonly fetch: FetchLike;
  readonly ocspTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly cache: RevocationFetchCache | null;
}

/** `load()` through the cache when there is one. */
function through<M>(net: Network, key: string, load: () => Promise<Loaded<M> | string>): Promise<Loaded<M> | string> {
  return net.cache ? net.cache.get(key, load) : load();
}

async function onlineOcsp(
  url: string,
  cert: Uint8Array,
  issuer: Uint8Array,
  ctx: { at: Date; now: Date },
  net: Network,
): Promise<{ verdict: RevocationVerdict; der: Uint8Array | null }> {
  // One responder answer per (URL, issuer, certificate) is shared; its nonce travels with it so that every
  // verification using it checks it against the request that was actually sent (RFC 8954).
  const key = `ocsp ${url} ${toBase64(await hashBytes('SHA-256', concat(issuer, cert)))}`;
  const got = await through<Uint8Array | null>(net, key, async () => {
    let request;
    try {
      request = await ocspRequestFor(cert, issuer);
    } catch (e) {
      return `cannot build an OCSP request: ${e instanceof Error ? e.message : String(e)}`;
    }
    const req: FetchRequest = {
      url, fetch: net.fetch, timeoutMs: net.ocspTimeoutMs, method: 'POST', body: request.der,
      contentType: 'application/ocsp-request', accept: 'application/ocsp-response', maxBytes: MAX_OCSP_BYTES,
    };
    const r = await exchangeWithRetries(req, net.retry);
    return r.ok ? { body: r.body, freshUntil: ocspNextUpdate(r.body), meta: request.nonce } : r.reason;
  });
  if (typeof got === 'string') return { verdict: unreachable(got), der: null };
  const verdict = await checkOcspResponse(got.body, cert, issuer, { ...ctx, nonce: got.meta });
  // An answer about something else than what was asked is a failure of this source, not data to skip.
  return { verdict: verdict.applicable ? verdict : { ...verdict, applicable: true }, der: got.body };
}

/** The nextUpdate of a CRL, for how long to keep it (null when absent or unreadable: kept briefly). */
function crlNextUpdate(der: Uint8Array): Date | null {
  try {
    return readCrl(der).nextUpdate;
  } catch {
    return null;
  }
}

/** The earliest nextUpdate of an OCSP response's single responses (null when absent or unreadable). */
function ocspNextUpdate(der: Uint8Array): Date | null {
  const basic = readBasicResponse(der);
  if (typeof basic === 'string') return null;
  const times = basic.tbsResponseData.responses.map((r) => r.nextUpdate?.getTime() ?? Number.NaN);
  if (times.length === 0 || times.some((t) => Number.isNaN(t))) return null;
  return new Date(Math.min(...times));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const unreachable = (why: string): RevocationVerdict => ({
  applicable: true, status: 'unknown', revokedAt: null, reason: why, producedAt: null,
});

function toEntry(certIndex: number, v: RevocationVerdict, source: Source): Entry {
  return {
    certIndex,
    status: v.status,
    source,
    revokedAt: v.revokedAt ? v.revokedAt.toISOString() : null,
    producedAt: v.producedAt ? v.producedAt.toISOString() : null,
    reason: v.reason,
  };
}
