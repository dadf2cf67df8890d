/**
 * The module Web Worker: core's staged API exposed through comlink. Loaded
 * by {@link createKyso} (`new Worker(new URL('./entry.js', import.meta.url), { type: 'module' })`).
 */
import { expose, releaseProxy, transfer, type Remote } from 'comlink';
import { createWorkerApi } from './api.js';
import type { CallerSide } from './protocol.js';

expose(
  createWorkerApi({
    transferResult: (outcome, buffers) => (buffers.length ? transfer(outcome, buffers) : outcome),
    // Each call's caller side is a comlink proxy over its own MessagePort: close it when the call ends.
    release: (caller) => (caller as unknown as Remote<CallerSide>)[releaseProxy](),
  }),
);
