/**
 * Fetching issuer certificates named by a certificate's Authority Information
 * Access caIssuers URIs (RFC 5280 §4.2.2.1): a DER certificate or a
 * "certs-only" CMS SignedData (RFC 5652 §5, application/pkcs7-mime), through
 * the caller's `fetch` with a time-out, retried and shared like revocation
 * data. Core never opens a connection itself.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from '../../crypto/algorithms.js';
import { decodeCertificate } from '../../crypto/certificate-info.js';
import { decodeExact, elements, isContextTag, originalBytes } from '../../crypto/raw-der.js';
import type { FetchLike } from '../../options.js';
import { fromBase64 } from '../../util/base64.js';
import { revocationCacheFor } from '../revocation/fetch-cache.js';
import { exchangeWithRetries } from '../revocation/online.js';
import { bytesToLatin1 } from '../../util/bytes.js';

/** An issuer bundle larger than this is refused (a CA certificate is a few KB). */
const MAX_AIA_BYTES = 1 << 20;
/** Default time-out for one caIssuers download. */
export const DEFAULT_AIA_TIMEOUT_MS = 10_000;

/**
 * Downloads the certificates at `url`. Resolves to the certificates found, or
 * null when the download failed, timed out, or the answer held no certificate.
 * Transient failures (network error, 5xx) are retried, and one download per
 * URL is shared by every verification using the same `fetcher`, as for
 * revocation data (docs/decisions/0022). Never throws.
 */
export async function fetchIssuerCertificates(url: string, fetcher: FetchLike, timeoutMs: number): Promise<Uint8Array[] | null> {
  // Only plain web URLs: RFC 5280 §4.2.2.1 also allows ldap, which needs a client core does not have.
  if (!/^https?:\/\//i.test(url)) return null;
  const got = await revocationCacheFor(fetcher).get(`aia ${url}`, async () => {
    const r = await exchangeWithRetries({
      url, fetch: fetcher, timeoutMs, method: 'GET', accept: 'application/pkix-cert, application/pkcs7-mime, */*', maxBytes: MAX_AIA_BYTES,
    });
    if (!r.ok) return r.reason;
    // An answer without a certificate is not kept: it may be a proxy's error page.
    return readIssuerBundle(r.body).length > 0 ? { body: r.body, freshUntil: null, meta: null } : `${url}: no certificate in the answer`;
  });
  if (typeof got === 'string') return null;
  const certs = readIssuerBundle(got.body);
  return certs.length > 0 ? certs : null;
}

/**
 * Certificates in an AIA answer: one DER certificate, a PKCS#7/CMS
 * SignedData holding certificates, or PEM text of either. Unreadable
 * input gives an empty list.
 */
export function readIssuerBundle(body: Uint8Array): Uint8Array[] {
  if (body[0] !== 0x30) {
    const text = bytesToLatin1(body);
    const pem = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
    const der = pem ? fromBase64(pem[2]!.replace(/\s+/g, '')) : null;
    return der && der[0] === 0x30 ? readIssuerBundle(der) : [];
  }
  let root: asn1js.AsnType;
  try {
    root = decodeExact(body);
  } catch {
    return [];
  }
  try {
    decodeCertificate(body);
    return [body.slice()];
  } catch {
    // not a certificate: try ContentInfo below
  }
  try {
    const info = new pkijs.ContentInfo({ schema: root });
    if (info.contentType !== OID.signedData) return [];
    // SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo, certificates [0] IMPLICIT ..., ... }
    const signedData = elements(elements(root)[1]!)[0]!;
    const certSet = elements(signedData).find((e) => isContextTag(e, 0));
    if (!certSet) return [];
    const out: Uint8Array[] = [];
    for (const c of elements(certSet)) {
      if (!(c instanceof asn1js.Sequence)) continue; // other certificate formats (RFC 5652 §10.2.2)
      const der = originalBytes(c);
      try {
        decodeCertificate(der);
        out.push(der);
      } catch {
        // skip an unreadable entry
      }
    }
    return out;
  } catch {
    return [];
  }
}
