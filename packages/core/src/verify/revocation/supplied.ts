/**
 * Revocation data the caller obtained elsewhere: a CRL downloaded from the
 * CA's distribution point on another network (usual on closed government
 * networks), or an OCSP response a back end kept. Accepted as DER or PEM,
 * several per item, and checked to be what they claim before verification
 * starts, so that a wrong file stops the caller instead of quietly leaving
 * every status unknown.
 */
import { kysoError } from '../../errors/index.js';
import { fromBase64 } from '../../util/base64.js';
import { readCrl } from './crl-reader.js';
import { readBasicResponse } from './ocsp.js';
import { bytesToLatin1 } from '../../util/bytes.js';

/** Revocation data supplied with a verification (see `VerifyOptions.revocationData`). */
export interface RevocationData {
  /** CertificateLists (RFC 5280 §5): DER bytes, or PEM text/bytes with `X509 CRL` blocks. */
  readonly crls?: readonly (Uint8Array | string)[];
  /** OCSPResponses (RFC 6960 §4.2.1): DER bytes, or PEM text/bytes with `OCSP RESPONSE` blocks. */
  readonly ocspResponses?: readonly (Uint8Array | string)[];
}

/** {@link RevocationData} decoded: DER values only. */
export interface SuppliedRevocation {
  readonly crls: readonly Uint8Array[];
  readonly ocsps: readonly Uint8Array[];
}

const CRL_PEM = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g;
const OCSP_PEM = /-----BEGIN OCSP RESPONSE-----([\s\S]*?)-----END OCSP RESPONSE-----/g;

/**
 * Decodes and checks supplied revocation data: each CRL must parse as a
 * CertificateList, each OCSP response as a successful OCSPResponse (or a bare
 * BasicOCSPResponse). Whether it applies to a certificate, is signed by the
 * right issuer and is fresh enough is decided later, per certificate.
 * An object is decoded once, however many verifications it is given to; to
 * change it, replace its arrays rather than editing them in place.
 * @throws ERR_REVOCATION_DATA_MALFORMED for an item that is neither.
 */
export function readRevocationData(data: RevocationData | undefined): SuppliedRevocation {
  if (data === undefined || data === null) return { crls: [], ocsps: [] };
  if (typeof data !== 'object') throw kysoError('ERR_INVALID_ARGUMENT', 'revocationData must be an object { crls, ocspResponses }');
  // The same object handed to many verifications (an audit's worker, a server's configuration) is decoded once:
  // a CA's CRL may be megabytes. Keyed by the object and its arrays, so a caller who swaps an array is read again.
  const known = decoded.get(data);
  if (known && known.crls === data.crls && known.ocspResponses === data.ocspResponses) return known.result;
  const result = decode(data);
  decoded.set(data, { crls: data.crls, ocspResponses: data.ocspResponses, result });
  return result;
}

const decoded = new WeakMap<RevocationData, { crls: unknown; ocspResponses: unknown; result: SuppliedRevocation }>();

function decode(data: RevocationData): SuppliedRevocation {
  const list = (v: unknown, name: string): readonly (Uint8Array | string)[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw kysoError('ERR_INVALID_ARGUMENT', `revocationData.${name} must be an array`);
    return v as (Uint8Array | string)[];
  };
  const crls = list(data.crls, 'crls').flatMap((item, i) => derOf(item, CRL_PEM, `CRL #${i + 1}`)).map((der, i) => checkCrl(der, i));
  const ocsps = list(data.ocspResponses, 'ocspResponses').flatMap((item, i) => derOf(item, OCSP_PEM, `OCSP response #${i + 1}`))
    .map((der, i) => checkOcsp(der, i));
  return Object.freeze({ crls: Object.freeze(crls), ocsps: Object.freeze(ocsps) });
}

function derOf(item: Uint8Array | string, pem: RegExp, what: string): Uint8Array[] {
  if (item instanceof Uint8Array && item[0] === 0x30) return [item.slice()];
  if (!(item instanceof Uint8Array) && typeof item !== 'string') {
    throw kysoError('ERR_INVALID_ARGUMENT', `${what} must be DER bytes or PEM text`);
  }
  const text = typeof item === 'string' ? item : bytesToLatin1(item);
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(pem)) {
    const der = fromBase64(m[1]!.replace(/\s+/g, ''));
    if (!der) throw kysoError('ERR_REVOCATION_DATA_MALFORMED', `${what}: bad base64 in a PEM block`);
    out.push(der);
  }
  if (out.length === 0) throw kysoError('ERR_REVOCATION_DATA_MALFORMED', `${what}: neither DER nor a PEM block of the expected kind`);
  return out;
}

function checkCrl(der: Uint8Array, i: number): Uint8Array {
  try {
    readCrl(der);
  } catch (e) {
    throw kysoError('ERR_REVOCATION_DATA_MALFORMED', `CRL #${i + 1} is not a CertificateList: ${(e as Error).message}`);
  }
  return der;
}

function checkOcsp(der: Uint8Array, i: number): Uint8Array {
  const basic = readBasicResponse(der);
  if (typeof basic === 'string') throw kysoError('ERR_REVOCATION_DATA_MALFORMED', `OCSP response #${i + 1}: ${basic}`);
  return der;
}
