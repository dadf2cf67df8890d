/**
 * Signature checks over revocation data (OCSP responses, CRLs) and the
 * certificates of delegated responders. Revocation data in the field is
 * still often signed with SHA-1 (VGCA's 2010 hierarchy, old plugtest files),
 * which the signing side of kyso never produces, so SHA-1 is accepted here;
 * a crypto policy judges it later from the certificate facts.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from '../../crypto/algorithms.js';
import { signatureAlgorithmFrom } from '../../crypto/algorithm-ids.js';
import { decodeCertificate, publicKeyOf, verifySignatureValue } from '../../crypto/certificate-info.js';
import { subtle, toArrayBufferView } from '../../crypto/digest.js';
import { importSpki } from '../../crypto/spki-import.js';
import { ecdsaDerToRaw, isStrictDerEcdsaSignature } from '../../crypto/ecdsa.js';
import { originalBytes } from '../../crypto/raw-der.js';
import { equalBytes } from '../../util/bytes.js';

/** Hashes revocation structures use (CertID, key hashes): SHA-1 stays common (RFC 6960 §4.1.1, RFC 5019 §2.1.1). */
export type RevocationHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const HASH_BY_OID: Record<string, RevocationHash> = {
  '1.3.14.3.2.26': 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

/** The hash named by a digest AlgorithmIdentifier OID, or null. */
export function revocationHashFromOid(oid: string): RevocationHash | null {
  return HASH_BY_OID[oid] ?? null;
}

/** One-shot WebCrypto digest, SHA-1 included. */
export async function hashBytes(hash: RevocationHash, bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest(hash, toArrayBufferView(bytes)));
}

// RFC 3279 §2.2.1 and §2.2.3: the SHA-1 signature OIDs.
const SHA1_WITH_RSA = '1.2.840.113549.1.1.5';
const ECDSA_WITH_SHA1 = '1.2.840.10045.4.1';

/**
 * True when `signature` over `tbs` verifies with `signerCert`'s key under the
 * AlgorithmIdentifier `algorithm`. Never throws: an unknown algorithm, a key
 * that does not fit or a malformed value are all "does not verify".
 */
export async function verifySignedBytes(
  signerCert: Uint8Array,
  algorithm: pkijs.AlgorithmIdentifier,
  tbs: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  try {
    const oid = algorithm.algorithmId;
    if (oid === SHA1_WITH_RSA || oid === ECDSA_WITH_SHA1) return await verifySha1(signerCert, oid === ECDSA_WITH_SHA1, tbs, signature);
    let digestOid: string | null = null;
    if (oid === OID.rsassaPss) {
      const params: unknown = algorithm.algorithmParams;
      if (!(params instanceof asn1js.Sequence)) return false;
      digestOid = new pkijs.RSASSAPSSParams({ schema: params }).hashAlgorithm.algorithmId;
    } else {
      digestOid = SIG_HASH[oid] ?? null;
    }
    if (!digestOid) return false;
    const alg = signatureAlgorithmFrom(new pkijs.AlgorithmIdentifier({ algorithmId: digestOid }), algorithm);
    if (!alg) return false;
    return await verifySignatureValue(signerCert, alg, tbs, signature);
  } catch {
    return false;
  }
}

const SIG_HASH: Record<string, string> = {
  [OID.sha256WithRSAEncryption]: OID.sha256,
  [OID.sha384WithRSAEncryption]: OID.sha384,
  [OID.sha512WithRSAEncryption]: OID.sha512,
  [OID.ecdsaWithSHA256]: OID.sha256,
  [OID.ecdsaWithSHA384]: OID.sha384,
  [OID.ecdsaWithSHA512]: OID.sha512,
};

async function verifySha1(cert: Uint8Array, ecdsa: boolean, tbs: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const key = publicKeyOf(cert);
  if (ecdsa !== (key.keyAlgorithm === 'EC')) return false;
  const params = ecdsa ? { name: 'ECDSA', namedCurve: key.namedCurve! } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' };
  const cryptoKey = await importSpki(key.spki, params);
  let sig = signature;
  if (ecdsa) {
    if (!isStrictDerEcdsaSignature(signature)) return false;
    sig = ecdsaDerToRaw(signature, key.curveBytes!);
  }
  const verifyParams = ecdsa ? { name: 'ECDSA', hash: 'SHA-1' } : { name: 'RSASSA-PKCS1-v1_5' };
  return subtle().verify(verifyParams, cryptoKey, toArrayBufferView(sig), toArrayBufferView(tbs));
}

/** The subject Name of a certificate, as encoded. */
export function subjectBytes(cert: Uint8Array): Uint8Array {
  return originalBytes(decodeCertificate(cert).subjectName);
}

/** The issuer Name of a certificate, as encoded. */
export function issuerBytes(cert: Uint8Array): Uint8Array {
  return decodeCertificate(cert).issuer;
}

/**
 * Name equality for chaining (RFC 5280 §7.1): byte equality first, then
 * pkijs' comparison, which folds case and spaces of the string values.
 */
export function sameName(a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean {
  const ab = new Uint8Array(a.valueBeforeDecode);
  const bb = new Uint8Array(b.valueBeforeDecode);
  if (ab.length > 0 && bb.length > 0 && equalBytes(ab, bb)) return true;
  try {
    return a.isEqual(b);
  } catch {
    return false;
  }
}

/** True when `cert` names `issuer` as its issuer and carries a signature `issuer`'s key verifies (RFC 5280 §6.1.3 (a)(1), (a)(4)). */
export async function issuedBy(cert: Uint8Array, issuer: Uint8Array): Promise<boolean> {
  try {
    const c = decodeCertificate(cert).cert;
    const i = decodeCertificate(issuer).cert;
    if (!sameName(c.issuer, i.subject)) return false;
    return await verifySignedBytes(issuer, c.signatureAlgorithm, c.tbsView, c.signatureValue.valueBlock.valueHexView);
  } catch {
    return false;
  }
}

/** The subjectPublicKey BIT STRING contents (no unused-bits octet), what OCSP key hashes cover (RFC 6960 §4.1.1). */
export function publicKeyBits(cert: Uint8Array): Uint8Array {
  return decodeCertificate(cert).cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView.slice();
}

/** The extension with `oid`, or undefined. */
export function extensionOf(cert: Uint8Array, oid: string): pkijs.Extension | undefined {
  return decodeCertificate(cert).cert.extensions?.find((e) => e.extnID === oid);
}

/** An INTEGER's value as minimal lower-case hex, so encodings with or without a sign octet compare equal. */
export function integerHex(value: asn1js.Integer): string {
  const bytes = value.valueBlock.valueHexView;
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let s = '';
  for (const b of bytes.subarray(i)) s += b.toString(16).padStart(2, '0');
  return s;
}
