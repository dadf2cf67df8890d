/**
 * Checks the signature on a certificate with its issuer's public key
 * (RFC 5280 §6.1.3(a)(1)) through WebCrypto. Unlike the signing side, this
 * must read what CAs actually used, including SHA-1 (VGCA G1, RFC 3279 §2.2).
 */
import * as pkijs from 'pkijs';
import { decodeExact } from '../../crypto/raw-der.js';
import { RecentMap } from '../../util/recent-map.js';
import { verifySignature } from '../../crypto/verify-signature.js';
import { viewCertificate, type CertificateView } from './certificate-view.js';

/** Result of checking one link. */
export interface LinkCheck {
  /** True when the signature verifies; false when it does not or cannot be checked. */
  readonly valid: boolean;
  /** False when the algorithm or key type is not supported (then `valid` is false too). */
  readonly supported: boolean;
  /** The hash of the signature algorithm (e.g. 'SHA-1'), null for EdDSA or unknown. */
  readonly hash: string | null;
}

/**
 * Whether `subject`'s signature verifies with `issuer`'s public key.
 * Never throws: malformed keys or values are reported as not valid.
 *
 * The outcome depends only on the subject certificate's bytes (its TBSCertificate, signature algorithm and
 * value) and on the issuer's SubjectPublicKeyInfo, so it is kept for as long as the subject's view is
 * cached (certificate-view.ts), per issuer key: an audit checks the same two or three links in every file.
 */
export function verifyLink(subject: CertificateView, issuer: CertificateView): Promise<LinkCheck> {
  let byIssuer = checkedLinks.get(subject);
  if (!byIssuer) checkedLinks.set(subject, (byIssuer = new RecentMap(ISSUER_KEYS_PER_CERTIFICATE)));
  const known = byIssuer.get(issuer.spkiId);
  if (known) return known;
  const check = verifyWithKey(issuer.spki, subject.signatureAlgorithm, subject.tbs, subject.signatureValue);
  byIssuer.set(issuer.spkiId, check);
  // verifyWithKey does not throw; were it ever to, the failure is not kept.
  check.catch(() => byIssuer.delete(issuer.spkiId));
  return check;
}

/** Keyed by the cached view (one object per certificate's bytes), so an entry lives exactly as long as it does. */
const checkedLinks = new WeakMap<CertificateView, RecentMap<string, Promise<LinkCheck>>>();
/** Issuer keys remembered per certificate: a re-keyed CA has a few, a hostile pool many (these are forgotten first). */
const ISSUER_KEYS_PER_CERTIFICATE = 8;

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
  const result = await verifySignature({ spki, algorithm, data, signature: signatureValue, context: 'x509' });
  const hash = result.algorithm && !result.algorithm.unsupported ? result.algorithm.hash : null;
  return { valid: result.status === 'valid', supported: result.status !== 'unknown', hash };
}
