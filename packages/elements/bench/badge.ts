/**
 * The `<verify-badge>` bench page (scripts/bench-browser.mjs builds it with Vite
 * and drives it in Debian's Chromium). It imports only the badge, as a portal
 * page would, so its main chunk is the badge's bundle; the harness below is a
 * small part of it (the WebAssembly hash it compares against loads on demand).
 *
 * The bench calls, in this page: `kysoLoad(url)` (fetch a signed document once:
 * the fetch is not timed), then alternately `kysoDigest()` (WebCrypto SHA-256
 * of its bytes, `crypto.subtle.digest`, one shot: the yardstick) and
 * `kysoVerdict()` (from setting the badge's `.data` to `kyso-verified`; with or without `transfer-data`), so each
 * verdict has a digest measured beside it; `kysoHashes()` times the other ways a
 * page could hash the same bytes, for the record (docs/decisions/0031).
 */
import '@kyso/elements/verify-badge';

let bytes = new Uint8Array(0);

async function kysoLoad(url: string): Promise<number> {
  const response = await fetch(url);
  bytes = new Uint8Array(await response.arrayBuffer());
  return bytes.length;
}

async function kysoDigest(): Promise<number> {
  const t0 = performance.now();
  await crypto.subtle.digest('SHA-256', bytes);
  return performance.now() - t0;
}

/** An array of the page's own for the next `transfer-data` verdict, made now (the memory bench makes it before it measures). */
let spare: Uint8Array | undefined;
function kysoSpare(): void {
  spare = bytes.slice();
}

/**
 * A verdict on the loaded bytes (`.data`), or on the document at `src`, which the badge then fetches itself. With
 * `transfer`, the page hands the badge an array of its own (copied before the clock starts, as a page that fetched
 * the file would have one) with `transfer-data`: the badge takes it instead of copying it.
 */
async function kysoVerdict(src?: string, transfer = false): Promise<{ ms: number; afterResponseMs: number | null; state: string; signatures: number }> {
  const badge = document.createElement('verify-badge');
  badge.trustProfile = 'none';
  badge.transferData = transfer;
  const given = transfer ? (spare ?? bytes.slice()) : bytes;
  spare = undefined;
  document.body.replaceChildren(badge);
  const done = new Promise<void>((resolve, reject) => {
    badge.addEventListener('kyso-verified', () => resolve(), { once: true });
    badge.addEventListener('kyso-error', (e) => reject(new Error((e as CustomEvent<{ code: string }>).detail.code)), { once: true });
  });
  performance.mark('kyso-verdict'); // where a `--trace` of the bench starts its timeline
  const t0 = performance.now();
  if (src) badge.src = src;
  else badge.data = given;
  await done;
  const end = performance.now();
  // From `src`: the time after the badge's own fetch had its last byte (Resource Timing), i.e. the fetch excluded.
  const fetched = src ? performance.getEntriesByName(new URL(src, location.href).href).at(-1) as PerformanceResourceTiming | undefined : undefined;
  performance.clearResourceTimings();
  return { ms: end - t0, afterResponseMs: fetched ? end - fetched.responseEnd : null, state: badge.state ?? '', signatures: badge.report?.signatures.length ?? 0 };
}

/**
 * The other ways to hash the same bytes, each timed once: WebCrypto after
 * copying the bytes into a new array (what joining the two byte ranges costs),
 * a streaming WebAssembly SHA-256 (hash-wasm, 2 MiB chunks; needs
 * `'wasm-unsafe-eval'`, which this page's lack of CSP allows), and the pure-JS
 * streaming hash core used before (@noble/hashes), in 2 MiB chunks.
 */
async function kysoHashes(): Promise<{ copyDigestMs: number; wasmMs: number; nobleMs: number }> {
  const CHUNK = 2 * 1024 * 1024;
  let t0 = performance.now();
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  await crypto.subtle.digest('SHA-256', copy);
  const copyDigestMs = performance.now() - t0;

  const { createSHA256 } = await import('hash-wasm');
  const wasm = await createSHA256(); // instantiated before timing: a page would do it once
  t0 = performance.now();
  wasm.init();
  for (let at = 0; at < bytes.length; at += CHUNK) wasm.update(bytes.subarray(at, at + CHUNK));
  wasm.digest('binary');
  const wasmMs = performance.now() - t0;

  const { sha256 } = await import('@noble/hashes/sha2.js');
  t0 = performance.now();
  const noble = sha256.create();
  for (let at = 0; at < bytes.length; at += CHUNK) noble.update(bytes.subarray(at, at + CHUNK));
  noble.digest();
  const nobleMs = performance.now() - t0;
  return { copyDigestMs, wasmMs, nobleMs };
}

Object.assign(globalThis, { kysoLoad, kysoDigest, kysoVerdict, kysoSpare, kysoHashes });
document.documentElement.dataset['ready'] = 'true';
