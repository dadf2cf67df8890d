/**
 * Reading a CMS SignedData as encoded (RFC 5652 §5) and checking its one
 * SignerInfo. Elements are walked with asn1js so that every byte a signature
 * or hash covers is taken from the input, never re-encoded (§5.4).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from '../../crypto/algorithms.js';
import { certificateExtensions, decodeCertificate, publicKeyOf, type PublicKeyInfo } from '../../crypto/certificate-info.js';
import { verifySignatureWith } from '../../crypto/verify-signature.js';
import { decodeExact, decodeLimits, readChildren, readTlv, type TlvSpan } from '../../crypto/raw-der.js';
import { equalBytes } from '../../util/bytes.js';
import { RecentBytesMap } from '../../util/recent-map.js';
import { digestBytes, isDigestAlgorithm, type DigestAlgorithm } from './digests.js';
import { digestFromOid, resolveAlgorithm, type ResolvedAlgorithm } from './signature-algorithms.js';

/** Certificates accepted in one CMS (RFC 5652 sets no limit; ETSI signatures carry the chain, i.e. a few). */
export const MAX_CMS_CERTIFICATES = 256;

/** The CMS OIDs a verifier reads: kyso's own (algorithms.ts), plus the OCSP revocation-info format (RFC 5940 §2.1). */
export const CMS_OID = {
  signedData: OID.signedData,
  data: OID.data,
  tstInfo: OID.tstInfo,
  contentType: OID.contentType,
  messageDigest: OID.messageDigest,
  signingTime: OID.signingTime,
  signingCertificate: OID.signingCertificate,
  signingCertificateV2: OID.signingCertificateV2,
  timeStampToken: OID.timeStampToken,
  adbeRevocationInfoArchival: OID.adbeRevocationInfoArchival,
  ocspResponse: '1.3.6.1.5.5.7.16.2',
  subjectKeyIdentifier: OID.subjectKeyIdentifier,
} as const;

/** One Attribute (RFC 5652 §5.3): its type and values as decoded. */
export interface Attribute {
  readonly oid: string;
  readonly values: readonly asn1js.AsnType[];
}

/** A SignedData read as encoded. */
export interface ParsedSignedData {
  readonly eContentType: string;
  /** The encapsulated content's octets, or null when detached. */
  readonly eContent: Uint8Array | null;
  /** Certificates ([0] CertificateSet), DER as embedded; other choices skipped. */
  readonly certificates: Uint8Array[];
  /** Revocation data from the SignedData's own [1] RevocationInfoChoices. */
  readonly crls: Uint8Array[];
  readonly ocsps: Uint8Array[];
  readonly signerCount: number;
  readonly signer: ParsedSignerInfo;
}

export interface ParsedSignerInfo {
  readonly sid: asn1js.AsnType;
  readonly digestAlgorithmOid: string;
  readonly signatureAlgorithm: pkijs.AlgorithmIdentifier;
  /** The signed attributes with the SET OF tag (0x31), exactly as encoded otherwise; null when absent. */
  readonly signedAttributesDer: Uint8Array | null;
  readonly signedAttributes: readonly Attribute[] | null;
  readonly unsignedAttributes: readonly Attribute[];
  readonly signature: Uint8Array;
}

/**
 * Decodes `ContentInfo { signedData }` and its first SignerInfo.
 * @throws Error with the reason when it is not one; callers turn it into facts.
 */
export function parseSignedData(der: Uint8Array): ParsedSignedData {
  return parseSplit(der) ?? parseWhole(der);
}

/** DER of the id-signedData OBJECT IDENTIFIER (RFC 5652 §5.1). */
const SIGNED_DATA_OID_DER = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02);

/**
 * The common case, a SignedData in definite-length encoding: its outline is
 * read from the element headers, the certificates are taken as they are
 * embedded (they are decoded, once per certificate and process, where they
 * are used), and asn1js decodes the rest. Decoding each certificate inside
 * every CMS was most of the time of verifying a small file. Null when the
 * outline is anything else (indefinite lengths, another content type,
 * unexpected elements): {@link parseWhole} then decodes it, with its reasons.
 */
function parseSplit(der: Uint8Array): ParsedSignedData | null {
  const ci = readTlv(der, 0);
  if (!ci || ci.tag !== 0x30) return null;
  const [type, content, ...rest] = readChildren(der, ci) ?? [];
  if (!type || !content || rest.length > 0 || content.tag !== 0xa0) return null;
  if (!equalBytes(der.subarray(type.start, type.end), SIGNED_DATA_OID_DER)) return null;
  const inner = readChildren(der, content);
  if (!inner || inner.length !== 1 || inner[0]!.tag !== 0x30) return null;
  const sd = readChildren(der, inner[0]!);
  if (!sd || sd.length < 4 || sd[0]!.tag !== 0x02 || sd[1]!.tag !== 0x31 || sd[2]!.tag !== 0x30) return null;
  let i = 3;
  const certificateSet = sd[i]?.tag === 0xa0 ? sd[i++] : undefined;
  const crlSet = sd[i]?.tag === 0xa1 ? sd[i++] : undefined;
  const infos = sd[i++];
  if (!infos || infos.tag !== 0x31 || i !== sd.length) return null;

  const certificates: Uint8Array[] = [];
  if (certificateSet) {
    const all = readChildren(der, certificateSet);
    if (!all) return null;
    checkCertificateCount(all.length);
    // CertificateChoices (RFC 5652 §10.2.2): a SEQUENCE is a Certificate; the other, tagged, choices are skipped.
    for (const c of all) if (c.tag === 0x30) certificates.push(der.slice(c.start, c.end));
  }
  const decode = (span: TlvSpan): asn1js.AsnType => decodeExact(der.slice(span.start, span.end));
  const encapsulated = (splitSignerInfos && decodedPiece(der, sd[2]!, 0)) || decode(sd[2]!);
  const { eContentType, eContent } = readEncapsulated(encapsulated);
  const { crls, ocsps } = crlSet ? readRevocationChoices(decode(crlSet)) : { crls: [], ocsps: [] };
  const signerInfos = (splitSignerInfos && signerInfosByField(der, infos)) || decode(infos);
  return { eContentType, eContent, certificates, crls, ocsps, ...readSignerInfos(signerInfos) };
}

/**
 * Whether {@link parseSplit} takes the EncapsulatedContentInfo and a lone SignerInfo's parts from the part
 * cache; off only in tests, to get the plain path.
 */
let splitSignerInfos = true;

/**
 * {@link parseSignedData} with the SignerInfos (and the EncapsulatedContentInfo) decoded whole by asn1js, as
 * before field-by-field decoding: what the fast path must equal. @internal (exported for tests)
 */
export function parseSignedDataPlain(der: Uint8Array): ParsedSignedData {
  splitSignerInfos = false;
  try {
    return parseSignedData(der);
  } finally {
    splitSignerInfos = true;
  }
}

/**
 * asn1js's decodings of the SignerInfo parts met before, by nesting level (the position in the SignerInfos
 * decode they stand for) and bytes. In an archive most parts are the same in every file: the sid (issuer name
 * and serial), both algorithm identifiers, the content-type and signing-certificate attributes; only the
 * message digest, the signing time and the signature value change. A failed decoding is kept too (null).
 * The decoded elements are shared by every parse that meets the same bytes, and nothing changes them.
 */
const pieceCache = [0, 1, 2, 3].map(() => new RecentBytesMap<asn1js.AsnType | null>(64));

/**
 * The element `span` of `der` as asn1js decodes it at nesting `level` of a larger decode: the depth budget
 * left is what asn1js would have left there (decodeExact's 100 minus the level), so that an element too deep
 * for the whole is too deep here as well. Null when asn1js cannot decode it or it does not fill the span.
 */
function decodedPiece(der: Uint8Array, span: TlvSpan, level: number): asn1js.AsnType | null {
  const bytes = der.subarray(span.start, span.end);
  return pieceCache[level]!.getOrCreate(bytes, () => {
    // fromBER copies its input: the element never aliases the caller's array. The limits are decodeExact's
    // (decodeLimits: no node or content limit a valid input can reach), less the depth above the part.
    const limits = decodeLimits(bytes.length);
    const { offset, result } = asn1js.fromBER(bytes, { ...limits, maxDepth: limits.maxDepth - level });
    return offset === bytes.length ? result : null;
  });
}

/**
 * SignerInfos (RFC 5652 §5.1) holding one SignerInfo in definite-length encoding, decoded one field at a
 * time (each signed and unsigned attribute on its own) through {@link decodedPiece}, and put together as the
 * asn1js elements a decode of the whole would give: a SET holding a SEQUENCE whose children are the fields,
 * the attribute sets `[0]`/`[1]` as constructed elements holding their attributes. Decoding all of it for
 * every file of an archive was most of the CMS reading time, for parts that are the same in every file.
 *
 * Null, and the SignerInfos are decoded whole as before, for anything else: several SignerInfos, an element
 * the header reader does not take (indefinite length, high tag numbers), a part asn1js cannot decode (so the
 * reason given is the one the whole decode gives), or SignerInfos of more than 10,000 bytes (a large token or
 * revocation data among the attributes: parts that big are not worth keeping in the cache). Node and content
 * limits follow the input's length on both ways (decodeLimits), so neither can reach them; depth is accounted
 * as described above. `test/verify/cms/signer-info-fields.test.ts` holds both ways equal.
 */
function signerInfosByField(der: Uint8Array, infos: TlvSpan): asn1js.Set | null {
  if (infos.end - infos.start > MAX_SPLIT_SIGNER_INFOS) return null;
  const signers = readChildren(der, infos);
  if (!signers || signers.length !== 1 || signers[0]!.tag !== 0x30) return null;
  const fields = readChildren(der, signers[0]!);
  if (!fields) return null;
  const values: asn1js.AsnType[] = [];
  // Where parseSignerInfo reads the signature: after version, sid, digestAlgorithm, [0] signedAttrs if
  // present, and signatureAlgorithm.
  const signatureAt = fields[3]?.tag === 0xa0 ? 5 : 4;
  for (const [index, field] of fields.entries()) {
    if (index === signatureAt && field.tag === 0x04) {
      // The signature value OCTET STRING differs in every file, and only its octets are read: asn1js's attempt
      // to decode random octets as embedded ASN.1 (kept on the element, read by nobody) is skipped. It cannot
      // make the whole decode fail (a failed attempt is dropped; depth and node limits as above).
      const bytes = der.subarray(field.start, field.end);
      const { offset, result } = asn1js.fromBER(bytes, { parseEmbedded: false });
      if (offset !== bytes.length) return null;
      values.push(result);
    } else if (field.tag === 0xa0 || field.tag === 0xa1) {
      // signedAttrs [0] / unsignedAttrs [1] IMPLICIT SET OF Attribute (RFC 5652 §5.3).
      const parts = readChildren(der, field);
      if (!parts) return null;
      const attributes: asn1js.AsnType[] = [];
      for (const part of parts) {
        const attribute = decodedPiece(der, part, 3);
        if (!attribute) return null;
        attributes.push(attribute);
      }
      values.push(constructedOf(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: field.tag & 0x1f }, value: attributes }), der, field));
    } else {
      const value = decodedPiece(der, field, 2);
      if (!value) return null;
      values.push(value);
    }
  }
  const signer = constructedOf(new asn1js.Sequence({ value: values }), der, signers[0]!);
  return constructedOf(new asn1js.Set({ value: [signer] }), der, infos);
}

/** The largest SignerInfos decoded field by field (see signerInfosByField). */
const MAX_SPLIT_SIGNER_INFOS = 10_000;

/** A constructed element put together from decoded children, with the encoding it stands for. */
function constructedOf<T extends asn1js.Constructed>(element: T, der: Uint8Array, span: TlvSpan): T {
  element.valueBeforeDecodeView = der.slice(span.start, span.end);
  return element;
}

/** The whole ContentInfo decoded by asn1js (BER), with a reason for every way it can be malformed. @internal (exported for tests) */
export function parseWhole(der: Uint8Array): ParsedSignedData {
  const { offset, result } = asn1js.fromBER(der.slice());
  if (offset === -1) throw new Error(`not BER: ${result.error}`);
  const ci = children(result, 'ContentInfo');
  if (!(ci[0] instanceof asn1js.ObjectIdentifier)) throw new Error('ContentInfo without a content type');
  if (ci[0].valueBlock.toString() !== CMS_OID.signedData) throw new Error(`content type ${ci[0].valueBlock.toString()} is not signedData`);
  if (!ci[1] || !isContext(ci[1], 0)) throw new Error('ContentInfo without content');
  const sd = children(children(ci[1], 'content')[0], 'SignedData');
  let i = 0;
  if (!(sd[i++] instanceof asn1js.Integer)) throw new Error('SignedData without a version');
  if (!(sd[i++] instanceof asn1js.Set)) throw new Error('SignedData without digestAlgorithms');
  const { eContentType, eContent } = readEncapsulated(sd[i++]);
  const certificates: Uint8Array[] = [];
  if (sd[i] && isContext(sd[i]!, 0)) {
    const all = children(sd[i++], 'certificates');
    checkCertificateCount(all.length);
    for (const c of all) if (c instanceof asn1js.Sequence) certificates.push(c.valueBeforeDecodeView.slice());
  }
  const { crls, ocsps } = sd[i] && isContext(sd[i]!, 1) ? readRevocationChoices(sd[i++]!) : { crls: [], ocsps: [] };
  return { eContentType, eContent, certificates, crls, ocsps, ...readSignerInfos(sd[i]) };
}

/** A real signature carries a handful of certificates; thousands only slow every later stage down (a hostile CMS). */
function checkCertificateCount(count: number): void {
  if (count > MAX_CMS_CERTIFICATES) throw new Error(`more than ${MAX_CMS_CERTIFICATES} certificates in the CMS`);
}

function readEncapsulated(element: asn1js.AsnType | undefined): { eContentType: string; eContent: Uint8Array | null } {
  const encap = children(element, 'EncapsulatedContentInfo');
  if (!(encap[0] instanceof asn1js.ObjectIdentifier)) throw new Error('EncapsulatedContentInfo without a content type');
  let eContent: Uint8Array | null = null;
  if (encap[1]) {
    const inner = children(encap[1], 'eContent')[0];
    if (!(inner instanceof asn1js.OctetString)) throw new Error('eContent is not an OCTET STRING');
    eContent = new Uint8Array(inner.getValue());
  }
  return { eContentType: encap[0].valueBlock.toString(), eContent };
}

/** RevocationInfoChoices ([1], RFC 5652 §10.2.1): CRLs, and OCSP responses as OtherRevocationInfoFormat (RFC 5940 §2.1). */
function readRevocationChoices(element: asn1js.AsnType): { crls: Uint8Array[]; ocsps: Uint8Array[] } {
  const crls: Uint8Array[] = [];
  const ocsps: Uint8Array[] = [];
  for (const c of children(element, 'crls')) {
    if (c instanceof asn1js.Sequence) crls.push(c.valueBeforeDecodeView.slice());
    else if (isContext(c, 1)) {
      const [format, info] = children(c, 'OtherRevocationInfoFormat');
      if (format instanceof asn1js.ObjectIdentifier && format.valueBlock.toString() === CMS_OID.ocspResponse && info) {
        ocsps.push(info.valueBeforeDecodeView.slice());
      }
    }
  }
  return { crls, ocsps };
}

function readSignerInfos(infos: asn1js.AsnType | undefined): { signerCount: number; signer: ParsedSignerInfo } {
  if (!(infos instanceof asn1js.Set)) throw new Error('SignedData without signerInfos');
  const signers = infos.valueBlock.value;
  if (signers.length === 0) throw new Error('SignedData has no SignerInfo');
  return { signerCount: signers.length, signer: parseSignerInfo(signers[0]!) };
}

function parseSignerInfo(element: asn1js.AsnType): ParsedSignerInfo {
  const f = children(element, 'SignerInfo');
  let i = 1;
  const sid = f[i++];
  if (!sid) throw new Error('SignerInfo without sid');
  const digestAlgorithm = algorithmIdentifier(f[i++]);
  let signedAttributesDer: Uint8Array | null = null;
  let signedAttributes: Attribute[] | null = null;
  if (f[i] && isContext(f[i]!, 0)) {
    // RFC 5652 §5.4: the signature covers the DER of SET OF Attribute, i.e. the
    // [0] IMPLICIT element with its tag octet replaced by 0x31.
    signedAttributesDer = f[i]!.valueBeforeDecodeView.slice();
    signedAttributesDer[0] = 0x31;
    signedAttributes = attributes(f[i++]!);
  }
  const signatureAlgorithm = algorithmIdentifier(f[i++]);
  const sig = f[i++];
  if (!(sig instanceof asn1js.OctetString)) throw new Error('SignerInfo signature is not an OCTET STRING');
  const unsignedAttributes = f[i] && isContext(f[i]!, 1) ? attributes(f[i]!) : [];
  return {
    sid,
    digestAlgorithmOid: digestAlgorithm.algorithmId,
    signatureAlgorithm,
    signedAttributesDer,
    signedAttributes,
    unsignedAttributes,
    signature: new Uint8Array(sig.getValue()),
  };
}

/**
 * pkijs's reading of an AlgorithmIdentifier element, once per element: the elements {@link decodedPiece}
 * shares come back for every file with the same algorithms. Only readings that succeed are kept.
 */
function algorithmIdentifier(element: asn1js.AsnType | undefined): pkijs.AlgorithmIdentifier {
  if (!element) return new pkijs.AlgorithmIdentifier({ schema: element });
  let read = algorithmIdentifiers.get(element);
  if (!read) algorithmIdentifiers.set(element, (read = new pkijs.AlgorithmIdentifier({ schema: element })));
  return read;
}

const algorithmIdentifiers = new WeakMap<asn1js.AsnType, pkijs.AlgorithmIdentifier>();

function attributes(element: asn1js.AsnType): Attribute[] {
  return children(element, 'attributes').map((a) => {
    const [type, values] = children(a, 'Attribute');
    if (!(type instanceof asn1js.ObjectIdentifier) || !(values instanceof asn1js.Set)) throw new Error('malformed Attribute');
    return { oid: type.valueBlock.toString(), values: values.valueBlock.value };
  });
}

function children(element: asn1js.AsnType | undefined, what: string): asn1js.AsnType[] {
  if (!(element instanceof asn1js.Constructed)) throw new Error(`${what} is not a constructed element`);
  return element.valueBlock.value;
}

function isContext(element: asn1js.AsnType, tag: number): boolean {
  return element.idBlock.tagClass === 3 && element.idBlock.tagNumber === tag;
}

/** The first value of an attribute, or undefined. */
export function attributeValue(attrs: readonly Attribute[] | null, oid: string): asn1js.AsnType | undefined {
  return attrs?.find((a) => a.oid === oid)?.values[0];
}

/**
 * The certificate a SignerIdentifier names (RFC 5652 §5.3): issuerAndSerialNumber
 * compared on the encodings (then, for writers that re-encode the issuer name,
 * on the serial alone when only one certificate has it), or the
 * subjectKeyIdentifier.
 */
export function findSigner(sid: asn1js.AsnType, certificates: readonly Uint8Array[]): number | null {
  if (sid instanceof asn1js.Sequence) {
    const [issuer, serial] = sid.valueBlock.value;
    if (!issuer || !(serial instanceof asn1js.Integer)) return null;
    const issuerDer = issuer.valueBeforeDecodeView;
    const serialDer = serial.valueBeforeDecodeView;
    const bySerial: number[] = [];
    for (const [k, c] of certificates.entries()) {
      try {
        const d = decodeCertificate(c);
        if (!equalBytes(d.serial, serialDer)) continue;
        if (equalBytes(d.issuer, issuerDer)) return k;
        bySerial.push(k);
      } catch {
        // an unreadable certificate is nobody's
      }
    }
    return bySerial.length === 1 ? bySerial[0]! : null;
  }
  if (isContext(sid, 0)) {
    const keyId = sid instanceof asn1js.Constructed
      ? (sid.valueBlock.value[0] as asn1js.OctetString | undefined)?.valueBlock.valueHexView
      : (sid as asn1js.Primitive).valueBlock.valueHexView;
    if (!keyId) return null;
    for (const [k, c] of certificates.entries()) {
      try {
        const ski = certificateExtensions(c).find((e) => e.oid === CMS_OID.subjectKeyIdentifier);
        if (!ski) continue;
        const { result } = asn1js.fromBER(ski.value.slice());
        if (result instanceof asn1js.OctetString && equalBytes(new Uint8Array(result.getValue()), keyId)) return k;
      } catch {
        // idem
      }
    }
  }
  return null;
}

/** ESS signing-certificate-v2 (RFC 5035 §3) or v1 (RFC 2634 §5.4) against the signer certificate. */
export function essBinding(attrs: readonly Attribute[] | null, cert: Uint8Array | null): 'v2-match' | 'v1-match' | 'mismatch' | 'absent' {
  const v2 = attributeValue(attrs, CMS_OID.signingCertificateV2);
  const v1 = attributeValue(attrs, CMS_OID.signingCertificate);
  if (!v2 && !v1) return 'absent';
  if (!cert) return 'absent';
  try {
    // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), policies … }: the first names the signer.
    const first = children(children(children(v2 ?? v1, 'SigningCertificate')[0], 'certs')[0], 'ESSCertID');
    if (v2) {
      const hasAlg = first[0] instanceof asn1js.Sequence;
      // ESSCertIDv2.hashAlgorithm DEFAULT id-sha256 (RFC 5035 §4).
      const oid = hasAlg ? algorithmIdentifier(first[0]).algorithmId : OID.sha256;
      const alg = digestFromOid(oid);
      const hash = first[hasAlg ? 1 : 0];
      if (!alg || !(hash instanceof asn1js.OctetString)) return 'mismatch';
      return equalBytes(new Uint8Array(hash.getValue()), digestBytes(alg, cert)) ? 'v2-match' : 'mismatch';
    }
    const hash = first[0];
    if (!(hash instanceof asn1js.OctetString)) return 'mismatch';
    return equalBytes(new Uint8Array(hash.getValue()), digestBytes('SHA-1', cert)) ? 'v1-match' : 'mismatch';
  } catch {
    return 'mismatch';
  }
}

/** The outcome of checking one SignerInfo over its content. */
export interface SignerCheck {
  readonly algorithm: ResolvedAlgorithm | null;
  readonly digestAlgorithm: DigestAlgorithm | string;
  /** content-type attribute equals the expected type (null without signed attributes). */
  readonly contentTypeOk: boolean | null;
  /** messageDigest equals the content digest; without signed attributes, same as signatureValid. */
  readonly digestMatches: boolean | null;
  readonly signatureValid: boolean | null;
  readonly signerIndex: number | null;
  readonly key: PublicKeyInfo | null;
  readonly problems: string[];
}

/** The content a SignerInfo signs: its digest under any algorithm, and the bytes when needed. */
export interface SignedContent {
  digest(alg: DigestAlgorithm): Uint8Array | Promise<Uint8Array>;
  /** The content itself; needed only without signed attributes. Absent when too large to hold. */
  bytes?(): Uint8Array;
}

/**
 * Checks the SignerInfo (RFC 5652 §5.4, §5.6, §11): with signed attributes, the
 * content-type and message-digest attributes, then the signature over the
 * attributes as encoded; without them, the signature over the content.
 */
export async function checkSigner(
  parsed: ParsedSignedData,
  certificates: readonly Uint8Array[],
  content: SignedContent,
  expectedContentType: string,
): Promise<SignerCheck> {
  const { signer } = parsed;
  const problems: string[] = [];
  const digestAlgorithm: DigestAlgorithm | string = digestFromOid(signer.digestAlgorithmOid) ?? signer.digestAlgorithmOid;
  const signerIndex = findSigner(signer.sid, certificates);
  const cert = signerIndex === null ? null : certificates[signerIndex]!;
  if (!cert) problems.push('the signer certificate is not among the certificates');
  let key: PublicKeyInfo | null = null;
  let keyProblem: string | null = null;
  if (cert) {
    try {
      key = publicKeyOf(cert);
    } catch (e) {
      keyProblem = `the signer key cannot be used: ${(e as Error).message}`;
    }
  }
  const algorithm = resolveAlgorithm(signer.digestAlgorithmOid, signer.signatureAlgorithm, key);
  // algorithm.note (e.g. an RSA OID over an EC key, verified by the key) is informational, not a problem.

  let contentTypeOk: boolean | null = null;
  let digestMatches: boolean | null = null;
  let toVerify: (() => Uint8Array) | null = null;
  if (signer.signedAttributesDer) {
    const ct = attributeValue(signer.signedAttributes, CMS_OID.contentType);
    contentTypeOk = ct instanceof asn1js.ObjectIdentifier && ct.valueBlock.toString() === expectedContentType && parsed.eContentType === expectedContentType;
    if (!contentTypeOk) problems.push(`the content-type attribute is not ${expectedContentType}`);
    const md = attributeValue(signer.signedAttributes, CMS_OID.messageDigest);
    if (!(md instanceof asn1js.OctetString)) {
      problems.push('the message-digest attribute is missing');
      digestMatches = false;
    } else if (!isDigestAlgorithm(digestAlgorithm)) {
      problems.push(`digest algorithm ${digestAlgorithm} is not supported`);
    } else {
      digestMatches = equalBytes(new Uint8Array(md.getValue()), await content.digest(digestAlgorithm));
    }
    const attrs = signer.signedAttributesDer;
    toVerify = () => attrs;
  } else if (content.bytes) {
    toVerify = content.bytes;
  } else {
    problems.push('without signed attributes the signature covers the content itself, which was not supplied');
  }

  let signatureValid: boolean | null = null;
  if (!cert || !toVerify) {
    // cannot run
  } else if (keyProblem) {
    problems.push(keyProblem);
  } else if (algorithm.unsupported) {
    problems.push(algorithm.unsupported);
  } else {
    const result = await verifySignatureWith(key!.spki, algorithm, toVerify(), signer.signature, 'cms');
    // An algorithm resolved as supported can still meet a key WebCrypto cannot use: that value does not verify.
    signatureValid = result.status === 'valid';
  }
  if (!signer.signedAttributesDer) digestMatches = signatureValid;
  return { algorithm, digestAlgorithm, contentTypeOk, digestMatches, signatureValid, signerIndex, key, problems };
}
