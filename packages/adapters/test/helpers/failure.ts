import { KysoError } from '@kyso/core';

/** Awaits `promise`, which must reject with a typed kyso error, and returns that error for the test to inspect. */
export async function failure(promise: Promise<unknown>): Promise<KysoError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof KysoError)) throw new Error(`expected a KysoError, got ${String(error)}`);
  return error;
}
