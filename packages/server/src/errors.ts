import type { ServerResponse } from 'node:http';
import { toKysoError, type ErrorCode, type KysoError } from '@kyso/core';

/**
 * The HTTP status of each kyso error code the service can answer with. The body always carries the
 * kyso code, so clients branch on `code`, not on the status; the status only tells proxies and retry
 * logic whether the fault is the caller's (4xx) or the service's (5xx).
 */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'ERR_SERVICE_UNAUTHORIZED': return 401;
    case 'ERR_SERVICE_NOT_FOUND': return 404;
    case 'ERR_SERVICE_TIMEOUT': return 408;
    case 'ERR_SERVICE_BODY_TOO_LARGE': return 413;
    case 'ERR_SERVICE_RATE_LIMITED': return 429;
    case 'ERR_SERVICE_UNAVAILABLE':
    case 'ERR_QUEUE_UNREACHABLE': return 503;
    case 'ERR_INVALID_ARGUMENT':
    case 'ERR_CERT_MALFORMED':
    case 'ERR_REVOCATION_DATA_MALFORMED': return 400;
    case 'ERR_INTERNAL':
    case 'ERR_IO':
    case 'ERR_QUEUE_JOB_FAILED': return 500;
    default:
      // The document itself cannot be processed (ERR_PDF_*, ERR_CMS_*, ...): well-formed request, unprocessable content.
      return 422;
  }
}

/** The JSON body of every error answer: the stable code, both languages, and the technical detail (never document content). */
export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: { readonly vi: string; readonly en: string };
  readonly detail?: string;
}

export function errorBody(error: KysoError): ErrorBody {
  return { code: error.code, message: { vi: error.text.vi, en: error.text.en }, ...(error.detail ? { detail: error.detail } : {}) };
}

/** Answers with the typed JSON error; anything that is not a KysoError is ERR_INTERNAL (its stack stays in the log, not in the answer). */
export function sendError(res: ServerResponse, error: unknown, headers: Record<string, string> = {}): KysoError {
  const e = toKysoError(error);
  if (!res.headersSent) {
    const body = JSON.stringify(errorBody(e));
    res.writeHead(httpStatusOf(e.code), {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  } else {
    res.destroy();
  }
  return e;
}
