import {
  DEFAULT_POLICY, gatherFacts, judge, KysoError, kysoError,
  type AppendedRevisionsFacts, type LocalizedText, type ModificationChange, type SignatureReport, type VerificationPolicy,
  type VerificationReport, type VerifyOptions,
} from '@kyso/core';
import { analyseAppendedRevisions } from '@kyso/core/verify';

/** Default tolerance between the clocks of the job's issuer and of the signer (or its TSA): five minutes. */
export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;

/** Options of {@link checkSignedSuccessor}: the trust and revocation settings of core's `verify`, plus what to expect. */
export interface SuccessorCheckOptions extends Pick<VerifyOptions, 'trust' | 'intermediates' | 'revocation' | 'fetch' | 'timeoutMs' | 'at' | 'signal'> {
  readonly policy?: VerificationPolicy;
  /**
   * Accept a new signature judged INDETERMINATE/TRY_LATER (everything passed
   * but revocation could not be established, e.g. offline with no embedded
   * OCSP/CRL). Default false: only TOTAL_PASSED is accepted.
   */
  readonly acceptRevocationUnknown?: boolean;
  /**
   * Who must have made the new signature, e.g. the certificate serial the
   * workflow step expects (`signer.serialNumber`, hex). Return false to reject.
   */
  readonly expectSigner?: (signer: SignatureReport['signer']) => boolean;
  /**
   * When the signing job was issued (the document and upload URLs handed
   * out). A new signature made earlier than this, less `clockSkewMs`, is
   * refused: it is a replay of an earlier signing of the same document, not
   * this job's. The signing time is the signature timestamp's when it is valid
   * and trusted, else the signer's claim (`/M`, else the CMS signing-time
   * attribute); a signature with neither is refused. Unset: not checked.
   */
  readonly notBefore?: Date;
  /** Tolerance for `notBefore`, in milliseconds; default {@link DEFAULT_CLOCK_SKEW_MS}. */
  readonly clockSkewMs?: number;
  /**
   * Largest share of its page the new signature's widget may cover (its appearance is painted inside it); default
   * 0.1. See core's `AppendedRevisionsOptions.maxAppearanceShare`.
   */
  readonly maxAppearanceShare?: number;
}

/**
 * The cause of an `ERR_VGCA_UPLOAD_INVALID` refusing changes a signing step
 * must not make: the changes, and a sentence naming them in both languages
 * for the user (the error's `detail` carries the English for logs).
 */
export class RefusedStepChanges extends Error {
  readonly text: LocalizedText;
  constructor(readonly changes: readonly ModificationChange[]) {
    const list = (lang: 'vi' | 'en') => changes.map((c) => c.label[lang]).join('; ');
    super(`changes other than the new signature: ${list('en')}`);
    this.name = 'RefusedStepChanges';
    this.text = {
      vi: `Tệp đã ký có thay đổi ngoài chữ ký mới: ${list('vi')}.`,
      en: `The signed file changes more than adding the signature: ${list('en')}.`,
    };
  }
}

/** What {@link checkSignedSuccessor} established. */
export interface SuccessorCheck {
  /** The report of the whole signed file. */
  readonly report: VerificationReport;
  /** The new signature's report (also in `report.signatures`). */
  readonly signature: SignatureReport;
  /** The appended revisions judged under the rules of a signing step ({@link analyseAppendedRevisions}): all allowed. */
  readonly step: AppendedRevisionsFacts;
  /** The signing time checked against `notBefore` (ISO 8601), or null when `notBefore` was not given. */
  readonly signedAt: string | null;
}

/**
 * Accepts `signed` as `original` plus exactly one new signature, or throws
 * the reason as a typed error:
 *
 * 1. `original` is a byte-identical prefix of `signed` (signing appends an
 *    incremental update and never changes an existing byte, ISO 32000-2
 *    §7.5.6 and §12.8.1) → else `ERR_VGCA_UPLOAD_NOT_APPENDED`;
 * 2. the appended bytes add exactly one signature (not a document timestamp),
 *    it covers the whole file, and it is TOTAL_PASSED under the configured
 *    trust and revocation (ETSI EN 319 102-1 indications; INDETERMINATE/
 *    TRY_LATER only with `acceptRevocationUnknown`);
 * 3. the appended revisions change nothing but what adding the signature
 *    needs, judged from the exact bytes of `original` whether or not it was
 *    signed already (core's {@link analyseAppendedRevisions}: no page content,
 *    page, resource, annotation or form change), and nothing an earlier
 *    signature forbids (DocMDP / FieldMDP, ISO 32000-2 §12.8.2); earlier
 *    signatures' bytes are untouched by step 1;
 * 4. the signer is the expected one, when `expectSigner` is given;
 * 5. the signature was made after the job was issued, when `notBefore` is
 *    given (no replay of an earlier signing of the same document).
 *
 * Failures of 2–5, and a signed file kyso cannot read, are `ERR_VGCA_UPLOAD_INVALID`
 * with the reason in the detail; refused changes also come as the error's
 * `cause`, a {@link RefusedStepChanges} naming them in vi and en. Runs in
 * browsers, workers and Node.
 */
export async function checkSignedSuccessor(original: Uint8Array, signed: Uint8Array, options: SuccessorCheckOptions = {}): Promise<SuccessorCheck> {
  if (!(original instanceof Uint8Array) || original.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', 'original must be a non-empty Uint8Array');
  if (!(signed instanceof Uint8Array)) throw kysoError('ERR_INVALID_ARGUMENT', 'signed must be a Uint8Array');
  if (signed.length <= original.length) {
    throw kysoError('ERR_VGCA_UPLOAD_NOT_APPENDED', `the signed file (${signed.length} bytes) is not longer than the original (${original.length} bytes)`);
  }
  const at = firstDifference(original, signed);
  if (at >= 0) throw kysoError('ERR_VGCA_UPLOAD_NOT_APPENDED', `the signed file differs from the original at byte ${at}`);
  const notBefore = options.notBefore;
  if (notBefore !== undefined && (!(notBefore instanceof Date) || Number.isNaN(notBefore.getTime()))) {
    throw kysoError('ERR_INVALID_ARGUMENT', 'notBefore must be a valid Date');
  }
  const skew = options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
  if (!Number.isSafeInteger(skew) || skew < 0) throw kysoError('ERR_INVALID_ARGUMENT', 'clockSkewMs must be a non-negative integer');

  // A draft has no signature whose rules could forbid anything: the appended revisions are judged from the
  // exact bytes that were sent, as if those were signed, on every step including the first.
  let step: AppendedRevisionsFacts;
  try {
    step = await analyseAppendedRevisions(signed, original.length,
      options.maxAppearanceShare === undefined ? {} : { maxAppearanceShare: options.maxAppearanceShare });
  } catch (error) {
    if (error instanceof KysoError && error.code === 'ERR_INVALID_ARGUMENT') throw error;
    throw kysoError('ERR_VGCA_UPLOAD_INVALID', 'the appended revisions could not be analysed', error);
  }

  let report: VerificationReport;
  let claimedAttribute: string | null = null;
  let newIndexes: number[];
  let newRevisions: Set<number>;
  try {
    const facts = await gatherFacts(signed, {
      trust: options.trust, intermediates: options.intermediates, revocation: options.revocation, fetch: options.fetch,
      timeoutMs: options.timeoutMs, at: options.at, signal: options.signal,
    });
    report = judge(facts, options.policy ?? DEFAULT_POLICY, null);
    // The revisions after the last one the original holds whole. Not "ends after the original": an original that
    // ends right after %%EOF gets its end-of-line from the next update, which moves its revision's end past it.
    const base = step.baseRevision;
    newRevisions = new Set(facts.revisions.filter((r) => (base >= 0 ? r.index > base : r.end > original.length)).map((r) => r.index));
    newIndexes = facts.signatures.flatMap((s, i) => (newRevisions.has(s.revision) ? [i] : []));
    if (newIndexes.length === 1) claimedAttribute = facts.signatures[newIndexes[0]!]!.cms.signingTimeAttribute;
  } catch (error) {
    if (error instanceof KysoError && (error.code === 'ERR_ABORTED' || error.code === 'ERR_INVALID_ARGUMENT')) throw error;
    throw kysoError('ERR_VGCA_UPLOAD_INVALID', 'the signed file cannot be read as a PDF', error);
  }

  if (newIndexes.length !== 1) throw kysoError('ERR_VGCA_UPLOAD_INVALID', `the appended bytes add ${newIndexes.length} signatures, not one`);
  const signature = report.signatures[newIndexes[0]!]!;
  if (signature.kind !== 'signature') throw kysoError('ERR_VGCA_UPLOAD_INVALID', 'the appended bytes add a document timestamp, not a signature');
  if (!signature.coversWholeFile || !report.lastRevisionSigned || report.unsignedTrailing !== 0) {
    throw kysoError('ERR_VGCA_UPLOAD_INVALID', 'the new signature does not cover the whole file');
  }
  if (step.verdict !== 'allowed') {
    const refused = new RefusedStepChanges(step.refused.length ? step.refused : step.changes);
    throw kysoError('ERR_VGCA_UPLOAD_INVALID', refused.message, refused);
  }
  const passed = signature.indication === 'TOTAL_PASSED'
    || (options.acceptRevocationUnknown === true && signature.indication === 'INDETERMINATE' && signature.subIndication === 'TRY_LATER');
  if (!passed) {
    const why = signature.messages[0]?.en;
    throw kysoError('ERR_VGCA_UPLOAD_INVALID', `the new signature is ${signature.indication}${signature.subIndication ? `/${signature.subIndication}` : ''}${why ? `: ${why}` : ''}`);
  }
  report.signatures.forEach((earlier, i) => {
    if (i === newIndexes[0]) return;
    const forbidden = earlier.modifications.changes.find((c) => !c.allowed && newRevisions.has(c.revision));
    if (forbidden) throw kysoError('ERR_VGCA_UPLOAD_INVALID', `the new revision makes a change signature ${i + 1} forbids: ${forbidden.label.en}`);
  });
  if (options.expectSigner && !options.expectSigner(signature.signer)) {
    throw kysoError('ERR_VGCA_UPLOAD_INVALID', `the new signature was made by an unexpected certificate (serial ${signature.signer.serialNumber ?? '?'})`);
  }
  let signedAt: string | null = null;
  if (notBefore) {
    // The timestamp only when the verifier found it valid and its TSA trusted (the report leaves it null otherwise).
    signedAt = signature.signingTime.timestamp ?? signature.signingTime.claimed ?? claimedAttribute;
    const time = signedAt === null ? NaN : new Date(signedAt).getTime();
    if (Number.isNaN(time)) throw kysoError('ERR_VGCA_UPLOAD_INVALID', 'the new signature carries no signing time to check against the job');
    if (time < notBefore.getTime() - skew) {
      throw kysoError('ERR_VGCA_UPLOAD_INVALID',
        `the new signature was made at ${new Date(time).toISOString()}, before this signing job was issued at ${notBefore.toISOString()} (an earlier signing replayed)`);
    }
  }
  return { report, signature, step, signedAt };
}

/** The first offset where `signed` differs from `original`, or -1 when `original` is its prefix. */
function firstDifference(original: Uint8Array, signed: Uint8Array): number {
  for (let i = 0; i < original.length; i++) if (original[i] !== signed[i]) return i;
  return -1;
}
