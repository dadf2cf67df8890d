/**
 * The page's side of the worker: {@link createKyso} returns a {@link KysoClient}
 * whose calls run core in a module Web Worker through comlink.
 *
 * What crosses and how:
 * - PDF bytes go in by transfer (the caller's buffer is detached unless
 *   `transfer: false`); signed bytes come back by transfer.
 * - Functions stay here: `fetch` (TSA, OCSP, CRL, AIA), the adapter's `sign`
 *   and `onProgress` are reached back through one comlink proxy per call, so
 *   the network and the key are used from the caller's side only.
 * - An AbortSignal cannot be cloned: on abort the client tells the worker to
 *   abort that call (by id) and rejects at once with `ERR_ABORTED`.
 * - Errors come back as plain data and are revived by code
 *   ({@link reviveError}): same class, `code`, vi/en text and detail.
 */
import { proxy, releaseProxy, transfer, wrap, type Remote } from 'comlink';
import { kysoError, reviveError, serializeError, toKysoError } from '../errors/index.js';
import type { SigningAdapter } from '../adapter.js';
import type { FetchLike } from '../options.js';
import type { ProgressListener } from '../progress.js';
import { defaultFontUrl, startVerifyWorker, startWorker } from './default-worker.js';
import type { CallerSide, CallbackFlags, Outcome, WorkerApi } from './protocol.js';
import type { CallOptions, CreateKysoOptions, KysoClient } from './types.js';
import type { WorkerLike } from './web-types.js';
import { callerFetch, fetchRoutes, withoutFetches, type FetchRoute, type FetchRoutes } from './wire-fetch.js';

/** `globalThis.fetch` of the caller's realm, as core's narrow {@link FetchLike}. */
function globalFetch(): FetchLike | undefined {
  const f = (globalThis as { fetch?: unknown }).fetch;
  return typeof f === 'function' ? (f.bind(globalThis) as FetchLike) : undefined;
}

/** Marks `pdf` for transfer unless the caller keeps it (then comlink sends a structured clone). */
function sendBytes(pdf: Uint8Array, call: CallOptions | undefined): Uint8Array {
  if (!(pdf instanceof Uint8Array)) throw kysoError('ERR_INVALID_ARGUMENT', 'pdf must be a Uint8Array');
  if (call?.transfer === false || !(pdf.buffer instanceof ArrayBuffer)) return pdf; // a SharedArrayBuffer cannot be transferred
  return transfer(pdf, [pdf.buffer]);
}

/** One worker and its comlink proxy, with the calls waiting on it. */
interface Channel {
  readonly worker: WorkerLike;
  readonly remote: Remote<WorkerApi>;
  readonly pending: Set<(error: Error) => void>;
  readonly onError: (event: { readonly data?: unknown; readonly message?: unknown }) => void;
}

/** Wraps `worker`; with `fontUrl`, wires the default appearance font in it (a worker that signs). */
function openChannel(worker: WorkerLike, fontUrl: string | undefined): Channel {
  const remote: Remote<WorkerApi> = wrap<WorkerApi>(worker as unknown as Parameters<typeof wrap>[0]);
  const pending = new Set<(error: Error) => void>();
  if (fontUrl !== undefined) void remote.configure({ fontUrl });
  // A worker that fails to load or crashes fails every pending call instead of leaving it hanging.
  // An uncaught exception in the worker comes as an ErrorEvent with its message: kyso's own fault, ERR_INTERNAL.
  // A script that could not be loaded comes as a bare Event: the worker file was not read, ERR_IO.
  const onError = (event: { readonly data?: unknown; readonly message?: unknown }) => {
    const error = typeof event.message === 'string'
      ? kysoError('ERR_INTERNAL', `kyso worker: ${event.message}`, new Error(event.message))
      : kysoError('ERR_IO', 'kyso worker: the worker script could not be loaded');
    for (const fail of [...pending]) fail(error);
  };
  worker.addEventListener('error', onError);
  return { worker, remote, pending, onError };
}

/**
 * Returns a client of kyso's core in module Web Workers. By default two
 * workers, each started on its first call: the verification worker
 * (`verify-entry.js`) for `verify`, the full worker (`entry.js`) for
 * everything else, so that a page that only verifies never downloads the
 * signing code. With `options.worker` or `options.workerUrl`, that one worker
 * (a full one) starts at once and serves every call, `verify` included unless
 * `options.verifyWorkerUrl` names the verification worker. Create one client per
 * page (or per task) and reuse it.
 *
 * @example
 * ```ts
 * const kyso = createKyso();
 * const signed = await kyso.sign(pdf, { adapter, level: 'B-T', timestamp: { url } }, { onProgress, signal });
 * const report = await kyso.verify(signed, { trust: ['vn-gov'], revocation: 'online' });
 * ```
 */
export function createKyso(options: CreateKysoOptions = {}): KysoClient {
  const fontUrl = options.fontUrl !== undefined ? new URL(options.fontUrl, baseUrl()).href : defaultFontUrl();
  const given = options.worker ?? (options.workerUrl !== undefined ? startWorker(options.workerUrl) : undefined);
  let full: Channel | undefined = given ? openChannel(given, fontUrl) : undefined;
  let verifier: Channel | undefined = full && options.verifyWorkerUrl === undefined ? full : undefined;
  const signing = (): Channel => (full ??= openChannel(startWorker(), fontUrl));
  const verifying = (): Channel => (verifier ??= openChannel(
    options.verifyWorkerUrl !== undefined ? startWorker(options.verifyWorkerUrl) : startVerifyWorker(),
    undefined,
  ));
  let nextId = 1;
  let terminated = false;

  /**
   * One call: an id, the caller-side proxy, abort wiring. Settles with the
   * worker's outcome or, on abort or terminate, with `ERR_ABORTED` at once.
   */
  function call<T>(
    channel: () => Channel,
    call: CallOptions | undefined,
    routes: FetchRoutes,
    signer: SigningAdapter | undefined,
    run: (id: number, flags: CallbackFlags, caller: CallerSide) => Promise<Outcome<T>>,
  ): Promise<T> {
    if (terminated) return Promise.reject(kysoError('ERR_ABORTED', 'the client was terminated'));
    let ch: Channel;
    try {
      ch = channel();
    } catch (error) {
      return Promise.reject(toKysoError(error));
    }
    const { remote, pending } = ch;
    const signal = call?.signal;
    if (signal?.aborted) return Promise.reject(kysoError('ERR_ABORTED'));
    const id = nextId++;
    const onProgress = call?.onProgress;
    const side: CallerSide = {
      ...callerFetch(routes, signal),
      async sign(request) {
        try {
          if (!signer) throw kysoError('ERR_INVALID_ARGUMENT', 'options.adapter is required');
          const value = await signer.sign({ ...request, signal });
          return { ok: true, value };
        } catch (error) {
          return { ok: false, error: serializeError(error) };
        }
      },
      progress(p) {
        try {
          onProgress?.(p);
        } catch {
          // Listener failures are ignored (ProgressListener's contract).
        }
      },
    };
    const caller = proxy(side);
    const fetchRoutesSent = Object.keys(routes) as FetchRoute[];
    const flags: CallbackFlags = { fetch: fetchRoutesSent.length > 0, fetchRoutes: fetchRoutesSent, progress: onProgress !== undefined };

    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        pending.delete(fail);
        signal?.removeEventListener('abort', onAbort);
        action();
      };
      const fail = (error: Error) => settle(() => reject(error));
      const onAbort = () => {
        if (!terminated) void remote.abort(id).catch(() => undefined);
        fail(kysoError('ERR_ABORTED'));
      };
      pending.add(fail);
      signal?.addEventListener('abort', onAbort, { once: true });
      run(id, flags, caller as unknown as CallerSide).then(
        (outcome) => settle(() => (outcome.ok ? resolve(outcome.value) : reject(reviveError(outcome.error)))),
        // comlink's own failures (e.g. a DataCloneError for options that cannot be cloned) are told as they are.
        (error: unknown) => fail(toKysoError(error)),
      );
    });
  }

  return {
    prepare(pdf, prepareOptions, callOptions) {
      const { signal, onProgress, ...rest } = prepareOptions;
      callOptions = fromOptions(callOptions, signal, onProgress);
      // Each fetch goes back to the function of its own option slot; `default` is where core would use the page's fetch.
      const routes = fetchRoutes(prepareOptions, { default: globalFetch() });
      const wire = withoutFetches(rest);
      const bytes = sendBytes(pdf, callOptions);
      return call(signing, callOptions, routes, undefined, (id, flags, caller) => signing().remote.prepare(id, bytes, wire, flags, caller));
    },

    finish(prepared, signatureValue, finishOptions, callOptions) {
      const { signal, pdf, ...rest } = finishOptions;
      callOptions = fromOptions(callOptions, signal, undefined);
      if (!(pdf instanceof Uint8Array)) return Promise.reject(kysoError('ERR_INVALID_ARGUMENT', 'options.pdf must be a Uint8Array in the worker client'));
      const routes = fetchRoutes(finishOptions, { default: globalFetch() });
      const wire = withoutFetches(rest);
      const bytes = sendBytes(pdf, callOptions);
      return call(signing, callOptions, routes, undefined, (id, flags, caller) => signing().remote.finish(id, prepared, signatureValue, bytes, wire, flags, caller));
    },

    sign(pdf, signOptions, callOptions) {
      const { signal, onProgress, adapter, ...rest } = signOptions;
      callOptions = fromOptions(callOptions, signal, onProgress);
      if (!adapter || typeof adapter.sign !== 'function') return Promise.reject(kysoError('ERR_INVALID_ARGUMENT', 'options.adapter is required'));
      // The TSA, OCSP, CRL and AIA requests each reach the function in-process core would call (fetchFor in ../options.ts).
      const routes = fetchRoutes(signOptions, { default: globalFetch() });
      const wire = withoutFetches(rest);
      const bytes = sendBytes(pdf, callOptions);
      return call(signing, callOptions, routes, adapter, async (id, flags, caller) => {
        // The adapter's public part is read here and sent as data; its key stays on this side.
        const entries = await adapter.listCertificates(callOptions?.signal);
        if (callOptions?.signal?.aborted) throw kysoError('ERR_ABORTED'); // do not start work the page no longer waits for
        const data = { name: adapter.name, entries: entries.map((e) => ({ ...e })), capabilities: adapter.capabilities() };
        return signing().remote.sign(id, bytes, wire, data, flags, caller);
      });
    },

    verify(pdf, verifyOptions = {}, callOptions) {
      const { signal, onProgress, fetch, ...rest } = verifyOptions;
      callOptions = fromOptions(callOptions, signal, onProgress);
      const online = rest.revocation === 'online';
      // Without a fetch, online revocation in the worker goes through the page's (the worker's own is not the page's).
      const routes = fetchRoutes({ fetch }, { fetch: online ? globalFetch() : undefined });
      const bytes = sendBytes(pdf, callOptions);
      return call(verifying, callOptions, routes, undefined, (id, flags, caller) => verifying().remote.verify(id, bytes, rest, flags, caller));
    },

    verifyReturning(pdf, verifyOptions = {}, callOptions) {
      const { signal, onProgress, fetch, ...rest } = verifyOptions;
      callOptions = fromOptions(callOptions, signal, onProgress);
      const online = rest.revocation === 'online';
      // Without a fetch, online revocation in the worker goes through the page's (the worker's own is not the page's).
      const routes = fetchRoutes({ fetch }, { fetch: online ? globalFetch() : undefined });
      const bytes = sendBytes(pdf, { ...callOptions, transfer: true });
      return call(verifying, callOptions, routes, undefined, (id, flags, caller) => verifying().remote.verifyReturning(id, bytes, rest, flags, caller));
    },

    extend(pdf, extendOptions, callOptions) {
      const { signal, ...rest } = extendOptions;
      callOptions = fromOptions(callOptions, signal, undefined);
      // OCSP, CRL and AIA go through `fetch`, else (as before) the TSA's, else the page's; the TSA through its own, else `fetch`.
      const routes = fetchRoutes(extendOptions, { fetch: extendOptions.timestamp?.fetch ?? globalFetch() });
      if (!routes.fetch) return Promise.reject(kysoError('ERR_INVALID_ARGUMENT', 'extend needs a fetch for OCSP, CRL and the TSA'));
      const wire = withoutFetches(rest);
      const bytes = sendBytes(pdf, callOptions);
      return call(signing, callOptions, routes, undefined, (id, flags, caller) => signing().remote.extend(id, bytes, wire, flags, caller));
    },

    terminate() {
      if (terminated) return;
      terminated = true;
      for (const ch of new Set([full, verifier])) {
        if (!ch) continue;
        for (const fail of [...ch.pending]) fail(kysoError('ERR_ABORTED', 'the client was terminated'));
        ch.worker.removeEventListener('error', ch.onError);
        ch.remote[releaseProxy]();
        ch.worker.terminate();
      }
    },
  };
}

/**
 * core's own `options.signal` and `options.onProgress` are honoured too (they
 * cannot cross the boundary as they are); the per-call ones win.
 */
function fromOptions(call: CallOptions | undefined, signal: AbortSignal | undefined, onProgress: ProgressListener | undefined): CallOptions | undefined {
  if (!signal && !onProgress) return call;
  return { ...call, signal: call?.signal ?? signal, onProgress: call?.onProgress ?? onProgress };
}

/** Base for a relative `fontUrl`: the page's location when there is one. */
function baseUrl(): string | undefined {
  const location = (globalThis as { location?: { href?: string } }).location;
  return location?.href;
}
