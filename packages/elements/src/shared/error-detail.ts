import { ERROR_MESSAGES, isErrorCode, type ErrorCode } from '@kyso/core';
import type { Lang } from './locale.js';

/** What an element reports about a failure: a stable code and a message in the element's language. */
export interface ErrorDetail {
  readonly code: ErrorCode;
  readonly message: string;
}

/**
 * Maps anything thrown to a kyso code and its vi/en message. A KysoError keeps
 * its code (also after crossing the worker, where it is revived by code); a
 * DOM `AbortError` becomes `ERR_ABORTED`; anything else is reported as
 * `ERR_IO`, the code for failures outside kyso's own checks. The technical
 * detail is left out: it may quote document content.
 */
export function errorDetail(error: unknown, lang: Lang): ErrorDetail {
  const code = codeOf(error);
  return { code, message: ERROR_MESSAGES[code][lang] };
}

function codeOf(error: unknown): ErrorCode {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (isErrorCode(code)) return code;
    if ((error as { name?: unknown }).name === 'AbortError') return 'ERR_ABORTED';
  }
  return 'ERR_IO';
}
