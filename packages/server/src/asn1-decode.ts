/**
 * Decoding the revocation data the shared cache looks into, with asn1js: a whole value, or only the
 * head of a long one (X.690 §8.1: identifier, length, contents). asn1js is more lenient than X.690
 * (children may overrun their parent's length; a malformed GeneralizedTime throws), so what it
 * returns is checked here, and what it throws is a refusal.
 */
import * as asn1js from 'asn1js';

/** The one BER/DER value that fills `der` exactly, with consistent lengths, or null. */
export function decodeWhole(der: Uint8Array): asn1js.AsnType | null {
  if (der.length === 0) return null;
  let decoded: ReturnType<typeof asn1js.fromBER>;
  try {
    decoded = asn1js.fromBER(der);
  } catch {
    return null;
  }
  return decoded.offset === der.length && wellFormed(decoded.result) ? decoded.result : null;
}

/**
 * No decoding error anywhere, and every constructed value in the definite form (X.690 §10.1) with
 * contents made of exactly its children (§8.1.1.3): asn1js accepts a child longer than its parent.
 */
function wellFormed(node: asn1js.AsnType): boolean {
  if (node.error) return false;
  if (!(node instanceof asn1js.Constructed)) return true;
  if (node.lenBlock.isIndefiniteForm) return false;
  let length = 0;
  for (const child of node.valueBlock.value) {
    if (!wellFormed(child)) return false;
    length += child.valueBeforeDecodeView.byteLength;
  }
  return length === node.lenBlock.length;
}

/** Where a value's contents lie in the bytes it was read from. */
export interface Contents {
  readonly start: number;
  readonly end: number;
}

/**
 * The contents of the SEQUENCE at `at` (ending by `end`), its identifier and length octets read by
 * asn1js, its contents left undecoded; null when it is no definite-length SEQUENCE that fits. For the
 * head of a CRL: its revokedCertificates may hold a hundred thousand entries, which asn1js would take
 * seconds to decode (and refuses past 10,000 nodes by default), where only the first fields are wanted.
 */
export function sequenceContents(der: Uint8Array, at: number, end: number): Contents | null {
  const header = new asn1js.BaseBlock();
  const afterTag = header.idBlock.fromBER(der, at, end - at);
  const id = header.idBlock;
  if (afterTag === -1 || id.tagClass !== 1 || id.tagNumber !== 16 || !id.isConstructed) return null;
  const afterLength = header.lenBlock.fromBER(der, afterTag, end - afterTag);
  if (afterLength === -1 || header.lenBlock.isIndefiniteForm) return null;
  const contentsEnd = afterLength + header.lenBlock.length;
  return contentsEnd <= end ? { start: afterLength, end: contentsEnd } : null;
}

/**
 * The value at `at` (ending by `end`), decoded whole, and where the next one starts; null when none
 * can be read there. For the small fields at the head of a long SEQUENCE.
 */
export function valueAt(der: Uint8Array, at: number, end: number): { value: asn1js.AsnType; next: number } | null {
  if (at >= end) return null;
  let decoded: ReturnType<typeof asn1js.fromBER>;
  try {
    // Not copied: only the first value of the rest is decoded.
    decoded = asn1js.fromBER(der.subarray(at, end), { copyInput: false });
  } catch {
    return null;
  }
  return decoded.offset !== -1 && wellFormed(decoded.result) ? { value: decoded.result, next: at + decoded.offset } : null;
}

/** RFC 5280 §4.1.2.5.1–2 (§5.1.2.4–5 for CRLs): UTCTime YYMMDDHHMMSSZ, GeneralizedTime YYYYMMDDHHMMSSZ. */
const TIME_FORMS: readonly (readonly [typeof asn1js.UTCTime, RegExp])[] = [
  // GeneralizedTime extends UTCTime in asn1js: tested first. A fraction of a second was always tolerated here.
  [asn1js.GeneralizedTime, /^\d{14}(?:\.\d+)?Z$/],
  [asn1js.UTCTime, /^\d{12}Z$/],
];

/**
 * The instant a UTCTime or GeneralizedTime value names, read by asn1js (two-digit years 50–99 are
 * 19xx, RFC 5280 §4.1.2.5.1), when it is in the form RFC 5280 prescribes; otherwise null.
 */
export function timeOf(value: asn1js.AsnType): Date | null {
  const form = TIME_FORMS.find(([type]) => value instanceof type);
  if (!form) return null;
  const time = value as asn1js.UTCTime;
  if (!form[1].test(new TextDecoder().decode(time.valueBlock.valueHexView))) return null;
  // Whole seconds, as RFC 5280 writes them: a fraction a GeneralizedTime carries anyway is dropped.
  const ms = time.toDate().getTime();
  return Number.isNaN(ms) ? null : new Date(ms - (((ms % 1000) + 1000) % 1000));
}
