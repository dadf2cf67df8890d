import { isErrorCode } from './codes.js';
import { kysoError } from './classes.js';
import { KysoError } from './kyso-error.js';

/** The plain-data form of an error that crosses a worker, socket or process. */
export interface SerializedError {
  readonly kyso: 1;
  readonly code: string;
  readonly detail?: string;
  readonly message: string;
}

/** Turns any thrown value into plain data; unknown errors keep only their message. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof KysoError) {
    return { kyso: 1, code: error.code, detail: error.detail, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kyso: 1, code: 'ERR_UNKNOWN', message };
}

/**
 * Rebuilds a {@link KysoError} of the right class from its plain form, so that
 * `instanceof` and `code` work on the far side of a worker or socket. Codes
 * this version does not know become a plain `Error` with the code attached.
 */
export function reviveError(data: unknown): Error {
  if (data && typeof data === 'object' && (data as SerializedError).kyso === 1) {
    const { code, detail, message } = data as SerializedError;
    if (isErrorCode(code)) return kysoError(code, detail);
    return Object.assign(new Error(message), { code });
  }
  return new Error(String(data));
}
