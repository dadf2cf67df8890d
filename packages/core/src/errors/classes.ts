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
/** Validation data for a long-term (LTV) extension could not be gathered. */
export class LtvError extends KysoError {}
/** The local token agent cannot be reached, refused the page, or broke the protocol. */
export class AgentError extends KysoError {}
/** A PKCS#11 token failed: removed, wrong or locked PIN, device error. */
export class TokenError extends KysoError {}
/** A remote signing service (CSC API) refused, failed or could not be reached. */
export class RemoteSigningError extends KysoError {}
/** The VGCA Sign Service failed or refused, or a document it uploaded is not acceptable. */
export class VgcaError extends KysoError {}
/** The caller passed something kyso cannot use. */
export class ArgumentError extends KysoError {}
/** The caller aborted the operation. */
export class AbortError extends KysoError {}
/** Reading or writing a file failed. */
export class IoError extends KysoError {}
/** The kyso service refused or could not serve a request, or its job queue failed. */
export class ServiceError extends KysoError {}

/** Something kyso does not recognise failed (a bug, or a failure of the platform); `cause` is the original error. */
export class InternalError extends KysoError {}

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
  ERR_LTV_NO_SIGNATURES: LtvError,
  ERR_LTV_DATA_MISSING: LtvError,
  ERR_REVOCATION_DATA_MALFORMED: LtvError,
  ERR_CSC_UNREACHABLE: RemoteSigningError,
  ERR_CSC_TIMEOUT: RemoteSigningError,
  ERR_CSC_UNAUTHORIZED: RemoteSigningError,
  ERR_CSC_FORBIDDEN: RemoteSigningError,
  ERR_CSC_SERVER: RemoteSigningError,
  ERR_CSC_BAD_RESPONSE: RemoteSigningError,
  ERR_CSC_REQUEST_REJECTED: RemoteSigningError,
  ERR_CSC_SAD_EXPIRED: RemoteSigningError,
  ERR_CSC_AUTH_REJECTED: RemoteSigningError,
  ERR_CSC_AUTH_TIMEOUT: RemoteSigningError,
  ERR_REMOTE_UNREACHABLE: RemoteSigningError,
  ERR_REMOTE_TIMEOUT: RemoteSigningError,
  ERR_REMOTE_UNAUTHORIZED: RemoteSigningError,
  ERR_REMOTE_SERVER: RemoteSigningError,
  ERR_REMOTE_BAD_RESPONSE: RemoteSigningError,
  ERR_REMOTE_REQUEST_REJECTED: RemoteSigningError,
  ERR_REMOTE_REJECTED: RemoteSigningError,
  ERR_REMOTE_EXPIRED: RemoteSigningError,
  ERR_REMOTE_CANCELLED: RemoteSigningError,
  ERR_REMOTE_CERT_REVOKED: RemoteSigningError,
  ERR_REMOTE_CALLBACK_REFUSED: RemoteSigningError,
  ERR_REMOTE_TRANSACTION_UNKNOWN: RemoteSigningError,
  ERR_AGENT_UNREACHABLE: AgentError,
  ERR_AGENT_DISCONNECTED: AgentError,
  ERR_AGENT_TIMEOUT: AgentError,
  ERR_AGENT_USER_TIMEOUT: AgentError,
  ERR_AGENT_ORIGIN_DENIED: AgentError,
  ERR_AGENT_CONSENT_DENIED: AgentError,
  ERR_AGENT_VERSION: AgentError,
  ERR_AGENT_PROTOCOL: AgentError,
  ERR_AGENT_BUSY: AgentError,
  ERR_AGENT_CANCELLED: AgentError,
  ERR_AGENT_OVERLOADED: AgentError,
  ERR_AGENT_CLIENT_DENIED: AgentError,
  ERR_TOKEN_REMOVED: TokenError,
  ERR_TOKEN_PIN_INCORRECT: TokenError,
  ERR_TOKEN_PIN_LOCKED: TokenError,
  ERR_TOKEN_PIN_LIMIT: TokenError,
  ERR_TOKEN_FAILURE: TokenError,
  ERR_VGCA_UNAVAILABLE: VgcaError,
  ERR_VGCA_TIMEOUT: VgcaError,
  ERR_VGCA_BUSY: VgcaError,
  ERR_VGCA_BAD_REPLY: VgcaError,
  ERR_VGCA_REFUSED: VgcaError,
  ERR_VGCA_CANCELLED: VgcaError,
  ERR_VGCA_NOT_STORED: VgcaError,
  ERR_VGCA_UPLOAD_MALFORMED: VgcaError,
  ERR_VGCA_UPLOAD_NOT_APPENDED: VgcaError,
  ERR_VGCA_UPLOAD_INVALID: VgcaError,
  ERR_SERVICE_UNAUTHORIZED: ServiceError,
  ERR_SERVICE_BODY_TOO_LARGE: ServiceError,
  ERR_SERVICE_RATE_LIMITED: ServiceError,
  ERR_SERVICE_TIMEOUT: ServiceError,
  ERR_SERVICE_NOT_FOUND: ServiceError,
  ERR_SERVICE_UNAVAILABLE: ServiceError,
  ERR_QUEUE_UNREACHABLE: ServiceError,
  ERR_QUEUE_JOB_FAILED: ServiceError,
  ERR_INVALID_ARGUMENT: ArgumentError,
  ERR_ABORTED: AbortError,
  ERR_IO: IoError,
  ERR_EVIDENCE_DIR_NOT_EMPTY: IoError,
  ERR_INTERNAL: InternalError,
};

/** Creates the right error class for a code. The usual way to throw in kyso. */
export function kysoError(code: ErrorCode, detail?: string, cause?: unknown): KysoError {
  const Cls = ERROR_CLASSES[code];
  return new Cls(code, { detail, cause });
}
