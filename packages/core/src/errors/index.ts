export { ERROR_CODES, isErrorCode, type ErrorCode } from './codes.js';
export { ERROR_MESSAGES, type Lang, type LocalizedText } from './messages.js';
export { KysoError, type KysoErrorOptions } from './kyso-error.js';
export {
  PdfError, SignatureError, KeyError, CmsError, TimestampError, LtvError, AgentError, TokenError, RemoteSigningError, VgcaError, ServiceError, ArgumentError, AbortError, IoError, InternalError,
  ERROR_CLASSES, kysoError,
} from './classes.js';
export { serializeError, reviveError, type SerializedError, type SerializedCause, type SerializeOptions } from './serialize.js';
export { toKysoError } from './to-kyso-error.js';
