/**
 * The crypto layer of kyso core: CMS pieces for PAdES (signed attributes,
 * SignedData), signature-value encodings and checks, certificate facts and
 * an RFC 3161 client. Runs on WebCrypto; no DOM, no `node:*`.
 */
export * from './algorithms.js';
export { digest } from './digest.js';
export { createHashEngine } from '#hash-engine';
export type { HashEngine, CreateHashEngine } from './hash-engine-types.js';
export { digestAlgorithmId, signatureAlgorithmId, signatureAlgorithmFromIds, hashFromOid } from './algorithm-ids.js';
export { buildSignedAttributes, type SignedAttributesInput } from './signed-attributes.js';
export {
  assembleSignedData, estimateSignedDataSize, DEFAULT_TIMESTAMP_TOKEN_SIZE, DEFAULT_TSA_CHAIN_SIZE,
  type SignedDataInput, type SignedDataSizeInput,
} from './signed-data.js';
export { ecdsaRawToDer, ecdsaDerToRaw, isStrictDerEcdsaSignature, normalizeEcdsaSignature } from './ecdsa.js';
export {
  parseCertificate, certificateInfo, publicKeyOf, certificateExtensions, defaultSignatureAlgorithm,
  importPublicKey, verifySignatureValue,
  type CertificateInfo, type CertificateExtension, type PublicKeyInfo, type KeyAlgorithm, type NamedCurve, type PublicCryptoKey,
} from './certificate-info.js';
export {
  verifySignature, verifySignatureWith, resolveSignatureAlgorithm,
  type SignatureInput, type SignatureVerification, type SignatureContext, type ResolvedSignatureAlgorithm, type ResolveOptions, type SignatureKeyType,
} from './verify-signature.js';
export { DIGEST_BY_OID, CURVE_BY_OID, WEBCRYPTO_HASHES, digestFromOid, digestOid, type DigestName, type CurveEntry } from './algorithm-table.js';
export {
  CRYPTO_CONSTRAINTS, constraintFor, isWeakAt, weakAlgorithms, weakAlgorithmName, type CryptoConstraint, type ConstrainedKey, type WeakAlgorithm,
} from './algorithm-constraints.js';
export { requestTimestamp, type TimestampRequest } from './timestamp-client.js';
export {
  parseTimestampToken, verifyTimestampToken, checkTsaCertificate, type TimestampInfo, type TimestampCheck,
} from './timestamp-token.js';
