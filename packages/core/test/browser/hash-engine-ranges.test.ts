import { describe, expect, it } from 'vitest';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { digestRangesAtOnce } from '../../src/crypto/hash-engine-portable.js';
import { hashByteRange } from '../../src/verify/structure/hash-byte-range.js';
import { memorySource, type ByteSource } from '../../src/pdf/byte-source.js';

/**
 * The browser's one-shot digest of a signature's byte ranges (WebCrypto, with
 * the shorter range moved over the /Contents gap and put back) equals the
 * streamed pure-JS digest of the same ranges (ISO 32000-2 §12.8.1), leaves the
 * document's bytes as they were, and declines what it cannot do natively.
 */
const NOBLE = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const;

/** A document-like array: every byte differs from its neighbours, so a misplaced byte changes the digest. */
function documentBytes(length: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(length).map((_, i) => (i * 131 + (i >> 8) * 7 + 1) & 0xff);
}

/** The ranges' bytes one after another, as the signer hashed them. */
function expected(bytes: Uint8Array, ranges: readonly number[], hash: (b: Uint8Array) => Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const start = Math.max(0, ranges[i]!);
    parts.push(bytes.subarray(Math.min(bytes.length, start), Math.min(bytes.length, start + Math.max(0, ranges[i + 1]!))));
  }
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
  return hash(joined);
}

/** Whether two arrays hold the same bytes (a loop: deep equality of large arrays is slow and its diff unreadable). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A source that is not in memory as far as hashing can tell: the streamed path. */
function streamedSource(bytes: Uint8Array): ByteSource {
  return { length: bytes.length, read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)) };
}

describe('digestRangesAtOnce (WebCrypto in Chromium)', () => {
  const length = 300_007;
  const cases: Record<string, readonly number[]> = {
    'a signature in the middle (the longer first range stays, the second is moved)': [0, 200_000, 210_000, 90_007],
    'a long tail after a signature near the start (the first range is moved)': [0, 5_000, 15_000, 285_007],
    'a gap shorter than the moved range (source and target overlap)': [0, 150_000, 150_010, 149_997],
    'a moved first range that overlaps where it lands (it starts past 0 and is longer than the gap)': [5_000, 20_000, 30_000, 270_007],
    'a hole at the very start (an empty first range)': [0, 0, 10_000, 290_007],
    'a second range of a few bytes ending the file (the usual "%%EOF" tail)': [0, 290_000, 300_000, 7],
    'a hole at the very end (an empty second range)': [0, 290_000, 300_007, 0],
    'no gap (ranges that touch)': [0, 100_000, 100_000, 200_007],
    'one range': [0, 300_007],
    'ranges running past the end are clipped': [0, 100, 200, 1_000_000],
    'out of order ranges are joined by copying, in their order': [200_000, 1_000, 0, 5_000],
    'overlapping ranges are joined by copying': [0, 2_000, 1_000, 3_000],
    'three ranges': [0, 10, 20, 30, 60, 1_000],
    'empty ranges': [0, 0, 10, 0],
  };

  for (const [name, ranges] of Object.entries(cases)) {
    it(`${name}: same digest as the streamed hash, bytes unchanged`, async () => {
      for (const alg of ['SHA-256', 'SHA-384', 'SHA-512', 'SHA-1'] as const) {
        const bytes = documentBytes(length);
        const before = bytes.slice();
        const once = digestRangesAtOnce(bytes, ranges, alg);
        expect(once).toBeInstanceOf(Promise);
        expect(sameBytes(bytes, before)).toBe(true); // put back before any other code ran
        expect(await once).toEqual(expected(before, ranges, NOBLE[alg]));
      }
    });
  }

  it('works on a view into a larger buffer without touching the bytes around it', async () => {
    const whole = documentBytes(length + 64);
    const before = whole.slice();
    const view = whole.subarray(32, 32 + length);
    const ranges = [0, 200_000, 210_000, 90_007];
    expect(await digestRangesAtOnce(view, ranges, 'SHA-256')).toEqual(expected(before.subarray(32, 32 + length), ranges, sha256));
    expect(sameBytes(whole, before)).toBe(true);
  });

  it('declines hashes WebCrypto lacks, and bytes on a SharedArrayBuffer (another thread could see the move)', () => {
    expect(digestRangesAtOnce(documentBytes(100), [0, 10, 20, 80], 'SHA3-256')).toBeUndefined();
    expect(digestRangesAtOnce(documentBytes(100), [0, 10, 20, 80], 'MD5')).toBeUndefined();
    if (typeof SharedArrayBuffer === 'function') {
      expect(digestRangesAtOnce(new Uint8Array(new SharedArrayBuffer(100)), [0, 10, 20, 80], 'SHA-256')).toBeUndefined();
    }
  });
});

describe('hashByteRange: the in-memory fast path and the streamed path agree', () => {
  it('for every hash a verifier meets, WebCrypto ones and the rest, with progress counted once at the end', async () => {
    const bytes = documentBytes(3 * 1024 * 1024 + 17);
    const ranges = [0, 2_000_000, 2_040_000, bytes.length - 2_040_000];
    for (const alg of ['SHA-256', 'SHA-384', 'SHA-512', 'SHA-1', 'SHA-224', 'SHA3-256', 'MD5'] as const) {
      const seen: number[] = [];
      const fast = await hashByteRange(memorySource(bytes), ranges, alg, { onBytes: (n) => seen.push(n) });
      const streamed = await hashByteRange(streamedSource(bytes), ranges, alg);
      expect(fast).toEqual(streamed);
      expect(seen.at(-1)).toBe(bytes.length - 40_000);
    }
  });

  it('an aborted call fails with ERR_ABORTED on either path', async () => {
    const controller = new AbortController();
    controller.abort();
    const bytes = documentBytes(1000);
    await expect(hashByteRange(memorySource(bytes), [0, 10, 20, 980], 'SHA-256', { signal: controller.signal }))
      .rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await expect(hashByteRange(streamedSource(bytes), [0, 10, 20, 980], 'SHA-256', { signal: controller.signal }))
      .rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });
});
