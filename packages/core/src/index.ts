/**
 * @packageDocumentation
 * kyso core: PAdES signing and verification of PDF documents. Pure TypeScript
 * without DOM or Node APIs: runs in Node and in a Web Worker.
 *
 * The root entry holds the types, the errors and the one-call functions
 * (`sign`, `prepare`/`finish`, `verify`, `gatherFacts`/`judge`, `extend`) with
 * what their options are built from (trust stores, policies). Each layer has
 * its own entry with the rest: `@kyso/core/sign`, `@kyso/core/verify`,
 * `@kyso/core/ltv`, `@kyso/core/appearance`; Node file helpers are in
 * `@kyso/core/node`, the Web Worker client in `@kyso/core/worker`
 * (docs/decisions/0032).
 */
import * as appearanceEntry from './entries/appearance.js';
import * as ltvEntry from './entries/ltv.js';
import * as signEntry from './entries/sign.js';
import * as verifyEntry from './entries/verify.js';

export * from './errors/index.js';
export type { Progress, ProgressListener } from './progress.js';
export type { SigningAdapter, CertificateEntry, SignRequest, AdapterCapabilities } from './adapter.js';
export type {
  FullDocumentSigner, FullDocumentRequest, FullDocumentResult, FullDocumentRole, FullDocumentMetadata,
} from './full-document.js';
export type {
  FetchLike, SubFilter, HashAlgorithm, SignatureScheme, SignatureAlgorithm, NetworkOptions, NetworkService, ServiceTimeouts,
} from './options.js';
export * from './crypto/algorithms.js';
export { parseCertificate, type CertificateInfo, type KeyAlgorithm, type NamedCurve } from './crypto/certificate-info.js';
export { memorySource, type ByteSource } from './pdf/byte-source.js';
export { toBase64, fromBase64 } from './util/base64.js';

// Signing (more in `@kyso/core/sign`).
export { prepare, finish, sign, type FinishOptions, type PreparedSignature } from './entries/sign.js';
export type {
  PrepareOptions, SignOptions, LtvSignOptions, PadesLevel, TimestampOptions, Placement, DocMdpPermission, FieldLock,
} from './entries/sign.js';
export type { SignatureRole, AppearanceImage, CopyForm, AppearanceOptions } from './entries/appearance.js';

// Verification (more in `@kyso/core/verify`). The verifier loads on first call: signing alone never compiles it.
export { verify, gatherFacts, judge, DEFAULT_POLICY, LEGACY_POLICY } from './entries/verify.js';
export type {
  VerifyOptions, VerificationPolicy, VerificationReport, SignatureReport, Indication, SubIndication, PadesLevelReached, LtvStatus,
  VerificationFacts, SignatureFacts, CertificateFacts, ModificationChange, ChainFacts, ChainProblem, ChainNote, SignatureEvidence,
  RevocationData,
} from './entries/verify.js';
export {
  trustProfile, trustFromCertificates, mergeTrust, readCertificates, distrust, certificateFingerprint, TRUST_PROFILE_NAMES, type TrustStore,
  type TrustProfileName,
} from './entries/verify.js';
// The modification policy is pure data and predicates (no parser, no crypto): building one never loads the verifier.
export { ModificationPolicy, defaultModificationPolicy, annotationRule, MODIFICATION_RULES } from './entries/verify.js';
export type {
  ModificationRule, ModificationSubject, RuleContext, DocMdpLevel, AnnotationRuleOptions, FieldLockFact,
} from './entries/verify.js';

// Long-term validation (more in `@kyso/core/ltv`).
export { extend } from './entries/ltv.js';
export type { ExtendOptions, ExtendResult, LtvLevel } from './entries/ltv.js';

// ---------------------------------------------------------------------------------------------------------------
// Kept at the root for one release, then only in their layer's entry. Each names where it moved.

/** @deprecated import `signIncrement` from `@kyso/core/sign`; the root export goes in the next release. */
export const signIncrement = signEntry.signIncrement;
/** @deprecated import `finishIncrement` from `@kyso/core/sign`; the root export goes in the next release. */
export const finishIncrement = signEntry.finishIncrement;

/** @deprecated import `readRevocationData` from `@kyso/core/verify`; the root export goes in the next release. */
export const readRevocationData = verifyEntry.readRevocationData;
/** @deprecated import `analyseAppendedRevisions` from `@kyso/core/verify`; the root export goes in the next release. */
export const analyseAppendedRevisions = verifyEntry.analyseAppendedRevisions;
/** @deprecated import from `@kyso/core/verify`. */
export type SuppliedRevocation = verifyEntry.SuppliedRevocation;
/** @deprecated import from `@kyso/core/verify`. */
export type AppendedRevisionsFacts = verifyEntry.AppendedRevisionsFacts;
/** @deprecated import from `@kyso/core/verify`. */
export type AppendedRevisionsOptions = verifyEntry.AppendedRevisionsOptions;
/** @deprecated import from `@kyso/core/verify`. */
export type AppendedSignature = verifyEntry.AppendedSignature;

/** @deprecated import `extendIncrement` from `@kyso/core/ltv`; the root export goes in the next release. */
export const extendIncrement = ltvEntry.extendIncrement;
/** @deprecated import `collectLtvEvidence` from `@kyso/core/ltv`; the root export goes in the next release. */
export const collectLtvEvidence = ltvEntry.collectLtvEvidence;
/** @deprecated import `documentTimestampIncrement` from `@kyso/core/ltv`; the root export goes in the next release. */
export const documentTimestampIncrement = ltvEntry.documentTimestampIncrement;
/** @deprecated import `buildDssUpdate` from `@kyso/core/ltv`; the root export goes in the next release. */
export const buildDssUpdate = ltvEntry.buildDssUpdate;
/** @deprecated import `appendedSource` from `@kyso/core/ltv`; the root export goes in the next release. */
export const appendedSource = ltvEntry.appendedSource;
/** @deprecated import from `@kyso/core/ltv`. */
export type EvidenceOptions = ltvEntry.EvidenceOptions;
/** @deprecated import from `@kyso/core/ltv`. */
export type LtvEvidence = ltvEntry.LtvEvidence;
/** @deprecated import from `@kyso/core/ltv`. */
export type DocumentTimestampOptions = ltvEntry.DocumentTimestampOptions;
/** @deprecated import from `@kyso/core/ltv`. */
export type DssEntry = ltvEntry.DssEntry;
/** @deprecated import from `@kyso/core/ltv`. */
export type DssUpdate = ltvEntry.DssUpdate;

/** @deprecated import `formatVietnamTime` from `@kyso/core/appearance`; the root export goes in the next release. */
export const formatVietnamTime = appearanceEntry.formatVietnamTime;
/** @deprecated import `appearanceLines` from `@kyso/core/appearance`; the root export goes in the next release. */
export const appearanceLines = appearanceEntry.appearanceLines;
/** @deprecated import `APPEARANCE_LABELS` from `@kyso/core/appearance`; the root export goes in the next release. */
export const APPEARANCE_LABELS = appearanceEntry.APPEARANCE_LABELS;
/** @deprecated import `PT_PER_MM` from `@kyso/core/appearance`; the root export goes in the next release. */
export const PT_PER_MM = appearanceEntry.PT_PER_MM;
/** @deprecated import `sealSizePt` from `@kyso/core/appearance`; the root export goes in the next release. */
export const sealSizePt = appearanceEntry.sealSizePt;
/** @deprecated import `placeIssueSeal` from `@kyso/core/appearance`; the root export goes in the next release. */
export const placeIssueSeal = appearanceEntry.placeIssueSeal;
/** @deprecated import `placeTopRight` from `@kyso/core/appearance`; the root export goes in the next release. */
export const placeTopRight = appearanceEntry.placeTopRight;
/** @deprecated import `loadDefaultFont` from `@kyso/core/appearance`; the root export goes in the next release. */
export const loadDefaultFont = appearanceEntry.loadDefaultFont;
/** @deprecated import `setDefaultFontLoader` from `@kyso/core/appearance`; the root export goes in the next release. */
export const setDefaultFontLoader = appearanceEntry.setDefaultFontLoader;
/** @deprecated import `buildAppearance` from `@kyso/core/appearance`; the root export goes in the next release. */
export const buildAppearance = appearanceEntry.buildAppearance;
/** @deprecated import from `@kyso/core/appearance`. */
export type AppearanceBox = appearanceEntry.AppearanceBox;
/** @deprecated import from `@kyso/core/appearance`. */
export type PageRotation = appearanceEntry.PageRotation;
/** @deprecated import from `@kyso/core/appearance`. */
export type BuildAppearanceInput = appearanceEntry.BuildAppearanceInput;
/** @deprecated import from `@kyso/core/appearance`. */
export type BuiltAppearance = appearanceEntry.BuiltAppearance;
/** @deprecated import from `@kyso/core/appearance`. */
export type Rect = appearanceEntry.Rect;
/** @deprecated import from `@kyso/core/appearance`. */
export type Size = appearanceEntry.Size;
/** @deprecated import from `@kyso/core/appearance`. */
export type FontLoader = appearanceEntry.FontLoader;
