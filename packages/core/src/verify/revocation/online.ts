/**
 * Fetching revocation data: where a certificate says it lives (RFC 5280
 * §4.2.2.1 AIA id-ad-ocsp, §4.2.1.13 CRL distribution points) and one HTTP
 * exchange under a time-out through the caller's `fetch`. Failures come back
 * as text, never as exceptions: an unreachable source only leaves the status unknown.
 */
import * as pkijs from 'pkijs';
import type { FetchLike } from '../../sign/options.js';
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

/**
 * Performs one exchange; the time-out covers the answer and its body, and
 * holds even when `fetch` ignores its signal.
 * @returns the body of a 2xx answer, or a string saying what went wrong.
 */
export async function fetchBytes(req: FetchRequest): Promise<Uint8Array | string> {
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
  const failure = (e: unknown): string =>
    timedOut ? `no answer from ${req.url} within ${req.timeoutMs} ms` : `${req.url}: ${e instanceof Error ? e.message : String(e)}`;
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
    if (response.status < 200 || response.status > 299) return `${req.url}: HTTP status ${response.status}`;
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > req.maxBytes) return `${req.url}: answer of ${declared} bytes is too large`;
    let buffer: ArrayBuffer;
    try {
      buffer = await Promise.race([response.arrayBuffer(), aborted]);
    } catch (e) {
      return failure(e);
    }
    if (buffer.byteLength > req.maxBytes) return `${req.url}: answer of ${buffer.byteLength} bytes is too large`;
    return new Uint8Array(buffer);
  } finally {
    clearTimeout(timer);
  }
}
