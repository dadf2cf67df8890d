/**
 * Stable error codes, grouped by cause. A code never changes meaning once
 * released; new failures get new codes. The messages live in `messages.ts`,
 * the classes in `classes.ts`; `docs/errors.md` explains each one.
 */
export const ERROR_CODES = [
  // The PDF itself
  'ERR_PDF_MALFORMED',
  'ERR_PDF_TRUNCATED',
  'ERR_PDF_ENCRYPTED',
  'ERR_PDF_PASSWORD',
  'ERR_PDF_UNSUPPORTED',
  'ERR_PDF_LIMIT',
  'ERR_PDF_PAGE_NOT_FOUND',
  'ERR_PDF_ANCHOR_NOT_FOUND',
  // Signature fields and placeholders
  'ERR_SIG_FIELD_NOT_FOUND',
  'ERR_SIG_FIELD_SIGNED',
  'ERR_SIG_FIELD_LOCKED',
  'ERR_SIG_CERTIFY_NOT_ALLOWED',
  'ERR_SIG_CONTENTS_TOO_SMALL',
  'ERR_SIG_PREPARED_INVALID',
  'ERR_SIG_VALUE_INVALID',
  'ERR_SIG_ALGORITHM_UNSUPPORTED',
  'ERR_SIG_APPEARANCE',
  // Keys and certificates
  'ERR_KEY_PASSWORD',
  'ERR_KEY_FORMAT',
  'ERR_KEY_NOT_FOUND',
  'ERR_KEY_CERT_MISMATCH',
  'ERR_KEY_USAGE',
  'ERR_CERT_MALFORMED',
  // CMS
  'ERR_CMS_MALFORMED',
  // Timestamp authority
  'ERR_TSA_UNREACHABLE',
  'ERR_TSA_TIMEOUT',
  'ERR_TSA_BAD_RESPONSE',
  'ERR_TSA_REJECTED',
  // Long-term validation (PAdES B-LT / B-LTA)
  'ERR_LTV_NO_SIGNATURES',
  'ERR_LTV_DATA_MISSING',
  'ERR_REVOCATION_DATA_MALFORMED',
  // Remote signing service (Cloud Signature Consortium API v2)
  'ERR_CSC_UNREACHABLE',
  'ERR_CSC_TIMEOUT',
  'ERR_CSC_UNAUTHORIZED',
  'ERR_CSC_FORBIDDEN',
  'ERR_CSC_SERVER',
  'ERR_CSC_BAD_RESPONSE',
  'ERR_CSC_REQUEST_REJECTED',
  'ERR_CSC_SAD_EXPIRED',
  'ERR_CSC_AUTH_REJECTED',
  'ERR_CSC_AUTH_TIMEOUT',
  // Vietnamese remote signing services (RSSP / ETSI TS 119 432, VNPT SmartCA, NEAC eSign, Viettel MySign)
  'ERR_REMOTE_UNREACHABLE',
  'ERR_REMOTE_TIMEOUT',
  'ERR_REMOTE_UNAUTHORIZED',
  'ERR_REMOTE_SERVER',
  'ERR_REMOTE_BAD_RESPONSE',
  'ERR_REMOTE_REQUEST_REJECTED',
  'ERR_REMOTE_REJECTED',
  'ERR_REMOTE_EXPIRED',
  'ERR_REMOTE_CANCELLED',
  'ERR_REMOTE_CERT_REVOKED',
  'ERR_REMOTE_CALLBACK_REFUSED',
  'ERR_REMOTE_TRANSACTION_UNKNOWN',
  // Local token agent (packages/agent) and its page side (TokenAgentAdapter)
  'ERR_AGENT_UNREACHABLE',
  'ERR_AGENT_DISCONNECTED',
  'ERR_AGENT_TIMEOUT',
  'ERR_AGENT_USER_TIMEOUT',
  'ERR_AGENT_ORIGIN_DENIED',
  'ERR_AGENT_CONSENT_DENIED',
  'ERR_AGENT_VERSION',
  'ERR_AGENT_PROTOCOL',
  'ERR_AGENT_BUSY',
  'ERR_AGENT_CANCELLED',
  'ERR_AGENT_OVERLOADED',
  'ERR_AGENT_CLIENT_DENIED',
  // Hardware tokens reached through PKCS#11
  'ERR_TOKEN_REMOVED',
  'ERR_TOKEN_PIN_INCORRECT',
  'ERR_TOKEN_PIN_LOCKED',
  'ERR_TOKEN_PIN_LIMIT',
  'ERR_TOKEN_FAILURE',
  // VGCA Sign Service (whole-document signing by the agent of Ban Cơ yếu Chính phủ) and the integrator's upload handler
  'ERR_VGCA_UNAVAILABLE',
  'ERR_VGCA_TIMEOUT',
  'ERR_VGCA_BUSY',
  'ERR_VGCA_BAD_REPLY',
  'ERR_VGCA_REFUSED',
  'ERR_VGCA_CANCELLED',
  'ERR_VGCA_NOT_STORED',
  'ERR_VGCA_UPLOAD_MALFORMED',
  'ERR_VGCA_UPLOAD_NOT_APPENDED',
  'ERR_VGCA_UPLOAD_INVALID',
  // The kyso service (`kyso serve`, `kyso worker`, `kyso audit --queue`)
  'ERR_SERVICE_UNAUTHORIZED',
  'ERR_SERVICE_BODY_TOO_LARGE',
  'ERR_SERVICE_RATE_LIMITED',
  'ERR_SERVICE_TIMEOUT',
  'ERR_SERVICE_NOT_FOUND',
  'ERR_SERVICE_UNAVAILABLE',
  'ERR_QUEUE_UNREACHABLE',
  'ERR_QUEUE_JOB_FAILED',
  // Caller mistakes and I/O
  'ERR_INVALID_ARGUMENT',
  'ERR_ABORTED',
  'ERR_IO',
  'ERR_EVIDENCE_DIR_NOT_EMPTY',
  // kyso's own faults: anything it does not recognise, with the original error as `cause`
  'ERR_INTERNAL',
] as const;

/** One of kyso's stable error codes. */
export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
