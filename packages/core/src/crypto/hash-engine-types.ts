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
