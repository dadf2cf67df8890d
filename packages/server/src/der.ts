/** The few DER reading and writing steps the shared revocation cache needs (X.690 §8.1: tag, length, content). */

/** One TLV: its tag, where its content starts and ends, and where the whole TLV starts. */
export interface Tlv {
  readonly tag: number;
  readonly at: number;
  readonly start: number;
  readonly end: number;
}

/** Reads one DER TLV at `at` (single-byte tags, definite lengths up to 4 bytes), or null when it does not fit. */
export function tlv(der: Uint8Array, at: number): Tlv | null {
  if (at + 2 > der.length) return null;
  const tag = der[at]!;
  let len = der[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > der.length) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  return start + len > der.length ? null : { tag, at, start, end: start + len };
}

/** The TLVs inside a constructed value, in order, or null when they do not tile its content exactly. */
export function children(der: Uint8Array, parent: Tlv): Tlv[] | null {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const t = tlv(der, at);
    if (!t || t.end > parent.end) return null;
    out.push(t);
    at = t.end;
  }
  return out;
}

/** Encodes one TLV with a DER (shortest) length (X.690 §10.1). */
export function encodeTlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(1 + len.length + n);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
  return out;
}

/** Concatenates byte strings. */
export function join(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A UTCTime (0x17) or GeneralizedTime (0x18) value, whole seconds in UTC as RFC 5280 §4.1.2.5 requires. */
export function timeOf(der: Uint8Array, t: Tlv): Date | null {
  const s = new TextDecoder().decode(der.subarray(t.start, t.end));
  const m = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(s);
  if (!m) return null;
  // RFC 5280 §4.1.2.5.1: two-digit years 50–99 are 19xx, 00–49 are 20xx.
  const year = t.tag === 0x17 ? (Number(m[1]) >= 50 ? 1900 : 2000) + Number(m[1]) : Number(m[1]);
  const d = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  return Number.isNaN(d.getTime()) ? null : d;
}
