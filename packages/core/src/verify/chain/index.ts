/** Certification path building and validation (RFC 5280 §6) for the verifier. */
export { buildChain, type BuildChainOptions, type ChainPurpose, type ChainResult } from './build.js';
export { fetchIssuerCertificates, readIssuerBundle, DEFAULT_AIA_TIMEOUT_MS } from './aia.js';
export { canonicalName } from './names.js';
export { verifyIssuedSignature, type LinkCheck } from './link-signature.js';
