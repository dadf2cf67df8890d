import { kysoError } from './classes.js';
import { KysoError } from './kyso-error.js';

/**
 * What a caller is told about anything thrown: a {@link KysoError} stays as
 * it is; a DOM `AbortError` (an aborted `fetch`, `signal.throwIfAborted()`)
 * is the abort it reports, `ERR_ABORTED`; everything else is a failure kyso
 * does not recognise and becomes `ERR_INTERNAL` with the original error as
 * `cause`, so that its message and stack reach the developer instead of
 * being reported under another code.
 */
export function toKysoError(error: unknown): KysoError {
  if (error instanceof KysoError) return error;
  if (isAbort(error)) return kysoError('ERR_ABORTED', undefined, error);
  return kysoError('ERR_INTERNAL', describe(error), error);
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** `TypeError: x is not a function`: the kind and the message, for the detail. */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'object' && error !== null) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    if (typeof message === 'string') return typeof name === 'string' ? `${name}: ${message}` : message;
  }
  return String(error);
}
