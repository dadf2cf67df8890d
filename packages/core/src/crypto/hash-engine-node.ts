/**
 * Node's native streaming hash (OpenSSL underneath): several times faster than
 * pure JS on large PDFs. Selected by the `node` condition of `#hash-engine`;
 * the only core module allowed to import `node:*`.
 */
import * as nodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { kysoError } from '../errors/index.js';
import { HASH_ALGORITHMS, type HashAlgorithm } from './algorithms.js';
import type { DigestRangesAtOnce, HashEngine, NodeSignatureCrypto } from './hash-engine-types.js';
import { OPENSSL_HASH_NAME } from './openssl-hash-names.js';

export type { HashEngine } from './hash-engine-types.js';

/**
 * Starts an incremental hash.
 * @throws ERR_SIG_ALGORITHM_UNSUPPORTED for a hash kyso does not support.
 */
export function createHashEngine(alg: HashAlgorithm): HashEngine {
  // Only the signing hashes: SHA-1 is in the table for verification, never streamed here.
  const name = HASH_ALGORITHMS.includes(alg) ? OPENSSL_HASH_NAME[alg] : undefined;
  if (!name) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `hash ${String(alg)}`);
  const hash = createHash(name);
  return {
    update(bytes) {
      hash.update(bytes);
    },
    digest() {
      const out = hash.digest();
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    },
  };
}

/**
 * Always declines: Node's streaming hash is already native and runs over the
 * ranges where they lie, so a one-shot digest would only add WebCrypto's copy
 * of the input (and a thread hop).
 */
export const digestRangesAtOnce: DigestRangesAtOnce = () => undefined;

/** node:crypto's public-key check, for crypto/verify-signature.ts (see {@link NodeSignatureCrypto}). */
export const nodeSignatureCrypto: NodeSignatureCrypto | undefined = nodeCrypto as unknown as NodeSignatureCrypto;
