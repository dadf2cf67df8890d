import type { KysoClient } from '@kyso/core/worker';
import { createKyso } from '@kyso/core/worker';

let shared: KysoClient | undefined;

/**
 * The client elements use when none is given to them: one worker per page,
 * created on first use so that a page that never verifies never starts it.
 */
export function defaultKysoClient(): KysoClient {
  return (shared ??= createKyso());
}

/** Replaces the page-wide client (e.g. one created with a custom `workerUrl` or `fontUrl`). */
export function setDefaultKysoClient(client: KysoClient): void {
  shared = client;
}
