import {
  HASH_ALGORITHMS, HASH_LENGTH, OID, kysoError,
  type AdapterCapabilities, type SignatureAlgorithm,
} from '@kyso/core';
import type { ImportAlgorithm, SignAlgorithm } from './web-crypto.js';

/** The named curves WebCrypto signs with (FIPS 186-4 App. D; RFC 5480 §2.1.1.1 OIDs). */
export type NamedCurve = 'P-256' | 'P-384' | 'P-521';

/** What kind of key a software adapter holds; decides schemes and WebCrypto parameters. */
export type KeyProfile =
  | { readonly kind: 'RSA' }
  | { readonly kind: 'EC'; readonly curve: NamedCurve };

const CURVE_BY_OID: Readonly<Record<string, NamedCurve>> = {
  [OID.secp256r1]: 'P-256',
  [OID.secp384r1]: 'P-384',
  [OID.secp521r1]: 'P-521',
};

/**
 * The profile for an `AlgorithmIdentifier` of a SubjectPublicKeyInfo or
 * PrivateKeyInfo (RFC 5280 §4.1.2.7, RFC 5958 §2): rsaEncryption (RFC 8017
 * App. C) or id-ecPublicKey with a namedCurve parameter (RFC 5480 §2.1.1).
 * Anything else → `ERR_SIG_ALGORITHM_UNSUPPORTED`.
 */
export function profileFromAlgorithm(algorithmId: string, namedCurveOid: string | undefined): KeyProfile {
  if (algorithmId === OID.rsaEncryption) return { kind: 'RSA' };
  if (algorithmId === OID.ecPublicKey) {
    const curve = namedCurveOid ? CURVE_BY_OID[namedCurveOid] : undefined;
    if (!curve) {
      throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `elliptic curve ${namedCurveOid ?? '(explicit parameters)'} is not supported; use P-256, P-384 or P-521`);
    }
    return { kind: 'EC', curve };
  }
  throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `key algorithm ${algorithmId} is not supported; use RSA or ECDSA`);
}

/** Everything WebCrypto can do with a key of this profile. */
export function capabilitiesOf(profile: KeyProfile): AdapterCapabilities {
  return profile.kind === 'RSA'
    ? { schemes: ['RSASSA-PKCS1-v1_5', 'RSA-PSS'], hashes: HASH_ALGORITHMS }
    : { schemes: ['ECDSA'], hashes: HASH_ALGORITHMS };
}

/** Every algorithm in `caps`, scheme-major: what an eager import must cover. */
export function algorithmsOf(caps: AdapterCapabilities): SignatureAlgorithm[] {
  return caps.schemes.flatMap((scheme) => caps.hashes.map((hash) => ({ scheme, hash })));
}

/**
 * `importKey` parameters. RSA binds the hash at import time (WebCrypto
 * RsaHashedImportParams), so an RSA key needs one CryptoKey per scheme and
 * hash; ECDSA takes the hash at sign time.
 */
export function importParams(profile: KeyProfile, algorithm: SignatureAlgorithm): ImportAlgorithm {
  if (profile.kind === 'EC') return { name: 'ECDSA', namedCurve: profile.curve };
  return { name: algorithm.scheme, hash: algorithm.hash };
}

/** `sign`/`verify` parameters. RSA-PSS salt = hash length (RFC 8017 §9.1 note 4; ETSI TS 119 312 §6.2.2). */
export function signParams(algorithm: SignatureAlgorithm): SignAlgorithm {
  switch (algorithm.scheme) {
    case 'RSA-PSS':
      return { name: 'RSA-PSS', saltLength: HASH_LENGTH[algorithm.hash] };
    case 'ECDSA':
      return { name: 'ECDSA', hash: algorithm.hash };
    default:
      return { name: 'RSASSA-PKCS1-v1_5' };
  }
}

/** The key name used as a map key and in messages, e.g. `RSA-PSS/SHA-384`. */
export function algorithmKey(algorithm: SignatureAlgorithm): string {
  return `${algorithm.scheme}/${algorithm.hash}`;
}
