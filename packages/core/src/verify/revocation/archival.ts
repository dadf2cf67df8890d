/**
 * Revocation data carried inside a CMS signature rather than in /DSS:
 * the SignedData `crls` field (RFC 5652 §10.2.1, with OCSP responses as
 * id-ri-ocsp-response, RFC 5940 §4.1), Adobe's adbe-revocationInfoArchival
 * signed attribute (ISO 32000-2 §12.8.3.3.2) and the CAdES revocation-values
 * unsigned attribute (ETSI EN 319 122-1 §5.5.2). Bytes are kept as found.
 */
import * as asn1js from 'asn1js';
import { OID } from '../../crypto/algorithms.js';
import { decodeExact, elements, isContextTag, originalBytes, readChildren, readTlv, type TlvSpan } from '../../crypto/raw-der.js';

const ID_RI_OCSP_RESPONSE = '1.3.6.1.5.5.7.16.2';
const ID_AA_ETS_REVOCATION_VALUES = '1.2.840.113549.1.9.16.2.24';

/** Validation data found in one CMS SignedData. */
export interface CmsRevocationData {
  /** Certificates of the `certificates` field, DER. */
  readonly certs: Uint8Array[];
  /** OCSPResponse (or BasicOCSPResponse, from revocation-values) values, DER. */
  readonly ocsps: Uint8Array[];
  readonly crls: Uint8Array[];
  /** Where each kind was found, e.g. 'adbe-revocationInfoArchival', 'signed-data-crls', 'revocation-values'. */
  readonly origins: string[];
}

/**
 * Collects the validation data of a CMS ContentInfo (a PDF signature's
 * /Contents, trailing zero padding allowed). Never throws: unreadable parts
 * are left out. The certificates, CRLs and OCSP responses are taken as bytes:
 * in definite-length encoding the structure around them is read from the
 * element headers ({@link bySpan}), so that a CA's CRL of 50,000 entries is not
 * decoded here (asn1js took seconds; the revocation stage reads it by a walk of
 * its list, decision 0038); anything else is decoded by asn1js, as before.
 */
export function revocationDataFromCms(cms: Uint8Array): CmsRevocationData {
  const der = stripPadding(cms);
  try {
    return bySpan(der);
  } catch (e) {
    if (e !== NOT_BY_SPAN) throw e;
  }
  return byElements(der);
}

/** What {@link bySpan} throws for an element it leaves to asn1js. */
const NOT_BY_SPAN = new Error('read by asn1js');

/**
 * {@link revocationDataFromCms} from the element headers ({@link readTlv}): the same reading as
 * {@link byElements} gives from asn1js's decoding. Throws NOT_BY_SPAN where an element is not read by the
 * headers alone (indefinite lengths, high tag numbers, bytes after the value, an element whose asn1js type
 * is not plain: a constructed universal type other than SEQUENCE and SET).
 */
function bySpan(der: Uint8Array): CmsRevocationData {
  const out: CmsRevocationData = { certs: [], ocsps: [], crls: [], origins: [] };
  const root = readTlv(der, 0);
  if (!root || root.end !== der.length || root.tag !== 0x30) throw NOT_BY_SPAN;
  const content = kids(der, root)[1];
  if (!content || (content.tag & 0xdf) !== 0x80) return out;
  const signedData = kids(der, content)[0];
  const fields = kids(der, signedData);
  for (const field of fields) {
    if (field.tag === 0xa0) {
      for (const c of kids(der, field)) if (c.tag === 0x30) out.certs.push(der.slice(c.start, c.end));
    } else if (field.tag === 0xa1) {
      for (const choice of kids(der, field)) {
        if (choice.tag === 0x30) {
          out.crls.push(der.slice(choice.start, choice.end));
          note(out, 'signed-data-crls');
        } else if (choice.tag === 0xa1) {
          const [format, value] = kids(der, choice);
          if (format && value && oidOf(der, format) === ID_RI_OCSP_RESPONSE) {
            out.ocsps.push(der.slice(value.start, value.end));
            note(out, 'signed-data-ocsp');
          }
        }
      }
    }
  }
  const signerInfos = fields[fields.length - 1];
  for (const signerInfo of signerInfos?.tag === 0x31 ? kids(der, signerInfos) : []) {
    for (const attrs of kids(der, signerInfo)) {
      if (attrs.tag !== 0xa0 && attrs.tag !== 0xa1) continue;
      for (const attr of kids(der, attrs)) {
        const [type, values] = kids(der, attr);
        if (!type || !values) continue;
        const oid = oidOf(der, type);
        const value = kids(der, values)[0];
        if (!value) continue;
        if (oid === OID.adbeRevocationInfoArchival && attrs.tag === 0xa0) {
          archivalSpans(der, value, out, 'adbe-revocationInfoArchival');
        } else if (oid === ID_AA_ETS_REVOCATION_VALUES && attrs.tag === 0xa1) {
          archivalSpans(der, value, out, 'revocation-values');
        }
      }
    }
  }
  return out;
}

/** {@link archivalValues} from the element headers. */
function archivalSpans(der: Uint8Array, value: TlvSpan, out: CmsRevocationData, origin: string): void {
  for (const slot of kids(der, value)) {
    const list = kids(der, slot)[0];
    if (!list) continue;
    if (slot.tag === 0xa0) {
      for (const crl of kids(der, list)) out.crls.push(der.slice(crl.start, crl.end));
      note(out, origin);
    } else if (slot.tag === 0xa1) {
      for (const ocsp of kids(der, list)) out.ocsps.push(der.slice(ocsp.start, ocsp.end));
      note(out, origin);
    }
  }
}

/**
 * The children of an element as {@link safeElements} gives asn1js's: none for a primitive (or absent)
 * element; those of a SEQUENCE, SET or non-universal constructed element. Throws NOT_BY_SPAN for the rest.
 */
function kids(der: Uint8Array, span: TlvSpan | undefined): TlvSpan[] {
  if (!span || (span.tag & 0x20) === 0) return [];
  if ((span.tag & 0xc0) === 0 && span.tag !== 0x30 && span.tag !== 0x31) throw NOT_BY_SPAN;
  const children = readChildren(der, span);
  // Tag 0 is end-of-contents: asn1js reads its header alone and what its length covers as siblings.
  if (!children || children.some((c) => c.tag === 0x00)) throw NOT_BY_SPAN;
  return children;
}

/** An OBJECT IDENTIFIER element's dotted form as asn1js reads it (an OID may be spelled in more than one way); null for another element. */
function oidOf(der: Uint8Array, span: TlvSpan): string | null {
  if (span.tag !== 0x06) return null;
  const { offset, result } = asn1js.fromBER(der.slice(span.start, span.end));
  if (offset !== span.end - span.start || !(result instanceof asn1js.ObjectIdentifier)) throw NOT_BY_SPAN;
  return result.valueBlock.toString();
}

/** {@link revocationDataFromCms} through asn1js's decoding of the whole (BER), within decodeExact's limits. */
function byElements(der: Uint8Array): CmsRevocationData {
  const out: CmsRevocationData = { certs: [], ocsps: [], crls: [], origins: [] };
  let signedData: asn1js.AsnType;
  try {
    const root = decodeExact(der);
    const content = elements(root)[1];
    if (!content || !isContextTag(content, 0)) return out;
    signedData = elements(content)[0]!;
  } catch {
    return out;
  }
  const fields = safeElements(signedData);
  for (const field of fields) {
    if (isContextTag(field, 0)) {
      for (const c of safeElements(field)) if (c instanceof asn1js.Sequence) out.certs.push(originalBytes(c));
    } else if (isContextTag(field, 1)) {
      for (const choice of safeElements(field)) {
        if (choice instanceof asn1js.Sequence) {
          out.crls.push(originalBytes(choice));
          note(out, 'signed-data-crls');
        } else if (isContextTag(choice, 1)) {
          const [format, value] = safeElements(choice);
          if (format instanceof asn1js.ObjectIdentifier && format.valueBlock.toString() === ID_RI_OCSP_RESPONSE && value) {
            out.ocsps.push(originalBytes(value));
            note(out, 'signed-data-ocsp');
          }
        }
      }
    }
  }
  const signerInfos = fields[fields.length - 1];
  for (const signerInfo of signerInfos instanceof asn1js.Set ? safeElements(signerInfos) : []) {
    for (const attrs of safeElements(signerInfo)) {
      if (!isContextTag(attrs, 0) && !isContextTag(attrs, 1)) continue;
      for (const attr of safeElements(attrs)) {
        const [type, values] = safeElements(attr);
        if (!(type instanceof asn1js.ObjectIdentifier) || !values) continue;
        const oid = type.valueBlock.toString();
        const value = safeElements(values)[0];
        if (!value) continue;
        if (oid === OID.adbeRevocationInfoArchival && isContextTag(attrs, 0)) {
          archivalValues(value, out, 'adbe-revocationInfoArchival');
        } else if (oid === ID_AA_ETS_REVOCATION_VALUES && isContextTag(attrs, 1)) {
          archivalValues(value, out, 'revocation-values');
        }
      }
    }
  }
  return out;
}

/**
 * RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRLs,
 * ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse, otherRevInfo [2] … } (all
 * optional), and CAdES RevocationValues, which has the same first two slots.
 */
function archivalValues(value: asn1js.AsnType, out: CmsRevocationData, origin: string): void {
  for (const slot of safeElements(value)) {
    const list = safeElements(slot)[0];
    if (!list) continue;
    if (isContextTag(slot, 0)) {
      for (const crl of safeElements(list)) out.crls.push(originalBytes(crl));
      note(out, origin);
    } else if (isContextTag(slot, 1)) {
      for (const ocsp of safeElements(list)) out.ocsps.push(originalBytes(ocsp));
      note(out, origin);
    }
  }
}

function note(out: CmsRevocationData, origin: string): void {
  if (!out.origins.includes(origin)) out.origins.push(origin);
}

function safeElements(element: asn1js.AsnType | undefined): asn1js.AsnType[] {
  if (!(element instanceof asn1js.Constructed)) return [];
  return element.valueBlock.value;
}

/** /Contents is zero-padded after the DER (ISO 32000-2 §12.8.1); the padding is not part of the CMS. */
function stripPadding(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x30) return bytes;
  // Definite-length DER: read the length to cut exactly.
  const first = bytes[1]!;
  let length: number;
  let header: number;
  if (first < 0x80) {
    length = first;
    header = 2;
  } else {
    const n = first & 0x7f;
    if (n === 0 || n > 4 || bytes.length < 2 + n) return bytes;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[2 + i]!;
    header = 2 + n;
  }
  return header + length <= bytes.length ? bytes.subarray(0, header + length) : bytes;
}
