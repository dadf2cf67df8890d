import { kysoError, type SignRequest } from '@kyso/core';

/**
 * Checks an option that must be an absolute URL (a service's base URL, which the integrator's server calls).
 *
 * @throws `ERR_INVALID_ARGUMENT` naming the option.
 */
export function checkAbsoluteUrl(value: string, name: string): void {
  try {
    new URL(value);
  } catch {
    throw kysoError('ERR_INVALID_ARGUMENT', `options.${name} is not an absolute URL`);
  }
}

/**
 * Checks an option that must be an absolute http(s) URL (a service's base URL, an endpoint, a callback base).
 *
 * @throws `ERR_INVALID_ARGUMENT` naming the option: not an absolute URL, or another scheme.
 */
export function checkHttpUrl(value: string, name: string): void {
  checkAbsoluteUrl(value, name);
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw kysoError('ERR_INVALID_ARGUMENT', `options.${name} must be http(s)`);
}

/**
 * The first of a batch whose requests all name the same certificate and algorithm (one confirmation covers them
 * all, so a batch cannot mix keys or schemes).
 *
 * @throws `ERR_INVALID_ARGUMENT` an empty batch, or a request that differs from the first.
 */
export function uniformBatch(requests: readonly SignRequest[]): SignRequest {
  if (!Array.isArray(requests) || requests.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', 'signBatch needs at least one request');
  const first = requests[0]!;
  for (const [i, r] of requests.entries()) {
    if (r.certificateId !== first.certificateId) throw kysoError('ERR_INVALID_ARGUMENT', `requests[${i}].certificateId differs from the first`);
    if (r.algorithm?.scheme !== first.algorithm?.scheme || r.algorithm?.hash !== first.algorithm?.hash) {
      throw kysoError('ERR_INVALID_ARGUMENT', `requests[${i}].algorithm differs from the first`);
    }
  }
  return first;
}
