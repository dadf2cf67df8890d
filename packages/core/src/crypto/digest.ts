/** One-shot hashing through WebCrypto (available in Node ≥ 19 and in workers). */
import { kysoError } from '../errors/index.js';
import { HASH_LENGTH, type HashAlgorithm } from './algorithms.js';

/** WebCrypto's SubtleCrypto; core compiles without the DOM lib, so the type is taken from the global. */
export type Subtle = (typeof globalThis.crypto)['subtle'];

/** The WebCrypto `SubtleCrypto`, or ERR_SIG_ALGORITHM_UNSUPPORTED when the platform lacks it. */
export function subtle(): Subtle {
  const s = globalThis.crypto?.subtle;
  if (!s) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', 'WebCrypto (crypto.subtle) is not available');
  return s;
}

/**
 * Hashes `bytes` in one call.
 * @throws ERR_SIG_ALGORITHM_UNSUPPORTED for a hash kyso does not support.
 */
export async function digest(alg: HashAlgorithm, bytes: Uint8Array): Promise<Uint8Array> {
  if (!(alg in HASH_LENGTH)) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `hash ${String(alg)}`);
  return new Uint8Array(await subtle().digest(alg, toArrayBufferView(bytes)));
}

/**
 * WebCrypto's types want `ArrayBuffer`-backed views (not `SharedArrayBuffer`);
 * copy only when the input is not already one.
 * @internal
 */
export function toArrayBufferView(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
