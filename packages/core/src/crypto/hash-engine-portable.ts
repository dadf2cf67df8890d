/**
 * Pure-JS streaming hash for browsers and Web Workers. WebCrypto's `digest`
 * is one-shot only, so hashing a large PDF piecewise needs an incremental
 * implementation (FIPS 180-4, via @noble/hashes).
 */
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { kysoError } from '../errors/index.js';
import type { HashAlgorithm } from './algorithms.js';
import type { HashEngine } from './hash-engine-types.js';

export type { HashEngine } from './hash-engine-types.js';

const NOBLE = { 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const;

/**
 * Starts an incremental hash.
 * @throws ERR_SIG_ALGORITHM_UNSUPPORTED for a hash kyso does not support.
 */
export function createHashEngine(alg: HashAlgorithm): HashEngine {
  const fn = NOBLE[alg];
  if (!fn) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `hash ${String(alg)}`);
  const hash = fn.create();
  return {
    update(bytes) {
      hash.update(bytes);
    },
    digest() {
      return hash.digest();
    },
  };
}
