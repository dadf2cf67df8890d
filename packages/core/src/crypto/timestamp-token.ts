/**
 * Reading and checking RFC 3161 TimeStampTokens: a CMS SignedData whose
 * content is a TSTInfo (RFC 3161 §2.4.2).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { kysoError, KysoError } from '../errors/index.js';
import { equalBytes, toHex } from '../util/bytes.js';
import { OID, type HashAlgorithm } from './algorithms.js';
import { hashFromOid, signatureAlgorithmFrom } from './algorithm-ids.js';
import { certificateExtensions, decodeCertificate, verifySignatureValue } from './certificate-info.js';
import { decodeExact, elements, isContextTag, octets, originalBytes } from './raw-der.js';

/** What a TimeStampToken says (RFC 3161 §2.4.2, TSTInfo). */
export interface TimestampInfo {
  /** The time the TSA vouches for. */
  readonly genTime: Date;
  /** The message-imprint hash, or null when kyso does not know it. */
  readonly imprintAlg: HashAlgorithm | null;
  readonly imprintAlgOid: string;
  /** The hashed message (for a PAdES signature timestamp: hash of the signature value). */
  readonly imprint: Uint8Array;
  /** TSTInfo serialNumber, lowercase hex. */
  readonly serialHex: string;
  /** TSA policy OID. */
  readonly policy: string;
  /** The nonce, lowercase hex without leading zeros, when present. */
  readonly nonce?: string;
  /** The TSA certificate (the one matching the SignerInfo sid), when included. */
  readonly tsaCertificate?: Uint8Array;
  /** All certificates in the token, DER. */
  readonly certificates: readonly Uint8Array[];
}

/** Result of {@link verifyTimestampToken}: never a bare boolean. */
export type TimestampCheck =
  | { readonly ok: true; readonly info: TimestampInfo; readonly tsaCertificate: Uint8Array }
  | { readonly ok: false; readonly reason: string; readonly info?: TimestampInfo };

interface ParsedToken {
  readonly info: TimestampInfo;
  /** The TSTInfo DER: the eContent OCTET STRING's value, which message-digest covers. */
  readonly eContent: Uint8Array;
  readonly signerInfo: pkijs.SignerInfo;
}

/**
 * Decodes a TimeStampToken (DER ContentInfo) without checking its signature.
 * @throws ERR_CMS_MALFORMED when it is not a SignedData with a TSTInfo.
 */
export function parseTimestampToken(token: Uint8Array): TimestampInfo {
  return parseToken(token).info;
}

function parseToken(token: Uint8Array): ParsedToken {
  try {
    const contentInfo = new pkijs.ContentInfo({ schema: decodeExact(token) });
    if (contentInfo.contentType !== OID.signedData) throw new Error('not a SignedData ContentInfo');
    const signedDataElement: asn1js.AsnType = contentInfo.content;
    const signedData = new pkijs.SignedData({ schema: signedDataElement });
    const encap = signedData.encapContentInfo;
    if (encap.eContentType !== OID.tstInfo) throw new Error('eContentType is not id-ct-TSTInfo');
    if (!encap.eContent) throw new Error('no eContent');
    const eContent = octets(encap.eContent);
    // The certificates as the TSA encoded them (RFC 5652 §5.1 [0] CertificateSet):
    // pkijs keeps only decoded forms, and the ESS binding hashes the encoding.
    const certificates = elements(signedDataElement)
      .filter((e) => isContextTag(e, 0) && e instanceof asn1js.Constructed)
      .flatMap(elements)
      .filter((e) => e instanceof asn1js.Sequence)
      .map(originalBytes);
    const [signerInfo] = signedData.signerInfos;
    if (!signerInfo) throw new Error('no SignerInfo');

    const tst = new pkijs.TSTInfo({ schema: decodeExact(eContent) });
    const imprintAlgOid = tst.messageImprint.hashAlgorithm.algorithmId;
    const tsaCertificate = findSignerCertificate(signerInfo.sid, certificates);
    const info: TimestampInfo = {
      genTime: tst.genTime,
      imprintAlg: hashFromOid(imprintAlgOid),
      imprintAlgOid,
      imprint: octets(tst.messageImprint.hashedMessage),
      serialHex: integerHex(tst.serialNumber),
      policy: tst.policy,
      ...(tst.nonce ? { nonce: integerHex(tst.nonce) } : {}),
      ...(tsaCertificate ? { tsaCertificate: tsaCertificate.slice() } : {}),
      certificates,
    };
    return { info, eContent, signerInfo };
  } catch (e) {
    if (e instanceof KysoError) throw e;
    throw kysoError('ERR_CMS_MALFORMED', `timestamp token: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

/**
 * Checks a TimeStampToken's own integrity: the SignerInfo's content-type and
 * message-digest attributes (RFC 5652 §5.4, §11), the signature with the TSA
 * certificate included in the token, the ESS signing-certificate(-v2) binding
 * when present (RFC 3161 §2.4.2, RFC 5816), and that the TSA certificate has a
 * critical extended key usage of only id-kp-timeStamping (RFC 3161 §2.3).
 * Trust in the TSA (its chain, revocation) is a validation matter, not checked here.
 */
export async function verifyTimestampToken(token: Uint8Array): Promise<TimestampCheck> {
  let parsed: ParsedToken;
  try {
    parsed = parseToken(token);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const { info, eContent, signerInfo } = parsed;
  const fail = (reason: string): TimestampCheck => ({ ok: false, reason, info });
  const cert = info.tsaCertificate;
  if (!cert) return fail('the token does not include the TSA certificate');
  try {
    const signedAttrs = signerInfo.signedAttrs;
    if (!signedAttrs || signedAttrs.attributes.length === 0) return fail('the TSA SignerInfo has no signed attributes');
    const algorithm = signatureAlgorithmFrom(signerInfo.digestAlgorithm, signerInfo.signatureAlgorithm);
    if (!algorithm) return fail('the TSA signature algorithm is not supported');
    const attrs = new Map<string, asn1js.AsnType[]>(signedAttrs.attributes.map((a) => [a.type, a.values]));
    const ct: unknown = attrs.get(OID.contentType)?.[0];
    if (!(ct instanceof asn1js.ObjectIdentifier) || ct.valueBlock.toString() !== OID.tstInfo) return fail('content-type attribute is not id-ct-TSTInfo');
    const md: unknown = attrs.get(OID.messageDigest)?.[0];
    if (!(md instanceof asn1js.OctetString) || !equalBytes(octets(md), hashWith(algorithm.hash, eContent))) {
      return fail('message-digest attribute does not match the TSTInfo');
    }
    const essProblem = checkEssBinding(attrs, cert);
    if (essProblem) return fail(essProblem);
    // RFC 5652 §5.4: the signature covers the DER SET OF, i.e. the [0] as
    // encoded with its tag set to 0x31, which is what pkijs keeps in encodedValue.
    const toVerify = new Uint8Array(signedAttrs.encodedValue);
    if (!(await verifySignatureValue(cert, algorithm, toVerify, octets(signerInfo.signature)))) {
      return fail('the token signature does not verify with the TSA certificate');
    }
  } catch (e) {
    return fail(`the token cannot be checked: ${(e as Error).message}`);
  }
  const ekuProblem = checkTsaCertificate(cert);
  if (ekuProblem) return fail(ekuProblem);
  return { ok: true, info, tsaCertificate: cert };
}

/**
 * RFC 3161 §2.3: the TSA certificate MUST have exactly one extended key usage,
 * id-kp-timeStamping, in a critical extension. Returns the problem, or null.
 */
export function checkTsaCertificate(certificate: Uint8Array): string | null {
  let eku;
  try {
    eku = certificateExtensions(certificate).find((e) => e.oid === OID.extKeyUsage);
  } catch (e) {
    return `the TSA certificate is malformed: ${(e as Error).message}`;
  }
  if (!eku) return 'the TSA certificate has no extended key usage';
  if (!eku.critical) return 'the TSA certificate extended key usage is not critical';
  let purposes: string[];
  try {
    purposes = new pkijs.ExtKeyUsage({ schema: decodeExact(eku.value) }).keyPurposes;
  } catch {
    return 'the TSA certificate extended key usage is malformed';
  }
  if (purposes.length !== 1 || purposes[0] !== OID.timeStamping) {
    return 'the TSA certificate extended key usage is not only id-kp-timeStamping';
  }
  return null;
}

/** ESS signing-certificate (SHA-1, RFC 2634 §5.4) or -v2 (RFC 5035) must name the TSA certificate. */
function checkEssBinding(attrs: Map<string, asn1js.AsnType[]>, cert: Uint8Array): string | null {
  const v2 = attrs.get(OID.signingCertificateV2)?.[0];
  const v1 = attrs.get(OID.signingCertificate)?.[0];
  // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), … }: the first ESSCertID names the signer.
  const firstCertId = (v: asn1js.AsnType): asn1js.AsnType[] => elements(elements(elements(v)[0]!)[0]!);
  if (v2) {
    // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash OCTET STRING, issuerSerial OPTIONAL }
    const id = firstCertId(v2);
    const hasAlg = id[0] instanceof asn1js.Sequence;
    const hash = hasAlg ? hashFromOid(new pkijs.AlgorithmIdentifier({ schema: id[0] }).algorithmId) : 'SHA-256';
    if (!hash) return 'signing-certificate-v2 uses an unsupported hash';
    const certHash = id[hasAlg ? 1 : 0];
    if (!(certHash instanceof asn1js.OctetString) || !equalBytes(octets(certHash), hashWith(hash, cert))) {
      return 'signing-certificate-v2 does not match the TSA certificate';
    }
  } else if (v1) {
    const certHash = firstCertId(v1)[0];
    if (!(certHash instanceof asn1js.OctetString) || !equalBytes(octets(certHash), sha1(cert))) {
      return 'signing-certificate does not match the TSA certificate';
    }
  }
  return null;
}

function hashWith(hash: HashAlgorithm, bytes: Uint8Array): Uint8Array {
  return hash === 'SHA-512' ? sha512(bytes) : hash === 'SHA-384' ? sha384(bytes) : sha256(bytes);
}

/**
 * The certificate a SignerIdentifier names: issuerAndSerialNumber, compared
 * on the encodings, or `[0] subjectKeyIdentifier` (RFC 5652 §5.3).
 */
function findSignerCertificate(sid: pkijs.SignerInfo['sid'], certificates: readonly Uint8Array[]): Uint8Array | undefined {
  const signer: unknown = sid;
  let keyId: Uint8Array | undefined;
  if (signer instanceof asn1js.Constructed) {
    const [inner] = signer.valueBlock.value;
    if (inner instanceof asn1js.OctetString) keyId = octets(inner);
  } else if (signer instanceof asn1js.Primitive) {
    keyId = signer.valueBlock.valueHexView;
  }
  for (const c of certificates) {
    try {
      if (signer instanceof pkijs.IssuerAndSerialNumber) {
        const { issuer, serial } = decodeCertificate(c);
        if (equalBytes(issuer, new Uint8Array(signer.issuer.valueBeforeDecode)) && equalBytes(serial, signer.serialNumber.valueBeforeDecodeView)) return c;
      } else if (keyId) {
        const ski = certificateExtensions(c).find((e) => e.oid === OID.subjectKeyIdentifier);
        const value = ski ? decodeExact(ski.value) : undefined;
        if (value instanceof asn1js.OctetString && equalBytes(octets(value), keyId)) return c;
      }
    } catch {
      // an unreadable extra certificate is not the signer's
    }
  }
  return undefined;
}

/** Lowercase hex of an INTEGER without leading zero octets. */
function integerHex(value: asn1js.Integer): string {
  const contents = value.valueBlock.valueHexView;
  let i = 0;
  while (i < contents.length - 1 && contents[i] === 0) i++;
  return toHex(contents.subarray(i));
}
