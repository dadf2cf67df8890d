/**
 * What makes an OCSP exchange shareable between processes: the request with its nonce taken out
 * (the part that names what is asked, RFC 6960 §4.1.1), and whether the response is a successful one
 * and until when it is fresh (RFC 6960 §4.2.1, §4.2.2.1). Read and written with pkijs's OCSP classes.
 */
import * as pkijs from 'pkijs';
import { decodeWhole } from './asn1-decode.js';

/** id-pkix-ocsp-nonce (RFC 6960 §4.4.1, RFC 8954 §2.1). */
const NONCE_OID = '1.3.6.1.5.5.7.48.1.2';
/** id-pkix-ocsp-basic (RFC 6960 §4.2.1). */
const BASIC_OID = '1.3.6.1.5.5.7.48.1.1';

/**
 * The OCSPRequest to send on behalf of every process: the same request without its nonce extension,
 * or null when the body is not an unsigned OCSPRequest (then it is not shared).
 *
 * OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }
 * TBSRequest ::= SEQUENCE { version [0], requestorName [1], requestList SEQUENCE OF Request,
 * requestExtensions [2] EXPLICIT Extensions OPTIONAL }.
 *
 * What stays is the CertID of each Request (hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber)
 * and any other extension; it is both what is sent and the cache key. The nonce goes because one answer
 * is to serve many verifiers: it could echo only one verifier's nonce, and core rejects an echoed nonce
 * that is not the one it sent. Without a nonce, core accepts the response as it accepts any responder
 * that does not echo nonces (RFC 8954 §2.1 leaves echoing to the responder; RFC 5019 responders never
 * do), and judges its freshness by thisUpdate/nextUpdate as for every OCSP response.
 * A signed request (optionalSignature) is the requester's own and passes through untouched.
 * The result is DER (X.690 §10), as pkijs writes it: a request with or without a nonce, the same request
 * otherwise, gives the same bytes.
 */
export function shareableOcspRequest(der: Uint8Array): Uint8Array | null {
  const root = decodeWhole(der);
  if (!root) return null;
  let request: pkijs.OCSPRequest;
  try {
    request = new pkijs.OCSPRequest({ schema: root });
  } catch {
    return null;
  }
  if (request.optionalSignature) return null; // a signed request is not shared
  const tbs = request.tbsRequest;
  const others = tbs.requestExtensions?.filter((e) => e.extnID !== NONCE_OID) ?? [];
  tbs.requestExtensions = others.length ? others : undefined;
  try {
    return new Uint8Array(new pkijs.OCSPRequest({ tbsRequest: tbs }).toSchema(true).toBER(false));
  } catch {
    return null;
  }
}

/**
 * Whether a body is a successful OCSPResponse with a basic response (RFC 6960 §4.2.1), and the earliest
 * nextUpdate of its SingleResponses (§4.2.2.1), null when one has none. Anything else is not shared.
 */
export function ocspResponseFreshness(der: Uint8Array): { nextUpdate: Date | null } | null {
  const root = decodeWhole(der);
  if (!root) return null;
  let basic: pkijs.BasicOCSPResponse;
  try {
    const response = new pkijs.OCSPResponse({ schema: root });
    // responseStatus ENUMERATED successful (0): malformedRequest, tryLater, unauthorized… are never kept.
    if (response.responseStatus.valueBlock.valueDec !== 0 || response.responseBytes?.responseType !== BASIC_OID) return null;
    const inner = decodeWhole(new Uint8Array(response.responseBytes.response.getValue()));
    if (!inner) return null;
    basic = new pkijs.BasicOCSPResponse({ schema: inner });
  } catch {
    return null;
  }
  const singles = basic.tbsResponseData.responses;
  if (singles.length === 0) return null;
  let earliest: Date | null = null;
  for (const single of singles) {
    // SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT OPTIONAL, … }
    const ms = single.nextUpdate?.getTime() ?? NaN;
    if (Number.isNaN(ms)) return { nextUpdate: null };
    // Whole seconds, as before: a fraction of a second in the GeneralizedTime is dropped.
    const next = new Date(ms - (((ms % 1000) + 1000) % 1000));
    if (!earliest || next < earliest) earliest = next;
  }
  return { nextUpdate: earliest };
}
