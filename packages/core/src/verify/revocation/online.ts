/**
 * Fetching revocation data: where a certificate says it lives (RFC 5280
 * §4.2.2.1 AIA id-ad-ocsp, §4.2.1.13 CRL distribution points) and one HTTP
 * exchange under a time-out through the caller's `fetch`. Failures come back
 * as text, never as exceptions: an unreachable source only leaves the status unknown.
 */
import * as pkijs from 'pkijs';
import type { FetchLike } from '../../options.js';
import { extensionOf } from './signature.js';

const AIA = '1.3.6.1.5.5.7.1.1';
const AD_OCSP = '1.3.6.1.5.5.7.48.1';
const CRL_DP = '2.5.29.31';
/** GeneralName uniformResourceIdentifier [6] (RFC 5280 §4.2.1.6). */
const URI = 6;

const isHttp = (url: string): boolean => /^https?:\/\//i.test(url);

/** The HTTP(S) OCSP responder URLs in the certificate's AIA extension. */
export function ocspUrls(cert: Uint8Array): string[] {
  try {
    const v: unknown = extensionOf(cert, AIA)?.parsedValue;
    if (!(v instanceof pkijs.InfoAccess)) return [];
    return v.accessDescriptions
      .filter((d) => d.accessMethod === AD_OCSP && d.accessLocation.type === URI)
      .map((d) => String(d.accessLocation.value))
      .filter(isHttp);
  } catch {
    return [];
  }
}

/** The HTTP(S) full-name URLs of the certificate's CRL distribution points (LDAP ones are skipped). */
export function crlUrls(cert: Uint8Array): string[] {
  try {
    const v: unknown = extensionOf(cert, CRL_DP)?.parsedValue;
    if (!(v instanceof pkijs.CRLDistributionPoints)) return [];
    const out: string[] = [];
    for (const dp of v.distributionPoints) {
      // A DP limited to some reasons or served by another issuer does not give a complete answer (§6.3.3).
      if (dp.reasons !== undefined || dp.cRLIssuer !== undefined) continue;
      const names: unknown = dp.distributionPoint;
      if (!Array.isArray(names)) continue;
      for (const n of names as pkijs.GeneralName[]) if (n.type === URI && isHttp(String(n.value))) out.push(String(n.value));
    }
    return out;
  } catch {
    return [];
  }
}

/** One HTTP exchange. */
export interface FetchRequest {
  readonly url: string;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly method: 'GET' | 'POST';
  readonly body?: Uint8Array;
  readonly contentType?: string;
  readonly accept: string;
  /** Larger bodies are refused. */
  readonly maxBytes: number;
}

/** What one exchange gave: the body of a 2xx answer, or why not and whether trying again may help. */
export type Exchange =
  | { readonly ok: true; readonly body: Uint8Array }
  | { readonly ok: false; readonly reason: string; readonly transient: boolean };

/**
 * Performs one exchange; the time-out covers the answer and its body, and
 * holds even when `fetch` ignores its signal.
 * @returns the body of a 2xx answer, or a string saying what went wrong.
 */
export async function fetchBytes(req: FetchRequest): Promise<Uint8Array | string> {
  const r = await exchange(req);
  return r.ok ? r.body : r.reason;
}

/**
 * {@link fetchBytes} with the failure classified: a network error, HTTP 5xx,
 * 408 or 429 is transient (a later try may succeed); any other 4xx, an
 * oversized answer and a time-out are not (the time-out already spent the budget).
 */
export async function exchange(req: FetchRequest): Promise<Exchange> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, req.timeoutMs);
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
  aborted.catch(() => undefined);
  const failure = (e: unknown): Exchange => timedOut
    ? { ok: false, reason: `no answer from ${req.url} within ${req.timeoutMs} ms`, transient: false }
    : { ok: false, reason: `${req.url}: ${e instanceof Error ? e.message : String(e)}`, transient: true };
  try {
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await Promise.race([
        req.fetch(req.url, {
          method: req.method,
          headers: { Accept: req.accept, ...(req.contentType ? { 'Content-Type': req.contentType } : {}) },
          ...(req.body ? { body: req.body } : {}),
          signal: controller.signal,
        }),
        aborted,
      ]);
    } catch (e) {
      return failure(e);
    }
    if (response.status < 200 || response.status > 299) {
      const transient = response.status >= 500 || response.status === 408 || response.status === 429;
      return { ok: false, reason: `${req.url}: HTTP status ${response.status}`, transient };
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > req.maxBytes) return { ok: false, reason: `${req.url}: answer of ${declared} bytes is too large`, transient: false };
    let buffer: ArrayBuffer;
    try {
      buffer = await Promise.race([response.arrayBuffer(), aborted]);
    } catch (e) {
      return failure(e);
    }
    if (buffer.byteLength > req.maxBytes) return { ok: false, reason: `${req.url}: answer of ${buffer.byteLength} bytes is too large`, transient: false };
    return { ok: true, body: new Uint8Array(buffer) };
  } finally {
    clearTimeout(timer);
  }
}

/** How often and how patiently {@link exchangeWithRetries} tries again. */
export interface RetryPolicy {
  /** Further tries after the first, on transient failures only; default 2. */
  readonly retries?: number;
  /** Wait before the first retry, doubled before each next one; default 200 ms. */
  readonly backoffMs?: number;
}

/**
 * {@link exchange}, tried again after a transient failure (network error,
 * 5xx, 408, 429) with exponential back-off: a CA's server that is briefly
 * overloaded must not leave a certificate's status unknown. A 404 or another
 * 4xx is an answer, not an accident, and is never retried.
 */
export async function exchangeWithRetries(req: FetchRequest, policy: RetryPolicy = {}): Promise<Exchange> {
  const retries = Math.max(0, Math.min(policy.retries ?? 2, 5));
  const backoff = Math.max(0, policy.backoffMs ?? 200);
  const reasons: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const r = await exchange(req);
    if (r.ok) return r;
    reasons.push(r.reason);
    if (!r.transient || attempt >= retries) {
      return attempt === 0 ? r : { ok: false, reason: `${[...new Set(reasons)].join('; ')} (after ${attempt + 1} tries)`, transient: r.transient };
    }
    await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** attempt));
  }
}
