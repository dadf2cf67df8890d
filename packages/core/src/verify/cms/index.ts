/**
 * Cryptographic integrity of a signature: its CMS (RFC 5652), the digests of
 * what it covers, and RFC 3161 time-stamp tokens. Facts only, no judgement.
 */
export { examineCms, examineTimestamp, type CmsExamination, type ExamineCmsOptions, type TimestampExamination } from './examine.js';
export { createDigest, digestBytes, isDigestAlgorithm, DIGEST_OIDS, WEBCRYPTO_HASHES, type DigestAlgorithm } from './digests.js';
export { resolveAlgorithm, digestFromOid, type ResolvedAlgorithm } from './signature-algorithms.js';
export { parseSignedData, findSigner, essBinding, type ParsedSignedData, type ParsedSignerInfo, type Attribute } from './signed-data.js';
