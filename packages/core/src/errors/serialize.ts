import { isErrorCode } from './codes.js';
import { kysoError } from './classes.js';
import { KysoError } from './kyso-error.js';
import { toKysoError } from './to-kyso-error.js';

/** The plain form of an error's `cause`: what a developer needs to find the fault. */
export interface SerializedCause {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** A `code` the cause carried (e.g. a code from a newer kyso, or Node's `ENOENT`). */
  readonly code?: string;
}

/** The plain-data form of an error that crosses a worker, socket or process. */
export interface SerializedError {
  readonly kyso: 1;
  readonly code: string;
  readonly detail?: string;
  readonly message: string;
  /** The underlying error: always there for `ERR_INTERNAL` (the error kyso did not recognise). */
  readonly cause?: SerializedCause;
}

/** Options for {@link serializeError}. */
export interface SerializeOptions {
  /**
   * Whether the cause's stack goes along (default true). The worker sends it
   * to its own page; a process serving other origins (the token agent) may
   * keep its file paths to itself with `false`.
   */
  readonly stack?: boolean;
}

/**
 * Turns any thrown value into plain data. What is not a {@link KysoError}
 * is first made one by {@link toKysoError}: `ERR_ABORTED` for an abort,
 * otherwise `ERR_INTERNAL` whose cause (name, message, stack) goes along.
 */
export function serializeError(error: unknown, options: SerializeOptions = {}): SerializedError {
  const e = toKysoError(error);
  const cause = serializeCause(e.cause, options.stack ?? true);
  return { kyso: 1, code: e.code, detail: e.detail, message: e.message, ...(cause ? { cause } : {}) };
}

/**
 * Rebuilds a {@link KysoError} of the right class from its plain form, so that
 * `instanceof` and `code` work on the far side of a worker or socket; its
 * `cause` comes back as an `Error` with the original name, message and stack.
 * A code this version does not know (from a newer peer), or data that is no
 * serialized error at all, becomes `ERR_INTERNAL` whose cause keeps what was
 * received.
 */
export function reviveError(data: unknown): KysoError {
  if (data && typeof data === 'object' && (data as SerializedError).kyso === 1) {
    const { code, detail, message, cause } = data as SerializedError;
    const revivedCause = reviveCause(cause);
    if (isErrorCode(code)) return kysoError(code, detail, revivedCause);
    const unknown = Object.assign(new Error(typeof message === 'string' ? message : String(code)), { code: String(code) });
    return kysoError('ERR_INTERNAL', `unknown error code ${String(code)}`, unknown);
  }
  return kysoError('ERR_INTERNAL', 'not a serialized error', new Error(String(data)));
}

function serializeCause(cause: unknown, withStack: boolean): SerializedCause | undefined {
  if (cause === undefined || cause === null) return undefined;
  if (typeof cause !== 'object') return { name: 'Error', message: String(cause) };
  const { name, message, stack, code } = cause as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown };
  return {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : String(cause),
    ...(withStack && typeof stack === 'string' ? { stack } : {}),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

function reviveCause(cause: SerializedCause | undefined): Error | undefined {
  if (!cause || typeof cause !== 'object') return undefined;
  const error = new Error(String(cause.message));
  error.name = String(cause.name);
  // The stack of the side where it happened, not of this revival.
  error.stack = typeof cause.stack === 'string' ? cause.stack : `${error.name}: ${error.message}`;
  return typeof cause.code === 'string' ? Object.assign(error, { code: cause.code }) : error;
}
