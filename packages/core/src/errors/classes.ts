import type { ErrorCode } from './codes.js';
import { KysoError, type KysoErrorOptions } from './kyso-error.js';

/** The PDF cannot be read: damaged, truncated, encrypted, unsupported or over a limit. */
export class PdfError extends KysoError {}
/** A signature field, placeholder, prepared state or appearance problem. */
export class SignatureError extends KysoError {}
/** A key, password or certificate problem. */
export class KeyError extends KysoError {}
/** A CMS structure problem. */
export class CmsError extends KysoError {}
/** The timestamp authority could not give a usable token. */
export class TimestampError extends KysoError {}
/** The caller passed something kyso cannot use. */
export class ArgumentError extends KysoError {}
/** The caller aborted the operation. */
export class AbortError extends KysoError {}
/** Reading or writing a file failed. */
export class IoError extends KysoError {}

type ErrorClass = new (code: ErrorCode, options?: KysoErrorOptions) => KysoError;

/**
 * The one code → class map. Being a `Record<ErrorCode, …>`, it will not
 * compile until a new code is given its class.
 */
export const ERROR_CLASSES: Record<ErrorCode, ErrorClass> = {
  ERR_PDF_MALFORMED: PdfError,
  ERR_PDF_TRUNCATED: PdfError,
  ERR_PDF_ENCRYPTED: PdfError,
  ERR_PDF_PASSWORD: PdfError,
  ERR_PDF_UNSUPPORTED: PdfError,
  ERR_PDF_LIMIT: PdfError,
  ERR_PDF_PAGE_NOT_FOUND: PdfError,
  ERR_PDF_ANCHOR_NOT_FOUND: PdfError,
  ERR_SIG_FIELD_NOT_FOUND: SignatureError,
  ERR_SIG_FIELD_SIGNED: SignatureError,
  ERR_SIG_FIELD_LOCKED: SignatureError,
  ERR_SIG_CERTIFY_NOT_ALLOWED: SignatureError,
  ERR_SIG_CONTENTS_TOO_SMALL: SignatureError,
  ERR_SIG_PREPARED_INVALID: SignatureError,
  ERR_SIG_VALUE_INVALID: SignatureError,
  ERR_SIG_ALGORITHM_UNSUPPORTED: SignatureError,
  ERR_SIG_APPEARANCE: SignatureError,
  ERR_KEY_PASSWORD: KeyError,
  ERR_KEY_FORMAT: KeyError,
  ERR_KEY_NOT_FOUND: KeyError,
  ERR_KEY_CERT_MISMATCH: KeyError,
  ERR_KEY_USAGE: KeyError,
  ERR_CERT_MALFORMED: KeyError,
  ERR_CMS_MALFORMED: CmsError,
  ERR_TSA_UNREACHABLE: TimestampError,
  ERR_TSA_TIMEOUT: TimestampError,
  ERR_TSA_BAD_RESPONSE: TimestampError,
  ERR_TSA_REJECTED: TimestampError,
  ERR_INVALID_ARGUMENT: ArgumentError,
  ERR_ABORTED: AbortError,
  ERR_IO: IoError,
};

/** Creates the right error class for a code. The usual way to throw in kyso. */
export function kysoError(code: ErrorCode, detail?: string, cause?: unknown): KysoError {
  const Cls = ERROR_CLASSES[code];
  return new Cls(code, { detail, cause });
}
