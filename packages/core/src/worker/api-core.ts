/**
 * The worker's side: core's staged API behind call ids, with the caller's
 * functions (fetch, the adapter's `sign`, progress) reached back through
 * {@link CallerSide}. Kept free of `self` and comlink so that it can be
 * exercised without a worker, and free of the operations themselves, which
 * each entry supplies ({@link WorkerOperations}): `api.ts` every operation
 * for `entry.ts`, `verify-entry.ts` only `verify`.
 */
import { kysoError, reviveError, serializeError } from '../errors/index.js';
import type { SigningAdapter } from '../adapter.js';
import type { finish } from '../sign/finish.js';
import type { prepare } from '../sign/prepare.js';
import type { sign } from '../ltv/sign-long-term.js';
import type { verify } from '../verify/verify.js';
import type { extend } from '../ltv/extend.js';
import type { ProgressListener } from '../progress.js';
import { throttleProgress } from './throttle.js';
import { withCallerFetch, workerFetch } from './wire-fetch.js';
import type { AdapterData, CallbackFlags, CallerSide, Outcome, WorkerApi } from './protocol.js';

/** What the worker adds to core's options: its own signal and the throttled progress callback. */
interface Extras {
  readonly signal: AbortSignal;
  readonly onProgress?: ProgressListener;
}

/** How the entry plugs comlink in: mark result bytes for transfer; release a call's caller-side proxy (its MessagePort). */
export interface WorkerApiHooks {
  transferResult<T>(outcome: Outcome<T>, buffers: ArrayBuffer[]): Outcome<T>;
  release(caller: CallerSide): void;
}

/**
 * The operations a worker runs. The verification worker (`verify-entry.ts`)
 * has only `verify`: its bundle then holds no signing, appearance (pdf-lib,
 * fontkit) or LTV code, even when a bundler inlines every dynamic import into
 * one worker file (Vite's default `worker.format`, `iife`).
 */
export interface WorkerOperations {
  /** Wires the default appearance font (a worker that signs). */
  readonly configure?: WorkerApi['configure'];
  readonly verify: typeof verify;
  readonly prepare?: typeof prepare;
  readonly finish?: typeof finish;
  readonly sign?: typeof sign;
  readonly extend?: typeof extend;
}

/** An operation this worker was not built with: the client routed a call to the wrong worker, a kyso bug. */
function missing(name: string): never {
  throw kysoError('ERR_INTERNAL', `this kyso worker has no ${name} (it only verifies)`);
}

/**
 * Builds the API a worker entry exposes, over `ops` (`entry.ts`: every
 * operation, through `createWorkerApi` in `api.ts`; `verify-entry.ts`:
 * `verify` only).
 */
export function createApi(hooks: WorkerApiHooks, ops: WorkerOperations): WorkerApi {
  const { verify } = ops;
  const prepare: typeof import('../sign/prepare.js').prepare = ops.prepare ?? (() => missing('prepare'));
  const finish: typeof import('../sign/finish.js').finish = ops.finish ?? (() => missing('finish'));
  const sign: typeof import('../ltv/sign-long-term.js').sign = ops.sign ?? (() => missing('sign'));
  const extend: typeof import('../ltv/extend.js').extend = ops.extend ?? (() => missing('extend'));
  const calls = new Map<number, AbortController>();
  /**
   * Each call's last progress report, as sent to the page. Progress travels on
   * the call's own port and the result on the worker's, and two ports keep no
   * order between them: a call settles only once the page has had every report.
   */
  const lastReport = new WeakMap<CallerSide, Promise<unknown>>();

  /** Runs one call with its own AbortController; every failure becomes plain data. */
  async function run<T>(
    id: number,
    caller: CallerSide,
    body: (signal: AbortSignal) => Promise<T>,
    buffers: (value: T) => ArrayBuffer[] = () => [],
  ): Promise<Outcome<T>> {
    const controller = new AbortController();
    calls.set(id, controller);
    try {
      const value = await body(controller.signal);
      return hooks.transferResult({ ok: true, value }, buffers(value));
    } catch (error) {
      return { ok: false, error: serializeError(controller.signal.aborted ? kysoError('ERR_ABORTED') : error) };
    } finally {
      await lastReport.get(caller);
      calls.delete(id);
      hooks.release(caller);
    }
  }

  const extras = (signal: AbortSignal, flags: CallbackFlags, caller: CallerSide): Extras =>
    flags.progress
      ? { signal, onProgress: throttleProgress((p) => void lastReport.set(caller, Promise.resolve(caller.progress(p)).catch(() => {}))) }
      : { signal };

  /** Puts the caller's fetch back in the slots the caller's options had one (see wire-fetch.ts). */
  const withFetch = <T extends object>(options: T, flags: CallbackFlags, caller: CallerSide): T => withCallerFetch(options, flags.fetchRoutes, caller);

  const bytesOf = (value: Uint8Array): ArrayBuffer[] => [value.buffer as ArrayBuffer];

  return {
    configure(config) {
      ops.configure?.(config);
    },

    prepare(id, pdf, options, flags, caller) {
      return run(id, caller, (signal) => prepare(pdf, { ...withFetch(options, flags, caller), ...extras(signal, flags, caller) }));
    },

    finish(id, prepared, signatureValue, pdf, options, flags, caller) {
      return run(
        id,
        caller,
        (signal) => finish(prepared, signatureValue, { ...withFetch(options, flags, caller), signal, pdf }),
        bytesOf,
      );
    },

    sign(id, pdf, options, adapter, flags, caller) {
      return run(
        id,
        caller,
        // core's sign keeps `pdf` for the whole call: prepare, the caller's key, finish (and a retry with a larger /Contents).
        (signal) => sign(pdf, { ...withFetch(options, flags, caller), ...extras(signal, flags, caller), adapter: remoteAdapter(adapter, caller) }),
        bytesOf,
      );
    },

    verify(id, pdf, options, flags, caller) {
      return run(id, caller, (signal) => {
        return verify(pdf, { ...withFetch(options, flags, caller), ...extras(signal, flags, caller) });
      });
    },

    verifyReturning(id, pdf, options, flags, caller) {
      return run(
        id,
        caller,
        async (signal) => {
          return { report: await verify(pdf, { ...withFetch(options, flags, caller), ...extras(signal, flags, caller) }), pdf };
        },
        (value) => bytesOf(value.pdf),
      );
    },

    extend(id, pdf, options, flags, caller) {
      return run(
        id,
        caller,
        (signal) => {
          if (!flags.fetch) throw kysoError('ERR_INVALID_ARGUMENT', 'extend needs a fetch for OCSP, CRL and the TSA');
          // The client always routes `fetch` for extend (the caller's, else the page's).
          return extend(pdf, { ...withFetch(options, flags, caller), fetch: workerFetch(caller, 'fetch'), signal });
        },
        bytesOf,
      );
    },

    abort(id) {
      calls.get(id)?.abort();
    },
  };
}

/**
 * The adapter as core sees it in the worker: certificates and capabilities
 * were read on the caller's side and sent as data; `sign` calls back to the
 * caller, where the key is.
 */
function remoteAdapter(data: AdapterData, caller: CallerSide): SigningAdapter {
  return {
    name: data.name,
    listCertificates: async () => data.entries,
    capabilities: () => data.capabilities,
    async sign({ signal, ...request }) {
      signal?.throwIfAborted();
      const outcome = await caller.sign(request);
      if (!outcome.ok) throw reviveError(outcome.error);
      return outcome.value;
    },
  };
}
