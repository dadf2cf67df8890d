/**
 * kyso's report of one signature → pdf.js's VerificationResult. Strict by
 * construction: only TOTAL_PASSED over intact bytes with no disallowed change
 * becomes `verified`; pdf.js's certificate statuses (`untrusted`, `expired`,
 * `revoked`), which its panel shows as "signature verified" with a
 * certificate warning, are used only when kyso checked the signature value and
 * the signed bytes; anything kyso could not decide stays `unknown`.
 */
import type { SignatureReport, SubIndication } from '@kyso/core';
import type { KysoVerdict, PdfjsCertificate, PdfjsSignature, PdfjsSignatureStatus, PdfjsVerificationResult } from './types.js';

/** INDETERMINATE sub-indications that name a certificate problem (ETSI EN 319 102-1 §5.1.3), by pdf.js status. */
const CERTIFICATE_STATUS: Partial<Record<SubIndication, PdfjsSignatureStatus>> = {
  REVOKED_NO_POE: 'revoked',
  REVOKED_CA_NO_POE: 'revoked',
  OUT_OF_BOUNDS_NO_POE: 'expired',
  OUT_OF_BOUNDS_NOT_REVOKED: 'expired',
  NO_CERTIFICATE_CHAIN_FOUND: 'untrusted',
};

/** The value of the first `CN=` of a distinguished name written as kyso's report writes it. */
function commonName(dn: string | null): string | null {
  if (!dn) return null;
  const match = /(?:^|,\s*)CN=((?:\\.|[^,\\])*)/.exec(dn);
  return match ? match[1]!.replace(/\\(.)/g, '$1').trim() : null;
}

/** The verdict pdf.js does not have: kyso's indication, modification analysis and times. */
export function kysoVerdict(report: SignatureReport): KysoVerdict {
  return {
    indication: report.indication,
    subIndication: report.subIndication,
    integrity: report.integrity,
    level: report.level,
    modifications: {
      verdict: report.modifications.verdict,
      changes: report.modifications.changes.map((c) => ({ revision: c.revision, kind: c.kind, allowed: c.allowed, label: { vi: c.label.vi, en: c.label.en } })),
    },
    signingTime: { claimed: report.signingTime.claimed, timestamp: report.signingTime.timestamp },
    messages: report.messages.map((m) => ({ vi: m.vi, en: m.en })),
  };
}

function certificate(report: SignatureReport): PdfjsCertificate | null {
  const { signer } = report;
  if (!signer.commonName && !signer.issuer && !signer.serialNumber) return null;
  return { subjectCN: signer.commonName, issuerCN: commonName(signer.issuer), organization: signer.organization, serialNumber: signer.serialNumber, uid: [...signer.uid] };
}

/** pdf.js's status for kyso's report of the signature. */
export function statusOf(report: SignatureReport): { status: PdfjsSignatureStatus; errorCode: string | null } {
  // A disallowed change makes the signature worthless for what the reader now sees, whatever the indication says.
  if (report.modifications.verdict === 'disallowed') return { status: 'invalid', errorCode: 'KYSO_MODIFIED_DISALLOWED' };
  if (report.integrity === 'broken' || report.cryptoValid === false || report.indication === 'TOTAL_FAILED') {
    return { status: 'invalid', errorCode: report.subIndication ?? 'TOTAL_FAILED' };
  }
  const checked = report.integrity === 'intact' && report.cryptoValid === true;
  if (report.indication === 'TOTAL_PASSED' && checked) return { status: 'verified', errorCode: null };
  const certificateStatus = report.subIndication ? CERTIFICATE_STATUS[report.subIndication] : undefined;
  if (report.indication === 'INDETERMINATE' && checked && certificateStatus) return { status: certificateStatus, errorCode: report.subIndication };
  return { status: 'unknown', errorCode: report.subIndication ?? report.indication };
}

/**
 * The result for `signature` (pdf.js's entry) from kyso's `report` of the
 * same signature. "Modified after signing" is the union of what pdf.js saw
 * (bytes after the signed range) and what kyso found (later revisions,
 * changes), so neither side can hide the other's finding.
 */
export function toPdfjsResult(signature: PdfjsSignature, report: SignatureReport, lang: 'vi' | 'en' = 'en'): PdfjsVerificationResult {
  const { status, errorCode } = statusOf(report);
  const laterRevisions = new Set(report.modifications.changes.map((c) => c.revision)).size;
  const modified = signature.coversWholeDocument === false || !report.coversWholeFile || report.modifications.verdict !== 'none';
  const message = report.messages.map((m) => m[lang]).join(' ') || null;
  return {
    status,
    errorCode,
    message,
    certificate: certificate(report),
    documentModifiedAfterSigning: modified,
    modificationsAfterSignature: Math.max(signature.modificationsAfterSignature ?? 0, laterRevisions, modified ? 1 : 0),
    kyso: kysoVerdict(report),
  };
}

/** A result for a signature kyso could not judge: `unknown`, with the reason. */
export function unknownResult(signature: PdfjsSignature, errorCode: string, message: string | null): PdfjsVerificationResult {
  const modified = signature.coversWholeDocument === false;
  return {
    status: 'unknown',
    errorCode,
    message,
    certificate: null,
    documentModifiedAfterSigning: modified,
    modificationsAfterSignature: signature.modificationsAfterSignature ?? (modified ? 1 : 0),
    kyso: null,
  };
}
