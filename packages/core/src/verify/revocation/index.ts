/**
 * Revocation checking for verification: validation data read from /DSS and
 * from CMS signatures, OCSP and CRL judgement, data supplied by the caller,
 * and optional online fetching through an injected `fetch` (retried, cached).
 */
export { readDss, vriKey, type DssContents, type VriEntry } from './dss.js';
export { revocationDataFromCms, type CmsRevocationData } from './archival.js';
export { checkRevocation, type RevocationOptions, type RevocationSources } from './check.js';
export {
  ocspRequestFor, checkOcspResponse, readBasicResponse, OCSP_OID,
  type OcspRequest, type OcspRequestOptions, type OcspCheckContext,
} from './ocsp.js';
export { checkCrl, type CrlCheckContext } from './crl.js';
export {
  ocspUrls, crlUrls, fetchBytes, exchange, exchangeWithRetries, type FetchRequest, type Exchange, type RetryPolicy,
} from './online.js';
export {
  RevocationFetchCache, revocationCacheFor, type RevocationFetchCacheOptions, type RevocationFetchCacheStats, type Loaded,
} from './fetch-cache.js';
export { readRevocationData, type RevocationData, type SuppliedRevocation } from './supplied.js';
export { issuedBy, verifySignedBytes, type RevocationHash } from './signature.js';
export { CRL_REASONS, type RevocationVerdict } from './verdict.js';
