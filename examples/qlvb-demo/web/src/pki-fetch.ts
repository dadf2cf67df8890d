import type { FetchLike } from '@kyso/core';

/**
 * The `fetch` the demo injects into kyso (timestamping while signing, OCSP/CRL/AIA while verifying).
 * Core never reaches the network itself; this function decides where its requests go:
 * the test PKI's published URLs (`http://pki.kyso.test/...`) become same-origin paths of the demo
 * server (`/pki/...`), which forwards a fixed list of them to the local services. Anything else is
 * refused here, before any request is made: the page talks to its own server only (CSP connect-src 'self').
 */
export function gatewayFetch(config: { readonly pkiPrefix: string; readonly pkiPaths: readonly string[] }): FetchLike {
  const allowed = new Set(config.pkiPaths);
  return async (input, init) => {
    const path = input.startsWith(config.pkiPrefix) ? `/pki/${input.slice(config.pkiPrefix.length)}` : sameOriginPath(input);
    if (path === null || !allowed.has(path)) throw new TypeError(`kyso demo: ${input} is not a test PKI endpoint`);
    const res = await fetch(path, {
      method: init?.method ?? 'GET',
      ...(init?.headers ? { headers: init.headers } : {}),
      ...(init?.body ? { body: init.body as Uint8Array<ArrayBuffer> } : {}),
      ...(init?.signal ? { signal: init.signal } : {}),
    });
    return res;
  };
}

function sameOriginPath(input: string): string | null {
  const url = new URL(input, location.href);
  return url.origin === location.origin ? url.pathname : null;
}

/** The absolute URL of the demo's timestamp authority (the gateway path, same origin). */
export function tsaUrl(tsaPath: string): string {
  return new URL(tsaPath, location.href).href;
}
