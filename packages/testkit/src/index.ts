/**
 * @kyso/testkit: a deterministic test PKI shaped like the Vietnamese
 * Government PKI, sample PDFs and a local RFC 3161 time-stamp server. Everything
 * is generated locally into `<repo root>/.fixtures/`, never downloaded.
 */
export { fixturesDir, repoRoot } from './paths.js';
export { HashDrbg } from './drbg.js';
export { run, type ExecResult } from './exec.js';
export { deriveKey, type KeySpec, type KeyMaterial } from './pki/keys.js';
export {
  ENTITY_NAMES, P12_PASSWORD, PKI_GENERATOR_VERSION, PKI_URLS, POLICY_OID, TSA_POLICY_OID, VALIDITY,
  REVOCATION_REASON, PROFILES, ROOT_NAME, INTERMEDIATE_NAME, UNTRUSTED_ROOT_NAME, profileOf,
  type EntityName, type LeafName, type EntityProfile,
} from './pki/profile.js';
export { NAME_OIDS, OIDS, toPem, fromPem, type NameSpec } from './pki/x509.js';
export {
  ensurePki, generatePki, loadPki, type TestPki, type TestEntity, type EnsurePkiOptions,
} from './pki/generate.js';
export { tsConfig, tamperQuery, rejectionReply, timestampReply, type TimestampReplyOptions } from './tsa/reply.js';
export { startTsaServer, TSA_MODES, type TsaMode, type TsaServer, type TsaServerOptions } from './tsa/server.js';
export {
  ensureSamples, generateSamples, ensureLargeSample, SAMPLE_NAMES, SAMPLE_PASSWORDS, SAMPLES_GENERATOR_VERSION,
  type SampleName, type EnsureSamplesOptions, type EnsureLargeSampleOptions,
} from './samples/ensure.js';
export { SAMPLE_DATE, A4 } from './samples/pdf-lib-helpers.js';
export { writeLargePdf } from './samples/large.js';
export { opensslSignedPdf, type OpensslSignedPdfOptions } from './samples/openssl-signed.js';
export {
  appendAfterEof, appendRevision, FORM_BODIES, FORM_DA, FORM_OBJECTS, formDocument, nextObjectNumber, handSignedPdf, HELV, HELV_DIGITS_SWAPPED, lastObject, objectsAfterEof,
  payeeAppearance, type HandSignedPdfOptions, type RawObject, type RevisionLayout, type SignatureDictionaryForm,
} from './samples/revision-attacks.js';
export { encodePng, signatureImage, sealImage } from './images.js';
export * from './revocation/index.js';
export { startOpensslOcspResponder, type OpensslOcspOptions, type OpensslOcspResponder } from './revocation/openssl-ocsp.js';
export { opensslLargeCrl, type LargeCrlOptions, type ListedSerial } from './revocation/openssl-crl.js';
export * from './stories/index.js';
export * from './softhsm/index.js';
export { STRICT_CSP, serveUnderStrictCsp, buildStrictCspPage, openStrictCspSite, type StrictCspServer, type StrictCspSite } from './strict-csp-page.js';
