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
  // Caller mistakes and I/O
  'ERR_INVALID_ARGUMENT',
  'ERR_ABORTED',
  'ERR_IO',
] as const;

/** One of kyso's stable error codes. */
export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
