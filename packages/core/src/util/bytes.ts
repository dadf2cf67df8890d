const encoder = new TextEncoder();

/** ASCII/PDF-syntax text to bytes (callers only pass 7-bit text). */
export function ascii(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Bytes to a string of one char per byte, char code = byte (ISO/IEC 8859-1): PDF syntax is byte-oriented
 * (ISO 32000-2 §7.2), and keys of caches built from DER must be the bytes themselves.
 *
 * The one latin1 decoder of core. Not `new TextDecoder('latin1')` alone: the WHATWG Encoding Standard makes that
 * label windows-1252, so browsers turn 0x80–0x9F into other characters (0x80 → U+20AC) while Node keeps
 * U+0080–U+009F: one input, two strings, depending on where core runs. The native decoder is used only where a
 * probe shows it exact.
 */
export function bytesToLatin1(bytes: Uint8Array): string {
  if (EXACT_NATIVE_LATIN1) return EXACT_NATIVE_LATIN1.decode(bytes);
  let out = '';
  // Chunks keep the argument list of String.fromCharCode under engines' limits.
  for (let i = 0; i < bytes.length; i += LATIN1_CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + LATIN1_CHUNK) as unknown as number[]);
  }
  return out;
}

const LATIN1_CHUNK = 8192;

/**
 * The runtime's own decoder where it is byte-exact (Node's is: ISO-8859-1 underneath, and native, which matters for
 * the cache keys made from DER on every lookup), probed once on all 256 byte values; null in browsers, where the
 * label means windows-1252.
 */
const EXACT_NATIVE_LATIN1: { decode(bytes: Uint8Array): string } | null = (() => {
  try {
    const decoder = new TextDecoder('latin1');
    const text = decoder.decode(Uint8Array.from({ length: 256 }, (_, i) => i));
    for (let i = 0; i < 256; i++) if (text.charCodeAt(i) !== i) return null;
    return decoder;
  } catch {
    return null;
  }
})();

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lowercase hex; a `/Contents` of 16 KB is written on every signature, so by table and in slices. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    const end = Math.min(bytes.length, i + 4096);
    const part = new Array<string>(end - i);
    for (let j = i; j < end; j++) part[j - i] = HEX_PAIRS[bytes[j]!]!;
    out += part.join('');
  }
  return out;
}

const HEX_UPPER = new TextEncoder().encode('0123456789ABCDEF');

/** Writes `bytes` as uppercase hex ASCII into `target` at `at` (two octets per byte), without a string in between. */
export function writeHexInto(bytes: Uint8Array, target: Uint8Array, at: number): void {
  if (at < 0 || at + bytes.length * 2 > target.length) throw new RangeError('hex does not fit the target');
  for (let i = 0, o = at; i < bytes.length; i++, o += 2) {
    const b = bytes[i]!;
    target[o] = HEX_UPPER[b >> 4]!;
    target[o + 1] = HEX_UPPER[b & 15]!;
  }
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Finds `needle` in `hay` from `from`, or -1. */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  const end = hay.length - needle.length;
  outer: for (let i = hay.indexOf(first!, from); i !== -1 && i <= end; i = hay.indexOf(first!, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Finds the last `needle` in `hay` at or before `before`, or -1. */
export function lastIndexOfBytes(hay: Uint8Array, needle: Uint8Array, before = hay.length - needle.length): number {
  for (let i = Math.min(before, hay.length - needle.length); i >= 0; i--) {
    let j = 0;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
