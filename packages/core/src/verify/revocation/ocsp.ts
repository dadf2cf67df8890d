/**
 * OCSP (RFC 6960): building a request for one certificate and judging a
 * response about it. Responses are read by pkijs; signatures are checked
 * over the bytes as received.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { decodeCertificate } from '../../crypto/certificate-info.js';
import { decodeExact, encode, octets } from '../../crypto/raw-der.js';
import { equalBytes } from '../../util/bytes.js';
import {
  extensionOf, hashBytes, integerHex, issuedBy, publicKeyBits, revocationHashFromOid, sameName, subjectBytes,
  revocationHashOid, verifySignedBytes, type RevocationHash,
} from './signature.js';
import { CLOCK_SKEW_MS, CRL_REASONS, decide, notApplicable, unusable, type RevocationVerdict } from './verdict.js';

/** OIDs of RFC 6960 §4.2.1, §4.4.1 and RFC 5280 §4.2.1.12. */
export const OCSP_OID = {
  basic: '1.3.6.1.5.5.7.48.1.1',
  nonce: '1.3.6.1.5.5.7.48.1.2',
  noCheck: '1.3.6.1.5.5.7.48.1.5',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  extKeyUsage: '2.5.29.37',
} as const;

/** An OCSP request and the nonce it carries. */
export interface OcspRequest {
  /** DER OCSPRequest, ready to POST as `application/ocsp-request` (RFC 6960 App. A.1). */
  readonly der: Uint8Array;
  /** The nonce sent, or null when none was. */
  readonly nonce: Uint8Array | null;
}

/** Options of {@link ocspRequestFor}. */
export interface OcspRequestOptions {
  /**
   * CertID hash. Default SHA-1: RFC 5019 §2.1.1 lets lightweight responders
   * support only SHA-1, and the CertID hash is no security property.
   */
  readonly hash?: RevocationHash;
  /** The nonce to send (1 to 32 bytes, RFC 8954 §2.1); default 32 random bytes; `false` for none. */
  readonly nonce?: Uint8Array | false;
}

/**
 * Builds the OCSPRequest asking about `cert`, issued by `issuer`
 * (RFC 6960 §4.1.1), with a nonce extension (RFC 8954).
 * @throws ERR_CERT_MALFORMED when a certificate cannot be decoded.
 */
export async function ocspRequestFor(cert: Uint8Array, issuer: Uint8Array, options: OcspRequestOptions = {}): Promise<OcspRequest> {
  const hash = options.hash ?? 'SHA-1';
  const certId = await certIdFor(cert, issuer, hash);
  let nonce: Uint8Array | null = null;
  if (options.nonce !== false) {
    nonce = options.nonce ?? globalThis.crypto.getRandomValues(new Uint8Array(32));
  }
  const tbsRequest = new pkijs.TBSRequest({
    requestList: [new pkijs.Request({ reqCert: certId })],
    ...(nonce
      ? {
          requestExtensions: [
            new pkijs.Extension({
              extnID: OCSP_OID.nonce,
              critical: false,
              // Nonce ::= OCTET STRING, itself wrapped in extnValue (RFC 8954 §2.1).
              extnValue: new asn1js.OctetString({ valueHex: nonce.slice() }).toBER(false),
            }),
          ],
        }
      : {}),
  });
  return { der: encode(new pkijs.OCSPRequest({ tbsRequest }).toSchema(true)), nonce };
}

async function certIdFor(cert: Uint8Array, issuer: Uint8Array, hash: RevocationHash): Promise<pkijs.CertID> {
  const serial = decodeCertificate(cert).cert.serialNumber;
  return new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: revocationHashOid(hash), algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: (await hashBytes(hash, subjectBytes(issuer))).slice() }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: (await hashBytes(hash, publicKeyBits(issuer))).slice() }),
    serialNumber: new asn1js.Integer({ valueHex: serial.valueBlock.valueHexView.slice() }),
  });
}

/** When and against what a response is judged. */
export interface OcspCheckContext {
  /** The time the status is wanted for (the signing time, or the validation time). */
  readonly at: Date;
  /** The validation clock: no response may claim to come from after it. */
  readonly now: Date;
  /** The nonce sent with the request, for an online answer (RFC 8954 §2.1). */
  readonly nonce?: Uint8Array | null;
}

/**
 * Reads a BasicOCSPResponse from an OCSPResponse (RFC 6960 §4.2.1), or from a
 * bare BasicOCSPResponse, which some signers embed instead.
 * @returns the response, or a string saying why it is unusable.
 */
export function readBasicResponse(der: Uint8Array): pkijs.BasicOCSPResponse | string {
  let root: asn1js.AsnType;
  try {
    root = decodeExact(der);
  } catch (e) {
    return `not DER: ${(e as Error).message}`;
  }
  try {
    const resp = new pkijs.OCSPResponse({ schema: root });
    const status = resp.responseStatus.valueBlock.valueDec;
    if (status !== 0) return `OCSP responseStatus ${OCSP_STATUS[status] ?? status}`;
    if (!resp.responseBytes) return 'OCSP response without responseBytes';
    if (resp.responseBytes.responseType !== OCSP_OID.basic) return `OCSP response type ${resp.responseBytes.responseType}`;
    return new pkijs.BasicOCSPResponse({ schema: decodeExact(octets(resp.responseBytes.response)) });
  } catch {
    try {
      return new pkijs.BasicOCSPResponse({ schema: root });
    } catch (e) {
      return `not an OCSP response: ${(e as Error).message}`;
    }
  }
}

const OCSP_STATUS: Record<number, string> = {
  1: 'malformedRequest', 2: 'internalError', 3: 'tryLater', 5: 'sigRequired', 6: 'unauthorized',
};

/**
 * Judges an OCSP response about `cert` (issued by `issuer`) at `ctx.at`:
 *
 * - a SingleResponse whose CertID matches: issuer name and key hashes under
 *   the CertID's own hash algorithm, and the serial (RFC 6960 §4.1.1);
 * - signed by an authorised responder (§4.2.2.2): the issuer itself, or a
 *   certificate the issuer signed that carries id-kp-OCSPSigning and is
 *   valid when the response was produced; the signature must verify;
 * - producedAt and thisUpdate not after `now` (with a small clock skew);
 * - the nonce, when one was sent and the response echoes one, must match;
 * - then {@link decide}: revoked before `at`, or good over a period covering `at`.
 *
 * Never throws.
 */
export async function checkOcspResponse(
  der: Uint8Array,
  cert: Uint8Array,
  issuer: Uint8Array,
  ctx: OcspCheckContext,
): Promise<RevocationVerdict> {
  try {
    const basic = readBasicResponse(der);
    if (typeof basic === 'string') return unusable(basic);
    const data = basic.tbsResponseData;
    const single = await findSingle(data.responses, cert, issuer);
    if (!single) return notApplicable('the OCSP response is about other certificates');
    const producedAt = data.producedAt;

    const signer = await authorisedSigner(basic, issuer, producedAt);
    if (typeof signer === 'string') return unusable(signer, producedAt);
    const signatureOk = await verifySignedBytes(
      signer, basic.signatureAlgorithm, data.tbsView, basic.signature.valueBlock.valueHexView,
    );
    if (!signatureOk) return unusable('the OCSP response signature does not verify', producedAt);

    const latest = ctx.now.getTime() + CLOCK_SKEW_MS;
    if (producedAt.getTime() > latest || single.thisUpdate.getTime() > latest) {
      return unusable('the OCSP response claims to come from the future', producedAt);
    }
    if (single.nextUpdate && single.nextUpdate.getTime() < single.thisUpdate.getTime()) {
      return unusable('the OCSP response has nextUpdate before thisUpdate', producedAt);
    }
    if (ctx.nonce) {
      const echoed = responseNonce(data);
      if (echoed && !equalBytes(echoed, ctx.nonce)) return unusable('the OCSP response nonce is not the one sent', producedAt);
    }

    const status = readStatus(single);
    if (status.kind === 'unknown') return unusable('the OCSP responder does not know the certificate', producedAt);
    return decide(
      status.kind === 'revoked' ? { time: status.time, reason: status.reason } : null,
      { thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate ?? null, producedAt },
      ctx.at,
    );
  } catch (e) {
    return unusable(`the OCSP response cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function findSingle(
  responses: readonly pkijs.SingleResponse[],
  cert: Uint8Array,
  issuer: Uint8Array,
): Promise<pkijs.SingleResponse | undefined> {
  const serial = integerHex(decodeCertificate(cert).cert.serialNumber);
  const issuerName = subjectBytes(issuer);
  const issuerKey = publicKeyBits(issuer);
  for (const single of responses) {
    const id = single.certID;
    if (integerHex(id.serialNumber) !== serial) continue;
    const hash = revocationHashFromOid(id.hashAlgorithm.algorithmId);
    if (!hash) continue;
    const nameHash = await hashBytes(hash, issuerName);
    const keyHash = await hashBytes(hash, issuerKey);
    if (equalBytes(octets(id.issuerNameHash), nameHash) && equalBytes(octets(id.issuerKeyHash), keyHash)) return single;
  }
  return undefined;
}


/**
 * The certificate that signed the response, if it may (RFC 6960 §4.2.2.2):
 * the responderID picks it among the issuer and the certificates carried in
 * the response.
 */
async function authorisedSigner(basic: pkijs.BasicOCSPResponse, issuer: Uint8Array, producedAt: Date): Promise<Uint8Array | string> {
  const responderId: unknown = basic.tbsResponseData.responderID;
  const carried = (basic.certs ?? []).map((c) => encode(c.toSchema()));
  const candidates = [issuer, ...carried];
  let matched = false;
  for (const candidate of candidates) {
    if (!(await matchesResponderId(candidate, responderId))) continue;
    matched = true;
    if (isSameCertificate(candidate, issuer)) return candidate;
    if (!(await issuedBy(candidate, issuer))) continue;
    const eku = extensionOf(candidate, OCSP_OID.extKeyUsage);
    const purposes: unknown = eku?.parsedValue;
    if (!(purposes instanceof pkijs.ExtKeyUsage) || !purposes.keyPurposes.includes(OCSP_OID.ocspSigning)) {
      return 'the OCSP response is signed by a certificate of the issuer without id-kp-OCSPSigning';
    }
    const c = decodeCertificate(candidate).cert;
    if (producedAt.getTime() < c.notBefore.value.getTime() || producedAt.getTime() > c.notAfter.value.getTime()) {
      return 'the OCSP responder certificate was not valid when the response was produced';
    }
    return candidate;
  }
  return matched
    ? 'the OCSP response is signed by a responder the issuer did not authorise'
    : 'the OCSP responder certificate is neither the issuer nor included in the response';
}

async function matchesResponderId(cert: Uint8Array, responderId: unknown): Promise<boolean> {
  if (responderId instanceof pkijs.RelativeDistinguishedNames) {
    return sameName(decodeCertificate(cert).cert.subject, responderId);
  }
  if (responderId instanceof asn1js.OctetString) {
    // byKey: SHA-1 of the subjectPublicKey BIT STRING value (RFC 6960 §4.2.1).
    return equalBytes(octets(responderId), await hashBytes('SHA-1', publicKeyBits(cert)));
  }
  return false;
}

function isSameCertificate(a: Uint8Array, b: Uint8Array): boolean {
  if (equalBytes(a, b)) return true;
  // The same CA re-issued: same name, same key.
  const ca = decodeCertificate(a).cert;
  const cb = decodeCertificate(b).cert;
  return sameName(ca.subject, cb.subject) && equalBytes(publicKeyBits(a), publicKeyBits(b));
}

function responseNonce(data: pkijs.ResponseData): Uint8Array | null {
  const ext = data.responseExtensions?.find((e) => e.extnID === OCSP_OID.nonce);
  if (!ext) return null;
  const raw = octets(ext.extnValue);
  // RFC 8954 wraps the nonce in an OCTET STRING; early responders sent it bare.
  try {
    const inner = decodeExact(raw);
    if (inner instanceof asn1js.OctetString) return octets(inner);
  } catch {
    // bare nonce
  }
  return raw;
}

type SingleStatus = { kind: 'good' } | { kind: 'unknown' } | { kind: 'revoked'; time: Date; reason: string | null };

/** CertStatus ::= CHOICE { good [0] NULL, revoked [1] RevokedInfo, unknown [2] NULL } (RFC 6960 §4.2.1). */
function readStatus(single: pkijs.SingleResponse): SingleStatus {
  const status: unknown = single.certStatus;
  if (!(status instanceof asn1js.BaseBlock) || status.idBlock.tagClass !== 3) throw new Error('bad certStatus');
  const tag = status.idBlock.tagNumber;
  if (tag === 0) return { kind: 'good' };
  if (tag === 2) return { kind: 'unknown' };
  if (tag !== 1 || !(status instanceof asn1js.Constructed)) throw new Error('bad certStatus');
  const [time, reasonBox] = status.valueBlock.value;
  if (!(time instanceof asn1js.GeneralizedTime)) throw new Error('bad revocationTime');
  let reason: string | null = null;
  if (reasonBox instanceof asn1js.Constructed) {
    const r = reasonBox.valueBlock.value[0];
    if (r instanceof asn1js.Enumerated) reason = CRL_REASONS[r.valueBlock.valueDec] ?? `reason-${r.valueBlock.valueDec}`;
  }
  return { kind: 'revoked', time: time.toDate(), reason };
}
