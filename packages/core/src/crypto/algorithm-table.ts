/**
 * The one table of algorithm object identifiers a verifier reads: digests,
 * signature algorithms and named curves, as met in signed PDFs, certificates,
 * CRLs and OCSP responses — not only the ones kyso writes (those are
 * {@link OID} in algorithms.ts, from which the shared entries are taken).
 * Everything that maps an OID to a hash, a scheme or a curve reads it here.
 */
import { OID } from './algorithms.js';

/** A digest a verifier can meet: the SHA-2 ones kyso signs with, plus legacy and SHA3 (FIPS 202). */
export type DigestName = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHA3-224' | 'SHA3-256' | 'SHA3-384' | 'SHA3-512' | 'MD5';

/** OIDs that are not in {@link OID} because kyso never writes them. */
export const VERIFY_OID = {
  // RFC 3279 §2.2.1
  sha1: '1.3.14.3.2.26',
  md5: '1.2.840.113549.2.5',
  sha1WithRSAEncryption: '1.2.840.113549.1.1.5',
  ecdsaWithSHA1: '1.2.840.10045.4.1',
  // RFC 8410 §3
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
} as const;

/** Digest OIDs (RFC 3279 §2.2.1, RFC 5754 §2, NIST CSOR for SHA3, RFC 1321). */
export const DIGEST_BY_OID: Readonly<Record<string, DigestName>> = {
  [VERIFY_OID.sha1]: 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
  '2.16.840.1.101.3.4.2.7': 'SHA3-224',
  '2.16.840.1.101.3.4.2.8': 'SHA3-256',
  '2.16.840.1.101.3.4.2.9': 'SHA3-384',
  '2.16.840.1.101.3.4.2.10': 'SHA3-512',
  [VERIFY_OID.md5]: 'MD5',
};

/** The digest OID of a hash name, for writers of CertIDs and similar (the reverse of {@link DIGEST_BY_OID}). */
export function digestOid(name: DigestName): string {
  for (const [oid, n] of Object.entries(DIGEST_BY_OID)) if (n === name) return oid;
  /* c8 ignore next */
  throw new Error(`no OID for ${name}`);
}

/** Hashes WebCrypto `verify` accepts (W3C WebCrypto §30); the others can be digested but not verified here. */
export const WEBCRYPTO_HASHES: readonly DigestName[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];

/** RSA PKCS#1 v1.5 signature OIDs and their hash (RFC 8017 App. C, RFC 5754 §3.2, NIST CSOR). */
export const RSA_PKCS1_BY_OID: Readonly<Record<string, DigestName>> = {
  '1.2.840.113549.1.1.4': 'MD5',
  [VERIFY_OID.sha1WithRSAEncryption]: 'SHA-1',
  '1.2.840.113549.1.1.14': 'SHA-224',
  [OID.sha256WithRSAEncryption]: 'SHA-256',
  [OID.sha384WithRSAEncryption]: 'SHA-384',
  [OID.sha512WithRSAEncryption]: 'SHA-512',
  '2.16.840.1.101.3.4.3.13': 'SHA3-224',
  '2.16.840.1.101.3.4.3.14': 'SHA3-256',
  '2.16.840.1.101.3.4.3.15': 'SHA3-384',
  '2.16.840.1.101.3.4.3.16': 'SHA3-512',
};

/** ECDSA signature OIDs (X9.62 DER value) and their hash (RFC 3279 §2.2.3, RFC 5758 §3.2, NIST CSOR). */
export const ECDSA_BY_OID: Readonly<Record<string, DigestName>> = {
  [VERIFY_OID.ecdsaWithSHA1]: 'SHA-1',
  '1.2.840.10045.4.3.1': 'SHA-224',
  [OID.ecdsaWithSHA256]: 'SHA-256',
  [OID.ecdsaWithSHA384]: 'SHA-384',
  [OID.ecdsaWithSHA512]: 'SHA-512',
  '2.16.840.1.101.3.4.3.9': 'SHA3-224',
  '2.16.840.1.101.3.4.3.10': 'SHA3-256',
  '2.16.840.1.101.3.4.3.11': 'SHA3-384',
  '2.16.840.1.101.3.4.3.12': 'SHA3-512',
};

/** BSI TR-03111 §5.2.1 ecdsa-plain-SHA*: the value is r‖s, not DER. */
export const PLAIN_ECDSA_BY_OID: Readonly<Record<string, DigestName>> = {
  '0.4.0.127.0.7.1.1.4.1.1': 'SHA-1',
  '0.4.0.127.0.7.1.1.4.1.2': 'SHA-224',
  '0.4.0.127.0.7.1.1.4.1.3': 'SHA-256',
  '0.4.0.127.0.7.1.1.4.1.4': 'SHA-384',
  '0.4.0.127.0.7.1.1.4.1.5': 'SHA-512',
};

/** EdDSA (RFC 8410 §3): the key OID is also the signature OID; no separate hash. */
export const EDDSA_BY_OID: Readonly<Record<string, 'Ed25519' | 'Ed448'>> = {
  [VERIFY_OID.ed25519]: 'Ed25519',
  [VERIFY_OID.ed448]: 'Ed448',
};

/** Signature schemes that are named in the field but that kyso does not verify (DSA: RFC 3279 §2.2.2, RFC 5758 §3.1). */
export const OTHER_SCHEME_BY_OID: Readonly<Record<string, string>> = {
  [VERIFY_OID.ed25519]: 'Ed25519',
  [VERIFY_OID.ed448]: 'Ed448',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.10040.4.3': 'DSA',
  '2.16.840.1.101.3.4.3.1': 'DSA',
  '2.16.840.1.101.3.4.3.2': 'DSA',
};

/** A named curve WebCrypto imports (RFC 5480 §2.1.1.1). */
export interface CurveEntry {
  readonly name: 'P-256' | 'P-384' | 'P-521';
  readonly bits: number;
  /** Bytes of one coordinate, and of r and s. */
  readonly bytes: number;
}

/** Named curves by OID (RFC 5480 §2.1.1.1). */
export const CURVE_BY_OID: Readonly<Record<string, CurveEntry>> = {
  [OID.secp256r1]: { name: 'P-256', bits: 256, bytes: 32 },
  [OID.secp384r1]: { name: 'P-384', bits: 384, bytes: 48 },
  [OID.secp521r1]: { name: 'P-521', bits: 521, bytes: 66 },
};

/**
 * The digest named by a DigestAlgorithmIdentifier OID, also tolerating a
 * signature OID there, as some CMS writers put.
 */
export function digestFromOid(oid: string): DigestName | null {
  return DIGEST_BY_OID[oid] ?? RSA_PKCS1_BY_OID[oid] ?? ECDSA_BY_OID[oid] ?? PLAIN_ECDSA_BY_OID[oid] ?? null;
}
