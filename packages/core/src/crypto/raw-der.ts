/**
 * The few things asn1js does not do for kyso: keep already-encoded DER
 * exactly as it is when embedding it in a new structure, wrap encodings in a
 * constructed element cheaply, put a DER `SET OF` in order, and refuse
 * trailing bytes when decoding. Signatures cover
 * encodings (RFC 5652 §5.4), so a certificate, an issuer Name or the signed
 * attributes must never go through a decode/re-encode round trip.
 * @internal
 */
import * as asn1js from 'asn1js';
import { concatBytes } from '../util/bytes.js';
import { toArrayBufferView } from './digest.js';

/**
 * An asn1js element whose encoding is the given bytes, verbatim. asn1js's own
 * `RawData` is not written when nested in a constructed value (its `toBER`
 * ignores the writer), hence this subclass. It is only ever encoded, never
 * matched against a schema.
 */
export class EncodedElement extends asn1js.BaseBlock {
  readonly #der: Uint8Array<ArrayBuffer>;

  constructor(der: Uint8Array) {
    super();
    this.#der = toArrayBufferView(der).slice();
  }

  override toBER(sizeOnly?: boolean, writer?: asn1js.ViewWriter): ArrayBuffer {
    const bytes = sizeOnly ? new ArrayBuffer(this.#der.length) : this.#der.slice().buffer;
    if (!writer) return bytes;
    writer.write(bytes);
    return new ArrayBuffer(0);
  }
}

/** The DER of an asn1js element, as bytes. */
export function encode(element: { toBER(sizeOnly?: boolean): ArrayBuffer }): Uint8Array {
  return new Uint8Array(element.toBER(false));
}

/**
 * One DER element with a single-octet `tag` whose contents are the given
 * encodings, concatenated: a definite length in the shortest form (X.690
 * §8.1.3, §10.1). For the constructed wrappers of a CMS structure, whose
 * children are already DER; asn1js builds a tree and sizes every level
 * twice, which made a SignedData cost a quarter of a millisecond.
 */
export function derTlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const c of contents) length += c.length;
  const header = [tag];
  if (length < 0x80) {
    header.push(length);
  } else {
    const octets: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest & 0xff);
    header.push(0x80 | octets.length, ...octets);
  }
  return concatBytes([Uint8Array.from(header), ...contents]);
}

/** A DER `SET OF` (tag 0x31, or e.g. 0xa1 for `[1] IMPLICIT SET OF`) of the given encodings, in DER order (X.690 §11.6). */
export function derSetOfBytes(items: readonly Uint8Array[], tag = 0x31): Uint8Array {
  return derTlv(tag, ...sortDer(items));
}

/** Encodings in DER `SET OF` order (X.690 §11.6). */
export function sortDer(items: readonly Uint8Array[]): Uint8Array[] {
  return [...items].sort(compareDer);
}

function compareDer(a: Uint8Array, b: Uint8Array): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Whether `bytes` is exactly one element with the given single-octet tag and
 * a definite DER length (X.690 §8.1.3, §10.1), without decoding its contents.
 */
export function isDerElement(bytes: Uint8Array, tag: number): boolean {
  if (bytes.length < 2 || bytes[0] !== tag) return false;
  const first = bytes[1]!;
  if (first < 0x80) return 2 + first === bytes.length;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || bytes.length < 2 + count) return false; // indefinite, or beyond 4 GiB
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[2 + i]!;
  return 2 + count + length === bytes.length;
}

/** Where one element lies: its tag octet, and the offsets of its first octet, of its contents and just past it. */
export interface TlvSpan {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/**
 * The element at `offset`, when it has a single-octet tag and a definite
 * length that ends within `limit` (X.690 §8.1.2–8.1.3); null otherwise
 * (indefinite length, a high tag number, a length past the limit). Reads
 * headers only: callers that need more fall back to asn1js.
 */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): TlvSpan | null {
  if (offset < 0 || offset + 2 > limit) return null;
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) return null;
  const first = bytes[offset + 1]!;
  let length = first;
  let contentStart = offset + 2;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4 || contentStart + count > limit) return null;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i]!;
    contentStart += count;
  }
  const end = contentStart + length;
  return end <= limit ? { tag, start: offset, contentStart, end } : null;
}

/** The elements that exactly fill the contents of `parent`, or null when one of them is not a {@link readTlv} element. */
export function readChildren(bytes: Uint8Array, parent: TlvSpan): TlvSpan[] | null {
  const out: TlvSpan[] = [];
  for (let at = parent.contentStart; at < parent.end;) {
    const child = readTlv(bytes, at, parent.end);
    if (!child) return null;
    out.push(child);
    at = child.end;
  }
  return out;
}

/**
 * asn1js's decoding limits for an input of `byteLength` bytes. Its defaults
 * (10,000 nodes, 16 MiB of content) refuse valid values: a CRL of a few
 * thousand entries, a CMS carrying one. Every node has a header of at least
 * two octets (X.690 §8.1.2–8.1.3), and the headers of all nodes asn1js
 * counts are disjoint, those it finds by speculatively decoding the contents
 * of OCTET and BIT STRINGs included (they lie in contents no other node's
 * header occupies), so a value of n bytes never has more than n/2; a
 * content never exceeds the input. Limits derived from the length therefore
 * refuse no valid input and keep the work linear in the input's size; the
 * nesting depth stays bounded (asn1js's default, 100) because it costs
 * stack, not bytes.
 */
export function decodeLimits(byteLength: number): { maxDepth: number; maxNodes: number; maxContentLength: number } {
  return {
    maxDepth: asn1js.DEFAULT_MAX_DEPTH,
    // n rather than n/2: an abandoned speculative decode may count one partial node of fewer than two octets.
    maxNodes: Math.max(asn1js.DEFAULT_MAX_NODES, byteLength),
    maxContentLength: Math.max(asn1js.DEFAULT_MAX_CONTENT_LENGTH, byteLength),
  };
}

/**
 * Decodes one BER/DER element that must fill `bytes` exactly, within
 * {@link decodeLimits} of its length.
 * @throws Error when asn1js cannot decode it (a nesting deeper than the
 *   limit included) or bytes follow it; callers map this to their kyso
 *   error code.
 */
export function decodeExact(bytes: Uint8Array): asn1js.AsnType {
  const view = toArrayBufferView(bytes);
  const { offset, result } = asn1js.fromBER(view, decodeLimits(view.length));
  if (offset === -1) throw new Error(result.error || 'not BER');
  if (offset !== view.length) throw new Error(`${view.length - offset} bytes after the encoded value`);
  return result;
}

/** The bytes an element was decoded from (a copy), e.g. a certificate inside a SignedData. */
export function originalBytes(element: asn1js.AsnType): Uint8Array {
  return element.valueBeforeDecodeView.slice();
}

/** The value octets of an OCTET STRING, joining the pieces of a constructed (BER) one. */
export function octets(value: asn1js.OctetString): Uint8Array {
  return new Uint8Array(value.getValue());
}

/** True for a context-specific `[tagNumber]` element (X.690 §8.1.2.2). */
export function isContextTag(element: asn1js.AsnType, tagNumber: number): boolean {
  return element.idBlock.tagClass === 3 && element.idBlock.tagNumber === tagNumber;
}

/** The children of a constructed element (SEQUENCE, SET, `[n]` constructed). */
export function elements(element: asn1js.AsnType): asn1js.AsnType[] {
  if (!(element instanceof asn1js.Constructed)) throw new Error('expected a constructed element');
  return element.valueBlock.value;
}
