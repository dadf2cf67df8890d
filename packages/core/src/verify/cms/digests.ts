/**
 * Every digest a verifier meets in signed PDFs, not only the three kyso signs
 * with: old files use SHA-1 (and rarely MD5), some SHA-224 or SHA3
 * (FIPS 202). Digests of the signed byte ranges stream through `#hash-engine`
 * for the SHA-2 family kyso signs with (native in Node), and through
 * @noble/hashes for the rest.
 */
import { sha1, md5 } from '@noble/hashes/legacy.js';
import { sha224 } from '@noble/hashes/sha2.js';
import { sha3_224, sha3_256, sha3_384, sha3_512 } from '@noble/hashes/sha3.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { createHashEngine } from '#hash-engine';
import { HASH_LENGTH, type HashAlgorithm } from '../../crypto/algorithms.js';
import { DIGEST_BY_OID, WEBCRYPTO_HASHES, type DigestName } from '../../crypto/algorithm-table.js';
import type { HashEngine } from '../../crypto/hash-engine-types.js';

/** A digest algorithm a verifier can compute (the SHA-2 ones kyso signs with, plus legacy and SHA3). */
export type DigestAlgorithm = DigestName;

/** Digest OIDs, from the one algorithm table (crypto/algorithm-table.ts). */
export const DIGEST_OIDS: Readonly<Record<string, DigestAlgorithm>> = DIGEST_BY_OID;

const NOBLE = {
  'SHA-1': sha1,
  'SHA-224': sha224,
  'SHA-256': sha256,
  'SHA-384': sha384,
  'SHA-512': sha512,
  'SHA3-224': sha3_224,
  'SHA3-256': sha3_256,
  'SHA3-384': sha3_384,
  'SHA3-512': sha3_512,
  MD5: md5,
} as const;

export { WEBCRYPTO_HASHES };

export function isDigestAlgorithm(value: unknown): value is DigestAlgorithm {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(NOBLE, value);
}

/** An incremental digest of any {@link DigestAlgorithm}. */
export function createDigest(alg: DigestAlgorithm): HashEngine {
  if (alg in HASH_LENGTH) return createHashEngine(alg as HashAlgorithm);
  const h = NOBLE[alg].create();
  return {
    update(bytes) {
      h.update(bytes);
    },
    digest() {
      return h.digest();
    },
  };
}

/**
 * One-shot digest of small inputs (signed attributes, certificates, a signature value): through
 * `#hash-engine` for the SHA-2 hashes it has (native in Node, where @noble/hashes' JavaScript took longer
 * for a certificate than the rest of the ESS check), @noble/hashes otherwise.
 */
export function digestBytes(alg: DigestAlgorithm, bytes: Uint8Array): Uint8Array {
  if (!(alg in HASH_LENGTH)) return NOBLE[alg](bytes);
  const engine = createHashEngine(alg as HashAlgorithm);
  engine.update(bytes);
  return engine.digest();
}
