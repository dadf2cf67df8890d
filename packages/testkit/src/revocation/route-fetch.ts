import { PKI_URLS } from '../pki/profile.js';
import type { CrlServer, OcspResponder } from './servers.js';

/** The `fetch` shape kyso core accepts (structurally the same as core's `FetchLike`). */
export type RoutedFetch = ((
  input: string,
  init?: { method?: string; headers?: Record<string, string>; body?: Uint8Array; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; headers: { get(name: string): string | null }; arrayBuffer(): Promise<ArrayBuffer> }>) & {
  /** Every URL asked for, before routing, in order. */
  readonly calls: readonly string[];
};

/**
 * A `fetch` for tests: URLs in `map` (e.g. the test PKI's fixed
 * `http://pki.kyso.test/...` URLs) go to the mapped local URL; anything else
 * must already be on 127.0.0.1, so a test can never reach the network.
 * Rejects (as a network error would) for any other host.
 */
export function routeFetch(map: Readonly<Record<string, string>>): RoutedFetch {
  const calls: string[] = [];
  const routed = async (input: string, init?: Parameters<RoutedFetch>[1]) => {
    calls.push(input);
    const target = map[input] ?? input;
    if (new URL(target).hostname !== '127.0.0.1') throw new TypeError(`routeFetch: ${input} is not routed to 127.0.0.1`);
    const { body, ...rest } = init ?? {};
    return fetch(target, { ...rest, ...(body ? { body: new Uint8Array(body) } : {}) });
  };
  return Object.assign(routed, { calls }) as RoutedFetch;
}

/** The routes from the test PKI's fixed URLs ({@link PKI_URLS}) to running local servers. */
export function pkiRoutes(servers: { ocsp?: OcspResponder; crl?: CrlServer }): Record<string, string> {
  const routes: Record<string, string> = {};
  if (servers.ocsp) routes[PKI_URLS.ocsp] = servers.ocsp.url;
  if (servers.crl) {
    routes[PKI_URLS.intermediateCrl] = servers.crl.intermediateUrl;
    routes[PKI_URLS.rootCrl] = servers.crl.rootUrl;
    routes[PKI_URLS.intermediateCert] = servers.crl.intermediateCertUrl;
    routes[PKI_URLS.rootCert] = servers.crl.rootCertUrl;
  }
  return routes;
}
