/**
 * Byte helpers shared by the software adapters. WebCrypto (TS ≥ 5.7 lib)
 * wants `Uint8Array<ArrayBuffer>`, not views that may sit on a
 * SharedArrayBuffer, so inputs are copied into fresh buffers before use.
 */

/** A copy of `bytes` on its own ArrayBuffer, as WebCrypto and pkijs expect. */
export function copyBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.byteLength);
  out.set(bytes);
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * Overwrites secret bytes. Best effort only: the JavaScript engine may have
 * copied them (GC moves, string conversions), so this narrows the window in
 * which a key sits in memory but cannot promise it is gone (see SECURITY.md).
 */
export function wipe(...buffers: readonly (Uint8Array | ArrayBuffer | undefined)[]): void {
  for (const b of buffers) {
    if (!b) continue;
    (b instanceof Uint8Array ? b : new Uint8Array(b)).fill(0);
  }
}

/** The WebCrypto implementation of this realm (browser, worker or Node ≥ 20). */
export function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto (globalThis.crypto.subtle) is not available; a secure context is required');
  return s;
}
