/**
 * What makes an OCSP exchange shareable between processes: the request with its nonce taken out
 * (the part that names what is asked, RFC 6960 §4.1.1), and whether the response is a successful one
 * and until when it is fresh (RFC 6960 §4.2.1, §4.2.2.1).
 */
import { children, encodeTlv, join, timeOf, tlv, type Tlv } from './der.js';

/** DER of the id-pkix-ocsp-nonce OID 1.3.6.1.5.5.7.48.1.2 (RFC 6960 §4.4.1, RFC 8954 §2.1). */
const NONCE_OID = Uint8Array.of(0x06, 0x09, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02);
/** DER of id-pkix-ocsp-basic 1.3.6.1.5.5.7.48.1.1 (RFC 6960 §4.2.1). */
const BASIC_OID = Uint8Array.of(0x06, 0x09, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01);

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const bytes = (der: Uint8Array, t: Tlv) => der.subarray(t.at, t.end);

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
 */
export function shareableOcspRequest(der: Uint8Array): Uint8Array | null {
  const outer = tlv(der, 0);
  if (!outer || outer.tag !== 0x30 || outer.end !== der.length) return null;
  const top = children(der, outer);
  if (!top || top.length !== 1 || top[0]!.tag !== 0x30) return null; // a signed request is not shared
  const fields = children(der, top[0]!);
  if (!fields) return null;
  const kept: Uint8Array[] = [];
  let requestLists = 0;
  for (const f of fields) {
    if (f.tag === 0x30) requestLists++;
    if (f.tag !== 0xa2) {
      kept.push(bytes(der, f));
      continue;
    }
    const list = tlv(der, f.start);
    const exts = list && list.tag === 0x30 && list.end === f.end ? children(der, list) : null;
    if (!exts) return null;
    const others = exts.filter((e) => {
      const oid = tlv(der, e.start);
      return !(oid && same(der.subarray(oid.at, oid.end), NONCE_OID));
    });
    if (others.length) kept.push(encodeTlv(0xa2, encodeTlv(0x30, join(others.map((e) => bytes(der, e))))));
  }
  if (requestLists !== 1) return null;
  return encodeTlv(0x30, encodeTlv(0x30, join(kept)));
}

/**
 * Whether a body is a successful OCSPResponse with a basic response (RFC 6960 §4.2.1), and the earliest
 * nextUpdate of its SingleResponses (§4.2.2.1), null when one has none. Anything else is not shared.
 */
export function ocspResponseFreshness(der: Uint8Array): { nextUpdate: Date | null } | null {
  const outer = tlv(der, 0);
  const top = outer && outer.tag === 0x30 && outer.end === der.length ? children(der, outer) : null;
  if (!top || top.length !== 2) return null;
  const [status, wrapped] = top as [Tlv, Tlv];
  // responseStatus ENUMERATED successful (0): malformedRequest, tryLater, unauthorized… are never kept.
  if (status.tag !== 0x0a || status.end - status.start !== 1 || der[status.start] !== 0 || wrapped.tag !== 0xa0) return null;
  const rb = tlv(der, wrapped.start);
  const rbFields = rb && rb.tag === 0x30 ? children(der, rb) : null;
  if (!rbFields || rbFields.length !== 2 || !same(bytes(der, rbFields[0]!), BASIC_OID) || rbFields[1]!.tag !== 0x04) return null;
  const basic = tlv(der, rbFields[1]!.start);
  const tbs = basic && basic.tag === 0x30 ? tlv(der, basic.start) : null;
  const data = tbs && tbs.tag === 0x30 ? children(der, tbs) : null;
  // ResponseData ::= SEQUENCE { version [0], responderID [1]|[2], producedAt, responses SEQUENCE OF SingleResponse, … }
  const responses = data?.find((f) => f.tag === 0x30);
  const singles = responses ? children(der, responses) : null;
  if (!singles || singles.length === 0) return null;
  let earliest: Date | null = null;
  for (const s of singles) {
    // SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT OPTIONAL, … }
    const f = children(der, s);
    if (!f || f.length < 3) return null;
    const next = f[3]?.tag === 0xa0 ? tlv(der, f[3].start) : null;
    const when = next && next.tag === 0x18 ? timeOf(der, next) : null;
    if (!when) return { nextUpdate: null };
    if (!earliest || when < earliest) earliest = when;
  }
  return { nextUpdate: earliest };
}
