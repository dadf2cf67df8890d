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

/**
 * One row per hash: its digest OID and the signature OIDs that name it
 * (RFC 3279 §2.2, RFC 5754 §2 and §3.2, RFC 5758 §3.2, RFC 8017 App. C,
 * NIST CSOR for SHA3, BSI TR-03111 §5.2.1 for plain ECDSA; MD5 RFC 1321).
 */
interface HashRow {
  readonly hash: DigestName;
  readonly digest: string;
  /** shaXWithRSAEncryption: RSA PKCS#1 v1.5. */
  readonly rsaPkcs1?: string;
  /** ecdsa-with-SHAx: the value is a DER Ecdsa-Sig-Value. */
  readonly ecdsa?: string;
  /** ecdsa-plain-SHAx: the value is r‖s. */
  readonly plainEcdsa?: string;
}

const HASH_ROWS: readonly HashRow[] = [
  { hash: 'MD5', digest: VERIFY_OID.md5, rsaPkcs1: '1.2.840.113549.1.1.4' },
  { hash: 'SHA-1', digest: VERIFY_OID.sha1, rsaPkcs1: VERIFY_OID.sha1WithRSAEncryption, ecdsa: VERIFY_OID.ecdsaWithSHA1, plainEcdsa: '0.4.0.127.0.7.1.1.4.1.1' },
  { hash: 'SHA-224', digest: '2.16.840.1.101.3.4.2.4', rsaPkcs1: '1.2.840.113549.1.1.14', ecdsa: '1.2.840.10045.4.3.1', plainEcdsa: '0.4.0.127.0.7.1.1.4.1.2' },
  { hash: 'SHA-256', digest: OID.sha256, rsaPkcs1: OID.sha256WithRSAEncryption, ecdsa: OID.ecdsaWithSHA256, plainEcdsa: '0.4.0.127.0.7.1.1.4.1.3' },
  { hash: 'SHA-384', digest: OID.sha384, rsaPkcs1: OID.sha384WithRSAEncryption, ecdsa: OID.ecdsaWithSHA384, plainEcdsa: '0.4.0.127.0.7.1.1.4.1.4' },
  { hash: 'SHA-512', digest: OID.sha512, rsaPkcs1: OID.sha512WithRSAEncryption, ecdsa: OID.ecdsaWithSHA512, plainEcdsa: '0.4.0.127.0.7.1.1.4.1.5' },
  { hash: 'SHA3-224', digest: '2.16.840.1.101.3.4.2.7', rsaPkcs1: '2.16.840.1.101.3.4.3.13', ecdsa: '2.16.840.1.101.3.4.3.9' },
  { hash: 'SHA3-256', digest: '2.16.840.1.101.3.4.2.8', rsaPkcs1: '2.16.840.1.101.3.4.3.14', ecdsa: '2.16.840.1.101.3.4.3.10' },
  { hash: 'SHA3-384', digest: '2.16.840.1.101.3.4.2.9', rsaPkcs1: '2.16.840.1.101.3.4.3.15', ecdsa: '2.16.840.1.101.3.4.3.11' },
  { hash: 'SHA3-512', digest: '2.16.840.1.101.3.4.2.10', rsaPkcs1: '2.16.840.1.101.3.4.3.16', ecdsa: '2.16.840.1.101.3.4.3.12' },
];

/** An OID → hash index over one column of {@link HASH_ROWS}. */
function indexBy(column: Exclude<keyof HashRow, 'hash'>): Readonly<Record<string, DigestName>> {
  // No prototype: an OID string can never reach an inherited property.
  const index: Record<string, DigestName> = Object.create(null) as Record<string, DigestName>;
  for (const row of HASH_ROWS) if (row[column]) index[row[column]] = row.hash;
  return Object.freeze(index);
}

/** Digest OIDs. */
export const DIGEST_BY_OID = indexBy('digest');
/** RSA PKCS#1 v1.5 signature OIDs and their hash. */
export const RSA_PKCS1_BY_OID = indexBy('rsaPkcs1');
/** ECDSA signature OIDs (X9.62 DER value) and their hash. */
export const ECDSA_BY_OID = indexBy('ecdsa');
/** BSI TR-03111 ecdsa-plain-SHA*: the value is r‖s, not DER. */
export const PLAIN_ECDSA_BY_OID = indexBy('plainEcdsa');

/** The digest OID of a hash name, for writers of CertIDs and similar (the reverse of {@link DIGEST_BY_OID}). */
export function digestOid(name: DigestName): string {
  return HASH_ROWS.find((row) => row.hash === name)!.digest;
}

/** Hashes WebCrypto `verify` accepts (W3C WebCrypto §30); the others can be digested but not verified here. */
export const WEBCRYPTO_HASHES: readonly DigestName[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];

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
