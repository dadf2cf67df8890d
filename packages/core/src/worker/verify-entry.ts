/**
 * The verification worker: core's `verify` only, exposed through comlink like
 * the full worker (`entry.ts`). Pages that only verify (a portal's
 * `<verify-badge>`) load this one: about a quarter of the full worker, since
 * no signing, appearance (pdf-lib, fontkit) or LTV code is reachable from
 * here, whatever the bundler does with dynamic imports. Started by
 * {@link createKyso} with `new Worker(new URL('./verify-entry.js', import.meta.url), { type: 'module' })`.
 */
import { expose, releaseProxy, transfer, type Remote } from 'comlink';
import { verify } from '../verify/verify.js';
import { createApi } from './api-core.js';
import type { CallerSide } from './protocol.js';

expose(
  createApi(
    {
      transferResult: (outcome, buffers) => (buffers.length ? transfer(outcome, buffers) : outcome),
      release: (caller) => (caller as unknown as Remote<CallerSide>)[releaseProxy](),
    },
    { verify },
  ),
);
