import { commands } from 'vitest/browser';

/** The Node-side commands of packages/testkit/src/browser-commands.ts, as the page sees them. */
declare module 'vitest/browser' {
  interface BrowserCommands {
    startTsa(mode?: string): Promise<{ id: string; url: string }>;
    startRevocation(): Promise<{ id: string; routes: Record<string, string> }>;
    stopServers(ids: readonly string[]): Promise<void>;
    signInNode(request: { pdf: string; p12: string; options: Record<string, unknown> }): Promise<{ pdf: string; pdfsig: string }>;
    pdfText(pdfBase64: string): Promise<string>;
    ensureLargeSample(sizeBytes: number): Promise<string>;
  }
}

export const nodeSide = commands;

export function fromBase64(b64: string): Uint8Array {
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** A `fetch` that sends the test PKI's fixed URLs to the local servers and counts what it was asked. */
export function routedFetch(routes: Record<string, string>): typeof fetch & { readonly calls: string[] } {
  const calls: string[] = [];
  const routed = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push(url);
    const target = routes[url] ?? url;
    if (new URL(target).hostname !== '127.0.0.1') return Promise.reject(new TypeError(`not routed to 127.0.0.1: ${url}`));
    return fetch(target, init);
  };
  return Object.assign(routed, { calls });
}

/**
 * A large sample (made on first use) fetched straight from the test server (`/@fs/…`, inside the repository Vite
 * serves), not through the base64 command bridge, which is slow for tens of megabytes.
 */
export async function largeFixture(sizeBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const path = await commands.ensureLargeSample(sizeBytes);
  const root = await commands.fixturesRoot();
  const response = await fetch(`/@fs${root}/${path}`);
  if (!response.ok) throw new Error(`fixture ${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
