/**
 * @packageDocumentation
 * kyso core: PAdES signing (and, later, verification) of PDF documents.
 * Pure TypeScript without DOM or Node APIs: runs in Node and in a Web Worker.
 * Node file helpers live in `@kyso/core/node`.
 */
export * from './errors/index.js';
export type { Progress, ProgressListener } from './progress.js';
export type { SigningAdapter, CertificateEntry, SignRequest, AdapterCapabilities } from './adapter.js';
export type {
  FullDocumentSigner, FullDocumentRequest, FullDocumentResult, FullDocumentRole, FullDocumentMetadata,
} from './full-document.js';
export * from './crypto/algorithms.js';
export { parseCertificate, type CertificateInfo, type KeyAlgorithm, type NamedCurve } from './crypto/certificate-info.js';
export { prepare } from './sign/prepare.js';
export { finish, finishIncrement, type FinishOptions } from './sign/finish.js';
export { sign, signIncrement } from './sign/sign.js';
export type { PreparedSignature } from './sign/prepared.js';
export type {
  PrepareOptions, SignOptions, PadesLevel, SubFilter, TimestampOptions, FetchLike, Placement, DocMdpPermission, FieldLock,
} from './sign/options.js';
export type {
  SignatureRole, AppearanceImage, CopyForm, AppearanceOptions, AppearanceBox, PageRotation, BuildAppearanceInput, BuiltAppearance,
} from './pdf/appearance/types.js';
export { formatVietnamTime } from './pdf/appearance/time.js';
export { appearanceLines, APPEARANCE_LABELS } from './pdf/appearance/labels.js';
export { PT_PER_MM, sealSizePt, placeIssueSeal, placeTopRight, type Rect, type Size } from './pdf/appearance/layout.js';
export { loadDefaultFont, setDefaultFontLoader, type FontLoader } from './pdf/appearance/default-font.js';
export { buildAppearance } from './pdf/appearance/lazy.js';
export { memorySource, type ByteSource } from './pdf/byte-source.js';
export { toBase64, fromBase64 } from './util/base64.js';
// Validation is loaded on first use (see validation.ts): signing alone never compiles it.
export { verify, gatherFacts, extend, extendIncrement, collectLtvEvidence, documentTimestampIncrement } from './validation.js';
export { analyseAppendedRevisions } from './validation.js';
export type { AppendedRevisionsFacts, AppendedRevisionsOptions, AppendedSignature } from './verify/modifications/step-rules.js';
// The modification policy is pure data and predicates (no parser, no crypto): building one never loads the verifier.
export { ModificationPolicy, type ModificationRule, type ModificationSubject, type RuleContext, type DocMdpLevel } from './verify/modifications/policy.js';
export { defaultModificationPolicy, annotationRule, MODIFICATION_RULES, type AnnotationRuleOptions } from './verify/modifications/permissions.js';
export type { FieldLockFact } from './verify/modifications/step-context.js';
export type { VerifyOptions } from './verify/verify.js';
export { judge, DEFAULT_POLICY, LEGACY_POLICY, type VerificationPolicy } from './verify/policy.js';
export type { VerificationReport, SignatureReport, Indication, SubIndication, PadesLevelReached, LtvStatus } from './verify/report.js';
export type {
  VerificationFacts, SignatureFacts, CertificateFacts, ModificationChange, ChainFacts, ChainProblem, ChainNote,
} from './verify/facts.js';
export {
  trustProfile, trustFromCertificates, mergeTrust, distrust, certificateFingerprint, TRUST_PROFILE_NAMES, type TrustStore, type TrustProfileName,
} from './verify/trust/index.js';
export { readRevocationData } from './validation.js';
export type { RevocationData, SuppliedRevocation } from './verify/revocation/supplied.js';
export type { ExtendOptions, ExtendResult, LtvLevel } from './ltv/extend.js';
export type { EvidenceOptions, LtvEvidence } from './ltv/evidence.js';
export type { DocumentTimestampOptions } from './ltv/document-timestamp.js';
export { buildDssUpdate, type DssEntry, type DssUpdate } from './ltv/dss-writer.js';
export { appendedSource } from './ltv/appended-source.js';
export type { SignatureEvidence } from './verify/facts.js';
