/**
 * Revocation checking for verification: validation data read from /DSS and
 * from CMS signatures, OCSP and CRL judgement, and optional online fetching
 * through an injected `fetch`.
 */
export { readDss, vriKey, type DssContents, type VriEntry } from './dss.js';
export { revocationDataFromCms, type CmsRevocationData } from './archival.js';
export { checkRevocation, type RevocationOptions, type RevocationSources } from './check.js';
export {
  ocspRequestFor, checkOcspResponse, readBasicResponse, OCSP_OID,
  type OcspRequest, type OcspRequestOptions, type OcspCheckContext,
} from './ocsp.js';
export { checkCrl, type CrlCheckContext } from './crl.js';
export { ocspUrls, crlUrls, fetchBytes, type FetchRequest } from './online.js';
export { issuedBy, verifySignedBytes, type RevocationHash } from './signature.js';
export { CRL_REASONS, type RevocationVerdict } from './verdict.js';
