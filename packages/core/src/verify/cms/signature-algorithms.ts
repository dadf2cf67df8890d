/**
 * Reading a SignerInfo's algorithms back to something WebCrypto can check, for
 * every combination met in signed PDFs — not only the ones kyso writes:
 * RSA PKCS#1 v1.5 under rsaEncryption or shaXWithRSAEncryption (RFC 3370 §3.2,
 * RFC 5754 §3.2), RSASSA-PSS with the parameters the SignerInfo carries
 * (RFC 4055 §3.1), ECDSA in X9.62 DER (RFC 5758 §3.2) or BSI TR-03111 plain
 * r‖s form, and SHA3 (NIST CSOR) or Ed25519 (RFC 8419), which are named but
 * cannot be verified with WebCrypto here.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { PublicKeyInfo } from '../../crypto/certificate-info.js';
import { DIGEST_OIDS, WEBCRYPTO_HASHES, type DigestAlgorithm } from './digests.js';

const RSA_PKCS1: Readonly<Record<string, DigestAlgorithm>> = {
  '1.2.840.113549.1.1.4': 'MD5',
  '1.2.840.113549.1.1.5': 'SHA-1',
  '1.2.840.113549.1.1.14': 'SHA-224',
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
  '2.16.840.1.101.3.4.3.13': 'SHA3-224',
  '2.16.840.1.101.3.4.3.14': 'SHA3-256',
  '2.16.840.1.101.3.4.3.15': 'SHA3-384',
  '2.16.840.1.101.3.4.3.16': 'SHA3-512',
};

const ECDSA: Readonly<Record<string, DigestAlgorithm>> = {
  '1.2.840.10045.4.1': 'SHA-1',
  '1.2.840.10045.4.3.1': 'SHA-224',
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
  '2.16.840.1.101.3.4.3.9': 'SHA3-224',
  '2.16.840.1.101.3.4.3.10': 'SHA3-256',
  '2.16.840.1.101.3.4.3.11': 'SHA3-384',
  '2.16.840.1.101.3.4.3.12': 'SHA3-512',
};

/** BSI TR-03111 §5.2.1 ecdsa-plain-SHA*: the value is r‖s, not DER. */
const PLAIN_ECDSA: Readonly<Record<string, DigestAlgorithm>> = {
  '0.4.0.127.0.7.1.1.4.1.1': 'SHA-1',
  '0.4.0.127.0.7.1.1.4.1.2': 'SHA-224',
  '0.4.0.127.0.7.1.1.4.1.3': 'SHA-256',
  '0.4.0.127.0.7.1.1.4.1.4': 'SHA-384',
  '0.4.0.127.0.7.1.1.4.1.5': 'SHA-512',
};

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OTHER_SCHEMES: Readonly<Record<string, string>> = {
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.10040.4.3': 'DSA',
  '2.16.840.1.101.3.4.3.1': 'DSA',
  '2.16.840.1.101.3.4.3.2': 'DSA',
};

/** What the SignerInfo's algorithm identifiers say, resolved against the signer's key. */
export interface ResolvedAlgorithm {
  readonly scheme: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA' | string;
  /** The hash the signature is computed with; a dotted OID when unknown. */
  readonly hash: DigestAlgorithm | string | null;
  /** RSA-PSS salt length in bytes. */
  readonly saltLength?: number;
  /** ECDSA value in plain r‖s form (BSI TR-03111) rather than DER. */
  readonly plain?: boolean;
  /** Why WebCrypto cannot check it, or null when it can. */
  readonly unsupported: string | null;
  /** A remark for the report, e.g. an OID that does not match the key. */
  readonly note: string | null;
}

/** The digest named by a DigestAlgorithmIdentifier (also tolerating a signature OID there, as some writers put). */
export function digestFromOid(oid: string): DigestAlgorithm | null {
  return DIGEST_OIDS[oid] ?? RSA_PKCS1[oid] ?? ECDSA[oid] ?? PLAIN_ECDSA[oid] ?? null;
}

/**
 * Resolves the signature algorithm. The key decides between RSA and EC when
 * the OID disagrees with it (a known encoder bug writes rsaEncryption for EC
 * keys; verifiers such as pdfsig and pyHanko follow the key).
 */
export function resolveAlgorithm(digestOid: string, sigId: pkijs.AlgorithmIdentifier, key: PublicKeyInfo | null): ResolvedAlgorithm {
  const oid = sigId.algorithmId;
  const digest: DigestAlgorithm | string = digestFromOid(digestOid) ?? digestOid;
  let scheme: string;
  let hash: DigestAlgorithm | string | null;
  let saltLength: number | undefined;
  let plain = false;
  let note: string | null = null;
  let unsupported: string | null = null;

  if (oid === RSA_ENCRYPTION || RSA_PKCS1[oid]) {
    scheme = 'RSASSA-PKCS1-v1_5';
    hash = RSA_PKCS1[oid] ?? digest;
  } else if (oid === RSASSA_PSS) {
    scheme = 'RSA-PSS';
    const pss = readPss(sigId);
    if (typeof pss === 'string') return { scheme, hash: null, unsupported: pss, note };
    hash = pss.hash;
    saltLength = pss.saltLength;
  } else if (oid === EC_PUBLIC_KEY || ECDSA[oid]) {
    scheme = 'ECDSA';
    hash = ECDSA[oid] ?? digest;
  } else if (PLAIN_ECDSA[oid]) {
    scheme = 'ECDSA';
    hash = PLAIN_ECDSA[oid]!;
    plain = true;
  } else {
    return { scheme: OTHER_SCHEMES[oid] ?? oid, hash: digest, unsupported: `signature algorithm ${OTHER_SCHEMES[oid] ?? oid} is not supported`, note };
  }

  if (key) {
    if (scheme !== 'ECDSA' && key.keyAlgorithm === 'EC') {
      note = `the signature algorithm ${oid} names RSA but the signer key is EC: verified as ECDSA`;
      scheme = 'ECDSA';
    } else if (scheme === 'ECDSA' && key.keyAlgorithm === 'RSA') {
      unsupported = `the signature algorithm ${oid} names ECDSA but the signer key is RSA`;
    }
  }
  if (!unsupported && !(WEBCRYPTO_HASHES as readonly string[]).includes(String(hash))) {
    unsupported = `${String(hash)} signatures cannot be verified with WebCrypto`;
  }
  return { scheme, hash, ...(saltLength !== undefined ? { saltLength } : {}), ...(plain ? { plain } : {}), unsupported, note };
}

/**
 * RSASSA-PSS-params (RFC 4055 §3.1) with their DEFAULTs (SHA-1, MGF1-SHA-1,
 * salt 20, trailer 1). WebCrypto uses MGF1 with the signature hash, so a
 * different MGF hash cannot be checked.
 */
function readPss(sigId: pkijs.AlgorithmIdentifier): { hash: DigestAlgorithm | string; saltLength: number } | string {
  const params: unknown = sigId.algorithmParams;
  let p: pkijs.RSASSAPSSParams;
  try {
    p = params instanceof asn1js.Sequence ? new pkijs.RSASSAPSSParams({ schema: params }) : new pkijs.RSASSAPSSParams();
  } catch {
    return 'RSASSA-PSS parameters are malformed';
  }
  const hash = DIGEST_OIDS[p.hashAlgorithm.algorithmId] ?? p.hashAlgorithm.algorithmId;
  const mgf = p.maskGenAlgorithm;
  if (mgf.algorithmId !== MGF1) return `RSASSA-PSS mask generation ${mgf.algorithmId} is not supported`;
  const mgfParams: unknown = mgf.algorithmParams;
  let mgfHash: string = 'SHA-1';
  if (mgfParams instanceof asn1js.Sequence) {
    try {
      const id = new pkijs.AlgorithmIdentifier({ schema: mgfParams }).algorithmId;
      mgfHash = DIGEST_OIDS[id] ?? id;
    } catch {
      return 'RSASSA-PSS MGF1 parameters are malformed';
    }
  }
  if (mgfHash !== hash) return `RSASSA-PSS with MGF1-${mgfHash} and ${hash} is not supported`;
  if (p.trailerField !== 1) return 'RSASSA-PSS trailer field is not 1';
  return { hash, saltLength: p.saltLength };
}
