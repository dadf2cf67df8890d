/**
 * Signature checks over revocation data (OCSP responses, CRLs) and the
 * certificates of delegated responders. Revocation data in the field is
 * still often signed with SHA-1 (VGCA's 2010 hierarchy, old plugtest files),
 * which the signing side of kyso never produces, so SHA-1 is accepted here;
 * a crypto policy judges it later from the certificate facts.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { DIGEST_BY_OID, digestOid } from '../../crypto/algorithm-table.js';
import { decodeCertificate } from '../../crypto/certificate-info.js';
import { subtle, toArrayBufferView } from '../../crypto/digest.js';
import { verifySignature } from '../../crypto/verify-signature.js';
import { originalBytes } from '../../crypto/raw-der.js';
import { equalBytes } from '../../util/bytes.js';

/** Hashes revocation structures use (CertID, key hashes): SHA-1 stays common (RFC 6960 §4.1.1, RFC 5019 §2.1.1). */
export type RevocationHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const REVOCATION_HASHES: readonly string[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] satisfies RevocationHash[];

/** The hash named by a digest AlgorithmIdentifier OID, or null. */
export function revocationHashFromOid(oid: string): RevocationHash | null {
  const hash = DIGEST_BY_OID[oid];
  return hash && REVOCATION_HASHES.includes(hash) ? (hash as RevocationHash) : null;
}

/** The digest AlgorithmIdentifier OID of a revocation hash (CertID, RFC 6960 §4.1.1), from the one algorithm table. */
export function revocationHashOid(hash: RevocationHash): string {
  return digestOid(hash);
}

/** One-shot WebCrypto digest, SHA-1 included. */
export async function hashBytes(hash: RevocationHash, bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest(hash, toArrayBufferView(bytes)));
}

/**
 * True when `signature` over `tbs` verifies with `signerCert`'s key under the
 * AlgorithmIdentifier `algorithm` (X.509 rules, crypto/verify-signature.ts).
 * Never throws: an unknown algorithm, a key that does not fit or a malformed
 * value are all "does not verify".
 */
export async function verifySignedBytes(
  signerCert: Uint8Array,
  algorithm: pkijs.AlgorithmIdentifier,
  tbs: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  let spki: Uint8Array;
  try {
    spki = decodeCertificate(signerCert).spki;
  } catch {
    return false;
  }
  return (await verifySignature({ spki, algorithm, data: tbs, signature, context: 'x509' })).status === 'valid';
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
