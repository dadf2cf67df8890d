import type { HashAlgorithm } from './algorithms.js';

/**
 * An incremental hash: feed the PDF's byte ranges chunk by chunk, then take the
 * digest once. Both engines (`hash-engine-node`, `hash-engine-portable`)
 * implement it; `#hash-engine` picks one per platform.
 */
export interface HashEngine {
  update(bytes: Uint8Array): void;
  /** Finishes the hash; the engine cannot be used afterwards. */
  digest(): Uint8Array;
}

/** The factory each engine module exports as `createHashEngine`. */
export type CreateHashEngine = (alg: HashAlgorithm) => HashEngine;

/**
 * What each engine module exports as `digestRangesAtOnce`: the digest of the
 * bytes `ranges` ((offset, length) pairs, ISO 32000-2 §12.8.1) cover in the
 * in-memory `bytes`, in one native call, or `undefined` when this platform
 * hashes such input faster by streaming it through {@link HashEngine} (Node),
 * or cannot hash `alg` natively. `alg` is a WebCrypto hash name ('SHA-256'…)
 * or any other digest name, which is declined.
 */
export type DigestRangesAtOnce = (bytes: Uint8Array, ranges: readonly number[], alg: string) => Promise<Uint8Array> | undefined;

/** The options of a node:crypto public-key check (the subset core uses). */
export interface NodeVerifyKey {
  readonly key: unknown;
  readonly padding?: number;
  readonly saltLength?: number;
  readonly dsaEncoding?: 'der' | 'ieee-p1363';
}

/**
 * What each engine module exports as `nodeSignatureCrypto`: node:crypto's one-shot public-key functions where
 * Node is present (OpenSSL, synchronous: a WebCrypto `verify` costs a thread-pool round trip and its promise,
 * several times the check itself when an audit verifies thousands of certificate links), `undefined` in browsers
 * and workers. Only crypto/verify-signature.ts calls it.
 */
export interface NodeSignatureCrypto {
  createPublicKey(input: { key: Uint8Array; format: 'der'; type: 'spki' }): unknown;
  verify(algorithm: string | null, data: Uint8Array, key: NodeVerifyKey, signature: Uint8Array): boolean;
  readonly constants: { readonly RSA_PKCS1_PADDING: number; readonly RSA_PKCS1_PSS_PADDING: number };
}
