import { Pkcs12Adapter } from '@kyso/adapters';
import type { SigningAdapter } from '@kyso/core';
import { bytesOf, type DemoConfig } from './api.js';

const cache = new Map<string, Promise<SigningAdapter>>();

/**
 * Opens one of the demo's software keys. DEMO ONLY: the PKCS#12 file and its (published, test) password
 * come from the demo server. Real deployments use a token agent, a remote HSM or the VGCA service,
 * where the PIN is asked by the device and never enters the page.
 */
export function demoKey(config: DemoConfig, who: 'leader' | 'seal'): Promise<SigningAdapter> {
  let p = cache.get(who);
  if (!p) {
    p = bytesOf(config.keys[who]).then((p12) => Pkcs12Adapter.open(p12, config.demoKeyPassword));
    cache.set(who, p);
  }
  return p;
}

/** The trust anchor of the test PKI, DER: what the verifying elements accept as a root. */
export async function trustRoot(config: DemoConfig): Promise<Uint8Array> {
  return bytesOf(config.trustRoot);
}
