/**
 * The CMS signed attributes of a PAdES signature: the bytes the signer's key
 * actually signs (RFC 5652 §5.4).
 */
import { kysoError } from '../errors/index.js';
import type { SubFilter } from '../sign/options.js';
import { HASH_LENGTH, HASH_OID, OID, type HashAlgorithm } from './algorithms.js';
import { derTime, explicit, octetString, oid, sequence, setOf } from './der.js';
import { certificateFields, DerError } from './der-reader.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';

const SYNC_HASH: Record<HashAlgorithm, (bytes: Uint8Array) => Uint8Array> = {
  'SHA-256': sha256,
  'SHA-384': sha384,
  'SHA-512': sha512,
};

/** Input of {@link buildSignedAttributes}. */
export interface SignedAttributesInput {
  /** Hash of the signed byte ranges, and of the ESS certificate hash. */
  readonly digestAlgorithm: HashAlgorithm;
  /** The digest of the PDF byte ranges (the CMS detached content). */
  readonly contentDigest: Uint8Array;
  /** The signer certificate, DER. */
  readonly signerCertificate: Uint8Array;
  readonly subFilter: SubFilter;
  /**
   * Only for `adbe.pkcs7.detached`: adds a signing-time attribute. Ignored for
   * `ETSI.CAdES.detached`, where PAdES forbids it (ETSI EN 319 142-1 §6.3:
   * the claimed time is the dictionary's `/M`).
   */
  readonly signingTime?: Date;
}

/**
 * Builds the DER `SET OF Attribute` (tag 0x31) to be signed, RFC 5652 §5.4:
 *
 * - content-type = id-data (RFC 5652 §11.1),
 * - message-digest = `contentDigest` (RFC 5652 §11.2),
 * - signing-certificate-v2 (RFC 5035 §3; ETSI EN 319 122-1 §5.2.2.3), one
 *   ESSCertIDv2 with the certificate hash (`digestAlgorithm`; the
 *   AlgorithmIdentifier is left out for SHA-256, its DER DEFAULT) and the
 *   issuerSerial,
 * - signing-time only for `adbe.pkcs7.detached` when `signingTime` is given.
 *
 * Attributes are in DER `SET OF` order (X.690 §11.6). The result is exactly
 * what the signer signs, and must be embedded unchanged as `[0] IMPLICIT`.
 *
 * @throws ERR_INVALID_ARGUMENT when the digest length does not match the hash.
 * @throws ERR_CERT_MALFORMED when the certificate cannot be read.
 */
export function buildSignedAttributes(input: SignedAttributesInput): Uint8Array {
  checkDigest(input.digestAlgorithm, input.contentDigest);
  const { issuer, serial } = readIssuerSerial(input.signerCertificate);
  // Synchronous on purpose (callers size placeholders with it); a certificate
  // is small, so a pure-JS hash costs nothing here.
  const certHash = SYNC_HASH[input.digestAlgorithm](input.signerCertificate);
  const attributes = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octetString(input.contentDigest)),
    attribute(OID.signingCertificateV2, signingCertificateV2(input.digestAlgorithm, certHash, issuer, serial)),
  ];
  if (input.subFilter === 'adbe.pkcs7.detached' && input.signingTime) {
    if (Number.isNaN(input.signingTime.getTime())) throw kysoError('ERR_INVALID_ARGUMENT', 'signingTime is an invalid Date');
    attributes.push(attribute(OID.signingTime, derTime(input.signingTime)));
  }
  return setOf(attributes);
}

/** `Attribute ::= SEQUENCE { attrType, attrValues SET OF }` with one value (RFC 5652 §5.3). */
export function attribute(type: string, value: Uint8Array): Uint8Array {
  return sequence(oid(type), setOf([value]));
}

/**
 * `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }` with
 * `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash,
 * issuerSerial }` and `IssuerSerial ::= SEQUENCE { GeneralNames, serial }`
 * (RFC 5035 §4). The issuer goes in as a directoryName `[4]` (EXPLICIT,
 * because Name is a CHOICE; RFC 5280 §4.2.1.6).
 */
function signingCertificateV2(hash: HashAlgorithm, certHash: Uint8Array, issuer: Uint8Array, serial: Uint8Array): Uint8Array {
  const hashAlg = hash === 'SHA-256' ? [] : [sequence(oid(HASH_OID[hash]))];
  const issuerSerial = sequence(sequence(explicit(4, issuer)), serial);
  return sequence(sequence(sequence(...hashAlg, octetString(certHash), issuerSerial)));
}

/** The raw issuer Name and serialNumber INTEGER of a certificate, copied verbatim. @internal */
export function readIssuerSerial(certificate: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  try {
    const f = certificateFields(certificate);
    return { issuer: f.issuer.encoded, serial: f.serial.encoded };
  } catch (e) {
    if (e instanceof DerError) throw kysoError('ERR_CERT_MALFORMED', e.message, e);
    throw e;
  }
}

function checkDigest(alg: HashAlgorithm, value: Uint8Array): void {
  const want = HASH_LENGTH[alg];
  if (want === undefined) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `hash ${String(alg)}`);
  if (!(value instanceof Uint8Array) || value.length !== want) {
    throw kysoError('ERR_INVALID_ARGUMENT', `contentDigest must be ${want} bytes for ${alg}`);
  }
}
