/**
 * OpenSSL's names of the hashes, as node:crypto's `createHash` and `verify`
 * take them: the one table for the Node hash engine (hash-engine-node.ts) and
 * the Node path of the signature check (verify-signature.ts). Plain data with
 * no `node:` import, so that the portable verify-signature.ts can read it in a
 * browser bundle too, where it is simply unused.
 */
import type { HashAlgorithm } from './algorithms.js';

/**
 * The WebCrypto hashes (W3C WebCrypto §30: SHA-1 and the SHA-2 ones kyso signs
 * with) under OpenSSL's names. SHA-1 is here for verification only: legacy
 * certificates and CMS signatures still name it (RFC 3279 §2.2.1); kyso never
 * hashes with it when signing ({@link HashAlgorithm} has no SHA-1).
 */
export const OPENSSL_HASH_NAME: Readonly<Record<HashAlgorithm | 'SHA-1', string>> = Object.freeze({
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
});
