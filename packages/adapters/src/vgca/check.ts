import {
  DEFAULT_POLICY, gatherFacts, judge, KysoError, kysoError,
  type SignatureReport, type VerificationPolicy, type VerificationReport, type VerifyOptions,
} from '@kyso/core';

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
}

/** What {@link checkSignedSuccessor} established. */
export interface SuccessorCheck {
  /** The report of the whole signed file. */
  readonly report: VerificationReport;
  /** The new signature's report (also in `report.signatures`). */
  readonly signature: SignatureReport;
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
 * 3. the new revision makes no change an earlier signature forbids (DocMDP /
 *    FieldMDP, ISO 32000-2 §12.8.2); earlier signatures' bytes are untouched
 *    by step 1;
 * 4. the signer is the expected one, when `expectSigner` is given.
 *
 * Failures of 2–4, and a signed file kyso cannot read, are `ERR_VGCA_UPLOAD_INVALID`
 * with the indication in the detail. Runs in browsers, workers and Node.
 */
export async function checkSignedSuccessor(original: Uint8Array, signed: Uint8Array, options: SuccessorCheckOptions = {}): Promise<SuccessorCheck> {
  if (!(original instanceof Uint8Array) || original.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', 'original must be a non-empty Uint8Array');
  if (!(signed instanceof Uint8Array)) throw kysoError('ERR_INVALID_ARGUMENT', 'signed must be a Uint8Array');
  if (signed.length <= original.length) {
    throw kysoError('ERR_VGCA_UPLOAD_NOT_APPENDED', `the signed file (${signed.length} bytes) is not longer than the original (${original.length} bytes)`);
  }
  const at = firstDifference(original, signed);
  if (at >= 0) throw kysoError('ERR_VGCA_UPLOAD_NOT_APPENDED', `the signed file differs from the original at byte ${at}`);

  let report: VerificationReport;
  let newIndexes: number[];
  let newRevisions: Set<number>;
  try {
    const facts = await gatherFacts(signed, {
      trust: options.trust, intermediates: options.intermediates, revocation: options.revocation, fetch: options.fetch,
      timeoutMs: options.timeoutMs, at: options.at, signal: options.signal,
    });
    report = judge(facts, options.policy ?? DEFAULT_POLICY, null);
    newRevisions = new Set(facts.revisions.filter((r) => r.end > original.length).map((r) => r.index));
    newIndexes = facts.signatures.flatMap((s, i) => (newRevisions.has(s.revision) ? [i] : []));
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
  return { report, signature };
}

/** The first offset where `signed` differs from `original`, or -1 when `original` is its prefix. */
function firstDifference(original: Uint8Array, signed: Uint8Array): number {
  for (let i = 0; i < original.length; i++) if (original[i] !== signed[i]) return i;
  return -1;
}
