/**
 * AlgorithmIdentifier encodings for CMS (RFC 5652 §10.1) and their reverse
 * mapping, so that writer and readers agree on one table.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { HASH_LENGTH, HASH_OID, OID, type HashAlgorithm, type SignatureAlgorithm } from './algorithms.js';
import { decodeExact, encode } from './raw-der.js';
import { resolveSignatureAlgorithm } from './verify-signature.js';

const RSA_PKCS1_OID: Record<HashAlgorithm, string> = {
  'SHA-256': OID.sha256WithRSAEncryption,
  'SHA-384': OID.sha384WithRSAEncryption,
  'SHA-512': OID.sha512WithRSAEncryption,
};

const ECDSA_OID: Record<HashAlgorithm, string> = {
  'SHA-256': OID.ecdsaWithSHA256,
  'SHA-384': OID.ecdsaWithSHA384,
  'SHA-512': OID.ecdsaWithSHA512,
};

/** The hash for a digest-algorithm OID, or null when kyso does not support it. */
export function hashFromOid(dotted: string): HashAlgorithm | null {
  for (const [hash, id] of Object.entries(HASH_OID)) if (id === dotted) return hash as HashAlgorithm;
  return null;
}

/**
 * A SHA-2 DigestAlgorithmIdentifier with absent parameters: RFC 5754 §2 says
 * implementations MUST generate them absent (and accept NULL).
 */
export function digestAlgorithmId(hash: HashAlgorithm): Uint8Array {
  return memo(`digest|${hash}`, () => encode(hashAlgorithm(hash).toSchema()));
}

/**
 * Encodings by algorithm: a handful of fixed values, each built once. Callers
 * get a copy, so nobody can change what the next caller sees.
 */
const encodings = new Map<string, Uint8Array>();
function memo(key: string, build: () => Uint8Array): Uint8Array {
  let der = encodings.get(key);
  if (!der) encodings.set(key, (der = build()));
  return der.slice();
}

/** A hash AlgorithmIdentifier with absent parameters (RFC 5754 §2). */
function hashAlgorithm(hash: HashAlgorithm): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[hash] });
}

/**
 * The SignatureAlgorithmIdentifier of a SignerInfo.
 *
 * - RSA PKCS#1 v1.5: `shaNNNWithRSAEncryption` with NULL parameters
 *   (RFC 5754 §3.2). `rsaEncryption` is also allowed (RFC 3370 §3.2), but the
 *   combined OID names the hash next to the signature, as ETSI TS 119 312 and
 *   EU DSS report it; pdfsig, OpenSSL and DSS accept both.
 * - RSA-PSS: `id-RSASSA-PSS` with explicit parameters: the hash, MGF1 with the
 *   same hash, salt length = hash length, default trailer (RFC 4055 §3.1).
 * - ECDSA: `ecdsa-with-SHAnnn`, parameters absent (RFC 5758 §3.2).
 */
export function signatureAlgorithmId(alg: SignatureAlgorithm): Uint8Array {
  return memo(`signature|${alg.scheme}|${alg.hash}`, () => buildSignatureAlgorithmId(alg));
}

function buildSignatureAlgorithmId(alg: SignatureAlgorithm): Uint8Array {
  let id: pkijs.AlgorithmIdentifier;
  switch (alg.scheme) {
    case 'RSASSA-PKCS1-v1_5':
      id = new pkijs.AlgorithmIdentifier({ algorithmId: RSA_PKCS1_OID[alg.hash], algorithmParams: new asn1js.Null() });
      break;
    case 'RSA-PSS':
      id = new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsassaPss, algorithmParams: rsassaPssParams(alg.hash).toSchema() });
      break;
    case 'ECDSA':
      id = new pkijs.AlgorithmIdentifier({ algorithmId: ECDSA_OID[alg.hash] });
      break;
  }
  return encode(id.toSchema());
}

/**
 * RSASSA-PSS-params (RFC 4055 §3.1): the hash, MGF1 with the same hash and
 * salt = hash length; pkijs leaves out the trailerField DEFAULT.
 */
function rsassaPssParams(hash: HashAlgorithm): pkijs.RSASSAPSSParams {
  return new pkijs.RSASSAPSSParams({
    hashAlgorithm: hashAlgorithm(hash),
    maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.mgf1, algorithmParams: hashAlgorithm(hash).toSchema() }),
    saltLength: HASH_LENGTH[hash],
  });
}

/**
 * Reads a SignerInfo's digest and signature AlgorithmIdentifiers back to a
 * {@link SignatureAlgorithm}; null when kyso cannot verify that combination
 * (other hashes, PSS with a salt or MGF that is not the RFC 4055 profile).
 */
export function signatureAlgorithmFromIds(digestAlgorithm: Uint8Array, signatureAlgorithm: Uint8Array): SignatureAlgorithm | null {
  try {
    const digestId = new pkijs.AlgorithmIdentifier({ schema: decodeExact(digestAlgorithm) });
    const sigId = new pkijs.AlgorithmIdentifier({ schema: decodeExact(signatureAlgorithm) });
    return signatureAlgorithmFrom(digestId, sigId);
  } catch {
    return null;
  }
}

/**
 * As {@link signatureAlgorithmFromIds}, from parsed identifiers. The reading
 * is the verifier's (crypto/verify-signature.ts, CMS rules); this keeps only
 * the combinations kyso itself writes: a SHA-2 hash equal to the digest
 * algorithm, and for RSA-PSS the RFC 4055 profile (MGF1 with the same hash,
 * salt = hash length, trailer 1).
 * @internal
 */
export function signatureAlgorithmFrom(digestId: pkijs.AlgorithmIdentifier, sigId: pkijs.AlgorithmIdentifier): SignatureAlgorithm | null {
  const hash = hashFromOid(digestId.algorithmId);
  // id-ecPublicKey names a key, not a signature algorithm (RFC 5758 §3.2); kyso never reads it as one here.
  if (!hash || sigId.algorithmId === OID.ecPublicKey) return null;
  const resolved = resolveSignatureAlgorithm(sigId, { context: 'cms', digestAlgorithm: digestId.algorithmId });
  if (resolved.unsupported || resolved.plain || resolved.hash !== hash) return null;
  switch (resolved.scheme) {
    case 'RSASSA-PKCS1-v1_5':
    case 'ECDSA':
      return { scheme: resolved.scheme, hash };
    case 'RSA-PSS':
      return resolved.saltLength === HASH_LENGTH[hash] ? { scheme: 'RSA-PSS', hash } : null;
    default:
      return null;
  }
}
