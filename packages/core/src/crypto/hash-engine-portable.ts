/**
 * Hashing for browsers and Web Workers. Two ways, because WebCrypto's
 * `digest` is one-shot only (W3C WebCrypto §14.3.5):
 * - {@link digestRangesAtOnce}: a signature's byte ranges of a document held in
 *   memory, in one native `crypto.subtle.digest` (BoringSSL in Chromium, about
 *   13× @noble/hashes on a 20 MB PDF). How the ranges are made contiguous
 *   without a second copy of the file is told there.
 * - {@link createHashEngine}: an incremental pure-JS hash (FIPS 180-4, via
 *   @noble/hashes) for everything else: a source that is not in memory, and the
 *   signing side's streamed hashing.
 * A streaming WebAssembly SHA-2 was measured too and not taken: it needs
 * `'wasm-unsafe-eval'` in `script-src`, which the elements' strict CSP does not
 * grant (docs/decisions/0031-browser-verification-speed.md).
 */
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { kysoError } from '../errors/index.js';
import type { HashAlgorithm } from './algorithms.js';
import type { DigestRangesAtOnce, HashEngine, NodeSignatureCrypto } from './hash-engine-types.js';

export type { HashEngine } from './hash-engine-types.js';

const NOBLE = { 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const;

/**
 * Starts an incremental hash.
 * @throws ERR_SIG_ALGORITHM_UNSUPPORTED for a hash kyso does not support.
 */
export function createHashEngine(alg: HashAlgorithm): HashEngine {
  const fn = NOBLE[alg];
  if (!fn) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `hash ${String(alg)}`);
  const hash = fn.create();
  return {
    update(bytes) {
      hash.update(bytes);
    },
    digest() {
      return hash.digest();
    },
  };
}

/** Digests every WebCrypto implementation has (W3C WebCrypto §30). */
const WEBCRYPTO_DIGESTS: ReadonlySet<string> = new Set(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);

/** WebCrypto's SubtleCrypto; core compiles without the DOM lib, so the type is taken from the global. */
type Subtle = (typeof globalThis.crypto)['subtle'];

/**
 * The digest of the bytes `ranges` cover, in one `crypto.subtle.digest`.
 *
 * A PAdES /ByteRange is two ranges around the /Contents hex string
 * (ISO 32000-2 §12.8.1), and WebCrypto wants one contiguous view. Joining
 * them into a new array would cost a copy of nearly the whole file, on top of
 * the copy WebCrypto itself takes. Instead the shorter range is moved, inside
 * `bytes`, against the longer one (over the /Contents gap), the joined span is
 * handed to `digest`, and the moved-over bytes are put back, all within one
 * synchronous step: WebCrypto copies its input before `digest` returns (§14.3.5
 * step 2, "getting a copy of the bytes held by the data parameter"), and no
 * other code can run, or see `bytes`, in between. The extra memory is the
 * shorter range (usually the few kilobytes after /Contents) besides
 * WebCrypto's own copy.
 *
 * Declines (returns `undefined`) where that reasoning does not hold or brings
 * nothing: no WebCrypto, a hash it lacks, or `bytes` on a SharedArrayBuffer
 * (another thread could read it mid-move). Ranges that are not two ordered,
 * disjoint spans (hostile or odd files), and bytes that cannot be written (an
 * immutable ArrayBuffer), are joined by copying instead.
 * Ranges are clipped to `bytes`, as the streamed hash clips them.
 */
export const digestRangesAtOnce: DigestRangesAtOnce = (bytes, ranges, alg) => {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle || !WEBCRYPTO_DIGESTS.has(alg) || !(bytes.buffer instanceof ArrayBuffer)) return undefined;
  const view = bytes as Uint8Array<ArrayBuffer>;
  const spans = clippedSpans(ranges, view.length);
  if (spans.length === 0) return digestOf(subtle, alg, new Uint8Array(0));
  if (spans.length === 1) return digestOf(subtle, alg, view.subarray(spans[0]![0], spans[0]![1]));
  // An immutable ArrayBuffer (TC39 proposal, `transferToImmutable`) cannot take the move: join by copying.
  const movable = !(view.buffer as { readonly immutable?: boolean }).immutable;
  if (movable && spans.length === 2 && spans[0]![1] <= spans[1]![0]) return digestAcrossGap(subtle, alg, view, spans[0]!, spans[1]!);
  return digestOf(subtle, alg, joined(view, spans));
};

/** `[start, end)` of each (offset, length) pair clipped to `length`; empty spans dropped. */
function clippedSpans(ranges: readonly number[], length: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const start = Math.min(length, Math.max(0, ranges[i]!));
    const end = Math.min(length, start + Math.max(0, ranges[i + 1]!));
    if (end > start) spans.push([start, end]);
  }
  return spans;
}

async function digestOf(subtle: Subtle, alg: string, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await subtle.digest(alg, data));
}

/** Two ordered, disjoint spans: moves the shorter against the longer, digests, restores (see {@link digestRangesAtOnce}). */
function digestAcrossGap(
  subtle: Subtle, alg: string, bytes: Uint8Array<ArrayBuffer>, [aStart, aEnd]: [number, number], [bStart, bEnd]: [number, number],
): Promise<Uint8Array> {
  if (aEnd === bStart) return digestOf(subtle, alg, bytes.subarray(aStart, bEnd));
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  // The moved range lands next to the other one; `at` is where it lands, whose bytes are saved first.
  const moveSecond = bLength <= aLength;
  const at = moveSecond ? aEnd : bStart - aLength;
  const saved = bytes.slice(at, at + (moveSecond ? bLength : aLength));
  let pending: Promise<ArrayBuffer>;
  try {
    if (moveSecond) bytes.copyWithin(aEnd, bStart, bEnd);
    else bytes.copyWithin(at, aStart, aEnd);
    pending = subtle.digest(alg, moveSecond ? bytes.subarray(aStart, aEnd + bLength) : bytes.subarray(at, bEnd));
  } finally {
    bytes.set(saved, at);
  }
  return pending.then((d) => new Uint8Array(d));
}

/** The spans' bytes one after another in a new array (odd ranges only). */
function joined(bytes: Uint8Array<ArrayBuffer>, spans: ReadonlyArray<readonly [number, number]>): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(spans.reduce((n, [s, e]) => n + e - s, 0));
  let at = 0;
  for (const [s, e] of spans) {
    out.set(bytes.subarray(s, e), at);
    at += e - s;
  }
  return out;
}

/** No node:crypto here: signatures are checked with WebCrypto (see {@link NodeSignatureCrypto}). */
export const nodeSignatureCrypto: NodeSignatureCrypto | undefined = undefined;
