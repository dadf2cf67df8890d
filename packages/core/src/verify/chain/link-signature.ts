/**
 * Checks the signature on a certificate with its issuer's public key
 * (RFC 5280 §6.1.3(a)(1)) through WebCrypto. Unlike the signing side, this
 * must read what CAs actually used, including SHA-1 (VGCA G1, RFC 3279 §2.2).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from '../../crypto/algorithms.js';
import { subtle, toArrayBufferView } from '../../crypto/digest.js';
import { importSpki } from '../../crypto/spki-import.js';
import { bytesToLatin1 } from '../../util/bytes.js';
import { RecentMap } from '../../util/recent-map.js';
import { ecdsaDerToRaw } from '../../crypto/ecdsa.js';
import { decodeExact } from '../../crypto/raw-der.js';
import { viewCertificate, type CertificateView } from './certificate-view.js';

/** Hashes WebCrypto can verify with, by OID (RFC 3279 §2.2, RFC 5754 §2). */
const HASH_BY_OID: Record<string, string> = {
  '1.3.14.3.2.26': 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

type Scheme = { name: 'RSASSA-PKCS1-v1_5' | 'ECDSA' | 'Ed25519' | 'Ed448' } | { name: 'RSA-PSS'; saltLength: number };

/** Certificate signature algorithms (RFC 3279, RFC 4055, RFC 5758, RFC 8410). */
const ALGORITHMS: Record<string, { scheme: Scheme; hash: string | null }> = {
  '1.2.840.113549.1.1.5': { scheme: { name: 'RSASSA-PKCS1-v1_5' }, hash: 'SHA-1' },
  [OID.sha256WithRSAEncryption]: { scheme: { name: 'RSASSA-PKCS1-v1_5' }, hash: 'SHA-256' },
  [OID.sha384WithRSAEncryption]: { scheme: { name: 'RSASSA-PKCS1-v1_5' }, hash: 'SHA-384' },
  [OID.sha512WithRSAEncryption]: { scheme: { name: 'RSASSA-PKCS1-v1_5' }, hash: 'SHA-512' },
  '1.2.840.10045.4.1': { scheme: { name: 'ECDSA' }, hash: 'SHA-1' },
  [OID.ecdsaWithSHA256]: { scheme: { name: 'ECDSA' }, hash: 'SHA-256' },
  [OID.ecdsaWithSHA384]: { scheme: { name: 'ECDSA' }, hash: 'SHA-384' },
  [OID.ecdsaWithSHA512]: { scheme: { name: 'ECDSA' }, hash: 'SHA-512' },
  '1.3.101.112': { scheme: { name: 'Ed25519' }, hash: null },
  '1.3.101.113': { scheme: { name: 'Ed448' }, hash: null },
};

const CURVES: Record<string, { name: string; bytes: number }> = {
  [OID.secp256r1]: { name: 'P-256', bytes: 32 },
  [OID.secp384r1]: { name: 'P-384', bytes: 48 },
  [OID.secp521r1]: { name: 'P-521', bytes: 66 },
};

/** Result of checking one link. */
export interface LinkCheck {
  /** True when the signature verifies; false when it does not or cannot be checked. */
  readonly valid: boolean;
  /** False when the algorithm or key type is not supported (then `valid` is false too). */
  readonly supported: boolean;
  /** The hash of the signature algorithm (e.g. 'SHA-1'), null for EdDSA or unknown. */
  readonly hash: string | null;
}

/** The signature algorithm's scheme and hash, or null when not supported. */
export function linkAlgorithm(id: pkijs.AlgorithmIdentifier): { scheme: Scheme; hash: string | null } | null {
  if (id.algorithmId === OID.rsassaPss) return pssAlgorithm(id);
  return ALGORITHMS[id.algorithmId] ?? null;
}

/**
 * Whether `subject`'s signature verifies with `issuer`'s public key.
 * Never throws: malformed keys or values are reported as not valid.
 */
export function verifyLink(subject: CertificateView, issuer: CertificateView): Promise<LinkCheck> {
  return verifyWithKey(issuer.spki, subject.signatureAlgorithm, subject.tbs, subject.signatureValue);
}

/**
 * Checks a signature made under an X.509 AlgorithmIdentifier (a certificate,
 * CRL or OCSP response signature, RFC 5280 §4.1.1.2, §5.1.1.2; RFC 6960
 * §4.2.1) with the key of `issuerCertificate`: RSA PKCS#1 v1.5 (incl.
 * SHA-1), RSASSA-PSS, ECDSA (DER value), Ed25519, Ed448.
 * Never throws: anything unreadable is reported as not valid.
 */
export async function verifyIssuedSignature(
  issuerCertificate: Uint8Array,
  signatureAlgorithm: Uint8Array,
  signedBytes: Uint8Array,
  signatureValue: Uint8Array,
): Promise<LinkCheck> {
  let spki: Uint8Array;
  let algorithm: pkijs.AlgorithmIdentifier;
  try {
    spki = viewCertificate(issuerCertificate).spki;
    algorithm = new pkijs.AlgorithmIdentifier({ schema: decodeExact(signatureAlgorithm) });
  } catch {
    return { valid: false, supported: false, hash: null };
  }
  return verifyWithKey(spki, algorithm, signedBytes, signatureValue);
}

async function verifyWithKey(spki: Uint8Array, algorithm: pkijs.AlgorithmIdentifier, data: Uint8Array, signatureValue: Uint8Array): Promise<LinkCheck> {
  const alg = linkAlgorithm(algorithm);
  if (!alg) return { valid: false, supported: false, hash: null };
  const key = importParams(spki, alg.scheme.name);
  if (!key) return { valid: false, supported: false, hash: alg.hash };
  try {
    const cryptoKey = await importSpki(key.spki, alg.hash ? { ...key.params, hash: alg.hash } : key.params);
    const signature = alg.scheme.name === 'ECDSA' ? ecdsaDerToRaw(signatureValue, key.curveBytes!) : signatureValue;
    const verifyParams = alg.scheme.name === 'ECDSA' ? { name: 'ECDSA', hash: alg.hash! } : alg.scheme;
    const valid = await subtle().verify(verifyParams, cryptoKey, toArrayBufferView(signature), toArrayBufferView(data));
    return { valid, supported: true, hash: alg.hash };
  } catch {
    return { valid: false, supported: true, hash: alg.hash };
  }
}

type IssuerKey = { readonly spki: Uint8Array; readonly params: { readonly name: string; readonly namedCurve?: string }; readonly curveBytes?: number };

/** How to import the issuer key for `scheme`; null when the key type does not fit. Decoded once per key and scheme: a chain checks the same CA keys again and again. */
function importParams(spki: Uint8Array, scheme: Scheme['name']): IssuerKey | null {
  return issuerKeys.getOrCreate(`${scheme}/${bytesToLatin1(spki)}`, () => ({ key: readIssuerKey(spki, scheme) })).key;
}

const issuerKeys = new RecentMap<string, { readonly key: IssuerKey | null }>(64);

function readIssuerKey(spki: Uint8Array, scheme: Scheme['name']): IssuerKey | null {
  let info: pkijs.PublicKeyInfo;
  try {
    info = new pkijs.PublicKeyInfo({ schema: decodeExact(spki) });
  } catch {
    return null;
  }
  const keyAlg = info.algorithm.algorithmId;
  if (scheme === 'RSASSA-PKCS1-v1_5' || scheme === 'RSA-PSS') {
    if (keyAlg === OID.rsaEncryption) return { spki, params: { name: scheme } };
    if (keyAlg === OID.rsassaPss) {
      // WebCrypto imports RSA keys only under rsaEncryption; the RSAPublicKey is the same (RFC 4055 §1.2).
      const rewrapped = new pkijs.PublicKeyInfo({
        algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }),
        subjectPublicKey: info.subjectPublicKey,
      });
      return { spki: new Uint8Array(rewrapped.toSchema().toBER()), params: { name: scheme } };
    }
    return null;
  }
  if (scheme === 'ECDSA') {
    const p: unknown = info.algorithm.algorithmParams;
    const curve = keyAlg === OID.ecPublicKey && p instanceof asn1js.ObjectIdentifier ? CURVES[p.valueBlock.toString()] : undefined;
    return curve ? { spki, params: { name: 'ECDSA', namedCurve: curve.name }, curveBytes: curve.bytes } : null;
  }
  if (scheme === 'Ed25519' && keyAlg === '1.3.101.112') return { spki, params: { name: 'Ed25519' } };
  if (scheme === 'Ed448' && keyAlg === '1.3.101.113') return { spki, params: { name: 'Ed448' } };
  return null;
}

/**
 * RSASSA-PSS-params (RFC 4055 §3.1): the hash, MGF1 with the same hash and
 * any salt length; absent fields take their DEFAULTs (SHA-1, MGF1-SHA-1, 20).
 */
function pssAlgorithm(id: pkijs.AlgorithmIdentifier): { scheme: Scheme; hash: string } | null {
  try {
    const raw: unknown = id.algorithmParams;
    const params = raw instanceof asn1js.Sequence ? new pkijs.RSASSAPSSParams({ schema: raw }) : new pkijs.RSASSAPSSParams();
    const hash = HASH_BY_OID[params.hashAlgorithm.algorithmId];
    if (!hash || params.maskGenAlgorithm.algorithmId !== OID.mgf1) return null;
    const mgfParams: unknown = params.maskGenAlgorithm.algorithmParams;
    const mgfHash = mgfParams instanceof asn1js.Sequence ? HASH_BY_OID[new pkijs.AlgorithmIdentifier({ schema: mgfParams }).algorithmId] : 'SHA-1';
    if (mgfHash !== hash || (params.trailerField ?? 1) !== 1) return null;
    return { scheme: { name: 'RSA-PSS', saltLength: params.saltLength }, hash };
  } catch {
    return null;
  }
}
