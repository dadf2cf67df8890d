/**
 * `fetch` across the worker boundary. A `Response` cannot be cloned, so the
 * caller's side reads the body and sends plain data; the worker's side
 * rebuilds the small {@link FetchLike} surface core uses. Time-outs fire in
 * the worker (core's signal) and abort the caller's request by id.
 */
import { serializeError, reviveError, type KysoError } from '../errors/index.js';
import type { FetchLike } from '../options.js';
import type { CallerSide, Outcome, WireRequest, WireResponse } from './protocol.js';

type Init = Parameters<FetchLike>[1];

/** Caller's side: runs `fetchFn` for the worker, aborting on `abort(id)` or the call's own signal. */
export function callerFetch(fetchFn: FetchLike, callSignal: AbortSignal | undefined): Pick<CallerSide, 'fetch' | 'abortFetch'> {
  const pending = new Map<number, AbortController>();
  return {
    async fetch(id: number, url: string, init: WireRequest): Promise<Outcome<WireResponse>> {
      const controller = new AbortController();
      pending.set(id, controller);
      const signal = callSignal ? AbortSignal.any([callSignal, controller.signal]) : controller.signal;
      try {
        const response = await fetchFn(url, { ...init, signal });
        const body = await response.arrayBuffer();
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'content-length', 'location']) {
          const value = response.headers.get(name);
          if (value !== null) headers[name] = value;
        }
        return { ok: true, value: { ok: response.ok, status: response.status, headers, body } };
      } catch (error) {
        return { ok: false, error: serializeError(error) };
      } finally {
        pending.delete(id);
      }
    },
    abortFetch(id: number): void {
      pending.get(id)?.abort();
    },
  };
}

let nextFetchId = 1;

/** Worker's side: a {@link FetchLike} that asks the caller to do the request. */
export function workerFetch(caller: Pick<CallerSide, 'fetch' | 'abortFetch'>): FetchLike {
  return async (url: string, init?: Init) => {
    const id = nextFetchId++;
    const { signal, ...rest } = init ?? {};
    const wire: WireRequest = { method: rest.method, headers: rest.headers, body: rest.body };
    const request = caller.fetch(id, url, wire);
    const outcome = await new Promise<Outcome<WireResponse>>((resolve, reject) => {
      if (signal?.aborted) {
        void caller.abortFetch(id);
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        void caller.abortFetch(id);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      request.then(resolve, reject).finally(() => signal?.removeEventListener('abort', onAbort));
    });
    if (!outcome.ok) throw asThrownByFetch(reviveError(outcome.error));
    const { ok, status, headers, body } = outcome.value;
    return {
      ok,
      status,
      headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
      arrayBuffer: async () => body,
    };
  };
}

/**
 * What the caller's fetch threw, as core would have seen it in-process: a
 * network failure (`TypeError: Failed to fetch`) crossed as `ERR_INTERNAL`
 * with that error as its cause, and core's TSA, OCSP and CRL clients classify
 * the original themselves (`ERR_TSA_UNREACHABLE`, ...).
 */
function asThrownByFetch(error: KysoError): Error {
  return error.code === 'ERR_INTERNAL' && error.cause instanceof Error ? error.cause : error;
}
