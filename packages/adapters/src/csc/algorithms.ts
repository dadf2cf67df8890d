import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { HASH_LENGTH, HASH_OID, OID, kysoError, toBase64, type HashAlgorithm, type SignatureAlgorithm } from '@kyso/core';

/** The `signAlgo` / `hashAlgorithmOID` / `signAlgoParams` triple of `signatures/signHash` (CSC API v2.0.0.2 §11.10). */
export interface CscSignAlgorithm {
  readonly signAlgo: string;
  /** Sent when `signAlgo` does not name the hash itself (`rsaEncryption`, `id-RSASSA-PSS`, `id-ecPublicKey`). */
  readonly hashAlgorithmOID?: string;
  /** Base64 DER of the algorithm parameters (RSASSA-PSS-params, RFC 4055 §3.1). */
  readonly signAlgoParams?: string;
}

const RSA_PKCS1: Record<HashAlgorithm, string> = {
  'SHA-256': OID.sha256WithRSAEncryption,
  'SHA-384': OID.sha384WithRSAEncryption,
  'SHA-512': OID.sha512WithRSAEncryption,
};

const ECDSA: Record<HashAlgorithm, string> = {
  'SHA-256': OID.ecdsaWithSHA256,
  'SHA-384': OID.ecdsaWithSHA384,
  'SHA-512': OID.ecdsaWithSHA512,
};

/**
 * Picks how to ask for `algorithm` among the OIDs a credential's key offers
 * (`key/algo` of `credentials/info`, CSC API v2.0.0.2 §11.5).
 *
 * - PKCS#1 v1.5: `shaNNNWithRSAEncryption` (RFC 8017 App. C) if offered,
 *   else `rsaEncryption` with `hashAlgorithmOID` (the CSC samples' form).
 * - RSA-PSS: `id-RSASSA-PSS` with RSASSA-PSS-params: the hash, MGF1 with the
 *   same hash, salt length = hash length, trailer 1 (RFC 4055 §3.1, the
 *   profile core signs and verifies).
 * - ECDSA: `ecdsa-with-SHAnnn` (RFC 5758 §3.2) if offered, else
 *   `id-ecPublicKey` with `hashAlgorithmOID`.
 *
 * @throws `ERR_SIG_ALGORITHM_UNSUPPORTED` the key offers none of them.
 */
export function cscSignAlgorithm(algorithm: SignatureAlgorithm, keyAlgos: readonly string[]): CscSignAlgorithm {
  const has = (oid: string) => keyAlgos.includes(oid);
  const hashOid = HASH_OID[algorithm.hash];
  switch (algorithm.scheme) {
    case 'RSASSA-PKCS1-v1_5':
      if (has(RSA_PKCS1[algorithm.hash])) return { signAlgo: RSA_PKCS1[algorithm.hash] };
      if (has(OID.rsaEncryption)) return { signAlgo: OID.rsaEncryption, hashAlgorithmOID: hashOid };
      break;
    case 'RSA-PSS':
      if (has(OID.rsassaPss)) return { signAlgo: OID.rsassaPss, hashAlgorithmOID: hashOid, signAlgoParams: pssParams(algorithm.hash) };
      break;
    case 'ECDSA':
      if (has(ECDSA[algorithm.hash])) return { signAlgo: ECDSA[algorithm.hash] };
      if (has(OID.ecPublicKey)) return { signAlgo: OID.ecPublicKey, hashAlgorithmOID: hashOid };
      break;
  }
  throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `the credential's key offers ${keyAlgos.join(', ') || 'no algorithm'}, not ${algorithm.scheme} with ${algorithm.hash}`);
}

/** RSASSA-PSS-params DER, base64 (RFC 4055 §3.1; hash parameters absent, RFC 5754 §2). */
export function pssParams(hash: HashAlgorithm): string {
  const hashId = () => new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[hash] });
  const params = new pkijs.RSASSAPSSParams({
    hashAlgorithm: hashId(),
    maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.mgf1, algorithmParams: hashId().toSchema() }),
    saltLength: HASH_LENGTH[hash],
  });
  const der = new Uint8Array(params.toSchema().toBER(false));
  // Sanity: what we send must parse back (guards a pkijs change of defaults).
  if (asn1js.fromBER(der).offset === -1) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', 'could not encode RSASSA-PSS-params');
  return toBase64(der);
}
