/**
 * The CMS signed attributes of a PAdES signature: the bytes the signer's key
 * actually signs (RFC 5652 §5.4).
 */
import { kysoError } from '../errors/index.js';
import type { SubFilter } from '../options.js';
import { HASH_LENGTH, HASH_OID, OID, type HashAlgorithm } from './algorithms.js';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { decodeCertificate, type DecodedCertificate } from './certificate-info.js';
import { derSetOfBytes, derTlv, encode, EncodedElement } from './raw-der.js';

const SYNC_HASH: Record<HashAlgorithm, (bytes: Uint8Array) => Uint8Array> = {
  'SHA-256': sha256,
  'SHA-384': sha384,
  'SHA-512': sha512,
};

/** OBJECT IDENTIFIER encodings by dotted OID; see {@link objectIdentifier}. */
const oidCache = new Map<string, Uint8Array>();

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
  const attributes = [
    CONTENT_TYPE_DATA,
    attribute(OID.messageDigest, derTlv(0x04, input.contentDigest)),
    signingCertificateAttribute(input.digestAlgorithm, input.signerCertificate),
  ];
  if (input.subFilter === 'adbe.pkcs7.detached' && input.signingTime) {
    if (Number.isNaN(input.signingTime.getTime())) throw kysoError('ERR_INVALID_ARGUMENT', 'signingTime is an invalid Date');
    attributes.push(attribute(OID.signingTime, signingTime(input.signingTime)));
  }
  return derSetOfBytes(attributes);
}

const CONTENT_TYPE_DATA = attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data }));

/**
 * The signing-certificate-v2 attribute of a certificate, built once per hash:
 * it depends on nothing else, and a signer signs many documents.
 */
function signingCertificateAttribute(hash: HashAlgorithm, certificate: Uint8Array): Uint8Array {
  const decoded = decodeCertificate(certificate);
  let byHash = essCache.get(decoded);
  if (!byHash) essCache.set(decoded, (byHash = new Map()));
  let der = byHash.get(hash);
  if (!der) {
    // Synchronous on purpose (callers size placeholders with it); a certificate
    // is small, so a pure-JS hash costs nothing here.
    const certHash = SYNC_HASH[hash](certificate);
    byHash.set(hash, (der = attribute(OID.signingCertificateV2, signingCertificateV2(hash, certHash, decoded.issuer, decoded.serial))));
  }
  return der;
}

/** Keyed by the cached decoding, so entries live exactly as long as it does. */
const essCache = new WeakMap<DecodedCertificate, Map<HashAlgorithm, Uint8Array>>();

/**
 * `Attribute ::= SEQUENCE { attrType, attrValues SET OF }` with one value
 * (RFC 5652 §5.3), DER. A value given as bytes is embedded verbatim.
 * @internal
 */
export function attribute(type: string, value: asn1js.BaseBlock | Uint8Array): Uint8Array {
  return derTlv(0x30, objectIdentifier(type), derTlv(0x31, value instanceof Uint8Array ? value : encode(value)));
}

/** The DER of an OBJECT IDENTIFIER, encoded by asn1js once per OID. @internal */
export function objectIdentifier(dotted: string): Uint8Array {
  let der = oidCache.get(dotted);
  if (!der) oidCache.set(dotted, (der = encode(new asn1js.ObjectIdentifier({ value: dotted }))));
  return der;
}

/**
 * SigningTime ::= Time, in UTC with whole seconds: UTCTime for years
 * 1950–2049, GeneralizedTime otherwise (RFC 5652 §11.3).
 */
function signingTime(date: Date): asn1js.BaseBlock {
  const valueDate = new Date(Math.floor(date.getTime() / 1000) * 1000);
  const year = valueDate.getUTCFullYear();
  return year >= 1950 && year < 2050 ? new asn1js.UTCTime({ valueDate }) : new asn1js.GeneralizedTime({ valueDate });
}

/**
 * `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }` with
 * `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash,
 * issuerSerial }` and `IssuerSerial ::= SEQUENCE { GeneralNames, serial }`
 * (RFC 5035 §4). The issuer goes in as a directoryName `[4]` (EXPLICIT,
 * because Name is a CHOICE; RFC 5280 §4.2.1.6).
 */
function signingCertificateV2(hash: HashAlgorithm, certHash: Uint8Array, issuer: Uint8Array, serial: Uint8Array): asn1js.BaseBlock {
  const hashAlg = hash === 'SHA-256' ? [] : [new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[hash] }).toSchema()];
  const directoryName = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [new EncodedElement(issuer)] });
  const issuerSerial = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [directoryName] }), new EncodedElement(serial)] });
  const essCertIdV2 = new asn1js.Sequence({ value: [...hashAlg, new asn1js.OctetString({ valueHex: certHash.slice() }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/** The issuer Name and serialNumber INTEGER of a certificate, copied verbatim. @internal */
export function readIssuerSerial(certificate: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  const { issuer, serial } = decodeCertificate(certificate);
  return { issuer, serial };
}

function checkDigest(alg: HashAlgorithm, value: Uint8Array): void {
  const want = HASH_LENGTH[alg];
  if (want === undefined) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `hash ${String(alg)}`);
  if (!(value instanceof Uint8Array) || value.length !== want) {
    throw kysoError('ERR_INVALID_ARGUMENT', `contentDigest must be ${want} bytes for ${alg}`);
  }
}
