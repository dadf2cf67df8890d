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
 * The common case: the SignedData's outline is read from the element headers
 * (definite lengths, or indefinite ones as BER writers such as openssl -stream
 * and Bouncy Castle put around the structure, X.690 §8.1.3.6), the
 * certificates, CRLs and OCSP responses are taken as they are embedded (the
 * later stages decode them where they are used, a CRL by a walk of its list),
 * and asn1js decodes the rest. Decoding each certificate inside every CMS was
 * most of the time of verifying a small file; decoding a CA's CRL of 50,000
 * entries took asn1js seconds. Null when the outline is anything else
 * (another content type, unexpected elements, high tag numbers):
 * {@link parseWhole} then decodes it, with its reasons.
 */
function parseSplit(der: Uint8Array): ParsedSignedData | null {
  const ci = readOutline(der, 0, der.length);
  if (!ci || ci.tag !== 0x30) return null;
  const [type, content, ...rest] = outlineChildren(der, ci) ?? [];
  if (!type || !content || rest.length > 0 || content.tag !== 0xa0) return null;
  if (!equalBytes(der.subarray(type.start, type.end), SIGNED_DATA_OID_DER)) return null;
  const inner = outlineChildren(der, content);
  if (!inner || inner.length !== 1 || inner[0]!.tag !== 0x30) return null;
  const sd = outlineChildren(der, inner[0]!);
  if (!sd || sd.length < 4 || sd[0]!.tag !== 0x02 || sd[1]!.tag !== 0x31 || sd[2]!.tag !== 0x30) return null;
  let i = 3;
  const certificateSet = sd[i]?.tag === 0xa0 ? sd[i++] : undefined;
  const crlSet = sd[i]?.tag === 0xa1 ? sd[i++] : undefined;
  const infos = sd[i++];
  if (!infos || infos.tag !== 0x31 || i !== sd.length) return null;

  const certificates: Uint8Array[] = [];
  if (certificateSet) {
    const all = outlineChildren(der, certificateSet);
    if (!all) return null;
    checkCertificateCount(all.length);
    // CertificateChoices (RFC 5652 §10.2.2): a SEQUENCE is a Certificate; the other, tagged, choices are skipped.
    for (const c of all) if (c.tag === 0x30) certificates.push(der.slice(c.start, c.end));
  }
  const decode = (span: TlvSpan): asn1js.AsnType => decodeExact(der.slice(span.start, span.end));
  const encapsulated = (splitSignerInfos && decodedPiece(der, sd[2]!, 0)) || decode(sd[2]!);
  const { eContentType, eContent } = readEncapsulated(encapsulated);
  const { crls, ocsps } = crlSet
    ? (splitSignerInfos && revocationChoicesBySpan(der, crlSet)) || readRevocationChoices(decode(crlSet))
    : { crls: [], ocsps: [] };
  const signerInfos = (splitSignerInfos && infos.contentEnd === infos.end && signerInfosByField(der, infos)) || decode(infos);
  return { eContentType, eContent, certificates, crls, ocsps, ...readSignerInfos(signerInfos) };
}

/** An element as {@link readOutline} reads it: its contents end at `contentEnd`, before the end-of-contents octets of an indefinite length. */
interface OutlineSpan extends TlvSpan {
  readonly contentEnd: number;
}

/** The deepest nesting of indefinite lengths {@link readOutline} follows (asn1js's default depth). */
const MAX_OUTLINE_DEPTH = 100;

/**
 * The element at `offset` as {@link readTlv} reads it, or, for a constructed element of indefinite length
 * (X.690 §8.1.3.6), up to its end-of-contents octets, found by reading its children's headers (those of
 * indefinite length in turn). Null for anything else (high tag numbers, a primitive of indefinite length,
 * no end-of-contents before `limit`, nesting past {@link MAX_OUTLINE_DEPTH}).
 */
function readOutline(bytes: Uint8Array, offset: number, limit: number, depth = 0): OutlineSpan | null {
  const definite = readTlv(bytes, offset, limit);
  if (definite) return { ...definite, contentEnd: definite.end };
  const tag = bytes[offset]!;
  if (depth >= MAX_OUTLINE_DEPTH || offset + 2 > limit || (tag & 0x1f) === 0x1f || !(tag & 0x20) || bytes[offset + 1] !== 0x80) return null;
  for (let at = offset + 2; at + 2 <= limit;) {
    if (bytes[at] === 0x00 && bytes[at + 1] === 0x00) return { tag, start: offset, contentStart: offset + 2, contentEnd: at, end: at + 2 };
    const child = readOutline(bytes, at, limit, depth + 1);
    if (!child) return null;
    at = child.end;
  }
  return null;
}

/** The elements that exactly fill the contents of `parent` ({@link readOutline}), or null when one does not read or has tag 0. */
function outlineChildren(bytes: Uint8Array, parent: OutlineSpan): OutlineSpan[] | null {
  const out: OutlineSpan[] = [];
  for (let at = parent.contentStart; at < parent.contentEnd;) {
    const child = readOutline(bytes, at, parent.contentEnd);
    // Tag 0 is end-of-contents: asn1js reads its header alone and what its length covers as siblings.
    if (!child || child.tag === 0x00) return null;
    out.push(child);
    at = child.end;
  }
  return out;
}

/**
 * Whether {@link parseSplit} takes the EncapsulatedContentInfo and a lone SignerInfo's parts from the part
 * cache, and the revocation data (the `crls` field, an adbe-revocationInfoArchival attribute) as byte spans;
 * off only in tests, to get the plain path.
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
  // Parts that big (a large token among the unsigned attributes) are rare and not worth keeping.
  if (bytes.length > MAX_CACHED_PIECE) return decodedAt(bytes, level);
  return pieceCache[level]!.getOrCreate(bytes, () => decodedAt(bytes, level));
}

/** The largest part kept in {@link pieceCache}: 64 parts per level stay small. */
const MAX_CACHED_PIECE = 10_000;

/** `bytes` decoded by asn1js as at nesting `level` (see {@link decodedPiece}); null when it does not decode or fill them. */
function decodedAt(bytes: Uint8Array, level: number): asn1js.AsnType | null {
  // fromBER copies its input: the element never aliases the caller's array. The limits are decodeExact's
  // (decodeLimits: no node or content limit a valid input can reach), less the depth above the part.
  const limits = decodeLimits(bytes.length);
  const { offset, result } = asn1js.fromBER(bytes, { ...limits, maxDepth: limits.maxDepth - level });
  return offset === bytes.length ? result : null;
}

/**
 * SignerInfos (RFC 5652 §5.1) holding one SignerInfo in definite-length encoding, decoded one field at a
 * time (each signed and unsigned attribute on its own) through {@link decodedPiece}, and put together as the
 * asn1js elements a decode of the whole would give: a SET holding a SEQUENCE whose children are the fields,
 * the attribute sets `[0]`/`[1]` as constructed elements holding their attributes. Decoding all of it for
 * every file of an archive was most of the CMS reading time, for parts that are the same in every file.
 *
 * An adbe-revocationInfoArchival attribute is not decoded: its outline is read from the element headers and
 * the CRLs and OCSP responses it holds are kept as bytes ({@link archivalAttribute}); asn1js took seconds
 * for a CRL of 50,000 entries, which the revocation stage reads by a walk of its list (decision 0038).
 *
 * Null, and the SignerInfos are decoded whole as before, for anything else: several SignerInfos, an element
 * the header reader does not take (indefinite length, high tag numbers), or a part asn1js cannot decode (so the
 * reason given is the one the whole decode gives). Node and content limits follow the input's length on both
 * ways (decodeLimits), so neither can reach them; depth is accounted as described above.
 * `test/verify/cms/signer-info-fields.test.ts` holds both ways equal.
 */
function signerInfosByField(der: Uint8Array, infos: TlvSpan): asn1js.Set | null {
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
        const attribute = archivalAttribute(der, part) ?? decodedPiece(der, part, 3);
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

/** A constructed element put together from decoded children, with the encoding it stands for. */
function constructedOf<T extends asn1js.Constructed>(element: T, der: Uint8Array, span: TlvSpan): T {
  element.valueBeforeDecodeView = der.slice(span.start, span.end);
  return element;
}

/** DER of the adbe-revocationInfoArchival OBJECT IDENTIFIER (ISO 32000-2 §12.8.3.3.2). */
const ARCHIVAL_OID_DER = new Uint8Array(new asn1js.ObjectIdentifier({ value: CMS_OID.adbeRevocationInfoArchival }).toBER());

/**
 * RevocationInfoChoices ([1], RFC 5652 §10.2.1) read from the element headers, as {@link readRevocationChoices}
 * reads them from asn1js's decoding: a CRL is a SEQUENCE, kept as bytes; an OCSP response is the second
 * element of an OtherRevocationInfoFormat `[1]` whose format is id-ri-ocsp-response (RFC 5940 §2.1). The CRLs
 * are not decoded here: the revocation stage reads them, with their reasons (`readCrl`, decision 0038), and
 * decoding a CRL of 50,000 entries took asn1js seconds. Null (decoded whole instead) when an element the
 * reading needs is not a {@link readOutline} element, or an OtherRevocationInfoFormat is not constructed.
 */
function revocationChoicesBySpan(der: Uint8Array, crlSet: OutlineSpan): { crls: Uint8Array[]; ocsps: Uint8Array[] } | null {
  const choices = outlineChildren(der, crlSet);
  if (!choices) return null;
  const crls: Uint8Array[] = [];
  const ocsps: Uint8Array[] = [];
  for (const c of choices) {
    if (c.tag === 0x30) crls.push(der.slice(c.start, c.end));
    else if (c.tag === 0x81) return null; // [1] primitive: the whole decode gives its reason
    else if (c.tag === 0xa1) {
      const other = outlineChildren(der, c);
      if (!other) return null;
      const [format, info] = other;
      // The format is compared as asn1js reads it (an OID may be spelled in more than one way); the value is
      // kept as bytes, read by the revocation stage.
      if (format?.tag !== 0x06 || !info) continue;
      const oid = asn1js.fromBER(der.slice(format.start, format.end));
      if (oid.offset !== format.end - format.start || !(oid.result instanceof asn1js.ObjectIdentifier)) return null;
      if (oid.result.valueBlock.toString() === CMS_OID.ocspResponse) ocsps.push(der.slice(info.start, info.end));
    }
  }
  return { crls, ocsps };
}

/** {@link readChildren}, or null when a child has tag 0 (end-of-contents, which asn1js reads as its header alone). */
function spansOf(der: Uint8Array, parent: TlvSpan): TlvSpan[] | null {
  const children = readChildren(der, parent);
  return children && children.every((c) => c.tag !== 0x00) ? children : null;
}

/** CRLs and OCSP responses of a RevocationInfoArchival, DER as embedded. */
export interface ArchivedRevocation {
  readonly crls: Uint8Array[];
  readonly ocsps: Uint8Array[];
}

/**
 * An adbe-revocationInfoArchival attribute whose CRLs and OCSP responses were taken as bytes: its `values`
 * are decoded by asn1js only when asked for (nothing in verification asks; the tests compare them with the
 * whole decode's).
 */
class ArchivalAttribute implements Attribute {
  readonly oid = CMS_OID.adbeRevocationInfoArchival;
  #values: readonly asn1js.AsnType[] | undefined;

  constructor(
    /** The Attribute's encoding, and its nesting in the SignerInfos decode (see {@link decodedPiece}). */
    private readonly der: Uint8Array,
    private readonly level: number,
    /** What the first value holds, or null when the attribute has no value. */
    readonly archived: ArchivedRevocation | null,
  ) {}

  get values(): readonly asn1js.AsnType[] {
    if (!this.#values) {
      const limits = decodeLimits(this.der.length);
      const { offset, result } = asn1js.fromBER(this.der, { ...limits, maxDepth: limits.maxDepth - this.level });
      // asn1js's reason, as the whole decode would have given it.
      if (offset !== this.der.length) throw new Error(result.error || 'malformed Attribute');
      this.#values = (children(result, 'Attribute')[1] as asn1js.Set).valueBlock.value;
    }
    return this.#values;
  }
}

/** The stand-in elements {@link signerInfosByField} puts in place of archival attributes, and what they stand for. */
const archivalStandIns = new WeakMap<asn1js.AsnType, ArchivalAttribute>();

/**
 * An adbe-revocationInfoArchival Attribute (RFC 5652 §5.3; ISO 32000-2 §12.8.3.3.2) read from the element
 * headers, for {@link signerInfosByField}: `Attribute { type, values SET { RevocationInfoArchival … } }`
 * whose first value is `SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CertificateList, ocsp [1] EXPLICIT SEQUENCE
 * OF OCSPResponse, otherRevInfo [2] … }`. The CRLs and OCSP responses are kept as bytes, undecoded: the
 * revocation stage reads them with their reasons, a CRL by a walk of its list (decision 0038). The
 * attribute's bytes are not touched: when signed, they are hashed as received (RFC 5652 §5.4). Returns a
 * stand-in element (its encoding is the attribute's) that {@link attributes} turns into an
 * {@link ArchivalAttribute}; null, and the attribute is decoded by asn1js, for another attribute or an outline
 * the header reader does not take (indefinite lengths, high tag numbers, a value that is not a SEQUENCE).
 */
function archivalAttribute(der: Uint8Array, part: TlvSpan): asn1js.AsnType | null {
  if (part.tag !== 0x30) return null;
  const fields = spansOf(der, part);
  if (!fields || fields.length !== 2) return null;
  const [type, values] = fields as [TlvSpan, TlvSpan];
  if (!equalBytes(der.subarray(type.start, type.end), ARCHIVAL_OID_DER) || values.tag !== 0x31) return null;
  const all = spansOf(der, values);
  if (!all) return null;
  let archived: ArchivedRevocation | null = null;
  if (all[0]) {
    archived = archivedBySpan(der, all[0]);
    if (!archived) return null;
  }
  const oid = asn1js.fromBER(der.slice(type.start, type.end)).result;
  const standIn = constructedOf(new asn1js.Sequence({ value: [oid, new asn1js.Set()] }), der, part);
  // The stand-in's encoding is already a copy of the attribute's bytes: the lazy decode reads it.
  archivalStandIns.set(standIn, new ArchivalAttribute(standIn.valueBeforeDecodeView, 3, archived));
  return standIn;
}

/** A RevocationInfoArchival value read from its headers as {@link archivedFromElement} reads asn1js's elements; null when one does not read. */
function archivedBySpan(der: Uint8Array, value: TlvSpan): ArchivedRevocation | null {
  if (value.tag !== 0x30) return null;
  const slots = spansOf(der, value);
  if (!slots) return null;
  const crls: Uint8Array[] = [];
  const ocsps: Uint8Array[] = [];
  for (const slot of slots) {
    // crl [0] and ocsp [1], constructed (EXPLICIT); other elements are not read.
    const target = slot.tag === 0xa0 ? crls : slot.tag === 0xa1 ? ocsps : null;
    if (!target) continue;
    const inner = spansOf(der, slot);
    if (!inner) return null;
    if (inner[0]?.tag !== 0x30) continue;
    const items = spansOf(der, inner[0]);
    if (!items) return null;
    for (const item of items) target.push(der.slice(item.start, item.end));
  }
  return { crls, ocsps };
}

/** A RevocationInfoArchival value as asn1js decoded it: the same reading as {@link archivedBySpan}. */
function archivedFromElement(value: asn1js.AsnType): ArchivedRevocation {
  const crls: Uint8Array[] = [];
  const ocsps: Uint8Array[] = [];
  if (!(value instanceof asn1js.Constructed)) return { crls, ocsps };
  for (const part of value.valueBlock.value) {
    if (part.idBlock.tagClass !== 3 || !(part instanceof asn1js.Constructed)) continue;
    const list = part.valueBlock.value[0];
    if (!(list instanceof asn1js.Sequence)) continue;
    const target = part.idBlock.tagNumber === 0 ? crls : part.idBlock.tagNumber === 1 ? ocsps : null;
    if (!target) continue;
    for (const item of list.valueBlock.value) target.push(item.valueBeforeDecodeView.slice());
  }
  return { crls, ocsps };
}

/**
 * The CRLs and OCSP responses of a SignerInfo's adbe-revocationInfoArchival attribute (ISO 32000-2
 * §12.8.3.3.2), DER as embedded: Adobe puts it among the signed attributes, some writers among the unsigned
 * ones; the first attribute with a value counts. Empty lists without one.
 */
export function archivedRevocation(signer: Pick<ParsedSignerInfo, 'signedAttributes' | 'unsignedAttributes'>): ArchivedRevocation {
  for (const list of [signer.signedAttributes, signer.unsignedAttributes]) {
    const attribute = list?.find((a) => a.oid === CMS_OID.adbeRevocationInfoArchival);
    if (!attribute) continue;
    if (attribute instanceof ArchivalAttribute) {
      if (attribute.archived) return attribute.archived;
      continue;
    }
    const value = attribute.values[0];
    if (value) return archivedFromElement(value);
  }
  return { crls: [], ocsps: [] };
}

/** The whole ContentInfo decoded by asn1js (BER), with a reason for every way it can be malformed. @internal (exported for tests) */
export function parseWhole(der: Uint8Array): ParsedSignedData {
  // decodeExact's limits (decodeLimits): a CRL of thousands of entries among the revocation data passes
  // asn1js's default 10,000 nodes.
  const { offset, result } = asn1js.fromBER(der.slice(), decodeLimits(der.length));
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
    const archival = archivalStandIns.get(a);
    if (archival) return archival;
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
