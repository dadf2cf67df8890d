/**
 * kyso's worker with one fault injected: reading the options of `verify`
 * throws a TypeError, inside the worker's call (core's `createWorkerApi`
 * runs the body, serializes the failure and sends it to the page), as a bug
 * in core would. Everything else is the real worker entry.
 */
import { expose, releaseProxy, transfer, type Remote } from 'comlink';
import { createWorkerApi } from '../../../../core/src/worker/api.js';
import type { CallerSide, WorkerApi } from '../../../../core/src/worker/protocol.js';

export const INJECTED = 'injected fault: options.policy cannot be read';

const api = createWorkerApi({
  transferResult: (outcome, buffers) => (buffers.length ? transfer(outcome, buffers) : outcome),
  release: (caller) => (caller as unknown as Remote<CallerSide>)[releaseProxy](),
});

const faulty: WorkerApi = {
  ...api,
  verify(id, pdf, options, flags, caller) {
    const broken = Object.defineProperty({ ...options }, 'policy', {
      enumerable: true,
      get(): never {
        throw new TypeError(INJECTED);
      },
    });
    return api.verify(id, pdf, broken, flags, caller);
  },
};

expose(faulty);
