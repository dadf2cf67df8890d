/**
 * A SignerInfo's algorithms read for the facts, under CMS rules (RFC 5652
 * §5.3; RFC 3370 §3.2, RFC 4055 §3.1, RFC 5758 §3.2, BSI TR-03111): the
 * reading itself, its OID table and the verification live in
 * crypto/verify-signature.ts, so the facts name exactly what was checked.
 */
import type * as pkijs from 'pkijs';
import type { PublicKeyInfo } from '../../crypto/certificate-info.js';
import { resolveSignatureAlgorithm, type ResolvedSignatureAlgorithm } from '../../crypto/verify-signature.js';

export { digestFromOid } from '../../crypto/algorithm-table.js';

/** What the SignerInfo's algorithm identifiers say, resolved against the signer's key. */
export type ResolvedAlgorithm = ResolvedSignatureAlgorithm;

/**
 * Resolves the signature algorithm. The key decides between RSA and EC when
 * the OID disagrees with it (a known encoder bug writes rsaEncryption for EC
 * keys; verifiers such as pdfsig and pyHanko follow the key).
 */
export function resolveAlgorithm(digestOid: string, sigId: pkijs.AlgorithmIdentifier, key: PublicKeyInfo | null): ResolvedAlgorithm {
  return resolveSignatureAlgorithm(sigId, { context: 'cms', digestAlgorithm: digestOid, keyType: key?.keyAlgorithm });
}
