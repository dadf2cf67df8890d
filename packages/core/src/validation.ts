/**
 * The validation half of the public API (verification, long-term validation
 * data, document timestamps), loaded on first use. A process or a page that
 * only signs never compiles it: about 40 modules and, in Node, a few MB of
 * memory (docs/decisions/0013). Each function here has the signature of the
 * implementation it forwards to.
 */
import type { ByteSource } from './pdf/byte-source.js';
import type { VerifyOptions } from './verify/verify.js';
import type { VerificationReport } from './verify/report.js';
import type { VerificationFacts } from './verify/facts.js';
import type { AppendedRevisionsFacts, AppendedRevisionsOptions } from './verify/modifications/step-rules.js';
import type { RevocationData, SuppliedRevocation } from './verify/revocation/supplied.js';
import type {
  DocumentTimestampOptions, EvidenceOptions, ExtendOptions, ExtendResult, LtvEvidence,
} from './ltv/index.js';

type VerifyModule = typeof import('./verify/verify.js');
type StepRulesModule = typeof import('./verify/modifications/step-rules.js');
type LtvModule = typeof import('./ltv/index.js');

let verifyModule: Promise<VerifyModule> | undefined;
let ltvModule: Promise<LtvModule> | undefined;
const loadVerify = (): Promise<VerifyModule> => (verifyModule ??= import('./verify/verify.js'));
const loadLtv = (): Promise<LtvModule> => (ltvModule ??= import('./ltv/index.js'));
let stepRulesModule: Promise<StepRulesModule> | undefined;
const loadStepRules = (): Promise<StepRulesModule> => (stepRulesModule ??= import('./verify/modifications/step-rules.js'));

/**
 * Verifies every signature and document timestamp of a PDF (ETSI EN 319 102-1
 * style): gathers the facts in one pass ({@link gatherFacts}), then judges them
 * with a pure policy (`judge`). Throws only when the file cannot be read as a
 * PDF; everything about signatures is in the frozen report.
 */
export async function verify(pdf: Uint8Array | ByteSource, options: VerifyOptions = {}): Promise<VerificationReport> {
  return (await loadVerify()).verify(pdf, options);
}

/** The facts of a PDF's signatures: plain JSON data, judged later (possibly elsewhere, under another policy or time). */
export async function gatherFacts(pdf: Uint8Array | ByteSource, options: VerifyOptions = {}): Promise<VerificationFacts> {
  return (await loadVerify()).gatherFacts(pdf, options);
}

/** Raises the signatures of `pdf` to `options.level` (B-LT or B-LTA); returns the whole extended file. */
export async function extend(pdf: Uint8Array | ByteSource, options: ExtendOptions): Promise<Uint8Array> {
  return (await loadLtv()).extend(pdf, options);
}

/**
 * Like {@link extend}, but returns only what to append (for files: see
 * `extendFile` in `@kyso/core/node`), with what was added.
 * @throws ERR_LTV_NO_SIGNATURES (nothing to extend), ERR_LTV_DATA_MISSING (a
 *   certificate's status could not be decided or a path does not reach a trust
 *   anchor), the ERR_TSA_* errors for the document timestamp, ERR_INVALID_ARGUMENT.
 */
export async function extendIncrement(pdf: Uint8Array | ByteSource, options: ExtendOptions): Promise<ExtendResult> {
  return (await loadLtv()).extendIncrement(pdf, options);
}

/** Evidence (certificates, OCSP responses, CRLs) for every signature, ready for the /DSS writer, and what could not be found. */
export async function collectLtvEvidence(source: ByteSource, options: EvidenceOptions): Promise<LtvEvidence> {
  return (await loadLtv()).collectLtvEvidence(source, options);
}

/**
 * Builds the update that adds a document timestamp over all of `source`
 * (ETSI EN 319 142-1 §5.4). If the token does not fit the reserved
 * `/Contents`, builds the update again with room for it and asks the TSA once more.
 * @returns the bytes to append to `source`.
 */
export async function documentTimestampIncrement(source: ByteSource, options: DocumentTimestampOptions): Promise<Uint8Array> {
  return (await loadLtv()).documentTimestampIncrement(source, options);
}

/**
 * What the revisions a signing step appended to the first `prefixLength`
 * bytes of `pdf` (the document exactly as it was sent to the signer) change,
 * judged under the strictest rules that still allow signing: new signatures
 * with their fields, widgets and appearances, and the entries adding them
 * touches; no page content, page, resource, annotation or form change. Also
 * on a first step, whose prefix has no signature to judge against. See
 * `verify/modifications/step-rules.ts`.
 * @throws ERR_INVALID_ARGUMENT (an unreadable file is a refused change, not an error).
 */
export async function analyseAppendedRevisions(
  pdf: Uint8Array | ByteSource, prefixLength: number, options: AppendedRevisionsOptions = {},
): Promise<AppendedRevisionsFacts> {
  return (await loadStepRules()).analyseAppendedRevisions(pdf, prefixLength, options);
}

/**
 * Decodes and checks revocation data supplied for verification (CRLs and OCSP
 * responses, DER or PEM), so that a wrong file can be named before verifying.
 * Loaded on first use like the rest of validation: a signing process never parses CRLs.
 * @throws ERR_REVOCATION_DATA_MALFORMED for an item that is neither; ERR_INVALID_ARGUMENT for a wrong shape.
 */
export async function readRevocationData(data: RevocationData | undefined): Promise<SuppliedRevocation> {
  return (await loadVerify()).readRevocationData(data);
}
