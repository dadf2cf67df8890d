/**
 * A minimal DER writer (ITU-T X.690 §10). kyso writes its own CMS pieces so
 * that the bytes it signs are the bytes it embeds: re-encoding through a
 * generic ASN.1 library could change them (RFC 5652 §5.4). Parsing still goes
 * through asn1js / pkijs.
 * @internal
 */
import { concatBytes } from '../util/bytes.js';

/** Universal tags used by the CMS writers (X.690 §8). */
export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Definite-length encoding, shortest form (X.690 §10.1). */
export function derLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One TLV with a single-byte tag and the given contents. */
export function tlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes(contents);
  return concatBytes([Uint8Array.of(tag), derLength(body.length), body]);
}

export const sequence = (...items: readonly Uint8Array[]): Uint8Array => tlv(TAG.sequence, ...items);

/**
 * A DER `SET OF`: the element encodings sorted as octet strings
 * (X.690 §11.6). Shorter encodings compare as if padded with zero octets.
 */
export function setOf(items: readonly Uint8Array[], tag: number = TAG.set): Uint8Array {
  return tlv(tag, ...sortDer(items));
}

/** Sorts encodings in DER `SET OF` order (X.690 §11.6). */
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

/** `[n] EXPLICIT` (context-specific, constructed). */
export const explicit = (n: number, ...contents: readonly Uint8Array[]): Uint8Array => tlv(0xa0 | n, ...contents);

export const octetString = (bytes: Uint8Array): Uint8Array => tlv(TAG.octetString, bytes);
export const derNull = (): Uint8Array => Uint8Array.of(TAG.null, 0);
export const derBoolean = (value: boolean): Uint8Array => Uint8Array.of(TAG.boolean, 1, value ? 0xff : 0);

/** An INTEGER from a small non-negative number. */
export function integer(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`integer: ${value}`);
  const bytes: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return unsignedInteger(Uint8Array.from(bytes));
}

/**
 * An INTEGER from unsigned big-endian magnitude bytes: leading zeros removed,
 * one zero added when the top bit is set, so the encoding is minimal and
 * positive (X.690 §8.3.2).
 */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  let body = magnitude.subarray(start);
  if (body.length === 0) body = Uint8Array.of(0);
  if (body[0]! & 0x80) body = concatBytes([Uint8Array.of(0), body]);
  return tlv(TAG.integer, body);
}

/** An OBJECT IDENTIFIER from dotted text (X.690 §8.19). */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((part) => {
    if (!/^\d+$/.test(part)) throw new RangeError(`oid: ${dotted}`);
    return BigInt(part);
  });
  if (arcs.length < 2) throw new RangeError(`oid: ${dotted}`);
  const out: number[] = [];
  const push = (arc: bigint): void => {
    const group: number[] = [Number(arc & 0x7fn)];
    for (let n = arc >> 7n; n > 0n; n >>= 7n) group.unshift(Number(n & 0x7fn) | 0x80);
    out.push(...group);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const arc of arcs.slice(2)) push(arc);
  return tlv(TAG.oid, Uint8Array.from(out));
}

/**
 * UTCTime for years 1950–2049, GeneralizedTime otherwise, both in UTC with
 * whole seconds (RFC 5652 §11.3, RFC 5280 §4.1.2.5).
 */
export function derTime(date: Date): Uint8Array {
  const y = date.getUTCFullYear();
  const p = (n: number): string => String(n).padStart(2, '0');
  const rest = `${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
  const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
  if (y >= 1950 && y < 2050) return tlv(TAG.utcTime, ascii(`${p(y % 100)}${rest}`));
  return tlv(TAG.generalizedTime, ascii(`${String(y).padStart(4, '0')}${rest}`));
}
