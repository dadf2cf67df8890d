/**
 * `@kyso/elements/pdfjs-verifier`: kyso's verification, with its analysis of
 * what changed after signing, behind pdf.js's signature verifier interface
 * (pdfjs-dist ≥ 6.2: `getSignatures()`, `getSignatureData()`, `verify()`), and
 * over kyso's own list of signatures for older pdf.js. No custom element is
 * defined and pdf.js is not imported: the viewer page brings its own pdf.js.
 */
export { createKysoSignatureVerifier, type KysoSignatureVerifier, type KysoSignatureVerifierOptions } from './verifier.js';
export { verifyPdfjsDocument, signatureFromKyso, type PdfjsDocumentLike, type PdfjsSignatureVerdict } from './document.js';
export { toPdfjsResult, statusOf, kysoVerdict } from './map.js';
export { describeVerdict, VERDICT_STRINGS, type VerdictDescription } from './strings.js';
export { renderSignatureList } from './list.js';
export type {
  PdfjsSignature, PdfjsSignatureData, PdfjsSignatureStatus, PdfjsCertificate, PdfjsVerificationResult, PdfjsSignatureVerifier,
  KysoVerdict, KysoChange, KysoVerifierCode,
} from './types.js';
