/**
 * Writes the CMS SignedData that goes into a PDF signature's `/Contents`
 * (RFC 5652 §5; ETSI EN 319 142-1 §6.3; ISO 32000-2 §12.8.3.3–4).
 */
import * as asn1js from 'asn1js';
import { kysoError } from '../errors/index.js';
import { equalBytes } from '../util/bytes.js';
import type { SubFilter } from '../options.js';
import { HASH_LENGTH, OID, type HashAlgorithm, type SignatureAlgorithm } from './algorithms.js';
import { digestAlgorithmId, signatureAlgorithmId } from './algorithm-ids.js';
import { checkSchemeFitsKey, decodeCertificate, publicKeyOf } from './certificate-info.js';
import { ecdsaRawToDer, normalizeEcdsaSignature } from './ecdsa.js';
import { decodeExact, derSetOfBytes, derTlv, isDerElement } from './raw-der.js';
import { attribute, buildSignedAttributes, objectIdentifier, readIssuerSerial } from './signed-attributes.js';

/** Input of {@link assembleSignedData}. */
export interface SignedDataInput {
  /** The DER `SET OF Attribute` from `buildSignedAttributes`, exactly as signed. */
  readonly signedAttributes: Uint8Array;
  /** The signature over `signedAttributes`; ECDSA may be DER or raw `r‖s`. */
  readonly signatureValue: Uint8Array;
  readonly algorithm: SignatureAlgorithm;
  /** The signer certificate, DER. */
  readonly signerCertificate: Uint8Array;
  /** Certificates to embed, DER: signer and chain. Duplicates are dropped; the signer is added if missing. */
  readonly certificates: readonly Uint8Array[];
  readonly unsignedAttributes?: {
    /** An RFC 3161 TimeStampToken (DER ContentInfo) over `signatureValue`. */
    readonly timestampToken?: Uint8Array;
  };
}

/**
 * Assembles `ContentInfo { signedData }` with detached content:
 *
 * - SignedData version 1, no eContent (the PDF byte ranges are the content),
 *   digestAlgorithms = the one hash used (RFC 5652 §5.1);
 * - certificates: the signer first, then the rest in the given order, without
 *   duplicates. The SET is left in that order rather than DER-sorted: RFC 5652
 *   requires DER only for signed attributes (§5.4), and signer-first helps
 *   tools that look at the first certificate;
 * - one SignerInfo version 1, sid = issuerAndSerialNumber copied from the
 *   certificate (§5.3), `signedAttributes` embedded byte-for-byte with its tag
 *   changed to `[0] IMPLICIT`, the signature AlgorithmIdentifier from
 *   `signatureAlgorithmId`, and the timestamp token, if any, as
 *   id-aa-signatureTimeStampToken (RFC 3161 App. A) in `[1] IMPLICIT`.
 *
 * @throws ERR_INVALID_ARGUMENT for malformed inputs.
 * @throws ERR_CERT_MALFORMED for an unreadable signer certificate.
 * @throws ERR_SIG_ALGORITHM_UNSUPPORTED when the scheme does not fit the key.
 * @throws ERR_SIG_VALUE_INVALID for an unusable ECDSA value.
 */
export function assembleSignedData(input: SignedDataInput): Uint8Array {
  const { signedAttributes, signatureValue, algorithm, signerCertificate } = input;
  // A header check only: the bytes are embedded verbatim, and the signature over them is checked by the caller.
  if (!(signedAttributes instanceof Uint8Array) || !isDerElement(signedAttributes, 0x31)) {
    throw kysoError('ERR_INVALID_ARGUMENT', 'signedAttributes must be a DER SET (tag 0x31)');
  }
  if (!(signatureValue instanceof Uint8Array) || signatureValue.length === 0) {
    throw kysoError('ERR_INVALID_ARGUMENT', 'signatureValue must be non-empty bytes');
  }
  const key = publicKeyOf(signerCertificate);
  checkSchemeFitsKey(key, algorithm);
  const signature = algorithm.scheme === 'ECDSA' ? normalizeEcdsaSignature(signatureValue, key.curveBytes) : signatureValue;

  const certificates = uniqueCertificates(signerCertificate, input.certificates);
  const { issuer, serial } = readIssuerSerial(signerCertificate);

  const unsigned: Uint8Array[] = [];
  const token = input.unsignedAttributes?.timestampToken;
  if (token !== undefined) {
    if (!(token instanceof Uint8Array) || !isWholeTlv(token, asn1js.Sequence)) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'timestampToken must be a DER ContentInfo');
    }
    unsigned.push(attribute(OID.timeStampToken, token));
  }

  // RFC 5652 §5.3: [0] IMPLICIT replaces the SET tag; length and contents stay as signed.
  const signedAttrsImplicit = signedAttributes.slice();
  signedAttrsImplicit[0] = 0xa0;

  // Written from DER parts rather than through pkijs.SignerInfo/SignedData:
  // pkijs re-encodes signedAttrs from its parsed attribute list, and the
  // signature covers the bytes as signed (RFC 5652 §5.4); certificates
  // likewise go in as given.
  const signerInfo = derTlv(0x30,
    CMS_VERSION_1,
    derTlv(0x30, issuer, serial),
    digestAlgorithmId(algorithm.hash),
    signedAttrsImplicit,
    signatureAlgorithmId(algorithm),
    derTlv(0x04, signature),
    ...(unsigned.length > 0 ? [derSetOfBytes(unsigned, 0xa1)] : []));
  const signedData = derTlv(0x30,
    CMS_VERSION_1,
    derSetOfBytes([digestAlgorithmId(algorithm.hash)]),
    // Detached content: eContentType id-data, no eContent (RFC 5652 §5.2).
    derTlv(0x30, objectIdentifier(OID.data)),
    derTlv(0xa0, ...certificates),
    derSetOfBytes([signerInfo]));
  // ContentInfo (RFC 5652 §3): contentType id-signedData, content [0] EXPLICIT.
  return derTlv(0x30, objectIdentifier(OID.signedData), derTlv(0xa0, signedData));
}

/** INTEGER 1: the SignedData and SignerInfo version when sid is issuerAndSerialNumber (RFC 5652 §5.1, §5.3). */
const CMS_VERSION_1 = Uint8Array.of(0x02, 0x01, 0x01);

/** Input of {@link estimateSignedDataSize}. */
export interface SignedDataSizeInput {
  /** The signer certificate, DER. */
  readonly signerCertificate: Uint8Array;
  /** Other certificates to embed (chain), DER. */
  readonly certificates?: readonly Uint8Array[];
  readonly algorithm: SignatureAlgorithm;
  /** Default `ETSI.CAdES.detached`. */
  readonly subFilter?: SubFilter;
  /**
   * Whether an RFC 3161 token will be added. `true` reserves
   * {@link DEFAULT_TIMESTAMP_TOKEN_SIZE} + {@link DEFAULT_TSA_CHAIN_SIZE};
   * an object overrides either.
   */
  readonly timestamp?: boolean | { readonly tokenSize?: number; readonly tsaChainSize?: number };
}

/** A generous RFC 3161 token: TSTInfo, the TSA's SignerInfo and its certificate. */
export const DEFAULT_TIMESTAMP_TOKEN_SIZE = 6000;
/** Room for TSA CA certificates some authorities add to the token. */
export const DEFAULT_TSA_CHAIN_SIZE = 4000;
/** Slack for DER length-of-length growth. */
const SIZE_SLACK = 64;

/**
 * A safe upper bound, in bytes, of the DER CMS {@link assembleSignedData}
 * will produce, found by a dry run: real certificates and signed attributes
 * built with zero digests, the largest signature the key can give, and
 * room for a timestamp token. Hex-encoded `/Contents` needs twice this.
 * @throws as {@link assembleSignedData}.
 */
export function estimateSignedDataSize(input: SignedDataSizeInput): number {
  const { algorithm, signerCertificate } = input;
  const hash: HashAlgorithm = algorithm.hash;
  const key = publicKeyOf(signerCertificate);
  checkSchemeFitsKey(key, algorithm);
  const subFilter = input.subFilter ?? 'ETSI.CAdES.detached';
  const signedAttributes = buildSignedAttributes({
    digestAlgorithm: hash,
    contentDigest: new Uint8Array(HASH_LENGTH[hash]),
    signerCertificate,
    subFilter,
    // A GeneralizedTime year: the longer of the two time encodings.
    signingTime: subFilter === 'adbe.pkcs7.detached' ? new Date(Date.UTC(2050, 0, 1)) : undefined,
  });
  const signatureValue =
    key.keyAlgorithm === 'EC'
      ? ecdsaRawToDer(new Uint8Array(2 * key.curveBytes!).fill(0xff)) // both INTEGERs need a sign octet
      : new Uint8Array(Math.ceil(key.keyBits / 8)).fill(0xff);
  let size = assembleSignedData({
    signedAttributes,
    signatureValue,
    algorithm,
    signerCertificate,
    certificates: [signerCertificate, ...(input.certificates ?? [])],
  }).length;
  if (input.timestamp) {
    const t = typeof input.timestamp === 'object' ? input.timestamp : {};
    // The attribute wrapper (OID, SET, [1]) adds well under 32 bytes.
    size += (t.tokenSize ?? DEFAULT_TIMESTAMP_TOKEN_SIZE) + (t.tsaChainSize ?? DEFAULT_TSA_CHAIN_SIZE) + 32;
  }
  return size + SIZE_SLACK;
}

function uniqueCertificates(signer: Uint8Array, certificates: readonly Uint8Array[]): Uint8Array[] {
  if (!Array.isArray(certificates)) throw kysoError('ERR_INVALID_ARGUMENT', 'certificates must be an array of DER certificates');
  const out: Uint8Array[] = [signer];
  for (const c of certificates) {
    // Decoded through the certificate cache: a signature embeds the same few
    // certificates at sizing and at assembly, and decoding them dominated small files.
    if (!(c instanceof Uint8Array) || !decodesAsCertificate(c)) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'certificates must hold DER certificates');
    }
    if (!out.some((o) => equalBytes(o, c))) out.push(c);
  }
  return out;
}

function decodesAsCertificate(bytes: Uint8Array): boolean {
  try {
    decodeCertificate(bytes);
    return true;
  } catch {
    return false;
  }
}

/** True when `bytes` decodes (asn1js) to exactly one element of the given type. */
function isWholeTlv(bytes: Uint8Array, type: typeof asn1js.Sequence | typeof asn1js.Set): boolean {
  try {
    return decodeExact(bytes) instanceof type;
  } catch {
    return false;
  }
}
