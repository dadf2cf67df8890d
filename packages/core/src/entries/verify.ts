/**
 * `@kyso/core/verify`: verification of every signature and document
 * timestamp of a PDF (ETSI EN 319 102-1): `verify` (facts judged at once),
 * `gatherFacts` then `judge` (judged later, elsewhere or under another policy),
 * the trust stores and policies they take, and the modification policy. The
 * verifier itself loads on first call; the policies, trust stores and rule
 * objects are plain data and load with the entry.
 * @packageDocumentation
 */
export { verify, gatherFacts, readRevocationData, analyseAppendedRevisions } from './_validation.js';
export type { VerifyOptions } from '../verify/verify.js';
export { judge, DEFAULT_POLICY, LEGACY_POLICY, type VerificationPolicy } from '../verify/policy.js';
export type { VerificationReport, SignatureReport, Indication, SubIndication, PadesLevelReached, LtvStatus } from '../verify/report.js';
export type {
  VerificationFacts, SignatureFacts, CertificateFacts, ModificationChange, ChainFacts, ChainProblem, ChainNote, SignatureEvidence,
} from '../verify/facts.js';
export {
  trustProfile, trustFromCertificates, mergeTrust, readCertificates, distrust, certificateFingerprint, TRUST_PROFILE_NAMES, type TrustStore,
  type TrustProfileName,
} from '../verify/trust/index.js';
export type { RevocationData, SuppliedRevocation } from '../verify/revocation/supplied.js';
export type { AppendedRevisionsFacts, AppendedRevisionsOptions, AppendedSignature } from '../verify/modifications/step-rules.js';
// The modification policy is pure data and predicates (no parser, no crypto): building one never loads the verifier.
export { ModificationPolicy, type ModificationRule, type ModificationSubject, type RuleContext, type DocMdpLevel } from '../verify/modifications/policy.js';
export { defaultModificationPolicy, annotationRule, MODIFICATION_RULES, type AnnotationRuleOptions } from '../verify/modifications/permissions.js';
export type { FieldLockFact } from '../verify/modifications/step-context.js';
export type { FetchLike, NetworkService, ServiceTimeouts } from '../options.js';
export { memorySource, type ByteSource } from '../pdf/byte-source.js';
