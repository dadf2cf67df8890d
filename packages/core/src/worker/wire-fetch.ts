/**
 * `fetch` across the worker boundary. A `Response` cannot be cloned, so the
 * caller's side reads the body and sends plain data; the worker's side
 * rebuilds the small {@link FetchLike} surface core uses. Time-outs fire in
 * the worker (core's signal) and abort the caller's request by id.
 *
 * Each request names its route: the option slot its function came from
 * (`fetch`, `timestamp`, `ltv`, `archiveTimestamp`), or `default`. The worker's
 * options hold a routed fetch in exactly the slots the caller filled, so core's
 * one precedence rule (`fetchFor` in ../options.ts) picks the same function in
 * the worker as in-process, and the request reaches that function.
 */
import { serializeError, reviveError, type KysoError } from '../errors/index.js';
import { DEFAULT_FETCH, fetchSlots, type FetchLike, type FetchSlot, type FetchSlots } from '../options.js';
import type { CallerSide, Outcome, WireRequest, WireResponse } from './protocol.js';

type Init = Parameters<FetchLike>[1];

/**
 * Where a request goes back to on the caller's side: a slot of the caller's
 * options, or `default`, the page's fetch where core has a default of its
 * own (in-process it would use the page's `globalThis.fetch`, not the worker's).
 */
export type FetchRoute = FetchSlot | 'default';

/** The caller's functions by route. */
export type FetchRoutes = Partial<Record<FetchRoute, FetchLike>>;

/**
 * Caller's side: the routes of `options` (each slot that holds a function),
 * plus `defaults` for routes the caller left empty.
 */
export function fetchRoutes(options: FetchSlots | undefined, defaults: FetchRoutes = {}): FetchRoutes {
  const routes: FetchRoutes = { ...fetchSlots(options) };
  for (const [route, fn] of Object.entries(defaults) as [FetchRoute, FetchLike | undefined][]) if (fn && !routes[route]) routes[route] = fn;
  return routes;
}

/** Caller's side: options without their functions, for the wire (`fetch` in every slot removed). */
export function withoutFetches<T extends object>(options: T): T {
  const strip = <O>(o: O): O => {
    if (!o || typeof o !== 'object') return o;
    const { fetch: _fetch, ...rest } = o as { fetch?: unknown };
    return rest as O;
  };
  const o = strip(options) as { timestamp?: object; ltv?: { archiveTimestamp?: object } };
  return {
    ...o,
    ...(o.timestamp ? { timestamp: strip(o.timestamp) } : {}),
    ...(o.ltv ? { ltv: { ...strip(o.ltv), ...(o.ltv.archiveTimestamp ? { archiveTimestamp: strip(o.ltv.archiveTimestamp) } : {}) } } : {}),
  } as T;
}

/** Caller's side: runs the routed function for the worker, aborting on `abort(id)` or the call's own signal. */
export function callerFetch(routes: FetchRoutes, callSignal: AbortSignal | undefined): Pick<CallerSide, 'fetch' | 'abortFetch'> {
  const pending = new Map<number, AbortController>();
  return {
    async fetch(id: number, url: string, init: WireRequest): Promise<Outcome<WireResponse>> {
      const { route = 'fetch', ...request } = init;
      const fetchFn = routes[route];
      if (!fetchFn) return { ok: false, error: serializeError(new Error(`no fetch for ${route}`)) };
      const controller = new AbortController();
      pending.set(id, controller);
      const signal = callSignal ? AbortSignal.any([callSignal, controller.signal]) : controller.signal;
      try {
        const response = await fetchFn(url, { ...request, signal });
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

/** Worker's side: a {@link FetchLike} that asks the caller to do the request with the function of `route`. */
export function workerFetch(caller: Pick<CallerSide, 'fetch' | 'abortFetch'>, route: FetchRoute = 'fetch'): FetchLike {
  return async (url: string, init?: Init) => {
    const id = nextFetchId++;
    const { signal, ...rest } = init ?? {};
    const wire: WireRequest = { method: rest.method, headers: rest.headers, body: rest.body, route };
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
 * Worker's side: `options` with a routed fetch in each slot the caller filled
 * (`routes`, from `CallbackFlags.fetchRoutes`), and the `default` route
 * where core applies its own default.
 */
export function withCallerFetch<T extends object>(options: T, routes: readonly FetchRoute[] | undefined, caller: Pick<CallerSide, 'fetch' | 'abortFetch'>): T {
  if (!routes?.length) return options;
  const has = (r: FetchRoute) => routes.includes(r);
  const o = options as { timestamp?: object; ltv?: { archiveTimestamp?: object } };
  const ltv = o.ltv && (has('ltv') || has('archiveTimestamp'))
    ? {
        ...o.ltv,
        ...(has('ltv') ? { fetch: workerFetch(caller, 'ltv') } : {}),
        ...(o.ltv.archiveTimestamp && has('archiveTimestamp') ? { archiveTimestamp: { ...o.ltv.archiveTimestamp, fetch: workerFetch(caller, 'archiveTimestamp') } } : {}),
      }
    : undefined;
  return {
    ...options,
    ...(has('fetch') ? { fetch: workerFetch(caller, 'fetch') } : {}),
    ...(o.timestamp && has('timestamp') ? { timestamp: { ...o.timestamp, fetch: workerFetch(caller, 'timestamp') } } : {}),
    ...(ltv ? { ltv } : {}),
    ...(has('default') ? { [DEFAULT_FETCH]: workerFetch(caller, 'default') } : {}),
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
