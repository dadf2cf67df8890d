/**
 * Base64 without Buffer or atob, so the same code runs in Node and in a worker
 * (prepared signatures are JSON-safe by holding their bytes as base64).
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/**
 * Node's Buffer when the global exists: its native codec is several times
 * faster, and a prepared signature carries the whole update as base64.
 * Browsers and workers use the portable code below.
 */
interface NativeBase64 {
  from(data: ArrayBufferLike, offset: number, length: number): { toString(encoding: 'base64'): string };
  from(text: string, encoding: 'base64'): Uint8Array;
}
const native = (globalThis as { Buffer?: NativeBase64 }).Buffer;
const CANONICAL = /^[A-Za-z0-9+/]*={0,2}$/;

export function toBase64(bytes: Uint8Array): string {
  if (native) return native.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return portableToBase64(bytes);
}

/** @internal The codec without Buffer (browsers, workers). */
export function portableToBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  const chunk: string[] = [];
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    chunk.push(ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!);
    if (chunk.length === 4096) { out += chunk.join(''); chunk.length = 0; }
  }
  out += chunk.join('');
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** Decodes base64; returns null on any character outside the alphabet or a bad length. */
export function fromBase64(text: string): Uint8Array | null {
  // Node's decoder skips characters outside the alphabet: check first, so both paths refuse the same inputs.
  if (native && typeof text === 'string' && CANONICAL.test(text) && text.replace(/=+$/, '').length % 4 !== 1) {
    const decoded = native.from(text, 'base64');
    return new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength).slice();
  }
  return portableFromBase64(text);
}

/** @internal */
export function portableFromBase64(text: string): Uint8Array | null {
  const clean = text.replace(/=+$/, '');
  if (clean.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
