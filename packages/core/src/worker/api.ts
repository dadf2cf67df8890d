/**
 * The full worker's API (`entry.ts`): signing, staged or in one call,
 * verification and long-term validation, over the call machinery of
 * `api-core.ts`. The verification worker (`verify-entry.ts`) uses that
 * machinery with `verify` alone, so its bundle never reaches this module.
 */
import { kysoError } from '../errors/index.js';
import { setDefaultFontLoader } from '../pdf/appearance/default-font.js';
import { finish } from '../sign/finish.js';
import { prepare } from '../sign/prepare.js';
import { sign } from '../ltv/sign-long-term.js';
import { verify } from '../verify/verify.js';
import { extend } from '../ltv/extend.js';
import { createApi, type WorkerApiHooks } from './api-core.js';
import type { WorkerApi } from './protocol.js';

export type { WorkerApiHooks, WorkerOperations } from './api-core.js';

/** Fetches the default appearance font lazily: only when a visible signature asks for it. */
function fontLoader(url: string): () => Promise<Uint8Array> {
  return async () => {
    const response = await fetch(url);
    if (!response.ok) throw kysoError('ERR_SIG_APPEARANCE', `default font: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

/** Builds the API the full worker entry exposes. */
export function createWorkerApi(hooks: WorkerApiHooks): WorkerApi {
  return createApi(hooks, {
    configure: ({ fontUrl }) => setDefaultFontLoader(fontLoader(fontUrl)),
    prepare,
    finish,
    sign,
    verify,
    extend,
  });
}
