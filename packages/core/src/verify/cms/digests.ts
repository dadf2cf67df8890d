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
import type { HashEngine } from '../../crypto/hash-engine-types.js';

/** A digest algorithm a verifier can compute (the SHA-2 ones kyso signs with, plus legacy and SHA3). */
export type DigestAlgorithm = HashAlgorithm | 'SHA-1' | 'SHA-224' | 'SHA3-224' | 'SHA3-256' | 'SHA3-384' | 'SHA3-512' | 'MD5';

/** Digest OIDs (RFC 3279 §2.2.1, RFC 5754 §2, NIST CSOR for SHA3, RFC 1321). */
export const DIGEST_OIDS: Readonly<Record<string, DigestAlgorithm>> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
  '2.16.840.1.101.3.4.2.7': 'SHA3-224',
  '2.16.840.1.101.3.4.2.8': 'SHA3-256',
  '2.16.840.1.101.3.4.2.9': 'SHA3-384',
  '2.16.840.1.101.3.4.2.10': 'SHA3-512',
  '1.2.840.113549.2.5': 'MD5',
};

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

/** Hashes WebCrypto `verify` accepts (W3C WebCrypto §30); the others can be digested but not verified here. */
export const WEBCRYPTO_HASHES: readonly DigestAlgorithm[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];

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

/** One-shot digest of small inputs (signed attributes, certificates, a signature value). */
export function digestBytes(alg: DigestAlgorithm, bytes: Uint8Array): Uint8Array {
  return NOBLE[alg](bytes);
}
