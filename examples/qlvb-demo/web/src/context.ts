import type { FetchLike } from '@kyso/core';
import type { DemoConfig } from './api.js';
import type { Lang } from './i18n.js';

/** What every view needs, loaded once by the shell. */
export interface DemoContext {
  readonly lang: Lang;
  readonly config: DemoConfig;
  /** The injected fetch for TSA/OCSP/CRL (see pki-fetch.ts). */
  readonly fetch: FetchLike;
  /** Absolute URL of the demo TSA (same origin). */
  readonly tsaUrl: string;
  /** The test PKI root, DER: the only trust anchor of this demo. */
  readonly trust: readonly Uint8Array[];
}
