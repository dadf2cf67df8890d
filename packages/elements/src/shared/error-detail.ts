import { ERROR_MESSAGES, toKysoError, type ErrorCode } from '@kyso/core';
import type { Lang } from './locale.js';

/** What an element reports about a failure (`kyso-error`'s detail): a stable code, a message in the element's language, the cause. */
export interface ErrorDetail {
  readonly code: ErrorCode;
  /** The user-facing message for `code`, in the element's language (never the technical detail: it may quote document content). */
  readonly message: string;
  /**
   * For developers, never for display: for `ERR_INTERNAL` the original
   * error kyso did not recognise (its message and stack; revived when it
   * happened in the worker); for every other code the `KysoError` itself,
   * whose `detail` says more.
   */
  readonly cause: unknown;
}

/**
 * Maps anything thrown to what the element reports: a KysoError keeps its
 * code (also after crossing the worker); an `AbortError` is `ERR_ABORTED`;
 * anything else is `ERR_INTERNAL` with the original as `cause`
 * (`toKysoError`), never a code that would name another failure.
 */
export function errorDetail(error: unknown, lang: Lang): ErrorDetail {
  const e = toKysoError(error);
  return { code: e.code, message: ERROR_MESSAGES[e.code][lang], cause: e.code === 'ERR_INTERNAL' ? e.cause : e };
}

/** The failures already written to the console: one error is logged once, whichever element reports it. */
const logged = new WeakSet<object>();

/**
 * Writes an internal failure to the console, once: the page's developer sees
 * the original error and its stack, which the element's message leaves out.
 * Failures with their own code are the page's to show and are not logged.
 */
export function logInternal(tag: string, detail: ErrorDetail): void {
  if (detail.code !== 'ERR_INTERNAL') return;
  const cause = detail.cause;
  if (typeof cause === 'object' && cause !== null) {
    if (logged.has(cause)) return;
    logged.add(cause);
  }
  console.error(`<${tag}>: ERR_INTERNAL, an error kyso does not recognise:`, cause);
}
