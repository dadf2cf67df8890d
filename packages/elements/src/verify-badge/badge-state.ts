/**
 * From a verification report to what a badge says. Pure and strict: a state is
 * "valid" only when every signature and document timestamp is TOTAL_PASSED
 * with integrity, cryptography, chain and revocation all proven, and nothing
 * disallowed changed; whatever could not be decided stays "unknown" (never a
 * guess; EN 319 102-1 §5.1.3: INDETERMINATE is not a pass).
 */
import type { SignatureReport, VerificationReport } from '@kyso/core';

/** What a badge can show about a verified document (Acrobat's signature bar, in kyso's words). */
export type ReportState =
  | 'valid'            // every signature TOTAL_PASSED, the last revision is signed
  | 'valid-changes'    // every signature TOTAL_PASSED, but the file changed after the last signature in permitted ways
  | 'modified'         // a change after signing that the signer's permissions do not allow
  | 'invalid'          // the signed bytes or the signature value do not hold (tampered, broken structure)
  | 'revoked'          // a signer's certificate was revoked before the signing time
  | 'expired'          // a signer's certificate was outside its validity at the signing time
  | 'unknown'          // INDETERMINATE: untrusted chain, no revocation data, weak algorithms, …
  | 'unsigned';        // no signature and no document timestamp

/** Every state of the element: the report's, plus the two of the process. */
export type BadgeState = ReportState | 'loading' | 'error';

/** From the most to the least serious: the document shows the worst of its signatures. */
export const SEVERITY: readonly ReportState[] = ['invalid', 'modified', 'revoked', 'expired', 'unknown', 'valid-changes', 'valid', 'unsigned'];

/** Changes that only extend a signed document the way PAdES expects (ETSI EN 319 142-1 §5.4: LTV data, more signatures). */
const EXTENDING_CHANGES = new Set(['signature-added', 'document-timestamp-added', 'dss-added']);

const CERTIFICATE_OUT_OF_VALIDITY = new Set(['EXPIRED', 'NOT_YET_VALID', 'OUT_OF_BOUNDS_NO_POE', 'OUT_OF_BOUNDS_NOT_REVOKED']);
const REVOKED = new Set(['REVOKED', 'REVOKED_NO_POE', 'REVOKED_CA_NO_POE']);

/**
 * The state of one signature (or document timestamp).
 *
 * Order of the checks, most telling first: the bytes (integrity, signature
 * value, structure) → changes after signing → the certificate's status
 * (revoked, out of validity) → the indication. TOTAL_PASSED becomes "valid"
 * only when every underlying fact agrees; a report that claims a pass with a
 * fact missing is read as "unknown".
 */
export function signatureState(s: SignatureReport): ReportState {
  if (s.integrity === 'broken' || s.cryptoValid === false || s.coverage === 'broken') return 'invalid';
  if (s.modifications.verdict === 'disallowed') return 'modified';
  if (s.revocation.status === 'revoked' && s.indication !== 'TOTAL_PASSED') return 'revoked';
  if (s.subIndication && REVOKED.has(s.subIndication)) return 'revoked';
  if (s.subIndication && CERTIFICATE_OUT_OF_VALIDITY.has(s.subIndication)) return 'expired';
  if (s.indication === 'TOTAL_FAILED') return 'invalid';
  if (s.indication !== 'TOTAL_PASSED') return 'unknown';
  const proven =
    s.integrity === 'intact' && s.cryptoValid === true && s.coverage === 'whole-revision' &&
    s.chain.status === 'trusted' && s.revocation.status !== 'not-checked' && s.revocation.status !== 'unknown' &&
    (s.modifications.verdict === 'none' || s.modifications.verdict === 'allowed');
  if (!proven) return 'unknown';
  const onlyExtended = s.modifications.changes.every((c) => EXTENDING_CHANGES.has(c.kind));
  return onlyExtended ? 'valid' : 'valid-changes';
}

/** The state of a document and the signature that decides it (index into `report.signatures`, or null when unsigned). */
export interface DocumentState {
  readonly state: ReportState;
  readonly decisive: number | null;
}

/**
 * The state of a whole document: the most serious state of its signatures.
 * When all pass, the document is "valid" only if nothing but validation data
 * or document timestamps was appended after the last signature; otherwise the
 * appended changes were allowed ones and it is "valid-changes".
 *
 * The decisive signature is the first one with the document's state; when all
 * are valid, the last signature proper (not a document timestamp), whose signer
 * the badge names.
 */
export function documentState(report: VerificationReport): DocumentState {
  const sigs = report.signatures;
  if (sigs.length === 0) return { state: 'unsigned', decisive: null };
  const states = sigs.map(signatureState);
  let worst: ReportState = 'valid';
  for (const s of states) if (SEVERITY.indexOf(s) < SEVERITY.indexOf(worst)) worst = s;
  // Revisions after the last signature that only add validation data or a document timestamp (PAdES B-LT/B-LTA,
  // ETSI EN 319 142-1 §5.4–5.5) extend the signatures rather than change the document, as Acrobat also shows.
  const trailing = sigs[sigs.length - 1]!.modifications.changes;
  const onlyExtendedAfter = trailing.length > 0 && trailing.every((c) => EXTENDING_CHANGES.has(c.kind));
  if (worst === 'valid' && (!report.lastRevisionSigned || report.unsignedTrailing > 0) && !onlyExtendedAfter) worst = 'valid-changes';
  if (worst === 'valid' || worst === 'valid-changes') {
    const lastSigner = sigs.map((s, i) => [s, i] as const).filter(([s]) => s.kind === 'signature').at(-1)?.[1];
    return { state: worst, decisive: lastSigner ?? sigs.length - 1 };
  }
  return { state: worst, decisive: states.indexOf(worst) };
}

/** The time to show for a signature: the timestamp's (proven) if any, else the signer's claim. */
export function displayTime(s: SignatureReport): { readonly at: Date; readonly proven: boolean } | null {
  const iso = s.signingTime.timestamp ?? s.signingTime.claimed;
  if (!iso) return null;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : { at, proven: s.signingTime.timestamp !== null };
}
