import { kysoError } from '@kyso/core';

/** Throws `ERR_ABORTED` if the caller has already given up. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw kysoError('ERR_ABORTED', abortDetail(signal));
}

/**
 * Settles with `work` or rejects with `ERR_ABORTED` as soon as `signal`
 * fires, whichever comes first. WebCrypto operations cannot be cancelled, so
 * the work still finishes in the background; its result is then dropped.
 */
export async function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  throwIfAborted(signal);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(kysoError('ERR_ABORTED', abortDetail(signal)));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    // The losing branch must not surface as an unhandled rejection.
    work.catch(() => undefined);
  }
}

function abortDetail(signal: AbortSignal): string | undefined {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'string' ? reason : undefined;
}
